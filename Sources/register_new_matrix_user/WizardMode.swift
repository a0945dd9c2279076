import Core
import FoundationEssentials
import Glibc
import TUI

// MARK: - Opening the form or the prompts

/// How missing values are asked for.
enum FrontEnd: Equatable {
    /// The full-screen form.
    case form
    /// The line-by-line prompts, and why the form is not used.
    case lines(LinesReason)

    /// How the audit trail names the front end.
    var auditMode: AuditLog.Mode { self == .form ? .form : .prompt }
}

extension RegisterCommand {
    /// How to ask for what is missing, or nil to ask nothing (flag mode then names the missing flag).
    ///
    /// Something must be missing, or `--prompt` given; prompting must be allowed and stdin a
    /// terminal, so a closed or piped stdin is never waited on. The form needs stdout to be a
    /// terminal it can draw on at 80×24 or more; every other console gets the prompts, on stderr.
    var frontEnd: FrontEnd? {
        let missing = user == nil || (password == nil && passwordFile == nil)
        // --generate-password is flag mode's: the form has its own generator.
        guard fromFile == nil, !json, !dryRun, !generatePassword else { return nil }
        guard missing || prompt, !noInput, isatty(STDIN_FILENO) == 1 else { return nil }
        guard let reason = ConsoleFacts.current(asked: prompt).linesReason else { return .form }
        return isatty(STDERR_FILENO) == 1 ? .lines(reason) : nil
    }

    /// Checks, before the config is read, that `--prompt` has a terminal to ask on.
    func validatePromptTerminal() throws {
        guard prompt else { return }
        if isatty(STDIN_FILENO) != 1 {
            throw Failure.usage("--prompt reads the answers from a terminal, and stdin is not one; pass the values as flags with --no-input instead")
        }
        if isatty(STDERR_FILENO) != 1 {
            throw Failure.usage("--prompt asks its questions on stderr, which is not a terminal; pass the values as flags with --no-input instead")
        }
    }

    /// Asks for the account on the front end chosen, over an already opened database, and
    /// reports how it ended.
    func runInteractive(_ frontEnd: FrontEnd, config: HomeserverConfig, registrar: sending Registrar) throws -> ExitStatus {
        let backend = CoreWizardBackend(
            config: config, registrar: registrar, judge: passwordJudge(config: config, scoresAlways: true),
            audit: auditLog(frontEnd.auditMode, config: config), backupPath: backupRequest ?? nil)
        return try run(frontEnd, backend: backend)
    }

    /// Asks on the front end chosen over a backend, prefilled from the flags, and reports how it ended.
    func run(_ frontEnd: FrontEnd, backend: some WizardBackend) throws -> ExitStatus {
        let prefill = WizardPrefill(
            userID: user, displayName: displayName, password: try password.map(Secret.init) ?? prefilledPasswordFile(),
            admin: admin ? true : (noAdmin ? false : nil), userType: userType,
            issueToken: nil, tokenValidity: nil, backup: backupRequest != nil ? true : nil)
        switch frontEnd {
        case .form:
            return try report(WizardApp.run(backend: backend, prefill: prefill))
        case .lines(let reason):
            return try report(LineApp.run(backend: backend, prefill: prefill, note: reason.note))
        }
    }

    /// The last word of an interactive run, said after the terminal is back to normal.
    private func report(_ result: WizardResult) throws -> ExitStatus {
        switch result {
        case .created(let outcome):
            var details: [String] = []
            if outcome.admin { details.append("admin") }
            if let type = outcome.userType { details.append(type) }
            if outcome.token != nil { details.append("token shown once, on screen") }
            if let backup = outcome.backupPath { Console.note("Backed up the database to \(backup) before the write.") }
            Console.note("Created \(outcome.userID)\(details.isEmpty ? "" : " (\(details.joined(separator: ", ")))").")
            return .success
        case .cancelled:
            Console.note("Cancelled; nothing was written.")
            return .cancelled
        case .interrupted(let signal, let written?):
            Console.note("Created \(written.userID); signal \(signal) arrived while it was being written, and the run ended once it was.")
            return .success
        case .interrupted(let signal, nil):
            Console.error("interrupted by signal \(signal); nothing was written")
            return ExitStatus(signal: signal) ?? .cancelled
        case .terminalUnavailable(let message):
            throw Failure.usage("\(message); pass the values as flags with --no-input instead")
        }
    }

