import Core
import FoundationEssentials
import Glibc

/// What a registration through Synapse ended with, for the human lines and the `--json` object.
enum SynapseOutcome {
    /// `generatedPassword` is the password `--generate-password` made, to be shown once.
    case created(RegistrationResult, server: String, login: LoginCheckOutcome?, generatedPassword: Secret?)
    /// The user exists and `--exists-ok` was given: nothing changed.
    case exists(String, server: String)
    /// `--dry-run`: what would be sent.
    case wouldCreate(SharedSecretAccount, userID: UserID, server: String)
}

/// Registration through the running Synapse (`-k`/`--shared-secret` or `--via-synapse`): the
/// shared-secret admin API Synapse's own script uses, with this tool's checks first.
extension RegisterCommand {
    /// Synapse's script's URL when neither the argument nor the config gives one.
    static let defaultSynapseURL = "http://localhost:8008"

    /// Refuses what cannot mean anything when no database is opened.
    func validateThroughSynapse() throws(UsageError) {
        guard registersThroughSynapse else { return }
        let via = sharedSecret != nil ? "-k/--shared-secret" : "--via-synapse"
        let refused: [(String, Bool, String)] = [
            ("--from-file", fromFile != nil, "creates many accounts by writing to the database; drop \(via)"),
            ("--review-accounts", reviewAccounts, "reads the database; drop \(via)"),
            ("--check-password", checkPassword, "creates no account; drop \(via)"),
            ("--database-url", databaseURL != nil, "names a database, which \(via) never opens"),
            ("--backup", backupRequest != nil, "copies the database, which \(via) never opens; back it up on the server first"),
            ("--token-validity", tokenValidity != nil,
             "is not for Synapse's shared-secret endpoint, which gives its token the lifetime the server's config sets (session_lifetime, else none); drop it, or drop \(via) to write a token with an expiry"),
        ]
        if let (flag, _, why) = refused.first(where: \.1) {
            throw UsageError("\(flag) \(why)")
        }
        if let serverURL, !(serverURL.hasPrefix("http://") || serverURL.hasPrefix("https://")) {
            throw UsageError("SERVER_URL '\(serverURL)': expected an http:// or https:// URL")
        }
        if sharedSecret?.isEmpty == true {
            throw UsageError("-k/--shared-secret: empty; give the server's registration_shared_secret")
        }
    }

    func registerThroughSynapse() throws -> ExitStatus {
        // -k alone needs no config, as with Synapse's script; -c or --via-synapse reads one, for
        // the secret, the listener, the server name and the password policy.
        let config = sharedSecret == nil || !configPath.isEmpty ? try loadConfig() : nil
        let server = synapseURL(config: config)
        if let frontEnd { return try runInteractiveThroughSynapse(frontEnd, config: config, server: server) }
        let audit = AuditLog(isEnabled: !noAudit, mode: .flags, database: nil, invoker: .current, source: nil, server: server)
        var account: AuditLog.Account?
        let outcome: SynapseOutcome
        do {
            outcome = try synapseOutcome(config: config, server: server) { userID in
                account = AuditLog.Account(userID: Self.named(userID), admin: admin, userType: userType)
            }
        } catch {
            if let account { audit.notCreated(account, Failure(error)) }
            throw error
        }
        switch outcome {
        case .created(let result, let server, let login, let generated):
            audit.created(result)
            var details: [String] = []
            if result.admin { details.append("admin") }
            if let type = result.userType { details.append(type) }
            if generated != nil { details.append("generated password") }
            if let device = result.deviceID { details.append("device \(device)") }
            if let expiry = result.tokenExpiresAtMs { details.append("token valid until \(ResultJSON.iso8601(expiry))") }
            Console.note("Created \(result.userID) through Synapse at \(server)\(details.isEmpty ? "" : " (\(details.joined(separator: ", ")))").")
            if result.accessToken != nil && result.tokenExpiresAtMs == nil {
                Console.warning("the access token never expires (Synapse's endpoint sets no expiry); log it out when it is no longer needed")
            }
            if !json {
                if let generated { Console.output(generated.revealed) }
                if let token = result.accessToken { Console.output(token.revealed) }
            }
            if let login { try reportLogin(login, of: result.userID) }
        case .exists(let existing, _):
            if let account { audit.unchanged(account) }
            Console.note("User \(existing) already exists; nothing changed.")
        case .wouldCreate(let request, _, let server):
            Console.note("Dry run: Synapse answered at \(server); nothing was registered. This is what the run would send:")
            if !json { Console.output(Self.describe(request, to: server)) }
        }
        if json { Console.output(ResultJSON.success(outcome).text) }
        return .success
    }

