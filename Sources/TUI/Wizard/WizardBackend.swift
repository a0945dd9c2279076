import Core
import Zxcvbn

/// What the wizard needs from the rest of the tool: the server's rules, the database, the registrar.
///
/// The executable implements it over Core; tests and the demo implement it in memory. The
/// synchronous requirements are called on the input loop for every keystroke and must be fast
/// and free of I/O. The `async` ones are called off the input loop.
package protocol WizardBackend: Sendable {
    /// `server_name` from the config, shown next to the user ID.
    var serverName: String { get }
    /// Where the account will be written, for the review screen: "SQLite /var/lib/synapse/homeserver.db".
    var databaseDescription: String { get }
    /// What passwords must meet: `password_config.policy` (shown as a checklist), whether it may
    /// be overridden, and the minimum strength score.
    var passwordRequirements: PasswordRequirements { get }
    /// The user types to offer besides "none": `bot`, `support` and the config's extra types.
    var userTypes: [String] { get }
    /// The Options step's "back up the database first": on by default where a backup can be
    /// made (SQLite always; PostgreSQL when a recent enough `pg_dump` is installed).
    var backupOffer: WizardBackupOffer { get }

    /// Checks a localpart or full user ID against Synapse's rules.
    /// - Returns: The full `@localpart:server`, or a message saying what is wrong.
    func validateUserID(_ input: String) -> UserIDValidation

    /// Judges the password for the account being made: strength (the account's own words
    /// count against it), policy, bcrypt's 72 bytes, and whether it may be used at all.
    func assess(_ password: Secret, for account: PasswordAccount) -> PasswordAssessment

    /// A new random password from the system CSPRNG.
    func generatePassword() -> Secret

    /// Whether the user ID exists already, compared case-insensitively.
    func isTaken(_ userID: String) async throws -> Bool

    /// Writes the account in one transaction.
    /// - Throws: ``WizardFailure``, naming the field at fault where there is one. Any other error
    ///   is shown by its description on the review screen.
    func register(_ request: WizardRequest) async throws -> WizardOutcome

    /// Logs the new account in through the running Synapse, checks it, and logs that session out.
    func testLogin(_ userID: String, password: Secret) async -> LoginTestAnswer
}

/// What the result screen's login test found.
package struct LoginTestAnswer: Sendable, Equatable {
    package enum Verdict: Sendable, Equatable {
        /// The account logged in.
        case passed
        /// Synapse refused it: the account is not what it expects.
        case failed
        /// No answer, or no conclusion (Synapse not running, rate limited).
        case unknown
    }

    package var verdict: Verdict
    /// One sentence for the screen.
    package var message: String

    package init(_ verdict: Verdict, _ message: String) {
        self.verdict = verdict
        self.message = message
    }
}

extension WizardBackend {
    package var databaseDescription: String { "" }

    package func testLogin(_ userID: String, password: Secret) async -> LoginTestAnswer {
        LoginTestAnswer(.unknown, "This form cannot test logins.")
    }
}

// MARK: - Values crossing the boundary

/// The result of checking a user ID as typed.
package enum UserIDValidation: Sendable, Equatable {
    /// The full user ID, `@localpart:server`.
    case valid(String)
    /// What is wrong, as a sentence for the admin.
    case invalid(String)
}

