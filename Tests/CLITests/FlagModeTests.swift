import Foundation
import Testing
import TestSupport
@testable import Core

/// The command line as scripts use it: exit statuses, one-line errors, stdout for the token only.
@Suite(.serialized) struct FlagModeTests {
    let directory = TemporaryDirectory()

    /// A homeserver.yaml for a copy of the Synapse-made SQLite fixture, or nil without one.
    func sqliteServer(extra: String = "") throws -> (config: String, database: String)? {
        guard let fixture = ProcessInfo.processInfo.environment["SYNAPSE_SQLITE_FIXTURE"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("SQLite fixture missing in CI") }
            return nil
        }
        let database = directory.path + "/homeserver.db"
        try? FileManager.default.removeItem(atPath: database)
        try FileManager.default.copyItem(atPath: fixture, toPath: database)
        let serverName = ProcessInfo.processInfo.environment["SYNAPSE_FIXTURE_SERVER_NAME"] ?? "example.org"
        let config = directory.write("homeserver.yaml", """
            server_name: \(serverName)
            database: {name: sqlite3, args: {database: \(database)}}
            bcrypt_rounds: 4
            \(extra)
            """)
        return (config, database)
    }

    func passwordFile(_ password: String) -> String {
        let path = directory.write("pw", password)
        chmod(path, 0o600)
        return path
    }

    func users(in database: String) throws -> [String] {
        try SQLiteConnection(path: database).query("SELECT name FROM users ORDER BY name", []).compactMap { $0[0].text }
    }

    // MARK: - Usage

    @Test(arguments: [
        (["--print-token", "-u", "a"], "error: --print-token requires --no-input (see --help)"),
        (["--no-input", "--token-validity", "3", "-u", "a"], "error: --token-validity requires --print-token (see --help)"),
        (["-p", "x", "--password-file", "f"], "error: -p/--password and --password-file exclude each other (see --help)"),
        (["-a", "--no-admin"], "error: -a/--admin and --no-admin exclude each other (see --help)"),
        (["--no-input", "--print-token", "--token-validity", "soon"], "error: The value 'soon' is invalid for '--token-validity <DAYS>': expected a lifetime longer than zero: days (30, 0.5) or a number with a unit s, m, h, d, w or y (90m, 12h, 2w) (see --help)"),
        (["--frobnicate"], "error: Unknown option '--frobnicate' (see --help)"),
    ])
    func usageErrorsAreOneLine(_ arguments: [String], _ expected: String) throws {
        let result = try Command.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr == expected + "\n")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [
        (["--prompt", "--no-input"], "--no-input"), (["--prompt", "--json"], "--json"),
        (["--prompt", "--dry-run"], "--dry-run"), (["--prompt", "--generate-password"], "--generate-password"),
    ])
    func promptAsksForOneAccountOnTheTerminal(_ arguments: [String], _ flag: String) throws {
        let result = try Command.run(arguments)
        #expect(result.status == 64)
        #expect(result.errorLines == [
            "error: --prompt asks for one account's values on the terminal; it does not go with \(flag) (see --help)"])
    }

    @Test func promptWithoutATerminalSaysSo() throws {
        let result = try Command.run(["--prompt", "-c", "/nonexistent/homeserver.yaml"])
        #expect(result.status == 64)
        #expect(result.errorLines == [
            "error: --prompt reads the answers from a terminal, and stdin is not one; pass the values as flags with --no-input instead"])
        #expect(result.stdout.isEmpty)
    }

    @Test func helpListsTheDocumentedFlags() throws {
        let result = try Command.run(["--help"])
        #expect(result.status == 0)
        for flag in ["-u, --user", "-p, --password", "--password-file", "-a, --admin", "--no-admin", "-c, --config-path",
                     "--no-verify-config", "--database-url", "--no-input", "--print-token", "--token-validity",
                     "-t, --user-type", "--exists-ok", "--display-name", "-h, --help"] {
            #expect(result.stdout.contains(flag), "help mentions \(flag)")
        }
    }

    @Test func missingConfigNamesTheFile() throws {
        let result = try Command.run(["--no-input", "-u", "alice", "-p", "pw"], in: directory.path)
        #expect(result.status == 65)
        #expect(result.errorLines == ["error: homeserver.yaml: no such file (give the config with -c PATH)"])
    }

    @Test func missingValuesNameTheFlagAndNeverWait() throws {
        guard let server = try sqliteServer() else { return }
        var result = try Command.run(["-c", server.config, "--no-input"])
        #expect(result.status == 64)
        #expect(result.errorLines == ["error: no user ID given; pass -u/--user (--no-input never prompts)"])
        result = try Command.run(["-c", server.config, "-u", "alice"])  // stdin is a pipe: no terminal
        #expect(result.status == 64)
        #expect(result.errorLines == ["error: no password given and no terminal to ask on; pass --password-file or -p"])
        #expect(try users(in: server.database).isEmpty)
    }

    // MARK: - Creating

    @Test func createsFromAPasswordOnStdin() throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run(
            ["-c", server.config, "-u", "alice", "--password-file", "-", "--no-input"], stdin: "two words \n\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasSuffix("Created @alice:example.org.\n"))
        #expect(result.stderr.hasPrefix("warning: --password-file - (stdin): whitespace around the password was removed"))
        #expect(!result.stderr.contains("two words"))
        let hash = try SQLiteConnection(path: server.database)
            .queryOne("SELECT password_hash FROM users WHERE name = '@alice:example.org'")?[0].text ?? ""
        // As Synapse's script reads it: the whitespace around the password goes, the space inside stays.
        #expect(PasswordHasher(rounds: 4, pepper: Secret("")).verify(Secret("two words"), against: hash))
    }

    @Test func printsOnlyTheTokenOnStdout() throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run([
            "-c", server.config, "-u", "@bob:example.org", "--password-file", passwordFile("pw\n"), "--no-input", "-a",
            "--display-name", "Bob", "--print-token", "--token-validity", "2h",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let token = result.stdout.trimmingCharacters(in: .newlines)
        #expect(token.hasPrefix("syt_Ym9i_") && result.stdout.hasSuffix("\n") && !token.contains("\n"))
        #expect(!result.stderr.contains(token))
        #expect(result.stderr.contains("Created @bob:example.org (admin, device "))
        #expect(result.stderr.contains(", token valid until "))
        let expiry = try SQLiteConnection(path: server.database)
            .queryOne("SELECT valid_until_ms FROM access_tokens WHERE token = ?", [.text(token)])?[0].integer ?? 0
        #expect(abs(expiry - Int64(Date().timeIntervalSince1970 * 1000) - 7_200_000) < 10_000)
    }

    @Test func passwordOnTheCommandLineWarns() throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run(["-c", server.config, "-u", "carol", "-p", "secret-pw", "--no-input"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: -p puts the password in the process list"))
        #expect(!result.stderr.contains("secret-pw"))
    }

    @Test func passwordIsBlankedFromTheProcessList() throws {
        guard let server = try sqliteServer(extra: "bcrypt_rounds: 14") else { return }  // slow enough to look
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.binary)
        process.arguments = ["-c", server.config, "-u", "frank", "-p", "hunter2 and more", "--no-input"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen: [String] = []
        while process.isRunning {
            if let data = FileManager.default.contents(atPath: "/proc/\(process.processIdentifier)/cmdline"), !data.isEmpty {
                seen.append(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " "))
            }
            usleep(10_000)
        }
        #expect(process.terminationStatus == 0)
        let blanked = try #require(seen.firstIndex { $0.contains("-p **************** --no-input") })
        #expect(!seen[blanked...].contains { $0.contains("hunter2") }, "once blanked, the password stays out of the process list")
    }

    @Test func worldReadablePasswordFileWarns() throws {
        guard let server = try sqliteServer() else { return }
        let file = directory.write("open.pw", "pw")
        chmod(file, 0o644)
        let result = try Command.run(["-c", server.config, "-u", "dave", "--password-file", file, "--no-input"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("can be read by other users (mode 644)"))
    }

    // MARK: - Refusals

    @Test func existingUsers() throws {
        guard let server = try sqliteServer() else { return }
        let arguments = ["-c", server.config, "-u", "alice", "--password-file", passwordFile("pw"), "--no-input"]
        #expect(try Command.run(arguments).status == 0)
        var result = try Command.run(arguments)
        #expect(result.status == 67)
        #expect(result.errorLines == ["error: user @alice:example.org already exists (--exists-ok accepts that)"])
        result = try Command.run(arguments + ["--exists-ok", "-a"])
        #expect(result.status == 0)
        #expect(result.stderr == "User @alice:example.org already exists; nothing changed.\n")
        let admin = try SQLiteConnection(path: server.database).queryOne("SELECT admin FROM users WHERE name = '@alice:example.org'")
        #expect(admin?[0].integer == 0, "--exists-ok changes nothing")
    }

    @Test(arguments: [
        ("@alice:other.org", 66, "error: '@alice:other.org' belongs to server 'other.org', but this server is 'example.org' (server_name)"),
        ("1234", 66, "error: Numeric user IDs are reserved for guest users"),
    ])
    func invalidUserIDs(_ user: String, _ status: Int32, _ message: String) throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run(["-c", server.config, "-u", user, "--password-file", passwordFile("pw"), "--no-input"])
        #expect(result.status == status)
        #expect(result.errorLines == [message])
        #expect(try users(in: server.database).isEmpty)
    }

    @Test func upperCaseIsFoldedAsSynapsesScriptFoldsIt() throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run(["-c", server.config, "-u", "Alice", "--password-file", passwordFile("pw"), "--no-input"])
        #expect(result.status == 0, "\(result.stderr)")
        let id = "@alice:\(SynapseFixtures.serverName)"
        #expect(result.stderr.hasPrefix("User IDs are lower case: creating \(id), as Synapse's own registration would.\n"))
        #expect(try users(in: server.database) == [id])
    }

    @Test func passwordPolicy() throws {
        guard let server = try sqliteServer(extra: "password_config: {policy: {enabled: true, minimum_length: 10, require_digit: true}}") else { return }
        let arguments = ["-c", server.config, "-u", "erin", "--password-file", passwordFile("short"), "--no-input"]
        var result = try Command.run(arguments)
        #expect(result.status == 68)
        #expect(result.errorLines == ["error: password_config.policy: The password must be at least 10 characters long (and 1 more rule(s)); --ignore-password-policy accepts it anyway"])
        #expect(!result.stderr.contains("short"))
        #expect(try users(in: server.database).isEmpty)
        result = try Command.run(arguments + ["--ignore-password-policy"])
        #expect(result.status == 0)
        #expect(try users(in: server.database) == ["@erin:example.org"])
        // Re-running a provisioning script: the account exists, so the password is not judged again.
        result = try Command.run(arguments + ["--exists-ok"])
        #expect(result.status == 0)
        #expect(result.stderr == "User @erin:example.org already exists; nothing changed.\n")
    }

    @Test func unreachablePostgres() throws {
        let config = directory.write("pg.yaml", "server_name: example.org\ndatabase: {name: psycopg2, args: {host: 127.0.0.1, port: 1, dbname: synapse, user: synapse, password: hunter2}}\n")
        let result = try Command.run(["-c", config, "-u", "alice", "--password-file", passwordFile("pw"), "--no-input"])
        #expect(result.status == 69)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.contains("127.0.0.1") == true)
        #expect(!result.stderr.contains("hunter2"))
    }

    @Test func newerSchemaIsRefusedAndNothingWritten() throws {
        guard let server = try sqliteServer() else { return }
        try SQLiteConnection(path: server.database).execute("UPDATE schema_compat_version SET compat_version = 9999", [])
        let result = try Command.run(["-c", server.config, "-u", "alice", "--password-file", passwordFile("pw"), "--no-input"])
        #expect(result.status == 69)
        #expect(result.errorLines == ["error: SQLite database \(server.database) has schema compat version 9999, newer than schema 94, the newest this tool knows; use a newer register_new_matrix_user"])
        #expect(try users(in: server.database).isEmpty)
    }

    @Test func unknownDatabaseFile() throws {
        guard let server = try sqliteServer() else { return }
        let result = try Command.run(["-c", server.config, "--database-url", "sqlite:///nonexistent/x.db", "-u", "alice", "-p", "pw", "--no-input"])
        #expect(result.status == 69)
        #expect(result.errorLines == ["error: /nonexistent/x.db: no such database file; Synapse creates it when it first starts: start Synapse once and stop it, then run again (or check database.args.database in the config)"])
    }
}

