import Foundation
import Testing
import TestSupport
@testable import Core
@testable import register_new_matrix_user

/// `--review-accounts` from the command line, on a copy of the Synapse-made SQLite fixture:
/// accounts made with the tool itself and aged or deactivated by SQL, then listed exactly, as a
/// table and as JSON Lines, with the database file left byte for byte as it was.
@Suite(.serialized) struct ReviewModeTests {
    let directory = TemporaryDirectory()
    static let day: Int64 = 86_400

    func server() throws -> (config: String, database: String)? {
        try SynapseFixtures.sqliteServer(in: directory)
    }

    func id(_ localpart: String) -> String { "@\(localpart):\(SynapseFixtures.serverName)" }

    /// The accounts every test reviews; returns the device of the one token that never expires.
    func populate(_ server: (config: String, database: String)) throws -> String {
        let password = directory.write("pw", "long-enough-pw-1\n")
        chmod(password, 0o600)
        func make(_ localpart: String, _ flags: [String] = []) throws -> CommandResult {
            let result = try Command.run(["-c", server.config, "-u", localpart, "--password-file", password, "--no-input"] + flags)
            #expect(result.status == 0, "\(localpart): \(result.stderr)")
            return result
        }
        _ = try make("boss", ["-a"])
        _ = try make("gone", ["-a"])
        _ = try make("helpdesk", ["-t", "support"])
        let robot = try make("robot", ["-t", "bot", "--print-token"])
        _ = try make("temp", ["--print-token", "--token-validity", "12h"])
        _ = try make("oldie")
        _ = try make("lastweek")
        let db = try SQLiteConnection(path: server.database)
        let now = Int64(Date().timeIntervalSince1970)
        try db.execute("UPDATE users SET deactivated = 1 WHERE name = ?", [.text(id("gone"))])
        try db.execute("UPDATE users SET creation_ts = ? WHERE name IN (?, ?, ?)",
                       [.integer(now - 400 * Self.day), .text(id("boss")), .text(id("gone")), .text(id("oldie"))])
        // Distinct times, so the newest-first order is known.
        for (localpart, age) in [("helpdesk", 3_600), ("robot", 7_200), ("temp", 10_800), ("lastweek", 7 * Self.day)] {
            try db.execute("UPDATE users SET creation_ts = ? WHERE name = ?", [.integer(now - age), .text(id(localpart))])
        }
        let device = try db.queryOne("SELECT device_id FROM access_tokens WHERE token = ?",
                                     [.text(robot.stdout.trimmingCharacters(in: .newlines))])
        return try #require(device?.first?.text)
    }

