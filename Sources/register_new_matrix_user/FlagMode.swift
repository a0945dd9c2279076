import Core
import Foundation

/// Flag mode: every value from the command line, no prompt, output made for scripts.
extension RegisterCommand {
    func registerFromFlags(config: HomeserverConfig) throws -> ExitStatus {
        guard let userInput = user else { throw missing(.userID, what: "user ID") }
        guard password != nil || passwordFile != nil else { throw missing(.password, what: "password") }

        let userID = try UserIDRules(config: config).parse(userInput)
        let audit = auditLog(.flags, config: config)
        let account = AuditLog.Account(userID: userID.description, admin: admin, userType: userType)
        var created: RegistrationResult?
        do {
            let status = try register(userID, config: config) { created = $0 }
            if let created {
                audit.created(created)
            } else if status == .success {  // --exists-ok found the account
                audit.unchanged(account)
            } else {  // a signal came before the write
                audit.notCreated(account, Failure(status, kind: "cancelled", "interrupted by a signal"))
            }
            return status
        } catch {
            audit.notCreated(account, Failure(error))
            throw error
        }
    }

    /// Flag mode once the user ID is known: from here every way the run ends is audited.
    private func register(
        _ userID: UserID, config: HomeserverConfig, created: (RegistrationResult) -> Void
    ) throws -> ExitStatus {
        let secret = try readPassword()
        // With --exists-ok an existing account ends the run before the password is judged, so a
        // provisioning script stays idempotent when the policy has changed since.
        var opened: Registrar?
        if existsOK {
            let registrar = try openRegistrar(config: config)
            if let existing = try registrar.existingUser(userID) { return try alreadyExists(existing) }
            opened = registrar
        }
        let account = PasswordAccount(localpart: userID.localpart, displayName: displayName, serverName: config.serverName)
        let verdict = passwordJudge(config: config, scoresAlways: false).judge(secret, for: account)
        if let refusal = verdict.refusal { throw refusal }
        warn(about: verdict)

        let registrar = try opened ?? openRegistrar(config: config)
        if !registrar.schema.pendingDirectoryRebuilds.isEmpty {
            Console.warning("Synapse is still rebuilding its user directory; the new user may be left out of directory search until it finishes")
        }
        var request = RegistrationRequest(
            userID: userID, password: secret, admin: admin, userType: userType, displayName: displayName)
        if printToken { request.token = TokenRequest(validityMs: tokenValidity?.milliseconds) }

        // A signal while bcrypt works calls the run off; one that arrives once the transaction
        // has begun waits for it to end, so what is reported is what happened.
        let (outcome, signal) = SignalDeferral.during { caught in
            Result {
                try registrar.create(request, hasher: PasswordHasher(config: config), isCancelled: { caught() != nil })
            }
        }
        switch outcome {
        case .success(let result):
            created(result)
            report(result)
            if let signal {
                Console.note("Signal \(signal) came while the account was being written; it was written in full, then the run ended.")
            }
            return .success
        case .failure(RegistrationError.cancelled):
            Console.error("interrupted by signal \(signal ?? SIGINT) before the account was written; nothing was written")
            return signal.flatMap(ExitStatus.init(signal:)) ?? .cancelled
        case .failure(RegistrationError.userExists(let existing)):
            return try alreadyExists(existing)
        case .failure(let error):
            throw error
        }
    }

    /// What the verdict accepts but the admin should know.
    private func warn(about verdict: PasswordVerdict) {
        if verdict.overridesPolicy {
            Console.warning("password_config.policy: \(verdict.failedPolicyChecks.map(\.failureMessage).joined(separator: "; ")) (accepted: --ignore-password-policy)")
        }
        switch verdict.truncation {
        case .none: break
        case .passwordCut(let used):
            Console.warning("bcrypt uses only the first \(used) bytes of the password; the rest adds no strength")
        case .pepperCut:
            Console.warning("the password and password_config.pepper together pass bcrypt's 72-byte limit, so part of the pepper is not used")
        }
    }

    private func alreadyExists(_ existing: String) throws -> ExitStatus {
        guard existsOK else { throw RegistrationError.userExists(existing: existing) }
        Console.note("User \(existing) already exists; nothing changed.")
        return .success
    }

    private func report(_ result: RegistrationResult) {
        var details: [String] = []
        if result.admin { details.append("admin") }
        if let type = result.userType { details.append(type) }
        if let device = result.deviceID { details.append("device \(device)") }
        if let expiry = result.tokenExpiresAtMs {
            let date = Date(timeIntervalSince1970: Double(expiry) / 1000)
            details.append("token valid until \(date.formatted(.iso8601))")
        } else if result.accessToken != nil {
            Console.warning("the access token never expires; --token-validity limits it")
        }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        Console.note("Created \(result.userID)\(suffix).")
        if let token = result.accessToken { Console.output(token.revealed) }
    }
}
