import Core
import Foundation
import TUI

// MARK: - Opening the wizard

extension RegisterCommand {
    /// Whether the full-screen form should open: something is missing, prompting is allowed, and
    /// both ends are a terminal (never escape codes into a pipe, never a wait on a closed stdin).
    var wantsWizard: Bool {
        let missing = user == nil || (password == nil && passwordFile == nil)
        return missing && !noInput && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// Runs the form over an already opened database and reports how it ended.
    func runWizard(config: HomeserverConfig, registrar: sending Registrar) throws -> ExitStatus {
        let backend = CoreWizardBackend(
            config: config, registrar: registrar, allowsPolicyOverride: ignorePasswordPolicy,
            requiredScore: max(3, minStrength ?? 3))
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
        case .interrupted(let signal, let duringWrite):
            Console.error(duringWrite
                ? "interrupted by signal \(signal) while the account was being written; check whether it exists"
                : "interrupted by signal \(signal); nothing was written")
            return ExitStatus(rawValue: 128 + signal) ?? .cancelled
        case .terminalUnavailable(let message):
            throw Failure(.usage, "\(message); pass the values as flags with --no-input instead")
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
    let allowsPolicyOverride: Bool
    let requiredScore: Int

    init(config: HomeserverConfig, registrar: sending Registrar, allowsPolicyOverride: Bool, requiredScore: Int) {
        self.requiredScore = requiredScore
        self.config = config
        self.rules = registrar.rules
        // From here on the registrar is only touched inside the session.
        self.database = DatabaseSession(registrar: registrar)
        self.hasher = PasswordHasher(config: config)
        self.allowsPolicyOverride = allowsPolicyOverride
    }

    var serverName: String { config.serverName }
    var databaseDescription: String { config.database?.description ?? "" }
    var passwordPolicy: PasswordPolicy { config.password.policy }
    var userTypes: [String] { config.userTypes.all }

    func validateUserID(_ input: String) -> UserIDValidation {
        do {
            return .valid(try rules.parse(input).description)
        } catch {
            return .invalid(error.message)
        }
    }

    func strength(of password: Secret, userInputs: [String]) -> StrengthSummary {
        do {
            return StrengthSummary(try PasswordStrengthEstimator.shared().estimate(password.revealed, userInputs: userInputs))
        } catch {
            // Without its word lists the estimate would overrate common passwords: say so instead.
            return .unavailable(error.description)
        }
    }

    func exceeds72Bytes(_ password: Secret) -> Bool {
        hasher.truncation(of: password) != .none
    }

    func generatePassword() -> Secret {
        PasswordGenerator.generate()
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
        do {
            try PasswordHasher.validate(request.password)
        } catch {
            throw WizardFailure(error.message, field: .password)
        }
        let failed = passwordPolicy.checks(for: request.password.revealed).filter { !$0.passed }
        if let first = failed.first, !(allowsPolicyOverride && request.overridesPolicy) {
            throw WizardFailure(first.failureMessage, field: .password)
        }
        var core = RegistrationRequest(
            userID: userID, password: request.password, admin: request.admin, userType: request.userType,
            displayName: request.displayName.isEmpty ? nil : request.displayName)
        if request.issueToken {
            do {
                core.token = TokenRequest(validityMs: try request.tokenValidityDays.map(SynapseDuration.milliseconds(days:)))
            } catch {
                throw WizardFailure("Enter a number of days from 1 to \(SynapseDuration.maximumDays).", field: .tokenValidity)
            }
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
            case .invalidRequest(let flag, let message):
                throw WizardFailure(message, field: flag == "--user-type" ? .userType : .displayName)
            case .serverNameMismatch, .database:
                throw WizardFailure(error.description)
            }
        } catch let error as PasswordError {
            throw WizardFailure(error.message, field: .password)
        }
    }
}

// MARK: - Generated passwords

/// Random passwords for the wizard's "generate" action.
enum PasswordGenerator {
    /// Letters and digits without the look-alikes (`0`/`O`, `1`/`l`/`I`), so a password read off
    /// the screen can be typed back.
    static let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// Four groups of five characters: about 115 bits from the system's random generator.
    static func generate() -> Secret {
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<4).map { _ in
            String((0..<5).map { _ in alphabet.randomElement(using: &generator)! })
        }
        return Secret(groups.joined(separator: "-"))
    }
}
