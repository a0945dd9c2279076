import Testing
import TestSupport
@testable import Core

/// Base-60 integers, read as PyYAML reads them. Found by the config fuzzer: Yams' reading trapped
/// on an overflow (`server_name: 1:2:3:4:5:6:7:8:9:10:11:12` killed the tool), and took any
/// scalar with a colon and a number in it for an integer.
@Suite struct YAMLIntegerTests {
    let directory = TemporaryDirectory()

    func message(_ yaml: String) -> String? { directory.configRefusal(yaml) }

    @Test(arguments: [
        ("1:30", YAMLValue.PlainInteger.value(90)), ("-1:30", .value(-90)), ("+190:20:30", .value(685_230)),
        ("1_0:5", .value(605)), ("1:2:3:4:5:6:7:8:9:10:11:12", .outOfRange), ("99999999999999999999:1", .outOfRange),
    ])
    func readsBaseSixty(_ text: String, _ expected: YAMLValue.PlainInteger) {
        #expect(YAMLValue.sexagesimal(text) == expected)
    }

    @Test(arguments: ["1:60", "01:30", "0:30", "1:", ":1", "1::2", "a:1", "example.org:8448", "1:2a", "1:123", "١:30"])
    func leavesOtherColonsToStrings(_ text: String) {
        #expect(YAMLValue.sexagesimal(text) == nil)
    }

    @Test func readsAServerNameWithAPortAsAString() throws {
        let config = try ConfigLoader.load(paths: [directory.write("homeserver.yaml", "server_name: example.org:8448\ndatabase_path: /var/lib/synapse/homeserver.db\n")])
        #expect(config.serverName == "example.org:8448")
    }

    @Test func refusesABaseSixtyIntegerTooBigInsteadOfTrapping() {
        #expect(message("server_name: 1:2:3:4:5:6:7:8:9:10:11:12\n")
            == "homeserver.yaml:1:14: server_name: expected a string, got '1:2:3:4:5:6:7:8:9:10:11:12' (quote it to make it a string)")
        #expect(message(ConfigLoaderTests.base + "bcrypt_rounds: 1:0:0:0:0:0:0:0:0:0:0:0\n")
            == "homeserver.yaml:3:16: bcrypt_rounds: '1:0:0:0:0:0:0:0:0:0:0:0' is out of range")
        #expect(message(ConfigLoaderTests.base + "session_lifetime: 1:0:0:0:0:0:0:0:0:0:0:0\n")?
            .hasSuffix("session_lifetime: '1:0:0:0:0:0:0:0:0:0:0:0' is longer than 1000 years, the longest duration accepted") == true)
    }

    @Test func readsABaseSixtyInteger() throws {
        let config = try ConfigLoader.load(paths: [directory.write("homeserver.yaml", ConfigLoaderTests.base + "password_config: {policy: {minimum_length: 1:30}}\n")])
        #expect(config.password.policy.minimumLength == 90)
    }
}