/// Core's verdict on a password, as the password step shows it and acts on it.
package struct PasswordAssessment: Sendable, Equatable {
    /// The meter's reading; nil when the password was not scored.
    package var strength: StrengthSummary?
    /// Each rule of the server's policy, passed or failed.
    package var policyChecks: [PasswordPolicy.Check]
    /// Whether NFKC(password) plus the pepper is longer than the 72 bytes bcrypt reads.
    package var exceeds72Bytes: Bool
    /// Why the password cannot be used, as a sentence beside the field; nil when it can.
    package var refusal: String?
    /// Whether it scores below what is advised: usable after a confirmation.
    package var isWeak: Bool
    /// Whether it fails the policy but may be used because the policy is overridden.
    package var overridesPolicy: Bool

    package init(strength: StrengthSummary?, policyChecks: [PasswordPolicy.Check] = [], exceeds72Bytes: Bool = false,
                refusal: String? = nil, isWeak: Bool = false, overridesPolicy: Bool = false) {
        self.strength = strength
        self.policyChecks = policyChecks
        self.exceeds72Bytes = exceeds72Bytes
        self.refusal = refusal
        self.isWeak = isWeak
        self.overridesPolicy = overridesPolicy
    }

    /// Whether the admin is asked to confirm before the password is used.
    package var asksConfirmation: Bool { refusal == nil && (isWeak || overridesPolicy) }

    /// The refusal of a password below `--min-strength`, beside the field.
    package static func tooWeak(score: Int, minimum: Int) -> String {
        "Strength \(StrengthWording.scoreText(score)) is below the \(StrengthWording.scoreText(minimum)) this server requires."
    }

    /// Core's verdict, worded for the form.
    package init(_ verdict: PasswordVerdict) {
        var strength: StrengthSummary?
        switch verdict.strength {
        case .notScored: break
        case .scored(let scored): strength = StrengthSummary(scored)
        case .unavailable(let reason): strength = StrengthSummary.unavailable(reason)
        }
        let refusal: String? =
            switch verdict.refusal {
            case nil: nil
            case .invalid(let error): "The password \(error.message.replacingOccurrences(of: "the password ", with: ""))."
            case .policy: "The password does not meet the server's policy."
            case .tooWeak(let score, _, let minimum, _): PasswordAssessment.tooWeak(score: score, minimum: minimum)
            case .strengthUnavailable(let reason): reason
            }
        self.init(strength: strength, policyChecks: verdict.policyChecks, exceeds72Bytes: verdict.truncation != .none,
                  refusal: refusal, isWeak: verdict.isWeak, overridesPolicy: verdict.overridesPolicy)
    }
}

/// A strength estimate reduced to what the meter shows.
package struct StrengthSummary: Sendable, Equatable {
    /// The zxcvbn score, 0 (very weak) to 4 (strong).
    package var score: Int
    /// The score's word from ``StrengthWording``: "fair".
    package var label: String
    /// What guessing it takes, online and from a stolen hash (``StrengthWording/guessingLine(score:crackTime:)``).
    package var guessing: String
    /// The most important problem, if any: "This is a very common password".
    package var warning: String?
    /// Up to a few ways to improve it.
    package var suggestions: [String]

    package init(score: Int, label: String, guessing: String, warning: String? = nil, suggestions: [String] = []) {
        self.score = score
        self.label = label
        self.guessing = guessing
        self.warning = warning
        self.suggestions = suggestions
    }
}

/// Whether the form offers a backup before the write, and what it says under the toggle.
package struct WizardBackupOffer: Sendable, Equatable {
    /// Whether the toggle starts on.
    package var isDefault: Bool
    /// One line under the toggle: where the copy goes, or why it cannot be made.
    package var note: String

    package init(isDefault: Bool, note: String) {
        self.isDefault = isDefault
        self.note = note
    }

    /// No backup offered by default, and nothing said about it.
    package static let none = WizardBackupOffer(isDefault: false, note: "")
}

/// Everything the wizard asks the backend to write.
package struct WizardRequest: Sendable, Equatable {
    /// The full user ID, `@localpart:server`.
    package var userID: String
    package var displayName: String
    package var password: Secret
    package var admin: Bool
    /// `nil` for an ordinary user.
    package var userType: String?
    /// Whether to mint an access token (with a device).
    package var issueToken: Bool
    /// The token's lifetime in milliseconds, as `--token-validity` reads it; `nil` for a token that never expires.
    package var tokenValidityMs: Int64?
    /// Whether to back the database up first; no account is written if the backup fails.
    package var backup: Bool

    package init(
        userID: String, displayName: String, password: Secret, admin: Bool, userType: String?,
        issueToken: Bool, tokenValidityMs: Int64?, backup: Bool = false
    ) {
        self.backup = backup
        self.userID = userID
        self.displayName = displayName
        self.password = password
        self.admin = admin
        self.userType = userType
        self.issueToken = issueToken
        self.tokenValidityMs = tokenValidityMs
    }
}

