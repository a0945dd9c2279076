import Foundation
import Testing
import TestSupport
@testable import Core

/// `--json` and `--dry-run` from the command line: the object's shape is the stored examples'
/// (which the README shows verbatim), and a dry run writes nothing and predicts the real run.
@Suite(.serialized) struct ResultJSONTests {
    let directory = TemporaryDirectory()
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/result-json")
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    func server() throws -> (config: String, database: String)? {
        try SynapseFixtures.sqliteServer(in: directory, extra: "password_config: {policy: {enabled: true, minimum_length: 10}}")
    }

    /// The top-level keys in order, each with the kind of its value (the first character of the
    /// value as written: string, number, bool, null, object, array); nested objects by their keys.
    static func shape(_ text: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return topLevel(text).map { key, first in
            let kind: String =
                switch first {
                case "\"": "string"
                case "t", "f": "bool"
                case "n": "null"
                case "[": "array"
                case "{" where key == "database":
                    // One of the two engines' shapes; which one depends on the database, not the outcome.
                    ["engine,path", "engine,host,name,port"].contains(
                        (object[key] as? [String: Any])?.keys.sorted().joined(separator: ",") ?? "") ? "database" : "?"
                case "{": "{" + ((object[key] as? [String: Any])?.keys.sorted().joined(separator: ",") ?? "") + "}"
                default: "number"
                }
            return "\(key):\(kind)"
        }
    }

    /// The outermost object's keys in the order written, with the first character of each value.
    static func topLevel(_ text: String) -> [(String, Character)] {
        var found: [(String, Character)] = []
        var depth = 0, inString = false, escaped = false, current = "", lastString = "", awaitingValue = false
        for character in text {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true }
                else if character == "\"" { inString = false; lastString = current; continue }
                current.append(character)
                continue
            }
            if awaitingValue, !character.isWhitespace {
                found.append((lastString, character))
                awaitingValue = false
            }
            switch character {
            case "\"": inString = true; current = ""
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case ":" where depth == 1: awaitingValue = true
            default: break
            }
        }
        return found
    }

    /// Types must agree except where one side is null: every nullable key is present either way.
    func expectShape(_ output: String, like example: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let want = try Self.shape(try String(contentsOf: Self.examples.appendingPathComponent(example + ".json"), encoding: .utf8))
        let got = try Self.shape(output)
        #expect(got.map { $0.split(separator: ":")[0] } == want.map { $0.split(separator: ":")[0] },
                "keys and their order", sourceLocation: sourceLocation)
        for (g, w) in zip(got, want) where g != w && !g.hasSuffix(":null") && !w.hasSuffix(":null") {
            Issue.record("\(g) where the example has \(w)", sourceLocation: sourceLocation)
        }
    }

    @Test func theReadmeShowsTheStoredExamples() throws {
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        for name in ["created", "exists", "would_create", "error"] {
            let example = try String(contentsOf: Self.examples.appendingPathComponent(name + ".json"), encoding: .utf8)
            #expect(readme.contains(example.trimmingCharacters(in: .newlines)), "\(name).json")
        }
    }

    @Test func everyOutcomeIsOneObjectOfTheDocumentedShape() throws {
        guard let server = try server() else { return }
        let password = directory.write("pw", "long-enough-pw-1\n")
        chmod(password, 0o600)
        let base = ["-c", server.config, "-u", "alice", "--password-file", password, "--no-input", "--json"]

        let before = try Data(contentsOf: URL(fileURLWithPath: server.database))
        let dry = try Command.run(base + ["--dry-run", "-a", "-t", "bot", "--display-name", "Alice"])
        #expect(dry.status == 0, "\(dry.stderr)")
        try expectShape(dry.stdout, like: "would_create")
        #expect(dry.stdout.contains(#""password_hash":"<bcrypt hash of the password>""#))
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.database)) == before, "a dry run changes no byte")

        let created = try Command.run(base + ["--print-token", "--token-validity", "30"])
        #expect(created.status == 0, "\(created.stderr)")
        try expectShape(created.stdout, like: "created")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        #expect(object["user_id"] as? String == "@alice:\(SynapseFixtures.serverName)")
        #expect((object["database"] as? [String: Any])?["path"] as? String == server.database)
        let token = try #require(object["access_token"] as? String)
        let device = try SQLiteConnection(path: server.database).queryOne(
            "SELECT device_id FROM access_tokens WHERE token = ?", [.text(token)])
        #expect(device?.first?.text == object["device_id"] as? String)
        #expect(created.stdout.split(separator: "\n").count == 1, "exactly one object, no bare token line")

        let exists = try Command.run(base + ["--exists-ok"])
        #expect(exists.status == 0)
        try expectShape(exists.stdout, like: "exists")

        let failure = try Command.run(base)
        #expect(failure.status == 67)
        try expectShape(failure.stdout, like: "error")
        let stored = try String(contentsOf: Self.examples.appendingPathComponent("error.json"), encoding: .utf8)
        #expect(failure.stdout == stored.replacingOccurrences(of: "example.org", with: SynapseFixtures.serverName))
    }

    @Test(arguments: [
        (["-u", "Bad Name"], 66, "invalid_user_id"),
        (["-u", "bob", "-t", "wizard"], 64, "invalid_user_type"),
        (["-u", "carol", "--display-name", ""], 64, "invalid_display_name"),
    ])
    func failuresCarryTheirKind(_ extra: [String], _ status: Int32, _ kind: String) throws {
        guard let server = try server() else { return }
        let password = directory.write("pw", "long-enough-pw-1\n")
        chmod(password, 0o600)
        let result = try Command.run(["-c", server.config, "--password-file", password, "--no-input", "--json"] + extra)
        #expect(result.status == status)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == kind)
        #expect(object["exit_status"] as? Int == Int(status))
        #expect(result.errorLines.count == 1)
    }

    @Test func refusedPasswordsAndUsageErrorsToo() throws {
        guard let server = try server() else { return }
        let short = directory.write("short", "short\n")
        chmod(short, 0o600)
        let policy = try Command.run(["-c", server.config, "-u", "dan", "--password-file", short, "--no-input", "--json"])
        #expect(policy.status == 68)
        #expect(policy.stdout.contains(#""kind":"password_policy""#))
        #expect(!policy.stdout.contains("short\""), "never the password")
        let usage = try Command.run(["--json", "--no-such-flag"])
        #expect(usage.status == 64)
        #expect(usage.stdout.hasPrefix(#"{"status":"error","exit_status":64,"kind":"usage","#))
    }

    @Test func aDryRunPredictsTheRealRun() throws {
        guard let server = try server() else { return }
        let password = directory.write("pw", "long-enough-pw-1\n")
        chmod(password, 0o600)
        let short = directory.write("short", "short\n")
        chmod(short, 0o600)
        for (user, file) in [("fresh", password), ("fresh", password), ("weak", short)] {
            let arguments = ["-c", server.config, "-u", user, "--password-file", file, "--no-input"]
            let predicted = try Command.run(arguments + ["--dry-run"])
            let real = try Command.run(arguments)
            #expect(predicted.status == real.status, "\(user): \(predicted.stderr) / \(real.stderr)")
        }
    }
}
