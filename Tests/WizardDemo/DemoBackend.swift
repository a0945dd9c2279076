import Core
import Foundation
import TUI

/// An in-memory backend for trying the wizard without a homeserver: nothing is saved.
///
/// Its user-ID rules follow Synapse's; passwords are judged by Core, with the real estimator. `alice` and `admin` are taken; the localpart
/// `fail` makes the write fail as a locked database would.
struct DemoBackend: WizardBackend {
    let serverName = "example.org"
    let databaseDescription = "in memory (demo: nothing is saved)"
    /// Judged by Core's real judge and estimator, so the demo's meter is the tool's.
    let judge = PasswordJudge(requirements: PasswordRequirements(
        policy: PasswordPolicy(enabled: true, minimumLength: 10, requireDigit: true, requireLowercase: true),
        ignoresPolicy: true))
    var passwordRequirements: PasswordRequirements { judge.requirements }
    let userTypes = ["bot", "support"]
    /// Offered as on SQLite, where a backup is always possible; the demo only pretends to make it.
    let backupOffer = WizardBackupOffer(isDefault: true, note: "Demo: no copy is made.")
    /// How long the pretend database takes to answer.
    var latency: Duration = .milliseconds(150)
    /// How long the pretend bcrypt and transaction take.
    var writeTime: Duration = .milliseconds(900)

    private static let taken: Set<String> = ["@alice:example.org", "@admin:example.org"]

    // MARK: - Rules

    func validateUserID(_ input: String) -> UserIDValidation {
        var localpart = Substring(input)
        if localpart.hasPrefix("@") {
            localpart = localpart.dropFirst()
            guard let colon = localpart.firstIndex(of: ":") else {
                return .invalid("A full user ID needs its server: @\(localpart):\(serverName).")
            }
            let server = localpart[localpart.index(after: colon)...]
            guard server == serverName else { return .invalid("The server must be \(serverName), not \(server).") }
            localpart = localpart[..<colon]
        }
        let lowered = localpart.lowercased()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._=-/+")
        if lowered.isEmpty { return .invalid("The localpart is empty.") }
        if let bad = lowered.first(where: { !allowed.contains($0) }) {
            return .invalid("\"\(bad)\" is not allowed: use a-z, 0-9 and . _ = - / +.")
        }
        if lowered.hasPrefix("_") { return .invalid("A user ID may not begin with _.") }
        if lowered.allSatisfy(\.isNumber) { return .invalid("Numeric user IDs are reserved for guests.") }
        let id = "@\(lowered):\(serverName)"
        if id.utf8.count > 255 { return .invalid("The user ID is longer than 255 bytes.") }
        return .valid(id)
    }

    func assess(_ password: Secret, for account: PasswordAccount) -> PasswordAssessment {
        PasswordAssessment(judge.judge(password, for: account))
    }

    func generatePassword() -> Secret {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!")
        var generator = SystemRandomNumberGenerator()
        return Secret(String((0..<24).map { _ in alphabet.randomElement(using: &generator)! }))
    }

    // MARK: - Database

    func isTaken(_ userID: String) async throws -> Bool {
        try await Task.sleep(for: latency)
        return Self.taken.contains(userID.lowercased())
    }

    func register(_ request: WizardRequest) async throws -> WizardOutcome {
        try await Task.sleep(for: writeTime)
        if request.userID.hasPrefix("@fail:") {
            throw WizardFailure("database is locked (demo).")
        }
        if Self.taken.contains(request.userID) {
            throw WizardFailure("\(request.userID) already exists.", field: .userID)
        }
        var token: Secret?
        var expiry: String?
        if request.issueToken {
            let localpart = request.userID.dropFirst().prefix { $0 != ":" }
            let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            let random = String((0..<20).map { _ in letters.randomElement()! })
            let encoded = Data(localpart.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            token = Secret("syt_\(encoded)_\(random)_0demo0")
            if let milliseconds = request.tokenValidityMs {
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
                formatter.timeZone = TimeZone(identifier: "UTC")
                expiry = formatter.string(from: Date().addingTimeInterval(Double(milliseconds) / 1000))
            }
        }
        return WizardOutcome(
            userID: request.userID, displayName: request.displayName, admin: request.admin,
            userType: request.userType, token: token, tokenExpiry: expiry,
            backupPath: request.backup ? "(demo: no backup was made)" : nil)
    }
}
