import Foundation
import Testing
import TestSupport
@testable import Core

/// `--from-file` from the command line, on a copy of the Synapse-made SQLite fixture.
@Suite(.serialized) struct BulkModeTests {
    let directory = TemporaryDirectory()

    func server(_ extra: String = "") throws -> (config: String, database: String)? {
        try SynapseFixtures.sqliteServer(in: directory, extra: extra)
    }

    func names(in database: String) throws -> [String] {
        try SQLiteConnection(path: database).query("SELECT name FROM users ORDER BY name", []).compactMap { $0[0].text }
    }

    func report(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func createsEveryRowAndReportsGeneratedPasswords() throws {
        guard let server = try server() else { return }
        let file = directory.write("users.jsonl", """
            {"user": "amy", "password": "given-Passw0rd-amy", "display_name": "Amy"}
            {"user": "@ben:\(SynapseFixtures.serverName)", "admin": true}

            {"user": "cat", "user_type": "bot"}
            """)
        let result = try Command.run(["-c", server.config, "--from-file", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasSuffix("Created 3, existing 0, invalid 0, failed 0.\n"))
        let rows = try report(result.stdout)
        try #require(rows.count == 3)
        #expect(rows.map { $0["line"] as? Int } == [1, 2, 4])
        #expect(rows.map { $0["status"] as? String } == ["created", "created", "created"])
        #expect(rows[0]["password"] == nil, "a given password never appears")
        let generated = try #require(rows[1]["password"] as? String)
        let connection = try SQLiteConnection(path: server.database)
        let stored = try #require(try connection.queryOne(
            "SELECT password_hash, admin FROM users WHERE name = ?", [.text("@ben:\(SynapseFixtures.serverName)")]))
        #expect(PasswordHasher(rounds: 4, pepper: Secret("")).verify(Secret(generated), against: stored[0].text ?? ""))
        #expect(stored[1].integer == 1)
        #expect(!result.stderr.contains(generated))
    }

    @Test func tokensGoInTheReportWithTheirExpiry() throws {
        guard let server = try server() else { return }
        let file = directory.write("users.csv", "id,password\ntok1,long-enough-pw-1\ntok2,long-enough-pw-2\n")
        let result = try Command.run(["-c", server.config, "--from-file", file, "--print-token", "--token-validity", "2d"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try report(result.stdout)
        try #require(rows.count == 2)
        let connection = try SQLiteConnection(path: server.database)
        var ids: [Int64] = []
        for row in rows {
            let token = try #require(row["access_token"] as? String)
            #expect(row["valid_until"] is String)
            #expect(!result.stderr.contains(token))
            let stored = try #require(try connection.queryOne(
                "SELECT id, user_id, valid_until_ms FROM access_tokens WHERE token = ?", [.text(token)]))
            #expect(stored[1].text == row["user_id"] as? String)
            #expect(stored[2].integer != nil)
            ids.append(stored[0].integer ?? 0)
        }
        // Ids a running Synapse never hands out: 1 if free, else below every other.
        #expect(ids.allSatisfy { $0 <= 1 && $0 != 0 })
    }

    @Test func everyProblemIsListedAndNothingIsWritten() throws {
        guard let server = try server("password_config: {policy: {enabled: true, minimum_length: 10}}") else { return }
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        _ = try Command.run(["-c", server.config, "-u", "taken", "-p", "long-enough-pw", "--no-input"])
        let file = directory.write("users.csv", """
            id,displayname,password,admin,user_type
            good,Good,long-enough-pw,no,
            Bad Name,,long-enough-pw,,
            dup,,long-enough-pw,,
            DUP,,long-enough-pw,,
            short,,short,,
            typed,,long-enough-pw,,wizard
            taken,,long-enough-pw,,
            flag,,long-enough-pw,maybe,
            """)
        let after = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let result = try Command.run(["-c", server.config, "--from-file", file])
        #expect(result.status == 66, "the first fault is the user ID on line 3")
        let errors = result.errorLines
        #expect(errors.count == 6, "\(result.stderr)")
        for (line, field) in [(3, "column 'id'"), (5, "column 'id'"), (6, "column 'password'"), (7, "column 'user_type'"),
                              (8, "column 'id'")] {
            #expect(errors.contains { $0.hasPrefix("error: \(file):\(line): \(field): ") }, "line \(line)")
        }
        #expect(errors.contains { $0.hasPrefix("error: \(file):9:") }, "a bad boolean")
        #expect(result.stdout.isEmpty)
        #expect(!(try names(in: server.database)).contains("@good:\(SynapseFixtures.serverName)"))
        #expect(before != after, "the single account was written")
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == after, "the bulk run wrote nothing")
        #expect(!result.stderr.contains("long-enough-pw"))
    }

    @Test func aDryRunReportsAndLeavesTheFileAlone() throws {
        guard let server = try server() else { return }
        _ = try Command.run(["-c", server.config, "-u", "old", "-p", "long-enough-pw", "--no-input"])
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let file = directory.write("users.csv", "id\nnew\nold\n")
        let result = try Command.run(["-c", server.config, "--from-file", file, "--dry-run", "--exists-ok"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try report(result.stdout).map { $0["status"] as? String } == ["would_create", "exists"])
        #expect(result.stderr.hasSuffix("Dry run: 1 to create, 1 existing, 0 invalid; nothing was written.\n"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before)

        let refused = try Command.run(["-c", server.config, "--from-file", file, "--dry-run"])
        #expect(refused.status == 67, "without --exists-ok, as the real run would end")
    }

    @Test func aRerunWithExistsOKFinishesAndTheReportNeverOverwrites() throws {
        guard let server = try server() else { return }
        let file = directory.write("users.csv", "id,password\none,long-enough-pw-1\ntwo,long-enough-pw-2\n")
        let reportPath = directory.path + "/report.jsonl"
        let first = try Command.run(["-c", server.config, "--from-file", file, "--report", reportPath])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.isEmpty)
        var info = stat()
        #expect(stat(reportPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let again = try Command.run(["-c", server.config, "--from-file", file, "--report", reportPath, "--exists-ok"])
        #expect(again.status == 64)
        #expect(again.errorLines == ["error: --report \(reportPath): exists; the report never overwrites a file"])
        let rerun = try Command.run(["-c", server.config, "--from-file", file, "--exists-ok"])
        #expect(rerun.status == 0)
        #expect(rerun.stderr.hasSuffix("Created 0, existing 2, invalid 0, failed 0.\n"))
    }

    @Test(arguments: [
        (["-u", "alice"], "error: -u/--user describes one account; with --from-file F each row gives its own (see --help)"),
        (["--display-name", "A"], "error: --display-name describes one account; with --from-file F each row gives its own (see --help)"),
        (["--format", "xml"], "error: --format: unknown format 'xml': use csv or jsonl (see --help)"),
    ])
    func singleAccountFlagsAreUsageErrors(_ extra: [String], _ message: String) throws {
        let result = try Command.run(["--from-file", "F"] + extra)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
    }

    @Test func bulkFlagsNeedAFile() throws {
        let result = try Command.run(["-u", "alice", "--quiet"])
        #expect(result.status == 64)
        #expect(result.errorLines == ["error: --quiet goes with --from-file (see --help)"])
    }
}
