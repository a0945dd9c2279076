import FoundationEssentials
import Glibc

/// A connection to a Synapse PostgreSQL database, through libpq.
///
/// libpq reads every form admins use: unix-socket directories as `host`, `sslmode`,
/// `passfile`, `service`, the `PG*` environment variables and `~/.pgpass`.
package final class PostgresConnection: DatabaseConnection {
    package let engine = DatabaseEngine.postgres
    private let connection: OpaquePointer
    private let pq: LibPQ
    /// Whether ``begin()`` starts read-only transactions.
    private let readOnly: Bool

    /// Connects to the database `target` names.
    ///
    /// - Parameter readOnly: ``begin()`` starts `REPEATABLE READ READ ONLY` transactions, for a
    ///   run that must never write (the account review): the server refuses any write inside
    ///   them, and every query sees one snapshot. It is a setting of each transaction, not the
    ///   session's `default_transaction_read_only`: a pooler in transaction mode (PgBouncer)
    ///   would hand a session setting on with the server connection, to Synapse.
    package init(_ target: DatabaseLocation.PostgresTarget, readOnly: Bool = false) throws(DatabaseError) {
        let pq = try LibPQ.shared.get()
        self.pq = pq
        self.readOnly = readOnly
        var pairs: [(keyword: String, value: String)] = []
        // Defaults go first so the admin's own settings (and the PG* variables) win.
        if getenv("PGCONNECT_TIMEOUT") == nil { pairs.append(("connect_timeout", "10")) }
        if getenv("PGAPPNAME") == nil { pairs.append(("application_name", "register_new_matrix_user")) }
        let expand: Bool
        switch target {
        case .keywords(let keywords):
            pairs += keywords.map { ($0.name, $0.value) }
            expand = false
        case .conninfo(let conninfo):
            pairs.append(("dbname", conninfo))
            expand = true
        }
        connection = try pq.connect(pairs, expandDatabaseName: expand)
    }

    deinit {
        pq.finish(connection)
    }

    package var endpoint: DatabaseEndpoint {
        let reached = pq.endpoint(of: connection)
        return .postgres(host: reached.host, port: reached.port, database: reached.database)
    }

    /// The parameters libpq connected with, for `pg_dump`: the password apart, so that it can
    /// travel in the environment rather than on a command line `ps` shows. Other secret options
    /// (`sslpassword`, which has no environment variable) are left out: never on a command line.
    package var connectionParameters: (keywords: [DatabaseLocation.Keyword], password: Secret?) {
        let options = pq.options(of: connection)
        let keywords = options.filter { !$0.secret && $0.keyword != "password" }
            .map { DatabaseLocation.Keyword($0.keyword, $0.value) }
        return (keywords, options.first { $0.keyword == "password" }.map { Secret($0.value) })
    }

    // MARK: - Statements

    @discardableResult
    package func execute(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> Int {
        let result = try run(sql, parameters)
        defer { pq.clear(result) }
        return pq.cmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    package func query(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> [[SQLValue]] {
        let result = try run(sql, parameters)
        defer { pq.clear(result) }
        return (0..<pq.ntuples(result)).map { row in
            (0..<pq.nfields(result)).map { column in
                guard pq.getisnull(result, row, column) == 0, let value = pq.getvalue(result, row, column) else {
                    return .null
                }
                return .text(String(cString: value))
            }
        }
    }

    package func columns(of table: String) throws(DatabaseError) -> Set<String> {
        let rows = try query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
            [.text(table)])
        return Set(rows.compactMap { $0[0].text })
    }

    package func begin() throws(DatabaseError) {
        try execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", [])
    }
    package func commit() throws(DatabaseError) { try execute("COMMIT", []) }
    package func rollback() { _ = try? execute("ROLLBACK", []) }

    /// Numbers the `?` placeholders as `$1, $2, …`; the statements of this tool contain no other `?`.
    static func numberPlaceholders(_ sql: String) -> String {
        var output = ""
        var count = 0
        for character in sql {
            if character == "?" {
                count += 1
                output += "$\(count)"
            } else {
                output.append(character)
            }
        }
        return output
    }

    private func run(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> OpaquePointer {
        let texts: [String?] = parameters.map { value in
            switch value {
            case .null: nil
            case .integer(let number): String(number)
            case .boolean(let flag): flag ? "t" : "f"
            case .text(let text): text
            }
        }
        guard let result = pq.execute(connection, Self.numberPlaceholders(sql), texts) else {
            throw DatabaseError(.unavailable, pq.message(of: connection, or: "PostgreSQL: no result")).redacting(parameters)
        }
        guard pq.succeeded(result) else {
            defer { pq.clear(result) }
            throw error(from: result).redacting(parameters)
        }
        return result
    }

    private func error(from result: OpaquePointer) -> DatabaseError {
        let diagnostic = pq.diagnostic(of: result)
        let sqlstate = diagnostic.sqlstate
        if sqlstate == "23505" {
            return DatabaseError(.uniqueViolation(table: diagnostic.fields[.table]), diagnostic.message)
        }
        // Class 08 is a lost connection, 57P0x a server shutting down or starting up.
        if sqlstate.hasPrefix("08") || sqlstate.hasPrefix("57P0") || !pq.isConnected(connection) {
            return DatabaseError(.unavailable, diagnostic.message)
        }
        return DatabaseError(.failed, diagnostic.message)
    }
}
