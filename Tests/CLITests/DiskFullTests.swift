import Foundation
import Testing
import TestSupport
@testable import Core

/// A database on a filesystem with no space left: one line naming the file and what to do, nothing written.
@Suite struct DiskFullTests {
    /// Runs a command quietly and tells whether it succeeded.
    static func succeeds(_ executable: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func aFullFilesystemNamesTheDatabase() throws {
        guard let fixture = ProcessInfo.processInfo.environment["SYNAPSE_SQLITE_FIXTURE"] else {
            if SynapseFixtures.isCI { Issue.record("SQLite fixture missing in CI") }
            return
        }
        let directory = TemporaryDirectory()
        let mountPoint = directory.path + "/full"
        mkdir(mountPoint, 0o755)
        // A container without CAP_SYS_ADMIN cannot mount; the SQLITE_FULL path is still covered by DatabaseErrorTests.
        guard Self.succeeds("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint]) else { return }
        defer { _ = Self.succeeds("/bin/umount", [mountPoint]) }
        let database = mountPoint + "/homeserver.db"
        try FileManager.default.copyItem(atPath: fixture, toPath: database)
        // Fill what is left of the filesystem.
        let fillerPath = mountPoint + "/filler"
        _ = FileManager.default.createFile(atPath: fillerPath, contents: nil)
        let filler = try #require(FileHandle(forWritingAtPath: fillerPath))
        while (try? filler.write(contentsOf: Data(count: 4096))) != nil {}
        try? filler.close()

        let config = directory.write("homeserver.yaml", """
            server_name: \(SynapseFixtures.serverName)
            database: {name: sqlite3, args: {database: \(database)}}
            bcrypt_rounds: 4
            """)
        let password = directory.write("pw", "correct horse")
        chmod(password, 0o600)
        let result = try Command.run(["-c", config, "-u", "fuller", "--password-file", password, "--no-input", "--print-token"])
        #expect(result.status == 69)
        #expect(result.stdout.isEmpty)
        #expect(result.errorLines.count == 1 && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        let line = try #require(result.errorLines.first)
        #expect(line.hasPrefix("error: \(database): "))
        #expect(line.hasSuffix("; free space on the filesystem holding it (SQLite also needs room for a -wal or -journal file beside it), then run again"))

        try FileManager.default.removeItem(atPath: fillerPath)
        #expect(try SQLiteConnection(path: database).query("SELECT name FROM users WHERE name LIKE '@fuller:%'", []).isEmpty)
    }
}
