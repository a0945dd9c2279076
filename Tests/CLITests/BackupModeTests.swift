import Foundation
import Testing
import TestSupport
@testable import Core
@testable import register_new_matrix_user

/// `--backup [PATH]` from the command line: a copy made after the checks and before the write,
/// named in the note and the JSON; a backup that cannot be made stops the run with nothing written.
@Suite(.serialized) struct BackupModeTests {
    let directory = TemporaryDirectory()

    /// A config for a copy of the SQLite fixture in a folder of its own, or nil without one.
    func sqliteServer() throws -> (config: String, database: String)? {
        guard let fixture = SynapseFixtures.sqliteFixture() else {
            if SynapseFixtures.isCI { Issue.record("SQLite fixture missing in CI") }
            return nil
        }
        let folder = directory.path + "/synapse"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        let database = folder + "/homeserver.db"
        try FileManager.default.copyItem(atPath: fixture, toPath: database)
        let config = directory.write("homeserver.yaml", """
            server_name: \(SynapseFixtures.serverName)
            database: {name: sqlite3, args: {database: \(database)}}
            bcrypt_rounds: 4
            """)
        return (config, database)
    }

    func passwordFile() -> String {
        let path = directory.write("pw", "correct horse battery")
        chmod(path, 0o600)
        return path
    }

    static func names(_ database: String) throws -> [String] {
        try SQLiteConnection(path: database).query("SELECT name FROM users ORDER BY name", []).compactMap { $0[0].text }
    }

