import Foundation
import Testing
import TestSupport
@testable import Core

/// The audit trail as syslog receives it: the built binary runs in a private mount namespace
/// whose `/dev/log` is a datagram socket this test binds and reads, so what is checked is the
/// datagram glibc sends, header and all.
@Suite(.serialized) struct AuditTrailTests {
    let directory = TemporaryDirectory()
    let serverName = SynapseFixtures.serverName

    /// `authpriv` is facility 10: PRI is 10 × 8 + severity.
    static let info = "<86>", notice = "<85>"

    /// A config for a copy of the Synapse-made SQLite fixture, or nil (skipped) without one.
    func server() throws -> (config: String, database: String)? {
        try SynapseFixtures.sqliteServer(in: directory)
    }

    func hash(of user: String, in database: String) throws -> String {
        try SQLiteConnection(path: database)
            .queryOne("SELECT password_hash FROM users WHERE name = ?", [.text(user)])?[0].text ?? ""
    }

    // MARK: - Flag mode

    /// Through Synapse the line names the server instead of a database; a Synapse that does not
    /// answer is a failure, and nothing of the secret is logged.
    @Test func aRegistrationThroughSynapseIsLoggedWithItsServer() throws {
        guard let syslog = try SyslogSandbox.make(in: directory) else { return }
        let secret = "audit-secret-\(UUID().uuidString.prefix(8))"
        let result = try syslog.run(["-k", secret, "-u", "carol", "-p", "audit pw 12345", "-t", "bot", "http://127.0.0.1:9"])
        #expect(result.status == 69, "\(result.stderr)")
        let lines = syslog.received()
        try #require(lines.count == 1, "\(lines)")
        let message = try #require(lines[0].range(of: "]: ").map { String(lines[0][$0.upperBound...]) })
        #expect(message == """
            failed user=carol admin=no user_type=bot mode=flags server=http://127.0.0.1:9 uid=\(getuid())\(syslog.loginUIDField) \
            outcome=synapse_unreachable
            """)
        #expect(!lines[0].contains(secret) && !lines[0].contains("audit pw"))
    }

    @Test func createdAccountIsLoggedWithoutItsSecrets() throws {
        guard let server = try server(), let syslog = try SyslogSandbox.make(in: directory) else { return }
        let password = "audit-Passw0rd-\(UUID().uuidString.prefix(8))"
        let passwordFile = directory.write("pw", password)
        chmod(passwordFile, 0o600)
        let result = try syslog.run(
            ["-c", server.config, "-u", "bob", "--password-file", passwordFile, "--no-input", "-a",
             "--display-name", "Bob\" outcome=forged", "--print-token", "--token-validity", "2h"],
            environment: ["SUDO_USER": "alice", "SSH_CONNECTION": "203.0.113.7 50022 192.0.2.1 22"])
        #expect(result.status == 0, "\(result.stderr)")
        let token = result.stdout.trimmingCharacters(in: .newlines)
        let lines = syslog.received()
        try #require(lines.count == 1, "\(lines)")
        let line = lines[0]

        #expect(line.hasPrefix(Self.info), "authpriv.info")
        #expect(line.contains(" register_new_matrix_user["), "the tag, with the pid")
        let message = try #require(line.range(of: "]: ").map { String(line[$0.upperBound...]) })
        let row = try #require(try SQLiteConnection(path: server.database).queryOne(
            "SELECT device_id, valid_until_ms FROM access_tokens WHERE token = ?", [.text(token)]))
        let device = try #require(row[0].text)
        let expiry = Date(timeIntervalSince1970: Double(try #require(row[1].integer)) / 1000).formatted(.iso8601)
        #expect(message == """
            created user=@bob:\(serverName) admin=yes user_type=- device=\(device) token_expires=\(expiry) \
            mode=flags database="SQLite database \(server.database)" uid=\(getuid())\(syslog.loginUIDField) \
            sudo_user=alice ssh_client=203.0.113.7 outcome=created
            """)

        let hash = try hash(of: "@bob:\(serverName)", in: server.database)
        #expect(hash.hasPrefix("$2b$"))
        for secret in [password, hash, token, String(hash.suffix(31)), "Bob"] {
            #expect(!line.contains(secret), "the audit line holds no password, hash, token or display name")
        }
    }

    @Test func refusalsAndUnchangedAccountsAreLogged() throws {
        guard let server = try server(), let syslog = try SyslogSandbox.make(in: directory) else { return }
        let password = "another-Passw0rd-\(UUID().uuidString.prefix(8))"
        let first = try syslog.run(["-c", server.config, "-u", "carol", "-p", password, "--no-input", "-t", "bot"])
        #expect(first.status == 0, "\(first.stderr)")
        let invalid = try syslog.run(["-c", server.config, "-u", "car ol", "-p", password, "--no-input"])
        #expect(invalid.status == 66, "before a user ID is chosen nothing is logged")
        let again = try syslog.run(["-c", server.config, "-u", "carol", "-p", password, "--no-input"])
        #expect(again.status == 67)
        let existsOK = try syslog.run(["-c", server.config, "-u", "carol", "-p", password, "--no-input", "--exists-ok"])
        #expect(existsOK.status == 0)

        let lines = syslog.received()
        try #require(lines.count == 3, "\(lines)")
        #expect(lines[0].hasPrefix(Self.info) && lines[0].contains("]: created user=@carol:\(serverName) admin=no user_type=bot mode=flags "))
        #expect(!lines[0].contains("device="), "no token, no device")
        #expect(lines[1].hasPrefix(Self.notice), "a refusal is a notice")
        #expect(lines[1].contains("]: refused user=@carol:\(serverName) admin=no user_type=- mode=flags "))
        #expect(lines[1].hasSuffix(" outcome=user_exists"))
        #expect(lines[2].hasPrefix(Self.info) && lines[2].contains("]: unchanged user=@carol:\(serverName) "))
        #expect(lines[2].hasSuffix(" outcome=exists"))
        let hash = try hash(of: "@carol:\(serverName)", in: server.database)
        for line in lines { #expect(!line.contains(password) && !line.contains(hash)) }
    }

    @Test func aDatabaseFailureIsAWarning() throws {
        guard let syslog = try SyslogSandbox.make(in: directory) else { return }
        let missing = directory.path + "/no such dir/homeserver.db"
        let config = directory.write("missing.yaml", """
            server_name: \(serverName)
            database: {name: sqlite3, args: {database: "\(missing)"}}
            """)
        let result = try syslog.run(["-c", config, "-u", "frank", "-p", "pw-frank-1234", "--no-input"])
        #expect(result.status == 69, "\(result.stderr)")
        let lines = syslog.received()
        try #require(lines.count == 1, "\(lines)")
        #expect(lines[0].hasPrefix("<84>"), "authpriv.warning")
        #expect(lines[0].contains(#"]: failed user=@frank:\#(serverName) admin=no user_type=- mode=flags database="SQLite database \#(missing)" "#))
        #expect(lines[0].hasSuffix(" outcome=database_unavailable"))
    }

    @Test func noAuditLogsNothing() throws {
        guard let server = try server(), let syslog = try SyslogSandbox.make(in: directory) else { return }
        let result = try syslog.run(["-c", server.config, "-u", "dave", "-p", "pw-dave-1234", "--no-input", "--no-audit"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(syslog.received().isEmpty)
    }

    // MARK: - Bulk

    @Test func bulkRunLogsOneLinePerAccount() throws {
        guard let server = try server(), let syslog = try SyslogSandbox.make(in: directory) else { return }
        let given = "given-Passw0rd-\(UUID().uuidString.prefix(8))"
        let file = directory.write("users.csv", """
            id,password,admin,user_type
            amy,\(given),,
            ben,,true,
            cat,,,bot
            """)
        let result = try syslog.run(["-c", server.config, "--from-file", file, "--quiet", "--print-token"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = syslog.received()
        try #require(lines.count == 3, "\(lines)")
        for (index, (user, admin, type)) in [("amy", "no", "-"), ("ben", "yes", "-"), ("cat", "no", "bot")].enumerated() {
            #expect(lines[index].hasPrefix(Self.info))
            #expect(lines[index].contains("]: created user=@\(user):\(serverName) admin=\(admin) user_type=\(type) device="))
            #expect(lines[index].contains(" mode=file file=\(file) line=\(index + 2) database="))
        }

        // The report holds the generated passwords and the tokens; the log holds none of them.
        var secrets = [given]
        for row in result.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [String: Any])
            secrets += ["password", "access_token"].compactMap { object[$0] as? String }
        }
        #expect(secrets.count == 6, "one given and two generated passwords, three tokens")
        for user in ["amy", "ben", "cat"] { secrets.append(try hash(of: "@\(user):\(serverName)", in: server.database)) }
        for line in lines {
            for secret in secrets { #expect(!line.contains(secret)) }
        }
    }

    @Test func refusedBulkRunLogsEachRowAtFault() throws {
        guard let server = try server(), let syslog = try SyslogSandbox.make(in: directory) else { return }
        let file = directory.write("users.csv", """
            id,password
            evil outcome=created,pw-Evil-12345
            fine,pw-Fine-12345
            """)
        let result = try syslog.run(["-c", server.config, "--from-file", file, "--quiet"])
        #expect(result.status == 66, "\(result.stderr)")
        let lines = syslog.received()
        try #require(lines.count == 1, "\(lines)")
        #expect(lines[0].hasPrefix(Self.notice))
        #expect(lines[0].contains(#"]: refused user="evil outcome=created" mode=file file=\#(file) line=2 "#),
                "quoted, so no field is forged")
        #expect(lines[0].hasSuffix(" outcome=invalid_user_id"))
        #expect(!lines[0].contains("pw-Evil-12345"))
    }
}
