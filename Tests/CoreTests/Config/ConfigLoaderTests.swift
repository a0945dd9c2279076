import Testing
import TestSupport
@testable import Core

@Suite struct ConfigLoaderTests {
    let directory = TemporaryDirectory()

    func load(_ yaml: String, mode: ConfigLoader.Mode = .verify) throws(ConfigError) -> HomeserverConfig {
        try ConfigLoader.load(paths: [directory.write("homeserver.yaml", yaml)], mode: mode)
    }

    /// The message for a config, with the temporary directory's path shortened to `homeserver.yaml`.
    func message(_ yaml: String, mode: ConfigLoader.Mode = .verify) -> String? {
        do {
            _ = try load(yaml, mode: mode)
            return nil
        } catch {
            return error.description.replacingOccurrences(of: directory.path + "/", with: "")
        }
    }

    static let base = "server_name: example.org\ndatabase: {name: sqlite3, args: {database: /var/lib/synapse/homeserver.db}}\n"

    // MARK: - Accepted

    @Test func readsATypicalDebianConfig() throws {
        let config = try load("""
            server_name: "example.org"
            pid_file: /var/run/matrix-synapse.pid
            database:
              name: psycopg2
              args:
                user: synapse
                password: "p w'\\\\x"
                database: synapse
                host: /var/run/postgresql
                port: "5432"
                cp_min: 5
                cp_max: 10
                keepalives_idle: 10
            bcrypt_rounds: 10
            password_config:
              pepper: "s3cr3t"
              policy: {enabled: true, minimum_length: 12, require_digit: yes}
            user_types: {default_user_type: bot, extra_user_types: [robot]}
            session_lifetime: 24h
            account_validity: {enabled: true, period: 6w}
            stats: {enabled: false}
            server_notices: {system_mxid_localpart: alerts}
            """)
        #expect(config.serverName == "example.org")
        #expect(config.database == .postgres(.keywords([
            .init("user", "synapse"), .init("password", "p w'\\x"), .init("dbname", "synapse"),
            .init("host", "/var/run/postgresql"), .init("port", "5432"), .init("keepalives_idle", "10"),
        ])))
        #expect(config.bcryptRounds == 10)
        #expect(config.password.pepper.revealed == "s3cr3t")
        #expect(config.password.policy == PasswordPolicy(enabled: true, minimumLength: 12, requireDigit: true))
        #expect(config.userTypes.defaultType == "bot" && config.userTypes.all == ["support", "bot", "robot"])
        #expect(config.sessionLifetimeMs == 86_400_000)
        #expect(config.accountValidityPeriodMs == Int64(3_628_800_000))
        #expect(!config.statsEnabled)
        #expect(config.serverNoticesLocalpart == "alerts")
        #expect(config.warnings.isEmpty)
    }

    @Test func defaults() throws {
        let config = try load(Self.base)
        #expect(config.database == .sqlite(path: "/var/lib/synapse/homeserver.db"))
        #expect(config.bcryptRounds == 12 && config.password.pepper.isEmpty && !config.password.policy.enabled)
        #expect(config.statsEnabled && config.serverNoticesLocalpart == nil && config.accountValidityPeriodMs == nil)
    }

    @Test func databasesPicksTheMainStore() throws {
        let config = try load("""
            server_name: example.org
            databases:
              state_db: {name: psycopg2, data_stores: [state], args: {dbname: state}}
              main_db: {name: psycopg2, data_stores: [main], args: {dbname: main}}
            """)
        #expect(config.database == .postgres(.keywords([.init("dbname", "main")])))
    }

    @Test func legacyDatabasePath() throws {
        #expect(try load("server_name: example.org\ndatabase_path: /data/homeserver.db\n").database == .sqlite(path: "/data/homeserver.db"))
    }

    @Test func laterFilesReplaceTopLevelKeys() throws {
        let confd = directory.path + "/conf.d"
        directory.write("conf.d/20-db.yaml", "database: {name: sqlite3, args: {database: /b.db}}\n")
        directory.write("conf.d/10-server.yaml", "server_name: later.example\nbcrypt_rounds: 5\n")
        directory.write("conf.d/notes.txt", "server_name: ignored\n")
        let main = directory.write("homeserver.yaml", "server_name: first.example\n" + "database: {name: sqlite3, args: {database: /a.db}}\n")
        let config = try ConfigLoader.load(paths: [main, confd])
        #expect(config.serverName == "later.example")
        #expect(config.database == .sqlite(path: "/b.db"))
        #expect(config.bcryptRounds == 5)
        #expect(config.files.map { $0.replacingOccurrences(of: directory.path + "/", with: "") }
            == ["homeserver.yaml", "conf.d/10-server.yaml", "conf.d/20-db.yaml"])
    }

    @Test func duplicateKeysTakeTheLastValueAsPyYAMLDoes() throws {
        #expect(try load(Self.base + "bcrypt_rounds: 8\nbcrypt_rounds: 6\n").bcryptRounds == 6)
    }

    @Test func mergeKeysAndAnchorsWorkAsInPyYAML() throws {
        let config = try load("""
            server_name: example.org
            x-db: &db {name: psycopg2, args: {dbname: synapse, host: db}}
            database:
              <<: *db
              args: {dbname: other}
            """)
        #expect(config.database == .postgres(.keywords([.init("dbname", "other")])))
    }

    @Test func warnsWhereAnAccountWillDifferFromASynapseMadeOne() throws {
        let config = try load(Self.base + """
            auto_join_rooms: ["#welcome:example.org"]
            modules: [{module: my_module.Checker}]
            limit_usage_by_mau: true
            password_config: {enabled: false}
            """)
        #expect(config.warnings.map(\.key) == ["auto_join_rooms", "modules", "limit_usage_by_mau", "password_config.enabled"])
        #expect(config.warnings[0].message.contains("#welcome:example.org"))
    }

    @Test func minimalModeSkipsWhatItDoesNotNeed() throws {
        let config = try load(Self.base + "bcrypt_rounds: 4\npassword_config: {pepper: x, policy: {minimum_length: lots}}\nstats: nonsense\n", mode: .minimal)
        #expect(config.bcryptRounds == 4 && config.password.pepper.revealed == "x")
    }

    // MARK: - Refused

    @Test(arguments: [
        ("server_name: [a, b]\n", "homeserver.yaml:1:14: server_name: expected a string, got a list"),
        ("database: {name: sqlite3, args: {database: /x.db}}\n", "homeserver.yaml: server_name: missing; Synapse requires the server name"),
        ("server_name: exa mple\n", "homeserver.yaml:1:14: server_name: 'exa mple' is not a valid server name (a host name or IP, optionally with :port)"),
        ("server_name: example.org\n", "homeserver.yaml: database: missing; no database is configured (or give --database-url)"),
        (base + "bcrypt_rounds: twelve\n", "homeserver.yaml:3:16: bcrypt_rounds: expected an integer, got 'twelve'"),
        (base + "bcrypt_rounds: \"12\"\n", "homeserver.yaml:3:16: bcrypt_rounds: expected an integer, got '12'"),
        (base + "bcrypt_rounds: 40\n", "homeserver.yaml:3:16: bcrypt_rounds: bcrypt cost 40 is out of range (4 to 31)"),
        ("server_name: example.org\ndatabase: {name: mysql}\n", "homeserver.yaml:2:18: database.name: unsupported database type 'mysql' (Synapse supports sqlite3 and psycopg2)"),
        ("server_name: example.org\ndatabase: {name: sqlite3, args: {database: ':memory:'}}\n", "homeserver.yaml:2:44: database.args.database: an in-memory SQLite database cannot be registered into"),
        ("server_name: example.org\ndatabase: {name: sqlite3}\n", "homeserver.yaml:2:11: database: the SQLite database path is missing (args.database)"),
        ("server_name: example.org\ndatabases: {one: {name: psycopg2, data_stores: [state]}}\n", "homeserver.yaml:2:12: databases: no entry has 'main' in its data_stores"),
        (base + "password_config: {policy: {minimum_length: -1}}\n", "homeserver.yaml:3:44: password_config.policy.minimum_length: must not be negative"),
        (base + "password_config: {policy: {enabled: maybe}}\n", "homeserver.yaml:3:37: password_config.policy.enabled: expected true or false, got 'maybe'"),
        (base + "session_lifetime: soon\n", "homeserver.yaml:3:19: session_lifetime: expected a duration such as 3600000, \"1h\" or \"30d\", got 'soon'"),
        (base + "account_validity: {enabled: true}\n", "homeserver.yaml:3:19: account_validity: 'period' is required when account validity is enabled"),
        (base + "user_types: {default_user_type: robot}\n", "homeserver.yaml:3:33: user_types.default_user_type: 'robot' is neither a built-in user type nor one of extra_user_types"),
        (base + "app_service_config_files: [/nonexistent/bridge.yaml]\n", "homeserver.yaml:3:28: app_service_config_files[0]: application service file '/nonexistent/bridge.yaml' does not exist"),
        (base + "matrix_authentication_service: {enabled: true}\n", "homeserver.yaml:3:42: matrix_authentication_service.enabled: the Matrix Authentication Service owns this server's accounts; create users with mas-cli instead"),
        (base + "experimental_features:\n  msc3861:\n    enabled: true\n", "homeserver.yaml:5:14: experimental_features.msc3861.enabled: delegated authentication (MSC3861) owns this server's accounts; create users in the auth service instead"),
        ("server_name: example.org\n  database: [\n", "homeserver.yaml:2:11: invalid YAML: mapping values are not allowed in this context"),
        ("- just\n- a list\n", "homeserver.yaml:1:1: expected a mapping of settings at the top level, got a list"),
    ])
    func refuses(_ yaml: String, _ expected: String) {
        #expect(message(yaml) == expected)
    }

    @Test func missingFileNamesIt() {
        #expect(throws: ConfigError(file: "/nonexistent/homeserver.yaml", message: "no such file (give the config with -c PATH)")) {
            try ConfigLoader.load(paths: ["/nonexistent/homeserver.yaml"])
        }
    }

    @Test func badAppServiceRegistrationNamesItsFile() {
        let registration = directory.write("bridge.yaml", "id: b\nsender_localpart: bot\nnamespaces:\n  users:\n    - {exclusive: true, regex: '@bridge_(.*'}\n")
        #expect(message(Self.base + "app_service_config_files: [\(registration)]\n")
            == "bridge.yaml:5:32: namespaces.users[0].regex: '@bridge_(.*' is not a valid regular expression")
    }

    @Test func databaseURLOverridesTheConfig() throws {
        let file = directory.write("homeserver.yaml", "server_name: example.org\n")
        let config = try ConfigLoader.load(paths: [file], databaseOverride: .sqlite(path: "/tmp/x.db"))
        #expect(config.database == .sqlite(path: "/tmp/x.db"))
    }

    // MARK: - Database URLs

    @Test(arguments: [
        ("sqlite:///var/lib/synapse/homeserver.db", DatabaseLocation.sqlite(path: "/var/lib/synapse/homeserver.db")),
        ("sqlite:homeserver.db", .sqlite(path: "homeserver.db")),
        ("postgresql://u:pw@127.0.0.1:5432/synapse?sslmode=disable", .postgres(.conninfo("postgresql://u:pw@127.0.0.1:5432/synapse?sslmode=disable"))),
        ("postgres:///synapse?host=/run/postgresql", .postgres(.conninfo("postgres:///synapse?host=/run/postgresql"))),
        ("dbname=synapse user=synapse host=/run/postgresql", .postgres(.conninfo("dbname=synapse user=synapse host=/run/postgresql"))),
    ])
    func parsesDatabaseURLs(_ text: String, _ expected: DatabaseLocation) {
        #expect(DatabaseLocation.parse(url: text) == expected)
    }

    @Test(arguments: ["mysql://x/y", "sqlite:", "sqlite::memory:", "sqlite://host/db", "/var/lib/synapse/homeserver.db"])
    func refusesOtherDatabaseURLs(_ text: String) {
        #expect(DatabaseLocation.parse(url: text) == nil)
    }

    @Test func databaseDescriptionsHidePasswords() {
        #expect(DatabaseLocation.parse(url: "postgresql://u:hunter2@db/synapse?password=x&sslmode=require")!.description
            == "PostgreSQL database postgresql://u:***@db/synapse?password=***&sslmode=require")
        #expect(DatabaseLocation.parse(url: "dbname=s password='hun ter2' host=db")!.description
            == "PostgreSQL database dbname=s password=*** host=db")
        #expect(!DatabaseLocation.postgres(.keywords([.init("password", "hunter2"), .init("dbname", "s")])).description.contains("hunter2"))
    }

    /// Found by the database-url fuzzer: libpq takes the last of repeated keywords, and only the
    /// first was hidden; a combining mark after `@` hid the `@` from a search by characters.
    @Test func databaseDescriptionsHideEveryPassword() {
        #expect(DatabaseLocation.parse(url: "postgresql://db/s?password=x&sslmode=require&password=hunter2")!.description
            == "PostgreSQL database postgresql://db/s?password=***&sslmode=require&password=***")
        #expect(DatabaseLocation.parse(url: "password=x dbname=s password='hun ter2'")!.description
            == "PostgreSQL database password=*** dbname=s password=***")
        #expect(DatabaseLocation.parse(url: "postgresql://u:hunter2@\u{321}db/s")!.description
            == "PostgreSQL database postgresql://u:***@\u{321}db/s")
        #expect(DatabaseLocation.parse(url: "postgresql://db/s?pass%77ord=hunter2&password=\u{301}hunter2")!.description
            == "PostgreSQL database postgresql://db/s?pass%77ord=***&password=***")
        #expect(DatabaseLocation.parse(url: "password=hun\u{A0}ter2 dbname=s")!.description
            == "PostgreSQL database password=*** dbname=s")
        // Not a URI to libpq, which looks only at the prefix, so its keywords are read as pairs.
        #expect(DatabaseLocation.redactingPassword(in: "host=a://\u{34C}b password=hunter2") == "host=a://\u{34C}b password=***")
        #expect(DatabaseLocation.parse(url: "host=a://\u{34C}b password=hunter2") == nil)
        // A URI to libpq, whatever mark follows its `//`.
        #expect(DatabaseLocation.parse(url: "postgresql://\u{658}u:hunter2@db") == .postgres(.conninfo("postgresql://\u{658}u:hunter2@db")))
        #expect(DatabaseLocation.parse(url: "postgresql://\u{658}u:hunter2@db")!.description == "PostgreSQL database postgresql://\u{658}u:***@db")
    }
}
