import CSQLite3
import Foundation

/// A connection to a Synapse SQLite database, through the sqlite3 C API.
///
/// The journal mode is left as Synapse set it (WAL): changing it would need every other
/// connection closed, and Synapse may be running.
package final class SQLiteConnection: DatabaseConnection {
    package let engine = DatabaseEngine.sqlite
    package let path: String
    private let handle: OpaquePointer
    /// How long to wait for Synapse to release the write lock.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Opens an existing database for reading and writing; never creates one.
    package init(path: String) throws(DatabaseError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw DatabaseError(.unavailable, Self.describeOpenFailure(path: path, message: message))
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        // Synapse runs every connection with foreign keys on; so do we.
        try execute("PRAGMA foreign_keys = ON", [])
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    private static func describeOpenFailure(path: String, message: String) -> String {
        if !FileManager.default.fileExists(atPath: path) {
            return "\(path): no such database file"
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

    package func begin() throws(DatabaseError) { try execute("BEGIN IMMEDIATE", []) }
    package func commit() throws(DatabaseError) { try execute("COMMIT", []) }
    package func rollback() { _ = try? execute("ROLLBACK", []) }

    private func run(_ sql: String, _ parameters: [SQLValue], collect: Bool) throws(DatabaseError) -> [[SQLValue]] {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil))
        defer { sqlite3_finalize(statement) }
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

    /// `SQLITE_TRANSIENT`, a cast macro Swift cannot import: sqlite copies the bound text.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func check(_ rc: Int32) throws(DatabaseError) {
        guard rc != SQLITE_OK else { return }
        let message = String(cString: sqlite3_errmsg(handle))
        switch rc & 0xFF {
        case SQLITE_CONSTRAINT where rc == 2067 || rc == 1555:  // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
            // "UNIQUE constraint failed: users.name"
            let table = message.split(separator: ":").last?.split(separator: ".").first
                .map { $0.trimmingCharacters(in: .whitespaces) }
            throw DatabaseError(.uniqueViolation(table: table), message)
        case SQLITE_BUSY, SQLITE_LOCKED:
            throw DatabaseError(.busy, "\(path): the database stayed locked for \(Self.busyTimeoutMilliseconds / 1000) s")
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH:
            throw DatabaseError(.unavailable, "\(path): \(message)")
        case SQLITE_NOTADB:
            throw DatabaseError(.unsupportedSchema, "\(path): not a SQLite database")
        default:
            throw DatabaseError(.failed, message)
        }
    }
}

// MARK: - File ownership

extension SQLiteConnection {
    /// The account that owns a database file, when it is not the one running this process.
    package struct Owner: Sendable, Equatable {
        package let uid: uid_t
        package let gid: gid_t
        package let name: String
    }

    /// When run as root on a database owned by another user, takes on that user's identity
    /// (effective uid and gid) so that the `-wal`, `-shm` or `-journal` files SQLite creates
    /// beside the database belong to Synapse's user, not to root — root-owned ones would stop
    /// Synapse from opening its own database.
    ///
    /// Returns the owner adopted, or nil when nothing needed to change.
    package static func adoptOwner(of path: String) throws(DatabaseError) -> Owner? {
        guard geteuid() == 0 else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != 0 else { return nil }
        let name = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)"
        guard setegid(info.st_gid) == 0, seteuid(info.st_uid) == 0 else {
            throw DatabaseError(.unavailable, "\(path): cannot switch to its owner \(name) to write it")
        }
        return Owner(uid: info.st_uid, gid: info.st_gid, name: name)
    }
}