/// Run as root on a database owned by Synapse's user, the files SQLite adds must be that user's.
@Suite struct DatabaseOwnershipTests {
    @Test(.enabled(if: getuid() == 0, "needs root"))
    func filesBesideTheDatabaseKeepItsOwner() throws {
        guard let fixture = ProcessInfo.processInfo.environment["SYNAPSE_SQLITE_FIXTURE"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("SQLite fixture missing in CI") }
            return
        }
        let directory = TemporaryDirectory()
        let dataDirectory = directory.path + "/synapse"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: false)
        let database = dataDirectory + "/homeserver.db"
        try FileManager.default.copyItem(atPath: fixture, toPath: database)
        let nobody: uid_t = 65534
        chmod(directory.path, 0o755)
        chown(dataDirectory, nobody, gid_t(nobody))
        chown(database, nobody, gid_t(nobody))
        // A high cost keeps the tool busy hashing, with the database open, long enough to look.
        let config = directory.write("homeserver.yaml", """
            server_name: \(ProcessInfo.processInfo.environment["SYNAPSE_FIXTURE_SERVER_NAME"] ?? "example.org")
            database: {name: sqlite3, args: {database: \(database)}}
            bcrypt_rounds: 15
            """)
        let password = directory.write("pw", "pw")
        chmod(password, 0o600)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.binary)
        process.arguments = ["-c", config, "-u", "olivia", "--password-file", password, "--no-input"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        var sawSidecar = false
        while process.isRunning {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory)) ?? [] where name != "homeserver.db" {
                var info = stat()
                if stat(dataDirectory + "/" + name, &info) == 0 {
                    sawSidecar = true
                    #expect(info.st_uid == nobody, "\(name) belongs to uid \(info.st_uid)")
                }
            }
            usleep(20_000)
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(sawSidecar, "SQLite opened its -wal/-shm files while the tool worked")
        #expect(stderr.contains("Writing \(database) as its owner nobody"))
    }
}