    /// The form, registering through Synapse. It needs the config, for the server's name and
    /// rules; the secret and Synapse's answer are checked before it opens, so a wrong URL is one
    /// line on stderr, not a form that fails at Create.
    private func runInteractiveThroughSynapse(_ frontEnd: FrontEnd, config: HomeserverConfig?, server: String) throws -> ExitStatus {
        guard let config else {
            throw Failure.usage("the form needs the server's name and rules: pass -c homeserver.yaml, or -u and -p (or --password-file) for a registration without one")
        }
        let registration = SharedSecretRegistration(serverURL: server, secret: try sharedSecret.map(Secret.init) ?? sharedSecretFromConfig(config))
        _ = try registration.nonce()
        let audit = AuditLog(isEnabled: !noAudit, mode: frontEnd.auditMode, database: nil, invoker: .current, source: nil, server: server)
        return try run(frontEnd, backend: SynapseWizardBackend(
            config: config, registration: registration, judge: passwordJudge(config: config, scoresAlways: true), audit: audit))
    }

    /// The positional URL, else the config's client listener, else Synapse's script's default.
    private func synapseURL(config: HomeserverConfig?) -> String {
        if let serverURL { return serverURL }
        if let url = config?.clientURL { return url }
        Console.note("No server URL given\(config == nil ? "" : " and no client listener in the config"); trying \(Self.defaultSynapseURL), as Synapse's script does.")
        return Self.defaultSynapseURL
    }

    private func synapseOutcome(config: HomeserverConfig?, server: String, chose: (UserID) -> Void) throws -> SynapseOutcome {
        guard let userInput = user else { throw missing(.userID, what: "user ID") }
        guard password != nil || passwordFile != nil || generatePassword else { throw missing(.password, what: "password") }
        let secret = try sharedSecret.map(Secret.init) ?? sharedSecretFromConfig(config)

        let userID = try synapseUserID(userInput, config: config)
        chose(userID)
        if UserIDRules(serverName: userID.serverName).foldsCase(userInput) {
            Console.note("User IDs are lower case: creating \(Self.named(userID)), as Synapse's own registration would.")
        }
        let password = generatePassword
            ? PasswordGenerator.generate(meeting: config?.password.policy ?? PasswordPolicy()) : try readPassword()
        if verifyLogin != nil, !dryRun, let key = config?.password.passwordLoginsOffBy {
            throw Failure(.loginFailed, kind: "login_disabled",
                          "--verify-login: \(key) is false, so Synapse lets no password log in; nothing was registered")
        }
        // The same checks as a direct write, where they need no database: Synapse skips the
        // password policy for this endpoint, and an admin who configured one expects it met.
        try Registrar.validate(
            RegistrationRequest(userID: userID, password: password, userType: userType, displayName: displayName),
            userTypes: config?.userTypes.all)
        let verdict = passwordJudge(config: config, scoresAlways: false).judge(
            password, for: PasswordAccount(localpart: userID.localpart, displayName: displayName, serverName: userID.serverName))
        if let refusal = verdict.refusal {
            // With --exists-ok an existing account ends the run before its password matters, so a
            // provisioning script stays idempotent when the policy has changed since.
            if existsOK, AvailabilityCheck(serverURL: server).check(userID.localpart) == .taken {
                return .exists(Self.named(userID), server: server)
            }
            throw refusal
        }
        warn(about: verdict)

        let account = SharedSecretAccount(
            localpart: userID.localpart, password: password, admin: admin, userType: userType,
            displayName: displayName, issueToken: printToken)
        let registration = SharedSecretRegistration(serverURL: server, secret: secret)
        do {
            let nonce = try registration.nonce()
            if dryRun { return .wouldCreate(account, userID: userID, server: registration.serverURL) }
            let startedMs = Int64(Date().timeIntervalSince1970 * 1000)
            let answer = try registration.register(account, nonce: nonce)
            let created = Self.userID(answer.userID) ?? userID
            let result = RegistrationResult(
                userID: created, admin: admin, userType: userType, displayName: displayName ?? created.localpart,
                deviceID: answer.deviceID, accessToken: answer.accessToken,
                tokenExpiresAtMs: answer.expiresInMs.map { startedMs + $0 }, tablesWritten: [])
            let login = verifyLogin.map { url in
                LoginCheck().run(url: url ?? registration.serverURL, userID: created, password: password)
            }
            return .created(result, server: registration.serverURL, login: login,
                            generatedPassword: generatePassword ? password : nil)
        } catch {
            guard case .userInUse = error else { throw error }
            if existsOK { return .exists(Self.named(userID), server: registration.serverURL) }
            throw RegistrationError.userExists(existing: Self.named(userID))
        }
    }