    private func prefilledPasswordFile() throws -> Secret? {
        passwordFile == nil ? nil : try readPassword()
    }
}

// MARK: - The wizard's view of Core

/// The answers every backend takes from the config alone: the server's name, its user-ID rules,
/// its user types and the password verdict. Only availability and the write differ.
protocol ConfigRulesBackend: WizardBackend {
    var config: HomeserverConfig { get }
    var rules: UserIDRules { get }
    var judge: PasswordJudge { get }
}

extension ConfigRulesBackend {
    var serverName: String { config.serverName }
    var passwordRequirements: PasswordRequirements { judge.requirements }
    var userTypes: [String] { config.userTypes.all }

    func validateUserID(_ input: String) -> UserIDValidation {
        do {
            return .valid(try rules.parse(input).description)
        } catch {
            return .invalid(error.message)
        }
    }

    func assess(_ password: Secret, for account: PasswordAccount) -> PasswordAssessment {
        PasswordAssessment(judge.judge(password, for: account))
    }

    func generatePassword() -> Secret {
        PasswordGenerator.generate(meeting: config.password.policy)
    }
}

/// Answers the wizard's questions with Core: the user-ID rules, the strength estimator, the
/// password pipeline and the registrar.
struct CoreWizardBackend: ConfigRulesBackend {
    let config: HomeserverConfig
    let rules: UserIDRules
    let database: DatabaseSession
    let hasher: PasswordHasher
    let judge: PasswordJudge
    let audit: AuditLog
    /// `--backup PATH`, or nil for the engine's default place.
    let backupPath: String?
    let backupOffer: WizardBackupOffer

    init(config: HomeserverConfig, registrar: sending Registrar, judge: PasswordJudge, audit: AuditLog, backupPath: String?) {
        self.judge = judge
        self.audit = audit
        self.config = config
        self.rules = registrar.rules
        self.backupPath = backupPath
        self.backupOffer = Self.offer(
            availability: DatabaseBackup.availability(of: registrar.connection), engine: registrar.connection.engine,
            path: backupPath)
        // From here on the registrar is only touched inside the session.
        self.database = DatabaseSession(registrar: registrar)
        self.hasher = PasswordHasher(config: config)
    }

    var databaseDescription: String { config.database?.description ?? "" }

    func isTaken(_ userID: String) async throws -> Bool {
        let parsed = try rules.parse(userID)
        return try await database.existingUser(parsed) != nil
    }

    func register(_ request: WizardRequest) async throws -> WizardOutcome {
        let userID: UserID
        do {
            userID = try rules.parse(request.userID)
        } catch {
            throw WizardFailure(error.message, field: .userID)
        }
        let displayName = request.displayName.isEmpty ? nil : request.displayName
        // The same verdict the password step showed; judged again so that nothing reaches the
        // database that the rules refuse.
        let account = PasswordAccount(localpart: userID.localpart, displayName: displayName, serverName: serverName)
        if let refusal = PasswordAssessment(judge.judge(request.password, for: account)).refusal {
            throw WizardFailure(refusal, field: .password)
        }
        var core = RegistrationRequest(
            userID: userID, password: request.password, admin: request.admin, userType: request.userType,
            displayName: displayName)
        if request.issueToken {
            core.token = TokenRequest(validityMs: request.tokenValidityMs)
        }
        let (result, backup) = try await database.register(
            core, hasher: hasher, audit: audit, backup: request.backup ? .some(backupPath) : nil)
        return WizardOutcome(
            userID: result.userID.description, displayName: result.displayName, admin: result.admin,
            userType: result.userType, token: result.accessToken, deviceID: result.deviceID,
            tokenExpiry: result.tokenExpiresAtMs.map { Self.format(milliseconds: $0) }, backupPath: backup?.path)
    }

