import CLibPQ
import Foundation

/// A connection to a Synapse PostgreSQL database, through libpq.
///
/// libpq reads every form admins use: unix-socket directories as `host`, `sslmode`,
/// `passfile`, `service`, the `PG*` environment variables and `~/.pgpass`.
package final class PostgresConnection: DatabaseConnection {
    package let engine = DatabaseEngine.postgres
    private let connection: OpaquePointer
    private let pq: LibPQ

    package init(_ target: DatabaseLocation.PostgresTarget) throws(DatabaseError) {
        let pq = try LibPQ.shared.get()
        self.pq = pq
        var pairs: [(String, String)] = []
        // Defaults go first so the admin's own settings (and the PG* variables) win.
        if getenv("PGCONNECT_TIMEOUT") == nil { pairs.append(("connect_timeout", "10")) }
        if getenv("PGAPPNAME") == nil { pairs.append(("application_name", "register_new_matrix_user")) }
        let expand: Int32
        switch target {
        case .keywords(let keywords):
            pairs += keywords.map { ($0.name, $0.value) }
            expand = 0
        case .conninfo(let conninfo):
            pairs.append(("dbname", conninfo))
            expand = 1
        }
        let handle = withCStringArray(pairs.map(\.0)) { keywords in
            withCStringArray(pairs.map(\.1)) { values in
                pq.connectdbParams(keywords, values, expand)
            }
        }
        guard let handle else { throw DatabaseError(.unavailable, "libpq is out of memory") }
        connection = handle
        guard pq.status(connection) == CONNECTION_OK else {
            let message = Self.clean(pq.errorMessage(connection))
            // deinit runs for a class whose init throws after setting every property: it finishes the connection.
            throw DatabaseError(.unavailable, message.isEmpty ? "cannot connect to PostgreSQL" : message)
        }
        // libpq prints server notices on stderr, which would tear a full-screen display.
        _ = pq.setNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit {
        pq.finish(connection)
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

    package func begin() throws(DatabaseError) { try execute("BEGIN", []) }
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
        let result = withOptionalCStringArray(texts) { values in
            pq.execParams(connection, Self.numberPlaceholders(sql), Int32(texts.count), nil, values, nil, nil, 0)
        }
        guard let result else {
            throw DatabaseError(.unavailable, Self.clean(pq.errorMessage(connection)))
        }
        let status = pq.resultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            defer { pq.clear(result) }
            throw error(from: result)
        }
        return result
    }

    private func error(from result: OpaquePointer) -> DatabaseError {
        // PG_DIAG_SQLSTATE and PG_DIAG_TABLE_NAME are character-literal macros Swift cannot import.
        func field(_ code: Character) -> String? {
            pq.resultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let message = Self.clean(pq.resultErrorMessage(result))
        let sqlstate = field("C") ?? ""
        if sqlstate == "23505" {
            return DatabaseError(.uniqueViolation(table: field("t")), message)
        }
        if sqlstate.hasPrefix("08") || pq.status(connection) != CONNECTION_OK {
            return DatabaseError(.unavailable, message)
        }
        return DatabaseError(.failed, message)
    }

    /// libpq messages end with a newline and may span lines (a failure, then a hint); one line reads better.
    private static func clean(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }
}

// MARK: - C string arrays

/// Calls `body` with a NULL-terminated array of C strings that live for the duration of the call.
private func withCStringArray<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
    withOptionalCStringArray(strings.map { Optional($0) } + [nil], body)
}

private func withOptionalCStringArray<T>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T
) -> T {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { pointers.forEach { free($0) } }
    return pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress) }
}
