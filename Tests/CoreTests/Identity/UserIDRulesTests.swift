import Testing
import TestSupport
@testable import Core

@Suite struct UserIDRulesTests {
    static let rules: UserIDRules = {
        var rules = UserIDRules(serverName: "example.org")
        rules.serverNoticesLocalpart = "notices"
        return rules
    }()

    @Test(arguments: [
        ("alice", "@alice:example.org"),
        ("@alice:example.org", "@alice:example.org"),
        ("bob.smith-1_x=y/z+tag", "@bob.smith-1_x=y/z+tag:example.org"),
        ("007bond", "@007bond:example.org"),
        // Folded, as Synapse's shared-secret registration folds it.
        ("Alice", "@alice:example.org"),
        ("@Bob.Smith:example.org", "@bob.smith:example.org"),
    ])
    func accepts(_ input: String, _ expected: String) throws {
        #expect(try Self.rules.parse(input).description == expected)
    }

    @Test(arguments: [
        ("al ice", "User ID can only contain characters a-z, 0-9, or '=_-./+' (found a space)"),
        ("jür", "User ID can only contain characters a-z, 0-9, or '=_-./+' (found 'ü')"),
        ("", "User ID cannot be empty"),
        ("@:example.org", "User ID cannot be empty"),
        ("_bridge", "User ID may not begin with _ (allow_underscore_prefixed_localpart is off)"),
        ("12345", "Numeric user IDs are reserved for guest users"),
        ("@alice:other.org", "'@alice:other.org' belongs to server 'other.org', but this server is 'example.org' (server_name)"),
        ("@alice", "'@alice' has no server name; write @localpart:example.org or just the localpart"),
        ("alice:example.org", "'alice:example.org' is neither a localpart nor a full user ID; write @localpart:example.org"),
        ("notices", "@notices:example.org is reserved for server notices (server_notices.system_mxid_localpart)"),
        (String(repeating: "a", count: 243), "User ID is 256 characters, over Synapse's limit of 255, which counts '@' and ':example.org': the localpart may have at most 242 (it has 243)"),
    ])
    func refuses(_ input: String, _ message: String) {
        #expect(throws: UserIDError.self) { try Self.rules.parse(input) }
        do {
            _ = try Self.rules.parse(input)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func lengthLimitCountsTheWholeID() throws {
        // "@" + 242 + ":example.org" (12) = 255: the longest accepted.
        #expect(try Self.rules.parse(String(repeating: "a", count: 242)).description.count == 255)
    }

    @Test func underscorePrefixCanBeAllowed() throws {
        var rules = Self.rules
        rules.allowUnderscorePrefix = true
        #expect(try rules.parse("_bridge").localpart == "_bridge")
    }

    @Test func serverNameWithPort() throws {
        let rules = UserIDRules(serverName: "localhost:8448")
        #expect(try rules.parse("@alice:localhost:8448").description == "@alice:localhost:8448")
        #expect(try rules.parse("alice").description == "@alice:localhost:8448")
    }

    @Test func appServiceNamespaces() throws {
        let directory = TemporaryDirectory()
        let registration = directory.write("bridge.yaml", """
            id: telegram
            sender_localpart: telegrambot
            namespaces:
              users:
                - exclusive: true
                  regex: '@telegram_.*:example\\.org'
                - exclusive: false
                  regex: '@shared_.*'
            """)
        let config = directory.write("homeserver.yaml", """
            server_name: example.org
            database: {name: sqlite3, args: {database: /tmp/x.db}}
            app_service_config_files: [\(registration)]
            """)
        let rules = UserIDRules(config: try ConfigLoader.load(paths: [config]))
        #expect(throws: UserIDError(code: "M_EXCLUSIVE", message: "@telegram_42:example.org is reserved by application service 'telegram' (\(registration))")) {
            try rules.parse("telegram_42")
        }
        #expect(throws: UserIDError.self) { try rules.parse("telegrambot") }
        // Python's re.match anchors at the start only: a prefix match is enough.
        let shared = try rules.parse("shared_x")
        #expect(rules.isInAppServiceNamespace(shared))
        #expect(!rules.isInAppServiceNamespace(try rules.parse("alice")))
        #expect(!rules.isInAppServiceNamespace(try rules.parse("xtelegram_1")))
    }
}

/// The display-name rule shared by `--display-name`, the form and bulk files.
@Suite struct DisplayNameRuleTests {
    @Test func takesUpTo256CodePoints() {
        #expect(DisplayNameRule.problem(String(repeating: "é", count: 256)) == nil)
        #expect(DisplayNameRule.problem(String(repeating: "é", count: 257)) == "257 characters, over the 256 allowed")
    }

    @Test func refusesEmptyAndNUL() {
        #expect(DisplayNameRule.problem("") == "empty; leave it out to use the localpart")
        #expect(DisplayNameRule.problem("a\0b") == "contains a NUL character")
    }
}
