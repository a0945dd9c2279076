import Foundation

/// Turns the merged top level into a ``HomeserverConfig``, key by key.
struct Reader {
    let root: TopLevel
    let mode: ConfigLoader.Mode
    let databaseOverride: DatabaseLocation?

    var verifying: Bool { mode == .verify }

    func read() throws(ConfigError) -> HomeserverConfig {
        var config = HomeserverConfig(serverName: try serverName())
        if let databaseOverride {
            config.database = databaseOverride
        } else {
            config.database = try database()
        }
        config.bcryptRounds = try bcryptRounds()
        config.password = try passwordSettings()
        // Only a default for --verify-login: a listener section this cannot read is left to Synapse.
        config.clientURL = try? clientURL()
        config.sharedSecret = sharedSecretSetting()
        guard verifying else { return config }

        try refuseDelegatedAuthentication()
        config.userTypes = try userTypes()
        config.appServices = try appServices()
        config.serverNoticesLocalpart = try serverNoticesLocalpart()
        config.statsEnabled = try root["stats"]?.child("enabled")?.bool() ?? true
        config.searchAllUsers = try root["user_directory"]?.child("search_all_users")?.bool() ?? false
        config.accountValidityPeriodMs = try accountValidityPeriod()
        config.sessionLifetimeMs = try root["session_lifetime"]?.durationMilliseconds()
        config.nonrefreshableAccessTokenLifetimeMs =
            try root["nonrefreshable_access_token_lifetime"]?.durationMilliseconds()
        config.allowUnderscorePrefixedLocalpart =
            try root["allow_underscore_prefixed_localpart"]?.bool() ?? false
        config.warnings = try warnings(config)
        return config
    }

    // MARK: - Listeners

    /// The first `http` listener with the `client` resource, as a URL on this machine.
    private func clientURL() throws(ConfigError) -> String? {
        for listener in try root["listeners"]?.sequence() ?? [] {
            let type = try listener.child("type")?.string() ?? "http"
            guard type == "http", let port = try listener.child("port")?.int(), (1...65535).contains(port) else { continue }
            var names: [String] = []
            for resource in try listener.child("resources")?.sequence() ?? [] {
                for name in try resource.child("names")?.sequence() ?? [] { names.append(try name.string()) }
            }
            guard names.contains("client") else { continue }
            let tls = try listener.child("tls")?.bool() ?? false
            var addresses: [String] = []
            for address in try listener.child("bind_addresses")?.sequence() ?? [] { addresses.append(try address.string()) }
            // A listener on one loopback address is reached there; any other on localhost.
            let host =
                if addresses == ["127.0.0.1"] { "127.0.0.1" }
                else if addresses == ["::1"] { "[::1]" }
                else { "localhost" }
            return "\(tls ? "https" : "http")://\(host):\(port)"
        }
        return nil
    }

    // MARK: - Identity

    private func serverName() throws(ConfigError) -> String {
        guard let value = root["server_name"] else {
            throw root.missing("server_name", "missing; Synapse requires the server name")
        }
        let name = try value.string()
        guard Self.isValidServerName(name) else {
            throw value.error("'\(name)' is not a valid server name (a host name or IP, optionally with :port)")
        }
        return name
    }

    /// A host name, IPv4 address or bracketed IPv6 address, with an optional port.
    static func isValidServerName(_ name: String) -> Bool {
        var host = Substring(name)
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]"), host.first != "[" || host[..<colon].hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit) else { return false }
            host = host[..<colon]
        }
        if host.first == "[" {
            guard host.last == "]", host.count > 2 else { return false }
            return host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return !host.isEmpty && host.count <= 255
            && host.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
    }

    private func refuseDelegatedAuthentication() throws(ConfigError) {
        if let section = root["matrix_authentication_service"], let enabled = try section.child("enabled"),
            try enabled.bool()
        {
            throw enabled.error(
                "the Matrix Authentication Service owns this server's accounts; create users with mas-cli instead")
        }
        if let features = root["experimental_features"], let msc3861 = try features.child("msc3861"),
            let enabled = try msc3861.child("enabled"), try enabled.bool()
        {
            throw enabled.error(
                "delegated authentication (MSC3861) owns this server's accounts; create users in the auth service instead")
        }
    }