/// `--check-password` and `--min-strength`: the strength estimator from the command line.
@Suite struct StrengthFlagTests {
    @Test func checkPasswordWritesOneJSONObjectPerLine() throws {
        let result = try Command.run(["--check-password", "-u", "alice"], stdin: "password\nalice2024\ncorrect horse battery staple\n")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let scores = try lines.map { line -> Int in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["score"] as? Int ?? -1
        }
        #expect(scores[0] == 0 && scores[1] <= 1 && scores[2] == 4)
        #expect(lines[0].contains(#""warning":"This is a top-10 common password.""#))
        #expect(!result.stdout.contains("\"policy\""), "no config, no policy results")
    }

    @Test func checkPasswordReportsThePolicyOfAGivenConfig() throws {
        let directory = TemporaryDirectory()
        let config = directory.write("homeserver.yaml", """
            server_name: example.org
            database: {name: sqlite3, args: {database: /nonexistent/never-opened.db}}
            password_config: {policy: {enabled: true, minimum_length: 12, require_digit: true}}
            """)
        let result = try Command.run(["--check-password", "-c", config], stdin: "short1\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""policy":[{"code":"M_PASSWORD_TOO_SHORT","rule":"at least 12 characters","passed":false},{"code":"M_PASSWORD_NO_DIGIT","rule":"a digit","passed":true}],"policy_passed":false"#))
    }

    @Test func minStrengthRefusesAWeakPasswordForThisAccount() throws {
        let directory = TemporaryDirectory()
        let config = directory.write("homeserver.yaml", "server_name: example.org\ndatabase: {name: sqlite3, args: {database: /nonexistent/x.db}}\n")
        let result = try Command.run(["-c", config, "-u", "alice", "--password-file", "-", "--no-input", "--min-strength", "3"], stdin: "alice2024\n")
        #expect(result.status == 68)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines[0].hasPrefix("error: password strength 1/4 (weak) is below --min-strength 3/4 (good)"))
    }
}