    /// The table's sections: each heading with the first cell of every row under it.
    func sections(_ text: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for block in text.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map(String.init)
            guard let heading = lines.first else { continue }
            found[heading] = lines.dropFirst(2).compactMap { $0.split(separator: " ").first.map(String.init) }
        }
        return found
    }

    @Test func theTableListsExactlyThoseAccounts() throws {
        guard let server = try server() else { return }
        let device = try populate(server)
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let result = try Command.run(["-c", server.config, "--review-accounts"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(!result.stdout.contains("\u{1B}"), "no escapes into a pipe")
        let found = sections(result.stdout)
        let recentHeading = try #require(found.keys.first { $0.hasPrefix("Created in the last 30 days, since ") })
        #expect(found["Server admins (1)"] == [id("boss")])
        #expect(found[recentHeading] == ["helpdesk", "robot", "temp", "lastweek"].map(id), "newest first")
        #expect(recentHeading.hasSuffix("(4)"))
        #expect(found["Support and bot accounts (2)"] == [id("helpdesk"), id("robot")])
        #expect(found["Tokens this tool issued that never expire (1)"] == [id("robot")])
        #expect(result.stdout.contains(device))
        #expect(found["Deactivated admins (1)"] == [id("gone")])
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before, "not a byte changed")

        let week = try Command.run(["-c", server.config, "--review-accounts", "--since", "2d"])
        #expect(week.status == 0)
        #expect(sections(week.stdout).first { $0.key.hasPrefix("Created in the last 2 days") }?.value
            == ["helpdesk", "robot", "temp"].map(id))
    }

    @Test func jsonLinesCarryTheSameItemsWithStableKeys() throws {
        guard let server = try server() else { return }
        let device = try populate(server)
        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let result = try Command.run(["-c", server.config, "--review-accounts", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        func listed(_ section: String) -> [String] {
            objects.filter { $0["section"] as? String == section }.compactMap { $0["user_id"] as? String }
        }
        #expect(listed("admin") == [id("boss")])
        #expect(listed("recent") == ["helpdesk", "robot", "temp", "lastweek"].map(id))
        #expect(listed("support_or_bot") == [id("helpdesk"), id("robot")])
        #expect(listed("token_without_expiry") == [id("robot")])
        #expect(listed("deactivated_admin") == [id("gone")])
        #expect(objects.count == 9, "nothing else")
        #expect(Set(objects.compactMap { $0["section"] as? String }).count == 5)

        let accountKeys = ["section", "user_id", "created", "admin", "user_type", "deactivated"]
        let tokenKeys = ["section", "user_id", "device_id", "last_seen", "admin"]
        for line in lines {
            let keys = ResultJSONTests.topLevel(line).map(\.0)
            #expect(keys == (line.contains(#""token_without_expiry""#) ? tokenKeys : accountKeys), "\(line)")
        }
        let token = try #require(objects.first { $0["section"] as? String == "token_without_expiry" })
        #expect(token["device_id"] as? String == device)
        #expect(token["last_seen"] is NSNull && token["admin"] as? Bool == false)
        let boss = try #require(objects.first { $0["section"] as? String == "admin" })
        let created = try #require(boss["created"] as? String)
        let expected = Date(timeIntervalSince1970: TimeInterval(Int64(Date().timeIntervalSince1970) - 400 * Self.day))
        let parsed = try #require(ISO8601DateFormatter().date(from: created))
        #expect(abs(parsed.timeIntervalSince(expected)) < 120, "creation_ts read as seconds")
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before, "not a byte changed")
    }

    @Test func aDatabaseFailureIsStatus69() throws {
        let result = try Command.run(["--review-accounts", "--json", "-c", directory.write("hs.yaml", """
            server_name: example.org
            database: {name: sqlite3, args: {database: \(directory.path)/missing.db}}
            """)])
        #expect(result.status == 69)
        #expect(result.stdout.hasPrefix(#"{"status":"error","exit_status":69,"kind":"database_unavailable","#))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/missing.db"), "never created")
    }

    @Test(arguments: [
        ["-u", "alice"], ["-p", "x"], ["--password-file", "f"], ["--generate-password"], ["-a"], ["--no-admin"],
        ["-t", "bot"], ["--display-name", "A"], ["--exists-ok"], ["--print-token"], ["--from-file", "f"],
        ["--dry-run"], ["--check-password"], ["--min-strength", "3"],
    ])
    func accountFlagsAreUsageErrors(_ extra: [String]) throws {
        let result = try Command.run(["--review-accounts"] + extra)
        #expect(result.status == 64)
        let flag = extra[0] == "-u" ? "-u/--user" : extra[0] == "-p" ? "-p/--password" : extra[0] == "-a" ? "-a/--admin"
            : extra[0] == "-t" ? "-t/--user-type" : extra[0]
        #expect(result.errorLines == ["error: \(flag) does not go with --review-accounts, which creates nothing and only reads (see --help)"])
    }

    @Test(arguments: [
        (["--since", "3d"], "error: --since goes with --review-accounts (see --help)"),
        (["--review-accounts", "--since", "0"], "error: The value '0' is invalid for '--since <DAYS>': expected a lifetime longer than zero: days (30, 0.5) or a number with a unit s, m, h, d, w or y (90m, 12h, 2w) (see --help)"),
    ])
    func sinceIsAPositiveDurationOfTheReview(_ arguments: [String], _ message: String) throws {
        let result = try Command.run(arguments)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
    }

    @Test func helpNamesTheReviewAndItsWindow() throws {
        let help = try Command.run(["--help"]).stdout
        #expect(help.contains("--review-accounts") && help.contains("--since <DAYS>"))
    }

    // MARK: - The table's layout

    func review(_ accounts: [AccountReview.Account], tokens: [AccountReview.OpenToken] = []) -> AccountReview {
        AccountReview(admins: accounts, recent: accounts, supportAndBots: [], openTokens: tokens,
                      deactivatedAdmins: [], createdSince: 1_700_000_000)
    }

    @Test func onATerminalEveryLineFitsEightyColumns() {
        let long = "@" + String(repeating: "a", count: 120) + ":example.org"
        let accounts = [
            AccountReview.Account(userID: long, createdAt: 1_700_000_000, admin: true, userType: "support", deactivated: true),
            AccountReview.Account(userID: "@b:example.org", createdAt: nil, admin: false, userType: nil, deactivated: false),
        ]
        let tokens = [AccountReview.OpenToken(userID: long, deviceID: "ABCDEFGHIJ", lastSeenMs: 1_700_000_000_000, admin: true)]
        let text = ReviewTable(review(accounts, tokens: tokens), window: 30 * 86_400_000, width: 80, bold: true).text
        for line in text.split(separator: "\n") {
            let visible = line.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
            #expect(visible.count <= 80, "\(visible)")
            #expect(visible.last != " ", "no trailing spaces")
        }
        #expect(text.contains("…"))
        #expect(text.contains("2023-11-14 22:13"))
        #expect(text.contains("admin, support, deactivated"))
        #expect(text.contains("\u{1B}[1mServer admins (2)\u{1B}[0m"))

        let piped = ReviewTable(review(accounts, tokens: tokens), window: 30 * 86_400_000, width: nil, bold: false).text
        #expect(piped.contains(long), "values are never cut off a terminal")
        #expect(!piped.contains("\u{1B}"))
    }

    @Test func storedNamesCannotRestyleTheTerminal() {
        let sneaky = AccountReview.Account(
            userID: "@evil\u{1B}[2J\u{202E}:example.org", createdAt: 0, admin: true, userType: "bot\u{7}", deactivated: false)
        let text = ReviewTable(review([sneaky]), window: 86_400_000, width: 80, bold: false).text
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!text.contains("\u{202E}"))
        #expect(text.contains("@evil?[2J?:example.org"))
    }

    @Test(arguments: [(Int64(30 * 86_400_000), "30 days"), (Int64(86_400_000), "1 day"), (Int64(12 * 3_600_000), "12 hours"),
                      (Int64(90 * 60_000), "90 minutes"), (Int64(45_000), "45 seconds")])
    func theWindowIsNamedInItsLargestUnit(_ milliseconds: Int64, _ name: String) {
        #expect(ReviewTable.describe(milliseconds) == name)
    }
}
