import CSQLite3
import FoundationEssentials
import Glibc

extension SQLiteConnection {
    /// Copies the database to a new file at `path` with SQLite's online backup API, then checks
    /// the copy with `PRAGMA integrity_check`.
    ///
    /// The copy is one `sqlite3_backup_step(-1)`: a single read transaction, so the copy is the
    /// database as it was at one instant even while Synapse writes. In WAL mode (Synapse's) that
    /// read blocks no writer; in rollback mode writers wait for the copy, as for any reader.
    /// Copying in slices instead would let a writer in between slices, and each write by another
    /// process restarts a sliced backup from the first page: on a busy server it might never end.
    ///
    /// The file is created by this process, so when root has taken the database owner's identity
    /// (``OwnerIdentity``) the copy is the owner's, like the database. It has mode 0600 and is never
    /// created over an existing file; on any failure nothing of it is left behind.
    package func backup(to path: String) throws(BackupError) -> BackupResult {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        try DatabaseBackup.createFile(absolute)
        do {
            try copy(to: absolute)
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(absolute + suffix) }
            throw error
        }
        return BackupResult(path: absolute, bytes: DatabaseBackup.size(of: absolute), check: "integrity ok")
    }

    /// Fills the empty file at `path` and checks it; the destination is closed when it returns.
    private func copy(to path: String) throws(BackupError) {
        var opened: OpaquePointer?
        let rc = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let destination = opened else {
            let error = opened.map { backupError(path, $0, rc) } ?? BackupError(path: path, .failed("out of memory"))
            sqlite3_close_v2(opened)
            throw error
        }
        defer { sqlite3_close_v2(destination) }
        sqlite3_extended_result_codes(destination, 1)

        guard let backup = sqlite3_backup_init(destination, "main", handle, "main") else {
            throw backupError(path, destination, sqlite3_extended_errcode(destination))
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(Self.busyTimeoutMilliseconds))
        var step: Int32
        repeat {
            step = sqlite3_backup_step(backup, -1)
            // BUSY: another process holds a lock the copy needs; LOCKED: a lock inside this one.
            guard step & 0xFF == SQLITE_BUSY || step & 0xFF == SQLITE_LOCKED else { break }
            if ContinuousClock.now >= deadline { break }
            sqlite3_sleep(50)
        } while true
        let finished = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finished == SQLITE_OK else {
            if step & 0xFF == SQLITE_BUSY || step & 0xFF == SQLITE_LOCKED {
                throw BackupError(path: path, .busy(seconds: Int(Self.busyTimeoutMilliseconds / 1000)))
            }
            throw backupError(path, destination, step == SQLITE_DONE ? finished : step)
        }
        try checkIntegrity(path, destination)
    }

    /// `PRAGMA integrity_check` on the copy must answer a single "ok".
    private func checkIntegrity(_ path: String, _ destination: OpaquePointer) throws(BackupError) {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(destination, "PRAGMA integrity_check", -1, &statement, nil)
        guard prepared == SQLITE_OK, let statement else { throw backupError(path, destination, prepared) }
        defer { sqlite3_finalize(statement) }
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_ROW else { throw backupError(path, destination, rc) }
        let answer = sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? ""
        guard answer == "ok" else { throw BackupError(path: path, .integrity(answer)) }
    }

    /// A failure of the backup's destination, told by the system's reason where SQLite kept one.
    private func backupError(_ path: String, _ destination: OpaquePointer, _ rc: Int32) -> BackupError {
        // SQLite records the system's errno for these two classes only.
        let systemError = [SQLITE_IOERR, SQLITE_CANTOPEN].contains(rc & 0xFF) ? sqlite3_system_errno(destination) : 0
        switch rc & 0xFF {
        case SQLITE_FULL:
            return BackupError(path: path, .noSpace)
        case _ where systemError != 0:
            return BackupError(path: path, errno: systemError)
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN:
            return BackupError(path: path, .notWritable(user: BackupError.effectiveUser, reason: "read-only"))
        default:
            return BackupError(path: path, .failed(String(cString: sqlite3_errmsg(destination))))
        }
    }
}
