import Core
import TUI

/// A deterministic backend: fixed strength per length, a fixed generated password, one taken user.
struct TestBackend: WizardBackend {
    var serverName = "example.org"
    var databaseDescription = "SQLite /var/lib/matrix-synapse/homeserver.db"
    var passwordRequirements = PasswordRequirements(
        policy: PasswordPolicy(enabled: true, minimumLength: 8, requireDigit: true), ignoresPolicy: true)
    var userTypes = ["bot", "support"]
    var backupOffer = WizardBackupOffer(isDefault: false, note: "A checked copy beside the database.")
    /// Where a backup asked for lands; it is not made.
    static let backupPath = "/var/lib/matrix-synapse/homeserver.db.backup-20300101T000000Z"
    var taken: Set<String> = ["@alice:example.org"]
    var failure: WizardFailure?
    /// When set, passwords are judged exactly as the tool's form judges them: Core's verdict,
    /// the real estimator, in place of the predictable stand-in below.
    var realJudge: PasswordJudge?
    /// When set, user IDs are checked by Core's rules, with their real messages.
    var realUserIDRules: UserIDRules?

    static let generated = Secret("Generated-Passw0rd-for-tests")
    static let token = Secret("syt_Ym9i_abcdefghijklmnopqrst_1a2B3c")

    func validateUserID(_ input: String) -> UserIDValidation {
        if let realUserIDRules {
            do { return .valid(try realUserIDRules.parse(input).description) } catch { return .invalid(error.message) }
        }
        var localpart = Substring(input.lowercased())
        if localpart.hasPrefix("@") {
            let parts = localpart.dropFirst().split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[1] == serverName else {
                return .invalid("The server must be \(serverName).")
            }
            localpart = parts[0]
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._=-/+")
        guard !localpart.isEmpty, localpart.allSatisfy(allowed.contains) else {
            return .invalid("Use only a-z, 0-9 and . _ = - / +.")
        }
        return .valid("@\(localpart):\(serverName)")
    }

    /// Core's judge for the policy, NUL, length and 72-byte rules; a score of a quarter of the
    /// length (capped at 4) in place of the estimator, so that screens are predictable.
    func assess(_ password: Secret, for account: PasswordAccount) -> PasswordAssessment {
        if let realJudge { return PasswordAssessment(realJudge.judge(password, for: account)) }
        var assessment = PasswordAssessment(
            PasswordJudge(requirements: passwordRequirements, scoresAlways: false).judge(password, for: account))
        let score = min(password.revealed.count / 4, 4)
        assessment.strength = StrengthSummary(
            score: score, label: StrengthWording.word(for: score),
            guessing: StrengthWording.guessingLine(score: score, crackTime: "\(password.revealed.count) hours"),
            warning: score < 3 ? "Short passwords are easy to guess." : nil,
            suggestions: score < 3 ? ["Add another word or two."] : [])
        assessment.isWeak = passwordRequirements.asksAbout(score: score)
        if assessment.refusal == nil, let minimum = passwordRequirements.minimumScore, score < minimum {
            assessment.refusal = PasswordAssessment.tooWeak(score: score, minimum: minimum)
        }
        return assessment
    }

    func generatePassword() -> Secret { Self.generated }

    func isTaken(_ userID: String) async throws -> Bool { taken.contains(userID) }

    func register(_ request: WizardRequest) async throws -> WizardOutcome {
        if let failure { throw failure }
        return WizardOutcome(
            userID: request.userID, displayName: request.displayName, admin: request.admin,
            userType: request.userType, token: request.issueToken ? Self.token : nil,
            deviceID: request.issueToken ? "ABCDEFGHIJ" : nil,
            tokenExpiry: request.tokenValidityMs.map { _ in "2030-01-01 00:00 UTC" },
            backupPath: request.backup ? Self.backupPath : nil)
    }
}
