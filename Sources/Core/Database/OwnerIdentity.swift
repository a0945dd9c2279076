import FoundationEssentials
import Glibc

/// Root's effective user and group switched to those of a database file's owner, for as long
/// as this object lives.
///
/// Run as root on a SQLite database owned by another user (Synapse's), the files SQLite adds
/// beside it must be that user's: a root-owned `-wal` or `-shm` stops Synapse from opening its
/// own database. SQLite creates them not only when it opens the file: `-wal` and `-shm` at the
/// first read, again after the last connection removed them, and a `-journal` at every write
/// transaction of a database in rollback mode. So the identity must cover the whole life of the
/// connection, opening to closing, and no more: ``SQLiteConnection/init(path:identity:)`` keeps
/// it and releases it after closing the file, and root's ids come back when the last holder
/// lets it go. A scoped `with { }` call was not chosen because the connection's life is not one
/// scope: the form opens the database first and writes minutes later, from another function.
///
/// Only the effective ids change (`setegid`, `seteuid`); the real and saved ids stay root's,
/// which is what allows the switch back. The change is process-wide (glibc applies it to every
/// thread): while it lasts, files only root may read cannot be read, so read them before.
package final class OwnerIdentity {
    package let uid: uid_t
    package let gid: gid_t
    /// The owner's account name, or `uid N` when it has none.
    package let name: String
    private let savedUID: uid_t
    private let savedGID: gid_t

    private init(uid: uid_t, gid: gid_t, name: String) {
        self.uid = uid
        self.gid = gid
        self.name = name
        savedUID = geteuid()
        savedGID = getegid()
    }

    /// When run as root on a file owned by another user, takes on that user's effective uid
    /// and gid; nil when nothing needs to change (not root, or a root-owned file).
    package static func adopt(ownerOf path: String) throws(DatabaseError) -> OwnerIdentity? {
        guard geteuid() == 0 else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != 0 else { return nil }
        let name = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)"
        // Made before the switch, so that a failure half-way restores what changed when it is released.
        let identity = OwnerIdentity(uid: info.st_uid, gid: info.st_gid, name: name)
        // The group first: once the uid is not root's, the gid can no longer change.
        guard setegid(info.st_gid) == 0, seteuid(info.st_uid) == 0 else {
            throw DatabaseError(.unavailable, "\(path): cannot switch to its owner \(name) to write it")
        }
        return identity
    }

    deinit {
        // The uid first, so root may set the gid back. Neither can fail: the saved ids are root's.
        // Carrying on under the wrong identity would be worse than stopping.
        precondition(seteuid(savedUID) == 0 && setegid(savedGID) == 0, "cannot restore the effective uid and gid")
    }
}