    // MARK: - Database

    private func database() throws(ConfigError) -> DatabaseLocation {
        if let single = root["database"] {
            if root["databases"] != nil {
                throw single.error("'database' and 'databases' are both set; Synapse accepts only one")
            }
            return try databaseEntry(single)
        }
        if let multiple = root["databases"] {
            for (_, entry) in try multiple.mapping() {
                let stores = try entry.child("data_stores")?.sequence().map { value throws(ConfigError) in
                    try value.string()
                } ?? ["main", "state"]
                if stores.contains("main") { return try databaseEntry(entry) }
            }
            throw multiple.error("no entry has 'main' in its data_stores")
        }
        if let legacy = root["database_path"] {
            return try sqlite(path: legacy.string(), at: legacy)
        }
        throw root.missing("database", "missing; no database is configured (or give --database-url)")
    }

    private func databaseEntry(_ entry: YAMLValue) throws(ConfigError) -> DatabaseLocation {
        let engine = try entry.child("name")?.string() ?? "sqlite3"
        let args = try entry.child("args")
        switch engine {
        case "sqlite3":
            guard let args, let path = try args.child("database") else {
                throw (args ?? entry).error("the SQLite database path is missing (args.database)")
            }
            return try sqlite(path: path.string(), at: path)
        case "psycopg2":
            var keywords: [DatabaseLocation.Keyword] = []
            for (key, value) in try args?.mapping() ?? [] where !key.hasPrefix("cp_") && !value.isNull {
                // psycopg2 accepts `database` as an alias for libpq's `dbname`.
                keywords.append(.init(key == "database" ? "dbname" : key, try value.scalarText()))
            }
            return .postgres(.keywords(keywords))
        default:
            throw (try entry.child("name") ?? entry).error(
                "unsupported database type '\(engine)' (Synapse supports sqlite3 and psycopg2)")
        }
    }

    private func sqlite(path: String, at value: YAMLValue) throws(ConfigError) -> DatabaseLocation {
        guard path != ":memory:", !path.isEmpty else {
            throw value.error("an in-memory SQLite database cannot be registered into")
        }
        return .sqlite(path: path)
    }

    // MARK: - Passwords

    private func bcryptRounds() throws(ConfigError) -> Int {
        guard let value = root["bcrypt_rounds"] else { return 12 }
        let rounds = try value.int()
        guard (4...31).contains(rounds) else {
            throw value.error("bcrypt cost \(rounds) is out of range (4 to 31)")
        }
        return rounds
    }

    private func passwordSettings() throws(ConfigError) -> PasswordSettings {
        var settings = PasswordSettings()
        guard let section = root["password_config"] else { return settings }
        // An explicit `pepper: null` breaks Synapse's own hashing, so no working server has it;
        // reading it as "" is the only sensible choice.
        if let pepper = try section.child("pepper") {
            settings.pepper = Secret(try pepper.string())
        }
        guard verifying else { return settings }
        if let enabled = try section.child("enabled") {
            if case .scalar(let scalar) = enabled.node, scalar.string == "only_for_reauth" {
                settings.loginEnabled = false
            } else {
                settings.loginEnabled = try enabled.bool()
            }
        }
        settings.localDatabaseEnabled = try section.child("localdb_enabled")?.bool() ?? true
        if let policy = try section.child("policy") {
            settings.policy = PasswordPolicy(
                enabled: try policy.child("enabled")?.bool() ?? false,
                minimumLength: try nonNegative(policy.child("minimum_length")),
                requireDigit: try policy.child("require_digit")?.bool() ?? false,
                requireSymbol: try policy.child("require_symbol")?.bool() ?? false,
                requireUppercase: try policy.child("require_uppercase")?.bool() ?? false,
                requireLowercase: try policy.child("require_lowercase")?.bool() ?? false)
        }
        return settings
    }

    private func nonNegative(_ value: YAMLValue?) throws(ConfigError) -> Int {
        guard let value else { return 0 }
        let number = try value.int()
        guard number >= 0 else { throw value.error("must not be negative") }
        return number
    }

