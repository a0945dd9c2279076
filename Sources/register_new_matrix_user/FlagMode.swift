import Core
import FoundationEssentials
import Glibc

/// What a flag-mode run ended with, for the human line and the `--json` object.
enum FlagOutcome {
    /// `backup` is the copy `--backup` made just before the write; `generatedPassword` the password
    /// `--generate-password` made, to be shown once.
    case created(RegistrationResult, DatabaseEndpoint, login: LoginCheckOutcome?, backup: BackupResult?,
                 generatedPassword: Secret?)
    /// The user exists and `--exists-ok` was given: nothing changed.
    case exists(String, DatabaseEndpoint)
    /// `--dry-run`: what would be written.
    case wouldCreate(RegistrationPlan, DatabaseEndpoint)
}

/// Flag mode: every value from the command line, no prompt, output made for scripts.
extension RegisterCommand {
    func registerFromFlags(config: HomeserverConfig) throws -> ExitStatus {
        // From the moment the user ID is known, every way the run ends is audited.
        let audit = auditLog(.flags, config: config)
        var account: AuditLog.Account?
        let outcome: FlagOutcome
        do {
            outcome = try flagModeOutcome(config: config) { userID in
                account = AuditLog.Account(userID: userID.description, admin: admin, userType: userType)
            }
        } catch {
            if let account { audit.notCreated(account, Failure(error)) }
            throw error
        }
        switch outcome {
        case .created(let result, _, let login, _, let generated):
            audit.created(result)
            report(result, generatedPassword: generated, toStdout: !json)
            // A refused login is the run's failure, and --json's one object says so.
            if let login { try reportLogin(login, of: result.userID) }
        case .exists(let existing, _):
            if let account { audit.unchanged(account) }
            Console.note("User \(existing) already exists; nothing changed.")
        case .wouldCreate:
            // A dry run changes nothing, so there is nothing to audit.
            Console.note("Dry run: nothing was written; this is what the run would write.")
            if let note = dryRunBackupNote() { Console.note(note) }
        }
        if json {
            Console.output(ResultJSON.success(outcome).text)
        } else if case .wouldCreate(let plan, _) = outcome {
            Console.output(DryRunDescription(plan).text)
        }
        return .success
    }

    /// Everything flag mode does, up to what is to be reported.
    private func flagModeOutcome(config: HomeserverConfig, chose: (UserID) -> Void) throws -> FlagOutcome {
        guard let userInput = user else { throw missing(.userID, what: "user ID") }
        guard password != nil || passwordFile != nil || generatePassword else { throw missing(.password, what: "password") }

        let rules = UserIDRules(config: config)
        let userID = try rules.parse(userInput)
        chose(userID)
        if rules.foldsCase(userInput) {
            Console.note("User IDs are lower case: creating \(userID), as Synapse's own registration would.")
        }
        // A generated password is judged like any other (it always meets the policy) and, in a
        // dry run or when the user exists, never shown: it belongs to no account.
        let secret = generatePassword ? PasswordGenerator.generate(meeting: config.password.policy) : try readPassword()
        if verifyLogin != nil, !dryRun, let key = config.password.passwordLoginsOffBy {
            throw Failure(.loginFailed, kind: "login_disabled",
                          "--verify-login: \(key) is false, so Synapse lets no password log in; nothing was written")
        }
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
        if backupRequest != nil {
            // The checks create() makes first, made before the backup too: a taken name or a bad
            // user type must not cost a copy of the whole database.
            try registrar.validate(request)
            if let existing = try registrar.existingUser(userID) {
                if existsOK { return .exists(existing, endpoint) }
                throw RegistrationError.userExists(existing: existing)
            }
        }
        // A signal while the backup is made or bcrypt works calls the run off (a backup is
        // finished first, never left half-written); one that arrives once the transaction has
        // begun waits for it to end, so what is reported is what happened.
        let (outcome, signal) = SignalDeferral.during { caught in
            Result { () throws -> (RegistrationResult, BackupResult?) in
                let backup = try backupRequest.map { try backUp(registrar.connection, to: $0) }
                if caught() != nil { throw RegistrationError.cancelled }
                let result = try registrar.create(
                    request, hasher: PasswordHasher(config: config), isCancelled: { caught() != nil })
                return (result, backup)
            }
        }
        switch outcome {
        case .success(let (result, backup)):
            if let signal {
                Console.note("Signal \(signal) came while the account was being written; it was written in full, then the run ended.")
            }
            let login = verifyLogin.map { url in
                LoginCheck().run(
                    url: url ?? config.clientURLOrDefault,
                    userID: userID, password: secret)
            }
            return .created(result, endpoint, login: login, backup: backup,
                            generatedPassword: generatePassword ? secret : nil)
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

    /// `--verify-login`'s finding: a success, a warning, or the failure that says the account
    /// was written but cannot log in.
    func reportLogin(_ outcome: LoginCheckOutcome, of userID: UserID) throws {
        switch outcome {
        case .loggedIn(let url):
            Console.note("Logged in as \(userID) through Synapse at \(url); that session was logged out again.")
        case .notRunning(let url, let reason):
            Console.warning("--verify-login: no Synapse answered at \(url) (\(reason)); start it and log in to check")
        case .inconclusive(let url, let reason):
            Console.warning("--verify-login: could not finish the check at \(url): \(reason)")
        case .refused(let url, let reason):
            throw Failure(.loginFailed, kind: "login_refused",
                          "--verify-login: Synapse at \(url) refused the new account's login: \(reason); the account was written, but is not what Synapse expects: please report it")
        }
    }

    /// What the verdict accepts but the admin should know.
    func warn(about verdict: PasswordVerdict) {
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

    /// The summary on stderr; on stdout (unless `--json` carries them) the generated password,
    /// then the token, one line each.
    private func report(_ result: RegistrationResult, generatedPassword: Secret?, toStdout: Bool) {
        var details: [String] = []
        if result.admin { details.append("admin") }
        if let type = result.userType { details.append(type) }
        if generatedPassword != nil { details.append("generated password") }
        if let device = result.deviceID { details.append("device \(device)") }
        if let expiry = result.tokenExpiresAtMs {
            details.append("token valid until \(ResultJSON.iso8601(expiry))")
        } else if result.accessToken != nil {
            Console.warning("the access token never expires; --token-validity limits it")
        }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        Console.note("Created \(result.userID)\(suffix).")
        if toStdout, let generatedPassword { Console.output(generatedPassword.revealed) }
        if toStdout, let token = result.accessToken { Console.output(token.revealed) }
    }
}