    static func backups(beside database: String) throws -> [String] {
        let folder = (database as NSString).deletingLastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".backup-") }.sorted()
            .map { folder + "/" + $0 }
    }

    // MARK: - Parsing

    @Test func aBareBackupAndOneWithAPathBothParse() throws {
        let backup = { (arguments: [String]) throws -> String?? in
            guard case .run(let command, _) = try CommandLineParser.parse(arguments) else { return nil }
            return command.backupRequest
        }
        #expect(try backup(["-u", "a", "--backup"]) == .some(nil))
        #expect(try backup(["--backup", "--no-input", "-u", "a"]) == .some(nil))
        #expect(try backup(["--backup", "/srv/copy.db", "-u", "a"]) == .some("/srv/copy.db"))
        #expect(try backup(["--backup=/srv/copy.db"]) == .some("/srv/copy.db"))
        #expect(try backup(["-p", "--backup", "--backup"]) == .some(nil), "the first --backup is -p's value")
        #expect(try backup(["-u", "a"]) == nil)
        #expect(try backup(["--", "--backup"]) == nil, "after --, --backup is the server URL")
        guard case .run(let command, _) = try CommandLineParser.parse(["--backup", "https://matrix.example.org"]) else {
            Issue.record("did not parse")
            return
        }
        #expect(command.backupRequest == .some(nil))
        #expect(command.serverURL == "https://matrix.example.org", "Synapse's script's server URL is no path")
    }

    @Test func checkPasswordMakesNoBackup() throws {
        let result = try Command.run(["--check-password", "--backup"], stdin: "")
        #expect(result.status == 64)
        #expect(result.errorLines == ["error: --check-password only scores passwords read from stdin; it creates no account (see --help)"])
    }

    // MARK: - SQLite

    @Test func theBackupIsMadeBeforeTheWriteBesideTheDatabase() throws {
        guard let server = try sqliteServer() else { return }
        let before = try Self.names(server.database)
        let result = try Command.run(["-c", server.config, "-u", "bk1", "--password-file", passwordFile(), "--no-input",
                                      "--backup", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let backups = try Self.backups(beside: server.database)
        let backup = try #require(backups.first)
        #expect(backups.count == 1)
        #expect(backup.range(of: #"/homeserver\.db\.backup-\d{8}T\d{6}Z$"#, options: .regularExpression) != nil, "\(backup)")
        // The copy is the database before the write; the database has the account.
        #expect(try Self.names(backup) == before)
        #expect(try Self.names(server.database).contains("@bk1:\(SynapseFixtures.serverName)"))
        var info = stat()
        #expect(stat(backup, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // One line says what was copied where; the JSON names the file after the database.
        let note = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("Backed up ") })
        #expect(note.hasPrefix("Backed up \(server.database) to \(backup) ("))
        #expect(note.hasSuffix(" MB, integrity ok)."))
        #expect(result.stdout.contains(#"},"backup":"\#(backup)"}"#), "\(result.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["backup"] as? String == backup)
    }

    @Test func noBackupKeyWithoutABackup() throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run(["-c", server.config, "-u", "bk2", "--password-file", passwordFile(), "--no-input", "--json"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\"backup\""))
        #expect(try Self.backups(beside: server.database).isEmpty)
    }

    @Test func anExistingPathIsRefusedAndNothingIsWritten() throws {
        guard let server = try sqliteServer() else { return }
        let existing = directory.write("precious.db", "keep me")
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let result = try Command.run(["-c", server.config, "-u", "bk3", "--password-file", passwordFile(), "--no-input",
                                      "--backup", existing])
        #expect(result.status == 64)
        #expect(result.errorLines == ["error: --backup \(existing) exists; a backup never replaces a file: give a new path; nothing was written"])
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before)
    }

    @Test func aTakenUserIDCostsNoBackup() throws {
        guard let server = try sqliteServer() else { return }
        let localpart = "taken"
        #expect(try Command.run(["-c", server.config, "-u", localpart, "--password-file", passwordFile(), "--no-input"]).status == 0)
        let result = try Command.run(["-c", server.config, "-u", localpart, "--password-file", passwordFile(), "--no-input", "--backup"])
        #expect(result.status == 67)
        #expect(try Self.backups(beside: server.database).isEmpty)
        let existsOK = try Command.run(["-c", server.config, "-u", localpart, "--password-file", passwordFile(), "--no-input",
                                        "--backup", "--exists-ok"])
        #expect(existsOK.status == 0)
        #expect(try Self.backups(beside: server.database).isEmpty, "nothing is written, so nothing is backed up")
    }

    @Test func aDryRunMakesNoBackupAndSaysSo() throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run(["-c", server.config, "-u", "bk4", "--password-file", passwordFile(), "--no-input",
                                      "--dry-run", "--backup", "--json"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("Dry run: no backup was made; the real run would back up the database first.\n"))
        #expect(!result.stdout.contains("\"backup\""))
        #expect(try Self.backups(beside: server.database).isEmpty)
    }

    @Test func aBulkFileGetsOneBackupBeforeItsFirstWrite() throws {
        guard let server = try sqliteServer() else { return }
        let before = try Self.names(server.database)
        let file = directory.write("users.csv", "id,password\nbulk1,correct-horse-1\nbulk2,correct-horse-2\n")
        let result = try Command.run(["-c", server.config, "--from-file", file, "--backup", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let backups = try Self.backups(beside: server.database)
        #expect(backups.count == 1)
        #expect(try Self.names(try #require(backups.first)) == before)
        #expect(try Self.names(server.database).count == before.count + 2)
        #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("Backed up ") }.count == 1)

        let dry = try Command.run(["-c", server.config, "--from-file", file, "--backup", "--dry-run", "--exists-ok"])
        #expect(dry.status == 0)
        #expect(dry.stderr.contains("Dry run: no backup was made"))
        #expect(try Self.backups(beside: server.database).count == 1)
    }

    /// Run as root on Synapse's database, the copy is written as its owner; a folder the owner
    /// cannot write stops the run before the write, naming the file and the fix.
    @Test(.enabled(if: getuid() == 0, "needs root"))
    func asRootTheBackupIsTheOwnersAndAnUnwritableFolderStopsTheRun() throws {
        guard let server = try sqliteServer() else { return }
        let folder = (server.database as NSString).deletingLastPathComponent
        let nobody: uid_t = 65534
        chown(folder, nobody, gid_t(nobody))
        chown(server.database, nobody, gid_t(nobody))

        let made = try Command.run(["-c", server.config, "-u", "bk5", "--password-file", passwordFile(), "--no-input", "--backup"])
        #expect(made.status == 0, "\(made.stderr)")
        let backup = try #require(try Self.backups(beside: server.database).first)
        var info = stat()
        #expect(stat(backup, &info) == 0 && info.st_uid == nobody && info.st_gid == gid_t(nobody) && info.st_mode & 0o777 == 0o600)

        let rootOnly = directory.path + "/root-only"
        mkdir(rootOnly, 0o755)
        let refused = rootOnly + "/copy.db"
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let result = try Command.run(["-c", server.config, "-u", "bk6", "--password-file", passwordFile(), "--no-input",
                                      "--backup", refused])
        #expect(result.status == 69)
        #expect(result.errorLines == ["error: --backup \(refused): nobody cannot create it (Permission denied); let nobody write \(rootOnly), or pass --backup PATH in a folder it can write; nothing was written"])
        #expect(!FileManager.default.fileExists(atPath: refused))
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before)
    }

    /// A full filesystem under the backup: the run stops, no partial copy is left, the database is untouched.
    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func aFullDiskStopsTheRunBeforeTheWrite() throws {
        guard let server = try sqliteServer() else { return }
        let mountPoint = directory.path + "/small"
        mkdir(mountPoint, 0o755)
        // The fixture is about 2 MB; 1 MB cannot hold its copy. A container that cannot mount skips this.
        guard DiskFullTests.succeeds("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]) else { return }
        defer { _ = DiskFullTests.succeeds("/bin/umount", [mountPoint]) }
        let target = mountPoint + "/copy.db"
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let result = try Command.run(["-c", server.config, "-u", "bk7", "--password-file", passwordFile(), "--no-input",
                                      "--backup", target, "--json"])
        #expect(result.status == 69)
        #expect(result.errorLines == ["error: --backup \(target): no space left on the filesystem holding it; free space there, or pass --backup PATH on another filesystem; nothing was written"])
        #expect(result.stdout.contains(#""kind":"backup_failed""#))
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint).isEmpty, "no partial copy is left")
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before)
    }

    // MARK: - PostgreSQL

    /// A stand-in `pg_dump` that records its arguments and whether it got the password.
    func fakePgDump(version: String) -> String {
        let bin = directory.path + "/bin"
        let script = directory.write("bin/pg_dump", """
            #!/bin/sh
            if [ "$1" = --version ]; then echo 'pg_dump (PostgreSQL) \(version)'; exit 0; fi
            printf '%s\\n' "$@" > \(directory.path)/argv
            printf '%s' "$PGPASSWORD" > \(directory.path)/pgpassword
            for a in "$@"; do case "$a" in --file=*) printf 'PGDMP' > "${a#--file=}";; esac; done
            """)
        chmod(script, 0o755)
        return bin
    }

    @Test(.enabled(if: SynapseFixtures.available(.postgres)))
    func pgDumpGetsThePasswordInItsEnvironmentNeverInItsArguments() throws {
        let database = try FixtureDatabase(.postgres)
        guard case .postgres(.conninfo(let url)) = database.location else { return }
        let password = try #require(PostgresParametersProbe.password(in: url))
        let bin = fakePgDump(version: "99.0")
        let target = directory.path + "/synapse.dump"
        let result = try Command.run(
            ["-c", directory.write("pg.yaml", "server_name: \(SynapseFixtures.serverName)\nbcrypt_rounds: 4\n"),
             "--database-url", url, "-u", "bk8", "--password-file", passwordFile(), "--no-input", "--backup", target],
            environment: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.stderr)")
        let argv = try String(contentsOfFile: directory.path + "/argv", encoding: .utf8)
        #expect(!argv.contains(password))
        #expect(argv.contains("--format=custom\n") && argv.contains("--no-password\n") && argv.contains("--file=\(target)\n"))
        #expect(argv.contains("--dbname="))
        #expect(try String(contentsOfFile: directory.path + "/pgpassword", encoding: .utf8) == password)
        var info = stat()
        #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(result.stderr.contains("Backed up PostgreSQL database "))
    }

    @Test(.enabled(if: SynapseFixtures.available(.postgres)))
    func aMissingOrOlderPgDumpStopsTheRunBeforeTheWrite() throws {
        let database = try FixtureDatabase(.postgres)
        guard case .postgres(.conninfo(let url)) = database.location else { return }
        let config = directory.write("pg.yaml", "server_name: \(SynapseFixtures.serverName)\nbcrypt_rounds: 4\n")
        let arguments = ["-c", config, "--database-url", url, "--password-file", passwordFile(), "--no-input", "--backup"]
        let connection = try database.connect()
        let version = try #require(try connection.queryOne("SHOW server_version_num")?.first?.integer)
        let major = version / 10_000

        let missing = try Command.run(arguments + ["-u", "bk9"], environment: ["PATH": directory.path + "/empty"])
        #expect(missing.status == 69)
        #expect(missing.errorLines == ["error: --backup: pg_dump is not installed; install it (Debian: apt install postgresql-client-\(major)) or leave out --backup; nothing was written"])

        _ = fakePgDump(version: "9.6.24")
        let old = try Command.run(arguments + ["-u", "bk9"], environment: ["PATH": directory.path + "/bin"])
        #expect(old.status == 69)
        #expect(old.errorLines == ["error: --backup: pg_dump 9 is older than the PostgreSQL \(major) server and cannot dump it; install postgresql-client-\(major) and put its pg_dump first on PATH; nothing was written"])
        #expect(try connection.query("SELECT name FROM users WHERE name LIKE '@bk9:%'", []).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/argv"), "pg_dump was never asked to dump")
    }

    @Test(.enabled(if: SynapseFixtures.available(.postgres) && PostgresDump.find("pg_dump") != nil))
    func theRealPgDumpMakesADumpBesideTheRun() throws {
        let database = try FixtureDatabase(.postgres)
        guard case .postgres(.conninfo(let url)) = database.location else { return }
        let config = directory.write("pg.yaml", "server_name: \(SynapseFixtures.serverName)\nbcrypt_rounds: 4\n")
        let result = try Command.run(
            ["-c", config, "--database-url", url, "-u", "bk10", "--password-file", passwordFile(), "--no-input", "--backup", "--json"],
            in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let backup = try #require(object["backup"] as? String)
        #expect(backup.hasPrefix(directory.path + "/synapse-"))
        #expect(backup.range(of: #"-\d{8}T\d{6}Z\.dump$"#, options: .regularExpression) != nil, "\(backup)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup)).prefix(5) == Data("PGDMP".utf8), "a custom-format archive")
    }
}

