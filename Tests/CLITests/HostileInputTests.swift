import Foundation
import Testing
import TestSupport

/// Inputs that once killed the binary (SIGSEGV, SIGILL): each now ends in one error line and a
/// status. None needs a database: the config and the flags are refused before one is opened.
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
        ("session_lifetime: 2562047788014h", "session_lifetime: '2562047788014h' is longer than 1000 years"),
        ("nonrefreshable_access_token_lifetime: 9223372036854775807", "nonrefreshable_access_token_lifetime: '9223372036854775807' is longer than 1000 years"),
        ("account_validity: {enabled: true, period: 106751991167d}", "account_validity.period: '106751991167d' is longer than 1000 years"),
        ("bcrypt_rounds: 1:2:3:4:5:6:7:8:9:10:11:12", "bcrypt_rounds: '1:2:3:4:5:6:7:8:9:10:11:12' is out of range"),
    ])
    func refusesAHostileConfig(_ yaml: String, _ expected: String) throws {
        let result = try run(config: Self.base + yaml)
        #expect(result.status == 65)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: " + directory.path + "/homeserver.yaml:") == true)
        #expect(result.errorLines.first?.contains(expected) == true)
    }

    @Test(arguments: ["9223372036854775s", "2562047788014h", "365001", "1001y"])
    func refusesATokenValidityThatWouldOverflow(_ validity: String) throws {
        let result = try run(config: Self.base, ["--print-token", "--token-validity", validity])
        #expect(result.status == 64)
        #expect(result.stderr == "error: The value '\(validity)' is invalid for '--token-validity <DAYS>': at most 1000 years is accepted (see --help)\n")
    }
}