    /// The secret the config names; one line naming both keys when neither is set.
    private func sharedSecretFromConfig(_ config: HomeserverConfig?) throws -> Secret {
        guard let config else { throw Failure.usage("--via-synapse reads the shared secret from the config; pass -c homeserver.yaml, or -k SECRET") }
        do {
            return try config.sharedSecret.get().resolve()
        } catch {
            throw Failure(.invalidConfig, kind: "invalid_config", error.description)
        }
    }

    /// The user ID, checked by the config's rules; without a config, only the localpart can be
    /// checked, and a full ID is refused since its server cannot be.
    private func synapseUserID(_ input: String, config: HomeserverConfig?) throws -> UserID {
        if let config { return try UserIDRules(config: config).parse(input) }
        guard !input.hasPrefix("@") else {
            throw Failure.usage("-u \(input): without -c this tool cannot check the server name; give the localpart alone, or -c homeserver.yaml")
        }
        let rules = UserIDRules(serverName: "")
        return try rules.parse(input)
    }

    /// The user ID as messages name it: without a config the server's name is known only from
    /// Synapse's answer, so before it the localpart alone.
    static func named(_ userID: UserID) -> String {
        userID.serverName.isEmpty ? userID.localpart : userID.description
    }

    /// `@localpart:server` from Synapse's answer.
    private static func userID(_ text: String) -> UserID? {
        guard text.hasPrefix("@"), let colon = text.firstIndex(of: ":") else { return nil }
        return UserID(localpart: String(text[text.index(after: text.startIndex)..<colon]),
                      serverName: String(text[text.index(after: colon)...]))
    }

    /// `--dry-run`'s account of the request: every key of the body, the password and the MAC
    /// as what they stand for.
    static func describe(_ account: SharedSecretAccount, to server: String) -> String {
        var lines = ["POST \(server)/_synapse/admin/v1/register"]
        let rows: [(String, String)] = [
            ("nonce", "<the nonce Synapse gives>"),
            ("username", JSONObject.quoted(account.localpart)),
            ("password", "<the password>"),
            ("mac", "<HMAC-SHA1 of nonce, username, password, admin and user type under the shared secret>"),
            ("admin", account.admin ? "true" : "false"),
            ("user_type", account.userType.map(JSONObject.quoted) ?? "null"),
            ("displayname", account.displayName.map(JSONObject.quoted) ?? "null (Synapse uses the localpart)"),
            account.issueToken
                ? ("initial_device_display_name", JSONObject.quoted(TokenRequest.toolDeviceName))
                : ("inhibit_login", "true"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        lines += rows.map { "  " + $0.0.padded(to: width) + "  " + $0.1 }
        return lines.joined(separator: "\n")
    }
}
