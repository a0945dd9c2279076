import CSQLite3
import Foundation

/// A connection to a Synapse SQLite database, through the sqlite3 C API.
///
/// The journal mode is left as Synapse set it (WAL): changing it would need every other
/// connection closed, and Synapse may be running.
package final class SQLiteConnection: DatabaseConnection {
    package let engine = DatabaseEngine.sqlite
    package let path: String
    /// Internal rather than private for the backup (`SQLiteBackup.swift`), which copies from it.
    let handle: OpaquePointer
    /// The database owner's identity the connection was opened under; kept until the file is closed.
    private let identity: OwnerIdentity?
    /// Opened with `SQLITE_OPEN_READONLY`; ``begin()`` then starts a read transaction.
    private let readOnly: Bool
    /// Prepared statements by their SQL: a bulk run sends the same dozen statements per account,
    /// and preparing them was a quarter of the writer's work.
    private var statements: [String: OpaquePointer] = [:]
    /// How long to wait for Synapse to release the write lock.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Opens an existing database for reading and writing, or only reading; never creates one.
    ///
    /// - Parameters:
    ///   - identity: the owner's identity the process has taken to write this file
    ///     (``OwnerIdentity/adopt(ownerOf:)``). The connection keeps it for as long as it is open,
    ///     since SQLite creates files beside the database until it is closed, and lets it go —
    ///     restoring root's ids, unless the caller still holds it — only after closing.
    ///   - readOnly: open with `SQLITE_OPEN_READONLY`, for a run that must never write (the
    ///     account review): every write is refused by SQLite itself, and closing never
    ///     checkpoints the WAL into the file, so the database stays byte for byte as it was. A
    ///     read-only connection to a WAL database still creates `-wal` and `-shm` when they are
    ///     missing (and leaves them), which is why `identity` matters here too. ``begin()``
    ///     then starts a deferred transaction: one snapshot for every query, no write lock.
    package init(path: String, identity: OwnerIdentity? = nil, readOnly: Bool = false) throws(DatabaseError) {
        self.path = path
        self.identity = identity
        self.readOnly = readOnly
        if let problem = readOnly ? SQLiteAccess.missingProblem(at: path) : SQLiteAccess.writeProblem(at: path) {
            throw DatabaseError(.unavailable, "\(path): \(problem)")
        }
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) + Self.reason(Self.systemError($0, rc)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw DatabaseError(.unavailable, Self.describeOpenFailure(path: path, message: message))
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        // Synapse runs every connection with foreign keys on; so do we.
        try execute("PRAGMA foreign_keys = ON", [])
    }

    package var endpoint: DatabaseEndpoint {
        .sqlite(path: URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    deinit {
        // With every statement finalized this closes the file (and SQLite removes or leaves its
        // -wal and -shm) at once; `identity` is released after this body.
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    private static func describeOpenFailure(path: String, message: String) -> String {
        if let missing = SQLiteAccess.missingProblem(at: path) {
            return "\(path): \(missing)"
        }
        return "\(path): \(message)"
    }

    // MARK: - Statements

    @discardableResult
    package func execute(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> Int {
        _ = try run(sql, parameters, collect: false)
        return Int(sqlite3_changes(handle))
    }

    package func query(_ sql: String, _ parameters: [SQLValue]) throws(DatabaseError) -> [[SQLValue]] {
        try run(sql, parameters, collect: true)
    }

    package func columns(of table: String) throws(DatabaseError) -> Set<String> {
        // PRAGMA arguments cannot be bound; the table names come from this tool, never from input.
        precondition(table.allSatisfy { $0.isLetter || $0 == "_" }, "unexpected table name")
        return Set(try query("PRAGMA table_info(\(table))", []).compactMap { $0[1].text })
    }

    package func begin() throws(DatabaseError) { try execute(readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE", []) }
    package func commit() throws(DatabaseError) { try execute("COMMIT", []) }
    package func rollback() { _ = try? execute("ROLLBACK", []) }

    private func run(_ sql: String, _ parameters: [SQLValue], collect: Bool) throws(DatabaseError) -> [[SQLValue]] {
        do {
            return try step(sql, parameters, collect: collect)
        } catch {
            throw error.redacting(parameters)
        }
    }

    private func step(_ sql: String, _ parameters: [SQLValue], collect: Bool) throws(DatabaseError) -> [[SQLValue]] {
        let statement = try prepared(sql)
        // Reset and unbound after use, so a cached statement holds no lock and no value.
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in parameters.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .null: try check(sqlite3_bind_null(statement, position))
            case .integer(let number): try check(sqlite3_bind_int64(statement, position, number))
            case .boolean(let flag): try check(sqlite3_bind_int64(statement, position, flag ? 1 : 0))
            case .text(let text): try check(sqlite3_bind_text(statement, position, text, -1, Self.transient))
            }
        }
        var rows: [[SQLValue]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { try check(rc); break }
            guard collect else { continue }
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: .null
                case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
                default: .text(String(cString: sqlite3_column_text(statement, column)))
                }
            })
        }
        return rows
    }

    /// The statement for `sql`, prepared once per connection.
    private func prepared(_ sql: String) throws(DatabaseError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
        guard let statement else {
            // Only whitespace or a comment: nothing to run; a fresh empty statement each time.
            throw DatabaseError(.failed, "empty SQL statement")
        }
        statements[sql] = statement
        return statement
    }

    /// `SQLITE_TRANSIENT`, a cast macro Swift cannot import: sqlite copies the bound text.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Turns a result code into an error that names the database file where the file is at fault.
    ///
    /// `sqlite3_errmsg` names constraints, tables and columns (`NOT NULL constraint failed:
    /// users.password_hash`, `CHECK constraint failed: <its name, or its expression>`,
    /// `UNIQUE constraint failed: users.name`), never a bound value. The one text it does not make
    /// itself is a trigger's `RAISE(ABORT, '…')`, a literal of the trigger's SQL in SQLite 3.40;
    /// ``DatabaseError/redacting(_:)`` covers it should that text ever carry a value.
    private func check(_ rc: Int32) throws(DatabaseError) {
        guard rc != SQLITE_OK else { return }
        let message = String(cString: sqlite3_errmsg(handle))
        let systemError = Self.systemError(handle, rc)
        switch rc & 0xFF {
        case SQLITE_CONSTRAINT where rc == 2067 || rc == 1555:  // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
            // "UNIQUE constraint failed: users.name"
            let table = message.split(separator: ":").last?.split(separator: ".").first
                .map { $0.trimmingCharacters(in: .whitespaces) }
            throw DatabaseError(.uniqueViolation(table: table), message)
        case SQLITE_BUSY, SQLITE_LOCKED:
            throw DatabaseError(.busy, "\(path): the database stayed locked for \(Self.busyTimeoutMilliseconds / 1000) s")
        case SQLITE_FULL:
            throw DatabaseError(.unavailable, "\(path): \(message); \(Self.freeSpace)")
        case SQLITE_IOERR where systemError == ENOSPC:
            throw DatabaseError(.unavailable, "\(path): \(message) (\(Self.describe(errno: systemError))); \(Self.freeSpace)")
        case SQLITE_IOERR:
            throw DatabaseError(.unavailable, "\(path): \(message)\(Self.reason(systemError)); check the filesystem holding it and its -wal, -shm or -journal files")
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH:
            throw DatabaseError(.unavailable, "\(path): \(message)\(Self.reason(systemError)); \(Self.writeAccess)")
        case SQLITE_NOTADB:
            throw DatabaseError(.unsupportedSchema, "\(path): not a SQLite database")
        default:
            throw DatabaseError(.failed, message)
        }
    }

    /// What to do when SQLite cannot grow the database or its journal.
    private static let freeSpace =
        "free space on the filesystem holding it (SQLite also needs room for a -wal or -journal file beside it), then run again"

    /// What to do when SQLite cannot open or write the file or create the ones beside it.
    private static var writeAccess: String {
        let user = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        return "the user running this tool (\(user)) must be able to write it and create files in its directory"
    }

    /// The `errno` behind `rc`, or 0: SQLite records it for `CANTOPEN` and `IOERR` only, and
    /// for any other code `sqlite3_system_errno` may still hold an earlier, unrelated one.
    private static func systemError(_ handle: OpaquePointer, _ rc: Int32) -> Int32 {
        [SQLITE_CANTOPEN, SQLITE_IOERR].contains(rc & 0xFF) ? sqlite3_system_errno(handle) : 0
    }

    /// The operating system's reason, when SQLite recorded one.
    private static func reason(_ systemError: Int32) -> String {
        systemError == 0 ? "" : " (\(describe(errno: systemError)))"
    }

    private static func describe(errno: Int32) -> String {
        String(cString: strerror(errno))
    }
}
