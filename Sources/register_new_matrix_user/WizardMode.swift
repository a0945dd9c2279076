import Core
import Foundation
import TUI

// MARK: - Opening the wizard

extension RegisterCommand {
    /// Whether the full-screen form should open: something is missing, prompting is allowed, and
    /// both ends are a terminal (never escape codes into a pipe, never a wait on a closed stdin).
    var wantsWizard: Bool {
        let missing = user == nil || (password == nil && passwordFile == nil)
        // --generate-password is flag mode's: the form has its own generator.
        guard fromFile == nil, !json, !dryRun, !generatePassword else { return false }
        return missing && !noInput && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// Runs the form over an already opened database and reports how it ended.
    func runWizard(config: HomeserverConfig, registrar: sending Registrar) throws -> ExitStatus {
        let backend = CoreWizardBackend(
            config: config, registrar: registrar, judge: passwordJudge(config: config, scoresAlways: true))
        let prefill = WizardPrefill(
            userID: user, displayName: displayName, password: try password.map(Secret.init) ?? prefilledPasswordFile(),
            admin: admin ? true : (noAdmin ? false : nil), userType: userType,
            issueToken: nil, tokenValidityDays: nil)
        switch WizardApp.run(backend: backend, prefill: prefill) {
        case .created(let outcome):
            var details: [String] = []
            if outcome.admin { details.append("admin") }
            if let type = outcome.userType { details.append(type) }
            if outcome.token != nil { details.append("token shown once, on screen") }
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

/// Answers the wizard's questions with Core: the user-ID rules, the strength estimator, the
/// password pipeline and the registrar.
struct CoreWizardBackend: WizardBackend {
    let config: HomeserverConfig
    let rules: UserIDRules
    let database: DatabaseSession
    let hasher: PasswordHasher
    let judge: PasswordJudge

    init(config: HomeserverConfig, registrar: sending Registrar, judge: PasswordJudge) {
        self.judge = judge
        self.config = config
        self.rules = registrar.rules
        // From here on the registrar is only touched inside the session.
        self.database = DatabaseSession(registrar: registrar)
        self.hasher = PasswordHasher(config: config)
    }

    var serverName: String { config.serverName }
    var databaseDescription: String { config.database?.description ?? "" }
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
            core.token = TokenRequest(validityMs: request.tokenValidityDays.map { Int64($0) * 86_400_000 })
        }
        let result = try await database.register(core, hasher: hasher)
        return WizardOutcome(
            userID: result.userID.description, displayName: result.displayName, admin: result.admin,
            userType: result.userType, token: result.accessToken,
            tokenExpiry: result.tokenExpiresAtMs.map { Self.format(milliseconds: $0) })
    }

    static func format(milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
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

    func register(_ request: RegistrationRequest, hasher: PasswordHasher) throws -> RegistrationResult {
        do {
            return try registrar.create(request, hasher: hasher)
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
