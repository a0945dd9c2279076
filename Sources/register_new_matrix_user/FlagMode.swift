import Core
import Foundation

/// What a flag-mode run ended with, for the human line and the `--json` object.
enum FlagOutcome {
    /// Created; `generatedPassword` is the password `--generate-password` made, to be shown once.
    case created(RegistrationResult, DatabaseEndpoint, generatedPassword: Secret?)
    /// The user exists and `--exists-ok` was given: nothing changed.
    case exists(String, DatabaseEndpoint)
    /// `--dry-run`: what would be written.
    case wouldCreate(RegistrationPlan, DatabaseEndpoint)
}

/// Flag mode: every value from the command line, no prompt, output made for scripts.
extension RegisterCommand {
    func registerFromFlags(config: HomeserverConfig) throws -> ExitStatus {
        let outcome = try flagModeOutcome(config: config)
        if json {
            Console.output(ResultJSON.success(outcome).text)
        }
        switch outcome {
        case .created(let result, _, let generated):
            if !json { report(result, generatedPassword: generated) }
        case .exists(let existing, _):
            Console.note("User \(existing) already exists; nothing changed.")
        case .wouldCreate(let plan, _):
            Console.note("Dry run: nothing was written; this is what the run would write.")
            if !json { Console.output(DryRunDescription(plan).text) }
        }
        return .success
    }

    /// Everything flag mode does, up to what is to be reported.
    private func flagModeOutcome(config: HomeserverConfig) throws -> FlagOutcome {
        guard let userInput = user else { throw missing(.userID, what: "user ID") }
        guard password != nil || passwordFile != nil || generatePassword else { throw missing(.password, what: "password") }

        let userID = try UserIDRules(config: config).parse(userInput)
        // A generated password is judged like any other (it always meets the policy) and, in a
        // dry run or when the user exists, never shown: it belongs to no account.
        let secret = generatePassword ? PasswordGenerator.generate(meeting: config.password.policy) : try readPassword()
        // With --exists-ok an existing account ends the run before the password is judged, so a
        // provisioning script stays idempotent when the policy has changed since.
        var opened: Registrar?
        if existsOK {
            let registrar = try openRegistrar(config: config)
            if let existing = try registrar.existingUser(userID) { return .exists(existing, registrar.connection.endpoint) }
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
        let endpoint = registrar.connection.endpoint

        if dryRun {
            do {
                return .wouldCreate(try registrar.preview(request), endpoint)
            } catch RegistrationError.userExists(let existing) where existsOK {
                return .exists(existing, endpoint)
            }
        }
        // A signal while bcrypt works calls the run off; one that arrives once the transaction
        // has begun waits for it to end, so what is reported is what happened.
        let (outcome, signal) = SignalDeferral.during { caught in
            Result {
                try registrar.create(request, hasher: PasswordHasher(config: config), isCancelled: { caught() != nil })
            }
        }
        switch outcome {
        case .success(let result):
            if let signal {
                Console.note("Signal \(signal) came while the account was being written; it was written in full, then the run ended.")
            }
            return .created(result, endpoint, generatedPassword: generatePassword ? secret : nil)
        case .failure(RegistrationError.cancelled):
            let number = signal ?? SIGINT
            throw Failure(ExitStatus(signal: number) ?? .cancelled, kind: "interrupted",
                          "interrupted by signal \(number) before the account was written; nothing was written")
        case .failure(RegistrationError.userExists(let existing)) where existsOK:
            return .exists(existing, endpoint)
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

    /// The summary on stderr; on stdout the generated password, then the token, one line each.
    private func report(_ result: RegistrationResult, generatedPassword: Secret?) {
        var details: [String] = []
        if result.admin { details.append("admin") }
        if let type = result.userType { details.append(type) }
        if generatedPassword != nil { details.append("generated password") }
        if let device = result.deviceID { details.append("device \(device)") }
        if let expiry = result.tokenExpiresAtMs {
            let date = Date(timeIntervalSince1970: Double(expiry) / 1000)
            details.append("token valid until \(date.formatted(.iso8601))")
        } else if result.accessToken != nil {
            Console.warning("the access token never expires; --token-validity limits it")
        }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        Console.note("Created \(result.userID)\(suffix).")
        if let generatedPassword { Console.output(generatedPassword.revealed) }
        if let token = result.accessToken { Console.output(token.revealed) }
    }
}