/// The password in a `postgresql://user:password@host/db` URL.
enum PostgresParametersProbe {
    static func password(in url: String) -> String? {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
            let colon = url[scheme.upperBound..<at].firstIndex(of: ":")
        else { return nil }
        return String(url[url.index(after: colon)..<at]).removingPercentEncoding
    }
}

/// What the form's Options step says about the backup, from what this machine can do.
@Suite struct BackupOfferTests {
    @Test func onForSQLiteOffForPostgresAndSaysWhyWhenItCannot() {
        let sqlite = CoreWizardBackend.offer(availability: .available, engine: .sqlite, path: nil)
        #expect(sqlite.isDefault)
        #expect(sqlite.note == "A checked copy beside the database.")
        #expect(CoreWizardBackend.offer(availability: .available, engine: .sqlite, path: "/srv/copy.db").note
            == "A checked copy to /srv/copy.db.")
        let postgres = CoreWizardBackend.offer(availability: .available, engine: .postgres, path: nil)
        #expect(!postgres.isDefault)
        #expect(postgres.note == "With pg_dump, into the current folder.")
        let missing = CoreWizardBackend.offer(
            availability: .unavailable(.toolMissing(serverMajor: 15)), engine: .postgres, path: nil)
        #expect(!missing.isDefault)
        #expect(missing.note == "pg_dump is not installed: apt install postgresql-client-15")
        let old = CoreWizardBackend.offer(
            availability: .unavailable(.toolTooOld(client: 13, server: 15)), engine: .postgres, path: nil)
        #expect(old.note == "pg_dump 13 cannot dump this PostgreSQL 15: install postgresql-client-15")
    }
}
