/// A value bound to a statement parameter or read from a row.
package enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case text(String)
    /// A BOOLEAN column: `true`/`false` on PostgreSQL, `1`/`0` on SQLite (as Python writes it).
    case boolean(Bool)

    package var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .text(let text): Int64(text)
        case .boolean(let flag): flag ? 1 : 0
        case .null: nil
        }
    }

    package var text: String? {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .boolean(let flag): flag ? "true" : "false"
        case .null: nil
        }
    }

    /// Values may be hashes or tokens, so their rendering never shows text.
    package var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .boolean(let flag): flag ? "true" : "false"
        case .text(let text): "<text, \(text.utf8.count) bytes>"
        }
    }
}

/// Where a connection writes, for reports and audit lines: never a password.
package enum DatabaseEndpoint: Sendable, Equatable {
    case sqlite(path: String)
    /// The host (name, address or socket directory), port and database libpq connected to.
    case postgres(host: String?, port: String?, database: String?)
}

/// The database engines Synapse runs on.
package enum DatabaseEngine: Sendable {
    case sqlite
    case postgres
}

/// A connection to Synapse's main database: bound parameters, rows, one transaction at a time.
///
/// Statements use `?` placeholders on both engines; the PostgreSQL connection numbers them.
package protocol DatabaseConnection: AnyObject {
    var engine: DatabaseEngine { get }
    /// Where the connection writes.
    var endpoint: DatabaseEndpoint { get }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> Int

    /// Runs a query and returns every row.
    func query(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> [[SQLValue]]

    /// The columns a table has, or an empty set when it does not exist.
    func columns(of table: String) throws(DatabaseError) -> Set<String>

    /// Starts a transaction that takes the write lock at once (SQLite `BEGIN IMMEDIATE`).
    func begin() throws(DatabaseError)
    func commit() throws(DatabaseError)
    func rollback()
}

extension DatabaseConnection {
    /// Runs `body` in one transaction: all of its writes are committed, or none.
    ///
    /// A failed rollback is not reported, so the caller sees the error that caused it.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollback()
            throw error
        }
    }

    package func queryOne(_ sql: String, _ parameters: [SQLValue] = []) throws(DatabaseError) -> [SQLValue]? {
        try query(sql, parameters).first
    }
}

/// A database operation that failed, described without any bound value.
package struct DatabaseError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// The database could not be opened or reached.
        case unavailable
        /// A unique constraint refused a row; `table` names it when the engine says.
        case uniqueViolation(table: String?)
        /// The database is not one this tool can write to (not Synapse's, or too new).
        case unsupportedSchema
        /// Another process held the database lock for longer than the busy timeout.
        case busy
        /// Any other failure of a statement.
        case failed
    }

    package let kind: Kind
    /// The engine's message, e.g. `FATAL: password authentication failed for user "synapse"`,
    /// made to name tables, columns and constraints but no bound value (``redacting(_:)``).
    package let message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}

extension DatabaseError {
    /// The shortest bound text that is cut out of a message: shorter values ("t", "0", a short
    /// localpart) would also cut words of the engine's own text, and secrets are never that short.
    static let shortestRedactedValue = 4

    /// This error with every bound text value of at least ``shortestRedactedValue`` characters
    /// replaced by `…` wherever the message quotes it.
    ///
    /// Both engines build messages that name constraints, tables and columns, not values; this is
    /// the guarantee behind that, for the texts neither engine controls: a trigger's `RAISE`
    /// message on PostgreSQL, which may interpolate `NEW`'s columns, and anything a later engine
    /// release adds. Integers and booleans are left: timestamps and flags are no secret, and
    /// cutting every `1` would leave nothing readable.
    func redacting(_ parameters: [SQLValue]) -> DatabaseError {
        let values = parameters.compactMap { value -> String? in
            guard case .text(let text) = value, text.count >= Self.shortestRedactedValue else { return nil }
            return text
        }
        // Longest first, so a value that contains another is cut whole.
        let redacted = values.sorted { $0.count > $1.count }.reduce(message) { message, value in
            message.replacing(value, with: "…")
        }
        return DatabaseError(kind, redacted)
    }
}