/// What was written, for the result screen.
package struct WizardOutcome: Sendable, Equatable {
    package var userID: String
    package var displayName: String
    package var admin: Bool
    package var userType: String?
    /// The access token, when one was issued. Shown once.
    package var token: Secret?
    /// The device the token belongs to, which the admin can later find or log out by this id.
    package var deviceID: String?
    /// When the token expires, already formatted ("2026-12-27 07:21 UTC"); `nil` when it never does.
    package var tokenExpiry: String?
    /// The backup made before the write, when one was.
    package var backupPath: String?

    package init(
        userID: String, displayName: String, admin: Bool, userType: String? = nil,
        token: Secret? = nil, deviceID: String? = nil, tokenExpiry: String? = nil, backupPath: String? = nil
    ) {
        self.deviceID = deviceID
        self.backupPath = backupPath
        self.userID = userID
        self.displayName = displayName
        self.admin = admin
        self.userType = userType
        self.token = token
        self.tokenExpiry = tokenExpiry
    }
}

/// A registration error that the wizard shows beside the field it concerns.
package struct WizardFailure: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    /// The field at fault, or `nil` for a failure of the whole write (the database, the schema).
    package var field: WizardField?

    package init(_ message: String, field: WizardField? = nil) {
        self.message = message
        self.field = field
    }

    package var description: String { message }
}

/// The fields an error can point at.
package enum WizardField: Sendable, Hashable {
    case userID, displayName, password, confirmation, admin, userType, issueToken, tokenValidity, backup
}

/// Values given as flags, shown in their fields when the wizard opens.
package struct WizardPrefill: Sendable, Equatable {
    /// A localpart or a full user ID, as typed on the command line.
    package var userID: String?
    package var displayName: String?
    /// Fills both the password and its confirmation.
    package var password: Secret?
    package var admin: Bool?
    package var userType: String?
    package var issueToken: Bool?
    /// The token's lifetime as `--token-validity` takes it: `30`, `0.5`, `12h`.
    package var tokenValidity: String?
    /// `--backup` given: the toggle starts on whatever the backend's default.
    package var backup: Bool?

    package init(
        userID: String? = nil, displayName: String? = nil, password: Secret? = nil, admin: Bool? = nil,
        userType: String? = nil, issueToken: Bool? = nil, tokenValidity: String? = nil, backup: Bool? = nil
    ) {
        self.backup = backup
        self.userID = userID
        self.displayName = displayName
        self.password = password
        self.admin = admin
        self.userType = userType
        self.issueToken = issueToken
        self.tokenValidity = tokenValidity
    }
}

/// How the wizard ended. The terminal has been restored by the time the caller sees it.
package enum WizardResult: Sendable, Equatable {
    /// The account was written.
    case created(WizardOutcome)
    /// The admin cancelled (Esc on the first step, Ctrl-C): nothing was written.
    case cancelled
    /// A signal ended the wizard. One that came while the account was written waited for the
    /// write to end: `written` is the account when it was written, nil when nothing was.
    case interrupted(signal: Int32, written: WizardOutcome?)
    /// The terminal could not be used (unknown `TERM`, not a terminal, input closed).
    case terminalUnavailable(String)
}

extension StrengthSummary {
    /// The meter's view of Core's zxcvbn estimate.
    package init(_ strength: PasswordStrength) {
        self.init(
            score: strength.score.rawValue, label: strength.score.word, guessing: strength.guessingLine,
            warning: strength.feedback.warning?.message, suggestions: strength.feedback.suggestions.map(\.message))
    }

    /// The label of an estimate that could not be made.
    package static let unknownLabel = "unknown"

    /// What the meter shows when the estimator cannot run: the lowest score, never a guess.
    package static func unavailable(_ reason: String) -> StrengthSummary {
        StrengthSummary(score: 0, label: unknownLabel, guessing: "Not estimated: the estimator cannot run.", warning: reason)
    }
}
