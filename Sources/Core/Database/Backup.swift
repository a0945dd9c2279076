import FoundationEssentials
import Glibc

/// A copy of the database made just before an account is written, so that a write the admin
/// regrets can be undone by restoring it.
///
/// SQLite is copied with SQLite's online backup API (``SQLiteConnection/backup(to:)``),
/// PostgreSQL with `pg_dump --format=custom` (``PostgresDump``). Either way the file is created
/// fresh with mode 0600 (it holds every password hash and token) and never over an existing one.
package enum DatabaseBackup {
    /// Backs up the database `connection` is open on.
    ///
    /// - Parameter path: where to write the copy; nil for the engine's default name
    ///   (``defaultPath(for:now:)``).
    package static func make(of connection: DatabaseConnection, to path: String?, now: Date = Date()) throws(BackupError)
        -> BackupResult
    {
        if let path { return try make(of: connection, exactlyTo: path) }
        // Two runs in the same second (a provisioning loop) get the default name with -2, -3, …:
        // a default path is the tool's choice, so its collision is no reason to stop.
        let base = defaultPath(for: connection, now: now)
        for attempt in 1...100 {
            let target = attempt == 1 ? base : numbered(base, attempt)
            do {
                return try make(of: connection, exactlyTo: target)
            } catch where error.cause == .exists {
                continue
            }
        }
        throw BackupError(path: base, .exists)
    }

    private static func make(of connection: DatabaseConnection, exactlyTo target: String) throws(BackupError)
        -> BackupResult
    {
        switch connection {
        case let sqlite as SQLiteConnection:
            return try sqlite.backup(to: target)
        case let postgres as PostgresConnection:
            return try PostgresDump(connection: postgres).dump(to: target)
        default:
            throw BackupError(path: target, .failed("this database cannot be backed up"))
        }
    }

    /// `…-20261202T063000Z.dump` → `…-20261202T063000Z-2.dump`; without an extension, `-2` at the end.
    private static func numbered(_ path: String, _ number: Int) -> String {
        if path.hasSuffix(".dump") { return String(path.dropLast(5)) + "-\(number).dump" }
        return path + "-\(number)"
    }

    /// Whether a backup can be made, and if not why: the form turns its toggle off by default
    /// when not. SQLite always can; PostgreSQL needs a `pg_dump` as new as the server.
    package static func availability(of connection: DatabaseConnection) -> BackupAvailability {
        guard let postgres = connection as? PostgresConnection else { return .available }
        do {
            _ = try PostgresDump(connection: postgres).client()
            return .available
        } catch {
            return .unavailable(error.cause)
        }
    }

    /// Where a backup goes when no path is given.
    ///
    /// SQLite: beside the database, `homeserver.db.backup-20261202T063000Z`, on the same
    /// filesystem and under the same owner as the file it copies. PostgreSQL: the current
    /// directory, `synapse-<database>-20261202T063000Z.dump`, since a server's data directory
    /// is no place for a client's files.
    package static func defaultPath(for connection: DatabaseConnection, now: Date) -> String {
        let stamp = timestamp(now)
        switch connection.endpoint {
        case .sqlite(let path):
            return "\(path).backup-\(stamp)"
        case .postgres(_, _, let database):
            let name = (database ?? "postgres").map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
            return FileManager.default.currentDirectoryPath + "/synapse-\(String(name))-\(stamp).dump"
        }
    }

    /// The UTC time in the basic ISO 8601 form, which sorts and has no `:` for file names.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y%m%dT%H%M%SZ", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates the backup file, empty, with mode 0600 whatever the umask; never over an existing
    /// file or through a symbolic link, so a backup can never replace another file.
    static func createFile(_ path: String) throws(BackupError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BackupError(path: path, errno: errno) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            let error = BackupError(path: path, errno: errno)
            unlink(path)
            throw error
        }
    }

    /// The size of a finished backup.
    static func size(of path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}

/// A finished backup.
package struct BackupResult: Sendable, Equatable {
    /// Where it was written, as an absolute path.
    package let path: String
    package let bytes: Int64
    /// What was checked, for the note: "integrity ok", "pg_dump 15, custom format".
    package let check: String

    package init(path: String, bytes: Int64, check: String) {
        self.path = path
        self.bytes = bytes
        self.check = check
    }
}

/// Whether the database can be backed up on this machine.
package enum BackupAvailability: Sendable, Equatable {
    case available
    case unavailable(BackupError.Cause)
}

/// Why a backup was not made. Nothing has been written to the database when it is thrown, and
/// no partial backup file is left.
package struct BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Cause: Sendable, Equatable {
        /// The path exists already: a backup never replaces a file.
        case exists
        /// The filesystem holding the backup is full.
        case noSpace
        /// The backup's folder cannot be written by `user` (the tool's effective user, which is the
        /// database owner's when run as root on a SQLite file); `reason` is the system's.
        case notWritable(user: String, reason: String)
        /// The copy was made but `PRAGMA integrity_check` did not say "ok": its first line.
        case integrity(String)
        /// Synapse kept the database locked for longer than the busy timeout.
        case busy(seconds: Int)
        /// `pg_dump` is not on `PATH`.
        case toolMissing(serverMajor: Int?)
        /// `pg_dump` is older than the server, which it cannot dump.
        case toolTooOld(client: Int, server: Int)
        /// `pg_dump` ran and failed: the last line it wrote, with the password cut out.
        case toolFailed(String)
        /// Anything else: the engine's or the system's message.
        case failed(String)
    }

    /// The backup file that was to be written.
    package let path: String
    package let cause: Cause

    package init(path: String, _ cause: Cause) {
        self.path = path
        self.cause = cause
    }

    /// The error for a failed `open` or write of the backup file.
    init(path: String, errno code: Int32) {
        switch code {
        case EEXIST: self.init(path: path, .exists)
        case ENOSPC, EDQUOT: self.init(path: path, .noSpace)
        case ENOENT, ENOTDIR: self.init(path: path, .failed("its folder does not exist"))
        case EACCES, EPERM, EROFS, ELOOP:
            self.init(path: path, .notWritable(user: Self.effectiveUser, reason: String(cString: strerror(code))))
        default: self.init(path: path, .failed(String(cString: strerror(code))))
        }
    }

    /// The effective user's name, which writes the backup.
    static var effectiveUser: String {
        getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
    }

    package var description: String {
        switch cause {
        case .exists: "\(path) exists; a backup never replaces a file"
        case .noSpace: "\(path): no space left on the filesystem holding it"
        case .notWritable(let user, let reason): "\(path): cannot be written by \(user) (\(reason))"
        case .integrity(let line): "\(path): the copy failed its integrity check (\(line))"
        case .busy(let seconds): "\(path): the database stayed locked for \(seconds) s"
        case .toolMissing: "pg_dump is not installed"
        case .toolTooOld(let client, let server): "pg_dump \(client) cannot dump a PostgreSQL \(server) server"
        case .toolFailed(let line): "pg_dump failed: \(line)"
        case .failed(let message): "\(path): \(message)"
        }
    }
}
