import Foundation
import Testing
import TestSupport
@testable import Core

/// Root writes a database owned by another user under that user's identity, and only while the connection is open.
@Suite struct OwnerIdentityTests {
    /// A child process: changing the effective uid here would change it under every test running alongside.
    @Test(.enabled(if: getuid() == 0, "needs root"))
    func theOwnersIdentityLastsAsLongAsTheConnection() async {
        await #expect(processExitsWith: .success) {
            let nobody: uid_t = 65534
            let directory = TemporaryDirectory()
            chmod(directory.path, 0o755)
            let folder = directory.path + "/synapse"
            mkdir(folder, 0o755)
            let path = folder + "/homeserver.db"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            try SQLiteConnection(path: path).execute("PRAGMA journal_mode = WAL", [])
            chown(folder, nobody, gid_t(nobody))
            chown(path, nobody, gid_t(nobody))

            /// The connection is the identity's only holder, as in `openRegistrar`.
            func openAsOwner() throws -> SQLiteConnection {
                let identity = try #require(try OwnerIdentity.adopt(ownerOf: path))
                return try SQLiteConnection(path: path, identity: identity)
            }
            do {
                let connection = try openAsOwner()
                try #require(geteuid() == nobody && getegid() == gid_t(nobody))
                try connection.execute("CREATE TABLE notes (body TEXT)", [])
                try connection.execute("INSERT INTO notes VALUES (?)", [.text("written as nobody")])
                for sidecar in ["-wal", "-shm"] {
                    var info = stat()
                    try #require(stat(path + sidecar, &info) == 0 && info.st_uid == nobody, "\(sidecar) is nobody's")
                }
            }
            try #require(geteuid() == 0 && getegid() == 0, "root's ids are back once the connection is closed")
            // And root can open the file again, as root, with nothing left over.
            try #require(try SQLiteConnection(path: path).query("SELECT body FROM notes", []) == [[.text("written as nobody")]])
        }
    }

    @Test func nothingChangesForAFileRootOwnsOrWhenNotRoot() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("root.db", "")
        #expect(try OwnerIdentity.adopt(ownerOf: path) == nil)
        #expect(geteuid() == getuid())
    }
}
