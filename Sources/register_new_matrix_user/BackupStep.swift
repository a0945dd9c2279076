import Core
import FoundationEssentials
import Glibc

/// `--backup`: the copy made after every check has passed and before the first write.
extension RegisterCommand {
    /// Backs up the database `connection` is open on and says so on stderr.
    ///
    /// - Parameter path: the PATH given to `--backup`, nil for the default.
    /// - Throws: ``BackupError``: the run then stops, with nothing written.
    func backUp(_ connection: DatabaseConnection, to path: String?) throws -> BackupResult {
        let result = try DatabaseBackup.make(of: connection, to: path)
        Console.note(Self.backupNote(result, of: connection.endpoint))
        return result
    }

    /// ``backUp(_:to:)`` with signals held off until the copy is finished or abandoned, so that
    /// no half-written backup is left; a signal that came meanwhile then ends the run before the write.
    func backUpBeforeWriting(_ connection: DatabaseConnection, to path: String?) throws -> BackupResult {
        let (made, signal) = SignalDeferral.during { _ in Result { try backUp(connection, to: path) } }
        let result = try made.get()
        if let signal {
            throw Failure(ExitStatus(signal: signal) ?? .cancelled, kind: "interrupted",
                          "interrupted by signal \(signal) once the backup was made; nothing was written")
        }
        return result
    }

    /// "Backed up /var/lib/matrix-synapse/homeserver.db to …backup-20261202T063000Z (12.3 MB, integrity ok)."
    static func backupNote(_ result: BackupResult, of endpoint: DatabaseEndpoint) -> String {
        let source =
            switch endpoint {
            case .sqlite(let path): path
            case .postgres(_, _, let database): "PostgreSQL database \(database ?? "")"
            }
        return "Backed up \(source) to \(result.path) (\(megabytes(result.bytes)), \(result.check))."
    }

    static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes + 50_000) / 100_000  // rounded to one decimal
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    /// Where a dry run says the real run's backup would go.
    func dryRunBackupNote() -> String? {
        guard let request = backupRequest else { return nil }
        return "Dry run: no backup was made; the real run would back up the database first"
            + (request.map { " to \($0)." } ?? ".")
    }
}

extension Failure {
    /// A backup that was not made: the run stops before anything is written.
    init(backup error: BackupError) {
        let path = error.path
        let nothing = "; nothing was written"
        switch error.cause {
        case .exists:
            self.init(.usage, kind: "usage", "--backup \(path) exists; a backup never replaces a file: give a new path\(nothing)")
        case .noSpace:
            self.init(.databaseUnavailable, kind: "backup_failed",
                      "--backup \(path): no space left on the filesystem holding it; free space there, or pass --backup PATH on another filesystem\(nothing)")
        case .notWritable(let user, let reason):
            let folder = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? ""
            self.init(.databaseUnavailable, kind: "backup_failed",
                      "--backup \(path): \(user) cannot create it (\(reason)); let \(user) write \(folder), or pass --backup PATH in a folder it can write\(nothing)")
        case .integrity(let line):
            self.init(.databaseUnavailable, kind: "backup_failed",
                      "--backup \(path): the copy failed PRAGMA integrity_check (\(line)); the database itself may be damaged, check it before writing to it\(nothing)")
        case .busy(let seconds):
            self.init(.databaseUnavailable, kind: "database_locked",
                      "--backup \(path): the database stayed locked for \(seconds) s while it was copied; run again\(nothing)")
        case .toolMissing(let server):
            let package = server.map { "postgresql-client-\($0)" } ?? "postgresql-client"
            self.init(.databaseUnavailable, kind: "backup_failed",
                      "--backup: pg_dump is not installed; install it (Debian: apt install \(package)) or leave out --backup\(nothing)")
        case .toolTooOld(let client, let server):
            self.init(.databaseUnavailable, kind: "backup_failed",
                      "--backup: pg_dump \(client) is older than the PostgreSQL \(server) server and cannot dump it; install postgresql-client-\(server) and put its pg_dump first on PATH\(nothing)")
        case .toolFailed(let line):
            self.init(.databaseUnavailable, kind: "backup_failed", "--backup \(path): pg_dump failed: \(line)\(nothing)")
        case .failed(let message):
            self.init(.databaseUnavailable, kind: "backup_failed", "--backup \(path): \(message)\(nothing)")
        }
    }
}
