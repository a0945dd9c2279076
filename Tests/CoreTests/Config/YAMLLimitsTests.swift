import Testing
import TestSupport
@testable import Core

/// Files that once crashed the reader (a stack overflow) or would make it expand without end.
@Suite struct YAMLLimitsTests {
    let directory = TemporaryDirectory()

    func message(_ yaml: String) -> String? { directory.configRefusal(yaml) }

    static let tooDeep = "mappings and lists are nested more than 64 levels deep (aliases included); Synapse's configs need about 10"
    static let bomb = "the aliases expand to more than 100000 values (anchors that repeat anchors); refusing to expand them"

    @Test func refusesFlowListsAHundredThousandDeep() {
        let depth = 100_000
        let yaml = "server_name: example.org\na: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(message(yaml) == "homeserver.yaml:2:67: \(Self.tooDeep)")
    }

    @Test func refusesFlowMappingsAHundredThousandDeep() {
        let depth = 100_000
        let yaml = "server_name: example.org\na: " + String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(message(yaml) == "homeserver.yaml:2:256: \(Self.tooDeep)")
    }

    @Test func refusesDeepBlockNesting() {
        let yaml = "server_name: example.org\na:\n" + (1..<3000).map { String(repeating: " ", count: $0) + "- \n" }.joined()
        #expect(message(yaml)?.hasSuffix(Self.tooDeep) == true)
    }

    @Test func acceptsNestingUpToTheLimit() {
        // The top-level mapping is the first level.
        let yaml = "server_name: example.org\na: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(message(yaml)?.contains("nested") != true)
    }

    @Test func countsAliasesAtTheDepthOfWhatTheyRepeat() {
        // Each anchor is shallow, but each repeats the previous one inside a further list.
        var lines = ["server_name: example.org", "a0: &a0 [x]"]
        for level in 1...70 { lines.append("a\(level): &a\(level) [*a\(level - 1)]") }
        #expect(message(lines.joined(separator: "\n"))?.hasSuffix(Self.tooDeep) == true)
    }

    @Test func refusesABillionLaughs() {
        var lines = ["server_name: example.org", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        #expect(message(lines.joined(separator: "\n")) == "homeserver.yaml:6:45: \(Self.bomb)")
    }

    @Test func refusesAMergeKeyBomb() {
        // `<<` merges are resolved on every lookup, so repeated merges would multiply the work.
        var lines = ["server_name: example.org", "m0: &m0 {pepper: x}"]
        for level in 1...9 {
            lines.append("m\(level): &m\(level) {<<: [" + Array(repeating: "*m\(level - 1)", count: 10).joined(separator: ", ") + "]}")
        }
        lines.append("password_config: *m9")
        #expect(message(lines.joined(separator: "\n"))?.hasSuffix(Self.bomb) == true)
    }

    @Test func acceptsTheAnchorsRealConfigsUse() throws {
        let config = try ConfigLoader.load(paths: [directory.write("homeserver.yaml", """
            server_name: example.org
            database: {name: sqlite3, args: &args {database: /var/lib/synapse/homeserver.db}}
            policy: &policy {enabled: true, minimum_length: 12}
            password_config:
              policy:
                <<: *policy
                require_digit: true
            """)])
        #expect(config.password.policy == PasswordPolicy(enabled: true, minimumLength: 12, requireDigit: true))
    }

    @Test func refusesAListAsAKeyAsPyYAMLDoes() {
        // The key used to be described with Swift's reflection, which repeats aliases without end.
        #expect(message("server_name: example.org\n? [1, 2]\n: x\n") == "homeserver.yaml:2:3: a key must be a scalar, got a list")
    }
}
