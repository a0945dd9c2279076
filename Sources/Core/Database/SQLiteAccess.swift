import Foundation

/// Why a SQLite database file cannot be written, found before SQLite opens it, so that the
/// message says what to change rather than SQLite's "attempt to write a readonly database"
/// after the password was hashed.
package enum SQLiteAccess {
    /// What stops the current (effective) user from writing the database at `path`, as one
    /// sentence after the path; nil when nothing does.
    ///
    /// Checked in the order an admin fixes them: the file is there, the filesystem is writable,
    /// the file is, and its directory is (SQLite creates its `-wal`, `-shm` or `-journal` there).
    package static func writeProblem(at path: String) -> String? {
        if let missing = missingProblem(at: path) { return missing }
        var filesystem = statvfs()
        if statvfs(path, &filesystem) == 0, filesystem.f_flag & UInt(ST_RDONLY) != 0 {
            return "the filesystem holding it is mounted read-only; remount it read-write (mount -o remount,rw) "
                + "or run where the database is writable"
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let owner = userName(info.st_uid)
        let mode = String(info.st_mode & 0o777, radix: 8)
        let user = userName(geteuid())
        if faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0 {
            if info.st_mode & 0o200 == 0 {
                return "the file is read-only (mode \(mode)); make it writable for its owner \(owner): chmod u+w \(path)"
            }
            return "\(user) cannot write it (mode \(mode), owner \(owner)); "
                + (info.st_uid == 0 ? "run this tool as root" : "run this tool as \(owner) (sudo -u \(owner) …) or as root")
        }
        let directory = (path as NSString).deletingLastPathComponent.isEmpty
            ? "." : (path as NSString).deletingLastPathComponent
        if faccessat(AT_FDCWD, directory, W_OK | X_OK, AT_EACCESS) != 0 {
            var folder = stat()
            let folderOwner = stat(directory, &folder) == 0 ? userName(folder.st_uid) : "unknown"
            let folderMode = String(folder.st_mode & 0o777, radix: 8)
            return "\(user) cannot create files in \(directory) (mode \(folderMode), owner \(folderOwner)), as SQLite must "
                + "beside the database for its journal; give the database's owner \(owner) that folder: chown \(owner) \(directory)"
        }
        return nil
    }

    /// The message for a database file that is not there yet, nil when it is.
    package static func missingProblem(at path: String) -> String? {
        guard !FileManager.default.fileExists(atPath: path) else { return nil }
        return "no such database file; Synapse creates it when it first starts: start Synapse once and stop it, "
            + "then run again (or check database.args.database in the config)"
    }

    /// The login name of `uid`, or "uid N" when it has none.
    static func userName(_ uid: uid_t) -> String {
        getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(uid)"
    }
}
