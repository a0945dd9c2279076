import Foundation
import Testing
import TestSupport
@testable import Core

/// Each message for a mistake an admin can make says what is wrong and how to fix it, in one
/// line, with its exit status; nothing is written.
@Suite(.serialized) struct FixItMessageTests {
    let directory = TemporaryDirectory()

    /// The one error line of a run that must fail with `status`.
    func errorLine(_ arguments: [String], status: Int32, stdin: String? = nil, wrapper: [String] = [],
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let result = try Command.run(arguments, stdin: stdin, wrapper: wrapper)
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.errorLines.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        return result.errorLines.first
    }

    func users(in database: String) throws -> [String] {
        try SQLiteConnection(path: database).query("SELECT name FROM users", []).compactMap { $0[0].text }
    }

    static let account = ["-u", "bob", "-p", "correct horse 42", "--no-input"]

    // MARK: - Config

    @Test func aConfigFolderWithoutYAMLNamesTheFilesNotRead() throws {
        let folder = directory.path + "/conf.d"
        directory.write("conf.d/homeserver.yml", "server_name: example.org\n")
        directory.write("conf.d/database.yml", "database: {name: sqlite3}\n")
        directory.write("conf.d/README", "notes\n")
        #expect(try errorLine(["-c", folder] + Self.account, status: 65)
            == "error: \(folder): no *.yaml files in this directory; database.yml, homeserver.yml are not read, as Synapse reads only *.yaml: rename them to end in .yaml")
    }

    @Test func anEmptyConfigFolderSaysWhatToGive() throws {
        let folder = directory.path + "/empty.d"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        #expect(try errorLine(["-c", folder] + Self.account, status: 65)
            == "error: \(folder): no *.yaml files in this directory; give the directory holding homeserver.yaml's parts, or the file itself")
    }

    @Test func aTabInYAMLIsNamedWithItsLineAndColumn() throws {
        let config = directory.write("homeserver.yaml", "server_name: example.org\ndatabase:\n  name: sqlite3\n  \targs: {}\n")
        #expect(try errorLine(["-c", config] + Self.account, status: 65)
            == "error: \(config):4:3: a tab character; YAML indents with spaces only: replace it with spaces")
    }

    // MARK: - The database file

    @Test func aDatabaseNotCreatedYetSuggestsStartingSynapse() throws {
        let database = directory.path + "/homeserver.db"
        let config = directory.write("homeserver.yaml", "server_name: example.org\ndatabase: {name: sqlite3, args: {database: \(database)}}\n")
        #expect(try errorLine(["-c", config] + Self.account, status: 69)
            == "error: \(database): no such database file; Synapse creates it when it first starts: start Synapse once and stop it, then run again (or check database.args.database in the config)")
        #expect(!FileManager.default.fileExists(atPath: database), "the tool never creates a database")
    }

    @Test func aReadOnlyDatabaseFileNamesItsOwnerAndTheFix() throws {
        guard let server = try SynapseFixtures.sqliteServer(in: directory) else { return }
        // As root the tool writes as the file's owner; give it one that is not root.
        if getuid() == 0 {
            chown(directory.path, 65534, 65534)
            chown(server.database, 65534, 65534)
        }
        chmod(server.database, 0o444)
        let owner = getuid() == 0 ? "nobody" : SQLiteAccess.userName(getuid())
        #expect(try errorLine(["-c", server.config] + Self.account, status: 69)
            == "error: \(server.database): the file is read-only (mode 444); make it writable for its owner \(owner): chmod u+w \(server.database)")
        chmod(server.database, 0o644)
        #expect(try users(in: server.database).isEmpty)
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "runs the tool as another user: needs root and setpriv"))
    func anotherUsersDatabaseSaysWhoToRunAs() throws {
        guard let server = try SynapseFixtures.sqliteServer(in: directory) else { return }
        chmod(directory.path, 0o755)
        chmod(server.config, 0o644)
        chmod(server.database, 0o644)
        let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        #expect(try errorLine(["-c", server.config] + Self.account, status: 69, wrapper: asNobody)
            == "error: \(server.database): nobody cannot write it (mode 644, owner root); run this tool as root")
        #expect(try users(in: server.database).isEmpty)
    }

    @Test(.enabled(if: getuid() == 0, "the tool as root takes the file's owner, whom the folder then shuts out"))
    func aFolderTheOwnerCannotWriteIsNamed() throws {
        guard let server = try SynapseFixtures.sqliteServer(in: directory) else { return }
        chmod(directory.path, 0o755)
        chown(server.database, 65534, 65534)
        #expect(try errorLine(["-c", server.config] + Self.account, status: 69)
            == "error: \(server.database): nobody cannot create files in \(directory.path) (mode 755, owner root), as SQLite must beside the database for its journal; give the database's owner nobody that folder: chown nobody \(directory.path)")
        #expect(try users(in: server.database).isEmpty)
    }

    @Test(.enabled(if: Self.canMountReadOnly, "needs root and mount namespaces (unshare -m) for a read-only bind mount"))
    func aReadOnlyFilesystemSaysToRemount() throws {
        guard let server = try SynapseFixtures.sqliteServer(in: directory) else { return }
        let folder = directory.path
        let readOnly = ["/usr/bin/unshare", "-m", "sh", "-c",
                        "mount --bind \(folder) \(folder) && mount -o remount,ro,bind \(folder) && exec \"$@\"", "sh"]
        #expect(try errorLine(["-c", server.config] + Self.account, status: 69, wrapper: readOnly)
            == "error: \(server.database): the filesystem holding it is mounted read-only; remount it read-write (mount -o remount,rw) or run where the database is writable")
        #expect(try users(in: server.database).isEmpty)
    }

    /// Whether a read-only bind mount can be made here, tried once in a throwaway namespace.
    static let canMountReadOnly: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let probe = TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-m", "sh", "-c", "mount --bind \(probe.path) \(probe.path) && mount -o remount,ro,bind \(probe.path)"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    // MARK: - Passwords and values

    @Test func anEmptyPasswordFileNamesTheFlagAndTheFile() throws {
        let file = directory.write("pw", "")
        chmod(file, 0o600)
        #expect(try errorLine(["-c", directory.write("homeserver.yaml", "server_name: example.org\n"),
                               "-u", "bob", "--password-file", file, "--no-input", "--database-url", "sqlite:\(directory.path)/x.db"],
                              status: 68)
            == "error: --password-file \(file): the file is empty; write the password in it")
    }

    @Test func anEmptyStdinNamesTheFlag() throws {
        #expect(try errorLine(["-c", directory.write("homeserver.yaml", "server_name: example.org\n"),
                               "-u", "bob", "--password-file", "-", "--no-input", "--database-url", "sqlite:\(directory.path)/x.db"],
                              status: 68, stdin: "")
            == "error: --password-file - (stdin): nothing came on stdin; pipe the password in, or give --password-file FILE")
    }

    @Test(arguments: [["--token-validity", "-5"], ["--token-validity=-5"], ["--token-validity", "0"],
                      ["--token-validity", "-0.5"], ["--token-validity", "soon"], ["--token-validity", "12x"]])
    func aTokenValidityThatIsNoLifetimeListsTheAcceptedForms(_ flag: [String]) throws {
        let value = flag.count == 2 ? flag[1] : String(flag[0].dropFirst("--token-validity=".count))
        #expect(try errorLine(["-u", "bob", "-p", "x", "--no-input", "--print-token"] + flag, status: 64)
            == "error: The value '\(value)' is invalid for '--token-validity <DAYS>': expected a lifetime longer than zero: days (30, 0.5) or a number with a unit s, m, h, d, w or y (90m, 12h, 2w) (see --help)")
    }

    @Test func aDisplayNameOverTheLimitIsRefusedNotCut() throws {
        guard let server = try SynapseFixtures.sqliteServer(in: directory) else { return }
        #expect(try errorLine(["-c", server.config, "--display-name", String(repeating: "n", count: 300)] + Self.account,
                              status: 64)
            == "error: --display-name: 300 characters, over the 256 allowed")
        #expect(try users(in: server.database).isEmpty)
    }

    @Test func aUserIDOverTheLimitGivesTheLocalpartsRoom() throws {
        guard let server = try SynapseFixtures.sqliteServer(in: directory) else { return }
        let localpart = String(repeating: "a", count: 250)
        let serverName = SynapseFixtures.serverName
        let room = 255 - 2 - serverName.count
        #expect(try errorLine(["-c", server.config, "-u", localpart, "-p", "correct horse 42", "--no-input"], status: 66)
            == "error: User ID is \(252 + serverName.count) characters, over Synapse's limit of 255, which counts '@' and ':\(serverName)': the localpart may have at most \(room) (it has 250)")
        #expect(try users(in: server.database).isEmpty)
    }
}
