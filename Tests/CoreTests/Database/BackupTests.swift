import Foundation
import Testing
import TestSupport
@testable import Core

/// Backups before a write: a SQLite copy that opens, passes its integrity check and holds every
/// user, made while another connection writes; a pg_dump that pg_restore reads back.
@Suite struct BackupTests {
    static func users(_ connection: DatabaseConnection) throws -> [[SQLValue]] {
        try connection.query("SELECT name, password_hash, admin FROM users ORDER BY name", [])
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    // MARK: - SQLite

    @Test(.enabled(if: SynapseFixtures.available(.sqlite)))
    func aSQLiteCopyOpensPassesItsCheckAndHoldsEveryUser() throws {
        let fixture = try FixtureDatabase(.sqlite)
        let source = try fixture.connect() as! SQLiteConnection
        try source.execute("INSERT INTO users (name, password_hash, creation_ts, admin) VALUES ('@kept:example.org', 'x', 1, 1)", [])
        let folder = TemporaryDirectory()
        let path = folder.path + "/copy.db"
        let result = try source.backup(to: path)
        #expect(result.path == path)
        #expect(result.check == "integrity ok")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(result.bytes > 0 && size.map(Int64.init) == result.bytes)
        #expect(Self.mode(path) == 0o600)
        // Nothing but the copy is left beside it once it is closed.
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(beside == ["copy.db"])
        let copy = try SQLiteConnection(path: path)
        #expect(try Self.users(copy) == Self.users(source))
        #expect(try Self.users(copy).contains { $0[0] == .text("@kept:example.org") })
        #expect(try copy.query("PRAGMA integrity_check", []) == [[.text("ok")]])
    }

    @Test(.enabled(if: SynapseFixtures.available(.sqlite)))
    func theModeIs0600WhateverTheUmask() throws {
        let fixture = try FixtureDatabase(.sqlite)
        let source = try fixture.connect() as! SQLiteConnection
        let folder = TemporaryDirectory()
        // A umask that would leave the owner without write access to a file created 0600.
        let previous = umask(0o277)
        defer { umask(previous) }
        let path = folder.path + "/copy.db"
        _ = try source.backup(to: path)
        #expect(Self.mode(path) == 0o600)
    }

    @Test(.enabled(if: SynapseFixtures.available(.sqlite)))
    func anExistingFileIsNeverReplaced() throws {
        let fixture = try FixtureDatabase(.sqlite)
        let source = try fixture.connect() as! SQLiteConnection
        let folder = TemporaryDirectory()
        let existing = folder.write("precious", "keep me")
        #expect(throws: BackupError(path: existing, .exists)) { try source.backup(to: existing) }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        // Nor a symbolic link's target.
        let link = folder.path + "/link"
        symlink(folder.path + "/elsewhere", link)
        #expect(throws: BackupError(path: link, .exists)) { try source.backup(to: link) }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/elsewhere"))
    }

    @Test(.enabled(if: SynapseFixtures.available(.sqlite)))
    func aMissingFolderFailsAndLeavesNothing() throws {
        let fixture = try FixtureDatabase(.sqlite)
        let source = try fixture.connect() as! SQLiteConnection
        let path = TemporaryDirectory().path + "/no/such/folder/copy.db"
        #expect(throws: BackupError(path: path, .failed("its folder does not exist"))) { try source.backup(to: path) }
    }

    /// Synapse keeps writing while the copy is made: the copy is the database at one instant,
    /// never half of a transaction.
    @Test(.enabled(if: SynapseFixtures.available(.sqlite)))
    func aCopyMadeWhileAnotherConnectionWritesIsConsistent() async throws {
        let fixture = try FixtureDatabase(.sqlite)
        guard case .sqlite(let database) = fixture.location else { return }
        let source = try SQLiteConnection(path: database)
        try source.execute("CREATE TABLE backup_probe (n INTEGER PRIMARY KEY, pair INTEGER NOT NULL)", [])
        // Fill the database so the copy takes a while: every page the writer changes meanwhile
        // must not end up in the copy.
        try source.execute("CREATE TABLE ballast (b BLOB)", [])
        try source.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) INSERT INTO ballast SELECT randomblob(4000) FROM n",
            [])
        let folder = TemporaryDirectory()
        let writer = Task.detached {
            // Each transaction writes two rows; a consistent copy holds both or neither.
            let other = try SQLiteConnection(path: database)
            var written = 0
            let deadline = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < deadline {
                try other.transaction {
                    try other.execute("INSERT INTO backup_probe (pair) VALUES (?)", [.integer(Int64(written))])
                    try other.execute("INSERT INTO backup_probe (pair) VALUES (?)", [.integer(Int64(written))])
                }
                written += 1
                if Task.isCancelled { break }
            }
            return written
        }
        var copies: [String] = []
        for index in 0..<5 {
            try await Task.sleep(for: .milliseconds(100))
            let path = folder.path + "/copy-\(index).db"
            _ = try source.backup(to: path)
            copies.append(path)
        }
        writer.cancel()
        let written = try await writer.value
        #expect(written > 0)
        for path in copies {
            let copy = try SQLiteConnection(path: path)
            #expect(try copy.query("PRAGMA integrity_check", []) == [[.text("ok")]])
            let unpaired = try copy.query("SELECT pair FROM backup_probe GROUP BY pair HAVING count(*) <> 2", [])
            #expect(unpaired.isEmpty, "\(path) holds half of a transaction")
            #expect(try Self.users(copy) == Self.users(source))
        }
    }

    @Test func theDefaultNameIsBesideTheDatabaseWithTheUTCTime() throws {
        let folder = TemporaryDirectory()
        let path = folder.path + "/homeserver.db"
        try SQLiteConnection.create(path)
        let connection = try SQLiteConnection(path: path)
        let noon = Date(timeIntervalSince1970: 1_924_992_000 + 12 * 3600 + 34 * 60 + 56)  // 2031-01-01 12:34:56 UTC
        #expect(DatabaseBackup.defaultPath(for: connection, now: noon) == path + ".backup-20310101T123456Z")
        let first = try DatabaseBackup.make(of: connection, to: nil, now: noon)
        let second = try DatabaseBackup.make(of: connection, to: nil, now: noon)
        #expect(first.path == path + ".backup-20310101T123456Z")
        #expect(second.path == path + ".backup-20310101T123456Z-2", "a second backup in the same second gets a number")
    }

    /// Root writes the copy as the database's owner, as it writes the database: created under
    /// the owner's effective ids, so it is the owner's from the first byte.
    @Test(.enabled(if: getuid() == 0 && SynapseFixtures.available(.sqlite), "needs root and the SQLite fixture"))
    func rootWritesTheCopyAsTheDatabaseOwner() async throws {
        await #expect(processExitsWith: .success) {
            let fixture = try #require(SynapseFixtures.sqliteFixture())
            let nobody: uid_t = 65534
            let directory = TemporaryDirectory()
            chmod(directory.path, 0o755)
            let folder = directory.path + "/synapse"
            mkdir(folder, 0o755)
            let path = folder + "/homeserver.db"
            try FileManager.default.copyItem(atPath: fixture, toPath: path)
            chown(folder, nobody, gid_t(nobody))
            chown(path, nobody, gid_t(nobody))
            let rootOnly = directory.path + "/root-only"
            mkdir(rootOnly, 0o755)

            let connection = try SQLiteConnection(path: path, identity: try #require(try OwnerIdentity.adopt(ownerOf: path)))
            let result = try DatabaseBackup.make(of: connection, to: nil)
            var info = stat()
            try #require(stat(result.path, &info) == 0)
            try #require(info.st_uid == nobody && info.st_gid == gid_t(nobody), "the copy is the owner's")
            try #require(info.st_mode & 0o777 == 0o600)

            // A folder only root may write is refused with the owner's name, and nothing is left.
            let refused = rootOnly + "/copy.db"
            do throws(BackupError) {
                _ = try connection.backup(to: refused)
                Issue.record("the backup into a root-only folder was made")
            } catch {
                guard case .notWritable(let user, _) = error.cause else {
                    Issue.record("\(error)")
                    return
                }
                try #require(user == "nobody")
            }
            try #require(!FileManager.default.fileExists(atPath: refused))
        }
    }

    // MARK: - PostgreSQL

    @Test func pgDumpVersionsAreRead() {
        #expect(PostgresDump.major(fromVersionLine: "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n") == 15)
        #expect(PostgresDump.major(fromVersionLine: "pg_dump (PostgreSQL) 9.6.24") == 9)
        #expect(PostgresDump.major(fromVersionLine: "pg_dump (PostgreSQL) 17beta1") == 17)
        #expect(PostgresDump.major(fromVersionLine: "something else") == nil)
    }

    @Test func connectionValuesAreQuotedForLibpq() {
        #expect(PostgresDump.quoted("synapse") == "'synapse'")
        #expect(PostgresDump.quoted(#"it's a \ path"#) == #"'it\'s a \\ path'"#)
    }

    @Test(.enabled(if: SynapseFixtures.available(.postgres) && PostgresDump.find("pg_dump") != nil && PostgresDump.find("pg_restore") != nil))
    func aPgDumpRestoresWithEveryUser() throws {
        let fixture = try FixtureDatabase(.postgres)
        let source = try fixture.connect() as! PostgresConnection
        try source.execute("INSERT INTO users (name, password_hash, creation_ts, admin) VALUES ('@kept:example.org', 'x', 1, 1)", [])
        let folder = TemporaryDirectory()
        let path = folder.path + "/synapse.dump"
        let result = try PostgresDump(connection: source).dump(to: path)
        #expect(result.path == path)
        #expect(result.check.hasPrefix("pg_dump ") && result.check.hasSuffix(", custom format"))
        #expect(Self.mode(path) == 0o600)

        // Restored into a new database, it holds the same users.
        let admin = try #require(ProcessInfo.processInfo.environment["TEST_PG_URL"])
        let server = try PostgresConnection(.conninfo(admin))
        let restored = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try server.execute("CREATE DATABASE \(restored)", [])
        defer { _ = try? server.execute("DROP DATABASE IF EXISTS \(restored) WITH (FORCE)", []) }
        try #require(admin.hasSuffix("/postgres"), "TEST_PG_URL names the postgres database")
        let target = String(admin.dropLast("postgres".count)) + restored
        let restore = Process()
        restore.executableURL = URL(fileURLWithPath: try #require(PostgresDump.find("pg_restore")))
        restore.arguments = ["--no-owner", "--exit-on-error", "--dbname=\(target)", path]
        restore.standardOutput = FileHandle.nullDevice
        try restore.run()
        restore.waitUntilExit()
        #expect(restore.terminationStatus == 0)
        let copy = try PostgresConnection(.conninfo(target))
        #expect(try Self.users(copy) == Self.users(source))
        #expect(try Self.users(copy).contains { $0[0] == .text("@kept:example.org") })
    }

    @Test(.enabled(if: SynapseFixtures.available(.postgres)))
    func thePasswordIsKeptApartFromTheOtherParameters() throws {
        let fixture = try FixtureDatabase(.postgres)
        let source = try fixture.connect() as! PostgresConnection
        let (keywords, password) = source.connectionParameters
        #expect(password != nil, "the test URL carries a password")
        #expect(!keywords.contains { $0.name == "password" })
        #expect(keywords.contains { $0.name == "dbname" })
        let secret = try #require(password).revealed
        #expect(!keywords.contains { $0.value.contains(secret) })
    }
}

extension SQLiteConnection {
    /// An empty database file, for tests that need no Synapse schema.
    static func create(_ path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try SQLiteConnection(path: path).execute("CREATE TABLE t (x)", [])
    }
}
