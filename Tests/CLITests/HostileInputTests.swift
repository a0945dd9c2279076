import Foundation
import Testing
import TestSupport

/// Inputs that once killed the binary (SIGSEGV): each now ends in one error line and a
/// status. None needs a database: the config is refused before one is opened.
@Suite struct HostileInputTests {
    let directory = TemporaryDirectory()

    func run(config yaml: String, _ extra: [String] = []) throws -> CommandResult {
        let config = directory.write("homeserver.yaml", yaml)
        return try Command.run(["-c", config, "-u", "alice", "--password-file", "-", "--no-input"] + extra, stdin: "pw\n")
    }

    static let base = "server_name: example.org\ndatabase: {name: sqlite3, args: {database: /nonexistent/homeserver.db}}\n"

    @Test(arguments: [
        ("a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "nested more than 64 levels deep"),
        ("a: " + String(repeating: "{a: ", count: 100_000) + "1" + String(repeating: "}", count: 100_000), "nested more than 64 levels deep"),
        ((["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + (1...9).map { level in
            "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]"
        }).joined(separator: "\n"), "the aliases expand to more than 100000 values"),
    ])
    func refusesAHostileConfig(_ yaml: String, _ expected: String) throws {
        let result = try run(config: Self.base + yaml)
        #expect(result.status == 65)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: " + directory.path + "/homeserver.yaml:") == true)
        #expect(result.errorLines.first?.contains(expected) == true)
    }
}