    /// The toggle's default and note. On by default for SQLite, where the copy is quick, beside
    /// the database and always possible; off for PostgreSQL, where it means running pg_dump
    /// into the current directory, and says why when pg_dump cannot be used.
    static func offer(availability: BackupAvailability, engine: DatabaseEngine, path: String?) -> WizardBackupOffer {
        switch (availability, engine) {
        case (.available, .sqlite):
            return WizardBackupOffer(
                isDefault: true, note: path.map { "A checked copy to \($0)." } ?? "A checked copy beside the database.")
        case (.available, .postgres):
            return WizardBackupOffer(
                isDefault: false, note: "With pg_dump, " + (path.map { "to \($0)." } ?? "into the current folder."))
        case (.unavailable(.toolMissing(let server)), _):
            return WizardBackupOffer(
                isDefault: false, note: "pg_dump is not installed: apt install postgresql-client\(server.map { "-\($0)" } ?? "")")
        case (.unavailable(.toolTooOld(let client, let server)), _):
            return WizardBackupOffer(
                isDefault: false, note: "pg_dump \(client) cannot dump this PostgreSQL \(server): install postgresql-client-\(server)")
        case (.unavailable(let cause), _):
            return WizardBackupOffer(isDefault: false, note: BackupError(path: path ?? "", cause).description)
        }
    }

    func testLogin(_ userID: String, password: Secret) async -> LoginTestAnswer {
        guard let parsed = try? rules.parse(userID) else { return LoginTestAnswer(.unknown, "\(userID) is not this server's.") }
        if let key = config.password.passwordLoginsOffBy {
            return LoginTestAnswer(.failed, "\(key) is false: Synapse lets no password in.")
        }
        switch LoginCheck().run(url: config.clientURLOrDefault, userID: parsed, password: password) {
        case .loggedIn(let url):
            return LoginTestAnswer(.passed, "Logged in at \(url), and out again.")
        case .notRunning(let url, _):
            return LoginTestAnswer(.unknown, "No Synapse answered at \(url); start it, then press t again.")
        case .inconclusive(_, let reason):
            return LoginTestAnswer(.unknown, "Could not finish the test: \(reason).")
        case .refused(_, let reason):
            return LoginTestAnswer(.failed, "Synapse refused the login: \(reason).")
        }
    }

    static func format(milliseconds: Int64) -> String {
        ReviewTable.minute(milliseconds) + " UTC"
    }
}

/// The open database, used by one task at a time: the wizard's availability checks and the
/// registration may overlap, and a connection is not safe to share.
actor DatabaseSession {
    private let registrar: Registrar

    init(registrar: sending Registrar) {
        self.registrar = registrar
    }

    func existingUser(_ userID: UserID) throws -> String? {
        try registrar.existingUser(userID)
    }

    /// Writes the account; the audit trail records the write, or why it failed, before the
    /// error becomes the form's.
    ///
    /// - Parameter backup: nil for no backup; `.some(nil)` for one at the default path. It is
    ///   made once the request is checked and the user ID found free, before the password is hashed.
    func register(_ request: RegistrationRequest, hasher: PasswordHasher, audit: AuditLog, backup: String??)
        throws -> (RegistrationResult, BackupResult?)
    {
        do {
            var made: BackupResult?
            if let path = backup {
                do {
                    try registrar.validate(request)
                    if let existing = try registrar.existingUser(request.userID) {
                        throw RegistrationError.userExists(existing: existing)
                    }
                    made = try DatabaseBackup.make(of: registrar.connection, to: path)
                } catch {
                    audit.notCreated(AuditLog.Account(request), Failure(error))
                    throw error
                }
            }
            let result = try audit.recording(AuditLog.Account(request)) { try registrar.create(request, hasher: hasher) }
            return (result, made)
        } catch let error as BackupError {
            throw WizardFailure(error.description, field: .backup)
        } catch let error as RegistrationError {
            switch error {
            case .userExists(let existing):
                throw WizardFailure("\(existing) already exists", field: .userID)
            case .invalidRequest(let field, let message):
                throw WizardFailure(message, field: WizardField(field))
            case .serverNameMismatch, .database, .cancelled:
                throw WizardFailure(error.description)
            }
        } catch let error as PasswordError {
            throw WizardFailure(error.message, field: .password)
        }
    }
}

extension WizardField {
    /// The form's field for a part of the account Core names.
    init(_ field: AccountField) {
        switch field {
        case .userID: self = .userID
        case .password: self = .password
        case .displayName: self = .displayName
        case .userType: self = .userType
        case .token: self = .tokenValidity
        }
    }
}
