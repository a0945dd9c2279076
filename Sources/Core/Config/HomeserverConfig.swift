import Foundation

/// What this tool needs to know from homeserver.yaml, validated and typed.
package struct HomeserverConfig: Sendable {
    /// `server_name`: the domain part of every local user ID; may carry a port.
    package var serverName: String
    /// Where the main database lives; nil only when `--database-url` supplies it instead.
    package var database: DatabaseLocation?
    /// `bcrypt_rounds`, the bcrypt cost; Synapse's default is 12.
    package var bcryptRounds: Int = 12
    package var password = PasswordSettings()
    package var userTypes = UserTypes()
    /// The application services of `app_service_config_files`, for their reserved user IDs.
    package var appServices: [AppService] = []
    /// `server_notices.system_mxid_localpart`, when a `server_notices` section exists.
    package var serverNoticesLocalpart: String?
    /// `stats.enabled`: whether Synapse keeps `user_stats_current` rows.
    package var statsEnabled = true
    /// `user_directory.search_all_users`; decides directory rows only for databases before v1.44.
    package var searchAllUsers = false
    /// `account_validity.period` when `account_validity.enabled`, in milliseconds.
    package var accountValidityPeriodMs: Int64?
    /// `session_lifetime`, in milliseconds.
    package var sessionLifetimeMs: Int64?
    /// `nonrefreshable_access_token_lifetime`, in milliseconds.
    package var nonrefreshableAccessTokenLifetimeMs: Int64?
    /// `allow_underscore_prefixed_localpart` (Synapse 1.131+).
    package var allowUnderscorePrefixedLocalpart = false
    /// Where this machine reaches Synapse's client API: the first `http` listener serving the
    /// `client` resource, on the loopback (`http://localhost:8008`); nil when none is configured.
    package var clientURL: String?
    /// ``clientURL``, or Synapse's default client port on this machine when no listener says.
    package var clientURLOrDefault: String { clientURL ?? "http://localhost:8008" }
    /// `registration_shared_secret` or `registration_shared_secret_path`, for registration
    /// through Synapse; a failure says which keys to set (or that both are).
    package var sharedSecret: Result<SharedSecretSetting, ConfigError> =
        .failure(ConfigError(file: "homeserver.yaml", key: "registration_shared_secret", message: "not set"))
    /// Things that make an account written here behave unlike one Synapse registers itself.
    package var warnings: [ConfigWarning] = []
    /// The files read, in order.
    package var files: [String] = []

    package init(serverName: String, database: DatabaseLocation? = nil) {
        self.serverName = serverName
        self.database = database
    }
}

/// `password_config`.
package struct PasswordSettings: Sendable {
    /// `enabled`: false (or `only_for_reauth`) means the password cannot be used to log in.
    package var loginEnabled = true
    /// `localdb_enabled`: false means Synapse never checks the stored hash.
    package var localDatabaseEnabled = true
    /// The key that stops a stored password from logging in (`password_config.enabled`, else
    /// `password_config.localdb_enabled`), or nil when password logins work.
    package var passwordLoginsOffBy: String? {
        if !loginEnabled { return "password_config.enabled" }
        if !localDatabaseEnabled { return "password_config.localdb_enabled" }
        return nil
    }
    /// `pepper`, appended to the password before hashing.
    package var pepper = Secret("")
    package var policy = PasswordPolicy()

    package init() {}
}

/// `user_types`: the types an account may have (Synapse 1.132+ adds configurable ones).
package struct UserTypes: Sendable {
    /// `default_user_type`, applied when no type is asked for.
    package var defaultType: String?
    /// `extra_user_types`.
    package var extraTypes: [String] = []

    /// The types Synapse accepts: `support`, `bot` and the extra ones.
    package var all: [String] { ["support", "bot"] + extraTypes.filter { $0 != "support" && $0 != "bot" } }

    package init() {}
}

/// One application service registration file's claim on user IDs.
package struct AppService: Sendable {
    /// The registration file it came from.
    package let file: String
    /// `id` from the file, for messages.
    package let id: String
    /// `sender_localpart`: the service's own user, which nobody else may register.
    package let senderLocalpart: String
    package let userNamespaces: [Namespace]

    /// One entry of `namespaces.users`.
    package struct Namespace: Sendable {
        package let exclusive: Bool
        package let pattern: String
        let regex: AnchoredRegex
    }

    /// Whether `userID` falls in one of this service's user namespaces.
    ///
    /// Like Python's `re.match`, a namespace matches at the start of the full user ID and need
    /// not reach its end.
    package func namespace(matching userID: String) -> Namespace? {
        userNamespaces.first { $0.regex.matchesPrefix(of: userID) }
    }
}

/// A compiled pattern that matches at the start of a string, as Python's `re.match` does.
struct AnchoredRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to share across threads.
    private let regex: NSRegularExpression

    init(_ pattern: String) throws {
        regex = try NSRegularExpression(pattern: pattern)
    }

    func matchesPrefix(of text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, options: [.anchored], range: range) != nil
    }
}
