import Foundation
import Testing
import TestSupport
@testable import Core

/// `--generate-password` from the command line, on a copy of the Synapse-made SQLite fixture: the
/// password printed once is the one stored, meets the config's policy and shows nowhere else.
@Suite(.serialized) struct GeneratePasswordTests {
    let directory = TemporaryDirectory()
    static let pepper = "pepper-of-the-test-server"
    /// Strict enough that a generated password needs more than the usual four groups.
    static let policy = PasswordPolicy(
        enabled: true, minimumLength: 30, requireDigit: true, requireSymbol: true, requireUppercase: true,
        requireLowercase: true)

    func server() throws -> (config: String, database: String)? {
        try SynapseFixtures.sqliteServer(in: directory, extra: """
            password_config:
              pepper: \(Self.pepper)
              policy: {enabled: true, minimum_length: 30, require_digit: true, require_symbol: true,
                       require_uppercase: true, require_lowercase: true}
            """)
    }

    /// Whether `password` is the one stored for `localpart`, hashed with the config's pepper.
    func isStored(_ password: String, for localpart: String, in database: String) throws -> Bool {
        let hash = try SQLiteConnection(path: database).queryOne(
            "SELECT password_hash FROM users WHERE name = ?", [.text("@\(localpart):\(SynapseFixtures.serverName)")])
        return PasswordHasher(rounds: 4, pepper: Secret(Self.pepper)).verify(Secret(password), against: hash?.first?.text ?? "")
    }

    func expectGood(_ password: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let failed = Self.policy.checks(for: password).filter { !$0.passed }.map(\.code)
        #expect(failed.isEmpty, "meets the config's policy", sourceLocation: sourceLocation)
    }

    @Test func thePrintedPasswordIsTheStoredOneAndShownOnce() throws {
        guard let server = try server() else { return }
        let result = try Command.run(["-c", server.config, "-u", "alice", "--generate-password", "--no-input"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 2 && lines[1].isEmpty, "one line: \(lines.count)")
        let password = String(lines[0])
        expectGood(password)
        #expect(try isStored(password, for: "alice", in: server.database))
        #expect(!result.stderr.contains(password))
        #expect(result.stderr.contains("generated password"))
    }

    @Test func withATokenThePasswordComesFirst() throws {
        guard let server = try server() else { return }
        let result = try Command.run(["-c", server.config, "-u", "bob", "--generate-password", "--no-input", "--print-token"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        #expect(try isStored(lines[0], for: "bob", in: server.database))
        #expect(lines[1].hasPrefix("syt_"))
        let owner = try SQLiteConnection(path: server.database).queryOne(
            "SELECT user_id FROM access_tokens WHERE token = ?", [.text(lines[1])])
        #expect(owner?.first?.text == "@bob:\(SynapseFixtures.serverName)")
        #expect(!result.stderr.contains(lines[0]) && !result.stderr.contains(lines[1]))
    }

    @Test func withJSONThePasswordIsInTheObject() throws {
        guard let server = try server() else { return }
        let result = try Command.run(["-c", server.config, "-u", "carol", "--generate-password", "--json", "--no-input", "--print-token"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 1, "one object, no bare lines")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let password = try #require(object["password"] as? String)
        expectGood(password)
        #expect(try isStored(password, for: "carol", in: server.database))
        #expect(result.stdout.components(separatedBy: password).count == 2, "exactly once")
        #expect(!result.stderr.contains(password))
        let keys = ResultJSONTests.topLevel(result.stdout).map(\.0)
        #expect(keys.suffix(3) == ["database", "password", "access_token"], "after the database, before the token")
    }

    @Test func noPasswordWhereNoAccountIsCreated() throws {
        guard let server = try server() else { return }
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let dry = try Command.run(["-c", server.config, "-u", "dan", "--generate-password", "--no-input", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("users (insert)"), "the plan, no password line")
        let dryJSON = try Command.run(["-c", server.config, "-u", "dan", "--generate-password", "--json", "--dry-run"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(dryJSON.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "would_create" && object["password"] == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before)

        _ = try Command.run(["-c", server.config, "-u", "erin", "--generate-password", "--no-input"])
        let exists = try Command.run(["-c", server.config, "-u", "erin", "--generate-password", "--no-input", "--exists-ok"])
        #expect(exists.status == 0)
        #expect(exists.stdout.isEmpty, "the existing account's password is not this one")
    }

    @Test func helpNamesTheFlag() throws {
        #expect(try Command.run(["--help"]).stdout.contains("--generate-password"))
    }

    @Test(arguments: [
        (["-p", "x"], "error: --generate-password and -p/--password exclude each other (see --help)"),
        (["--password-file", "f"], "error: --generate-password and --password-file exclude each other (see --help)"),
        (["--from-file", "f"], "error: --generate-password describes one account; with --from-file rows without a password get a generated one already (see --help)"),
        (["--check-password"], "error: --check-password only scores passwords read from stdin; it creates no account (see --help)"),
    ])
    func excludesOtherPasswordSources(_ extra: [String], _ message: String) throws {
        let result = try Command.run(["-u", "alice", "--generate-password"] + extra)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
        #expect(result.stdout.isEmpty)
    }
}
