import Testing
import TestSupport
@testable import Core

/// The YAML reader against what PyYAML's `safe_load` (Synapse's reader) makes of the same text.
@Suite struct YAMLComposerTests {
    let directory = TemporaryDirectory()

    func message(_ yaml: String) -> String? { directory.configRefusal(yaml) }

    func value(_ scalar: String) throws -> YAMLValue {
        try #require(try ConfigLoader.document(text: "a: \(scalar)\n", file: "t.yaml")?.child("a"))
    }

    @Test(arguments: [
        ("0x1F", YAMLValue.PlainInteger.value(31)), ("-0x10", .value(-16)), ("017", .value(15)), ("0b101", .value(5)),
        ("1_000", .value(1000)), ("0_", .value(0)), ("+12", .value(12)), ("0", .value(0)), ("-0", .value(0)),
        ("99999999999999999999", .outOfRange), ("0x1_0000_0000_0000_0000", .outOfRange), ("!!int \"12\"", .value(12)),
        ("! 12", .value(12)),
    ])
    func readsIntegersAsPyYAML(_ text: String, _ expected: YAMLValue.PlainInteger) throws {
        #expect(try value(text).plainInteger == expected)
    }

    @Test(arguments: ["0o17", "08", "0b", "0b_", "0x", "1e3", "1.5", "_1", "'12'", "\"12\"", "!!str 12", "|\n  12"])
    func leavesOtherTextsToStrings(_ text: String) throws {
        #expect(try value(text).plainInteger == nil)
    }

    @Test(arguments: [("yes", true), ("On", true), ("TRUE", true), ("no", false), ("Off", false), ("FALSE", false)])
    func readsBooleansAsPyYAML(_ text: String, _ expected: Bool) throws {
        #expect(try value(text).plainBool == expected)
    }

    @Test(arguments: ["tRuE", "yEs", "y", "n", "'yes'", "!!str on"])
    func leavesOtherSpellingsToStrings(_ text: String) throws {
        #expect(try value(text).plainBool == nil)
        #expect(try value(text).string().isEmpty == false)
    }

    @Test func refusesADecimalTooBigForAnIntegerAsOutOfRange() {
        #expect(message(ConfigLoaderTests.base + "bcrypt_rounds: 99999999999999999999\n")
            == "homeserver.yaml:3:16: bcrypt_rounds: '99999999999999999999' is out of range")
    }

    @Test func refusesASecondDocument() {
        #expect(message(ConfigLoaderTests.base + "---\nbcrypt_rounds: 4\n")
            == "homeserver.yaml:3:1: invalid YAML: expected a single document in the stream but found another document")
    }

    @Test func refusesAnUndefinedAlias() {
        #expect(message(ConfigLoaderTests.base + "bcrypt_rounds: *rounds\n") == "homeserver.yaml:3:16: invalid YAML: found undefined alias")
    }

    @Test func namesTheParsersContext() {
        #expect(message("server_name: example.org\ndatabase: {name: sqlite3\n")
            == "homeserver.yaml:3:1: invalid YAML: did not find expected ',' or '}' while parsing a flow mapping")
    }

    @Test func readsBlockAndQuotedScalarsAsLibyamlDoes() throws {
        let document = try #require(try ConfigLoader.document(
            text: "a: |\n  one\n  two\nb: >\n  one\n  two\nc: 'it''s'\nd: \"tab\\there \\u00e9\"\n", file: "t.yaml"))
        #expect(try document.child("a")?.string() == "one\ntwo\n")
        #expect(try document.child("b")?.string() == "one two\n")
        #expect(try document.child("c")?.string() == "it's")
        #expect(try document.child("d")?.string() == "tab\there é")
    }

    @Test func emptyDocumentsHoldNoSettings() throws {
        #expect(try ConfigLoader.document(text: "", file: "t.yaml") == nil)
        #expect(try ConfigLoader.document(text: "# only a comment\n", file: "t.yaml") == nil)
        #expect(try ConfigLoader.document(text: "~\n", file: "t.yaml") == nil)
    }
}