    // MARK: - Accounts

    private func userTypes() throws(ConfigError) -> UserTypes {
        var types = UserTypes()
        guard let section = root["user_types"] else { return types }
        types.extraTypes = try section.child("extra_user_types")?.sequence().map { value throws(ConfigError) in
            try value.string()
        } ?? []
        if let defaultType = try section.child("default_user_type") {
            let name = try defaultType.string()
            guard types.all.contains(name) else {
                throw defaultType.error("'\(name)' is neither a built-in user type nor one of extra_user_types")
            }
            types.defaultType = name
        }
        return types
    }

    private func serverNoticesLocalpart() throws(ConfigError) -> String? {
        guard root.has("server_notices") else { return nil }
        guard let section = root["server_notices"] else { return "notices" }
        return try section.child("system_mxid_localpart")?.string() ?? "notices"
    }

    private func accountValidityPeriod() throws(ConfigError) -> Int64? {
        guard let section = root["account_validity"],
            try section.child("enabled")?.bool() ?? false
        else { return nil }
        guard let period = try section.child("period") else {
            throw section.error("'period' is required when account validity is enabled")
        }
        return try period.durationMilliseconds()
    }

    private func appServices() throws(ConfigError) -> [AppService] {
        guard let list = root["app_service_config_files"] else { return [] }
        return try list.sequence().map { entry throws(ConfigError) in
            try appService(file: entry.string(), listedAt: entry)
        }
    }

    private func appService(file: String, listedAt entry: YAMLValue) throws(ConfigError) -> AppService {
        guard FileManager.default.fileExists(atPath: file) else {
            throw entry.error("application service file '\(file)' does not exist")
        }
        guard let document = try ConfigLoader.readDocument(file) else {
            throw ConfigError(file: file, message: "the application service registration is empty")
        }
        guard let sender = try document.child("sender_localpart") else {
            throw ConfigError(file: file, key: "sender_localpart", message: "missing")
        }
        let id = try document.child("id")?.scalarText() ?? file
        var namespaces: [AppService.Namespace] = []
        if let users = try document.child("namespaces")?.child("users") {
            for item in try users.sequence() {
                guard let regex = try item.child("regex") else {
                    throw item.error("a user namespace needs a 'regex'")
                }
                let pattern = try regex.string()
                let compiled: AnchoredRegex
                do {
                    compiled = try AnchoredRegex(pattern)
                } catch {
                    throw regex.error("'\(pattern)' is not a valid regular expression")
                }
                let exclusive = try item.child("exclusive")?.bool() ?? false
                namespaces.append(.init(exclusive: exclusive, pattern: pattern, regex: compiled))
            }
        }
        return AppService(file: file, id: id, senderLocalpart: try sender.scalarText(), userNamespaces: namespaces)
    }

    // MARK: - Warnings

    private func warnings(_ config: HomeserverConfig) throws(ConfigError) -> [ConfigWarning] {
        var warnings: [ConfigWarning] = []
        if let rooms = root["auto_join_rooms"], case .sequence(let list) = rooms.node, !list.isEmpty {
            let names = list.compactMap(\.string).joined(separator: ", ")
            warnings.append(.init(
                key: "auto_join_rooms",
                message: "the new user will not be joined to \(names); only Synapse can create those joins"))
        }
        if let modules = root["modules"], case .sequence(let list) = modules.node, !list.isEmpty {
            warnings.append(.init(
                key: "modules",
                message: "\(list.count) module(s) configured; their registration callbacks will not run"))
        }
        if try root["limit_usage_by_mau"]?.bool() ?? false {
            warnings.append(.init(
                key: "limit_usage_by_mau",
                message: "the monthly-active-user limit is not checked for accounts created here"))
        }
        if let key = config.password.passwordLoginsOffBy {
            warnings.append(.init(
                key: key,
                message: config.password.loginEnabled
                    ? "Synapse never checks stored passwords, so the new password cannot be used to log in"
                    : "password login is disabled, so the new password cannot be used to log in"))
        }
        return warnings
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
