import Core

/// The sentences both interactive front ends say: the full-screen form and the line-by-line
/// prompts. Kept in one place so that the two can never word a question or a verdict
/// differently; each front end only lays them out.
package enum Wording {
    // MARK: - Questions

    /// What making the account an admin means, before the question.
    package static func adminConsequence(for userID: String?, server: String) -> String {
        "\(userID ?? "This account") will be able to administer \(server): "
            + "manage every user and room, and read server-wide data."
    }

    package static let adminQuestion = "Make it a server admin?"

    /// Why a usable password is worth a second thought: weak, failing an overridden policy, or both.
    package static func passwordDoubts(
        weak: Bool, strength: StrengthSummary?, failsPolicy: Bool, failedRules: [String]
    ) -> [String] {
        var doubts: [String] = []
        if weak {
            let advised = StrengthWording.scoreText(PasswordRequirements.advisedScore)
            if let strength, strength.label != StrengthSummary.unknownLabel {
                doubts.append("This password scores \(StrengthWording.scoreText(strength.score)); \(advised) or more is advised.")
            } else {
                doubts.append("This password's strength could not be estimated; \(advised) or more is advised.")
            }
        }
        if failsPolicy {
            doubts.append("It does not meet the server's password policy: \(failedRules.joined(separator: ", ")).")
        }
        return doubts
    }

    package static let passwordQuestion = "Use it anyway?"

    // MARK: - The strength meter

    /// The score in words: "2/4 fair".
    package static func strengthScore(_ strength: StrengthSummary) -> String {
        "\(min(max(strength.score, 0), 4))/4 \(strength.label)"
    }

    /// The score the password falls short of, if any: "(4/4 required)", or "(3/4 advised)" when
    /// no minimum is set (a minimum, when set, is the only bar).
    package static func strengthShortfall(score: Int, minimum: Int?) -> String? {
        if let minimum { return score < minimum ? "(\(minimum)/4 required)" : nil }
        if score < PasswordRequirements.advisedScore { return "(\(PasswordRequirements.advisedScore)/4 advised)" }
        return nil
    }

    /// What guessing it takes: "Online: out of reach. From a stolen bcrypt hash: 3 hours."
    package static func crackTime(_ strength: StrengthSummary) -> String { strength.guessing }

    package static let bcryptTruncation = "Only the first 72 bytes count: bcrypt ignores the rest."

    // MARK: - Errors the front ends find themselves

    package static let userIDMissing = "Enter a user ID."
    package static let passwordsDiffer = "The passwords do not match."

    package static func taken(_ userID: String) -> String { "\(userID) is already taken." }

    package static func free(_ userID: String) -> String { "\(userID) is free" }

    package static func availabilityUnknown(_ message: String) -> String { "Could not check availability: \(message)" }

    package static let nothingWritten = "Nothing was written."

    // MARK: - The review

    package static let reviewHeading = "This is what will be written:"

    /// The account as it will be written, row by row, without the password itself.
    package struct Review: Sendable, Equatable {
        /// How an access token is asked for.
        package enum Token: Sendable, Equatable {
            case none
            case neverExpires
            /// The lifetime as the review says it: "30 days", "12h".
            case validFor(String)
        }

        /// How a row is set off: the user ID stands out, admin rights warn.
        package enum Emphasis: Sendable, Equatable { case plain, strong, warning }

        package struct Row: Sendable, Equatable {
            package var label: String
            package var value: String
            package var emphasis: Emphasis
        }

        package var userID: String
        /// "free", "availability not checked", or nil when nothing is known yet.
        package var availability: String?
        package var displayName: String
        package var strength: StrengthSummary?
        /// Whether the admin confirmed a weak or policy-failing password.
        package var passwordAccepted: Bool
        package var admin: Bool
        package var userType: String?
        package var token: Token
        package var backup: Bool
        /// Where the account goes; empty when the backend does not say.
        package var database: String

        package init(
            userID: String, availability: String?, displayName: String, strength: StrengthSummary?,
            passwordAccepted: Bool, admin: Bool, userType: String?, token: Token, backup: Bool, database: String
        ) {
            self.userID = userID
            self.availability = availability
            self.displayName = displayName
            self.strength = strength
            self.passwordAccepted = passwordAccepted
            self.admin = admin
            self.userType = userType
            self.token = token
            self.backup = backup
            self.database = database
        }

        package var rows: [Row] {
            var password = "set, not shown"
            if let strength { password += "; strength \(StrengthWording.scoreText(strength.score))" }
            if passwordAccepted { password += " (accepted)" }
            let tokenText: String
            switch token {
            case .none: tokenText = "none"
            case .neverExpires: tokenText = "issued now, never expires"
            case .validFor(let lifetime): tokenText = "issued now, valid for \(lifetime)"
            }
            var rows = [
                Row(label: "User ID", value: userID + (availability.map { "  (\($0))" } ?? ""), emphasis: .strong),
                Row(label: "Display name", value: displayName, emphasis: .plain),
                Row(label: "Password", value: password, emphasis: .plain),
                Row(label: "Admin", value: admin ? "yes, server admin" : "no", emphasis: admin ? .warning : .plain),
                Row(label: "User type", value: userType ?? "none", emphasis: .plain),
                Row(label: "Access token", value: tokenText, emphasis: .plain),
                Row(label: "Backup", value: backup ? "made first; nothing is written if it fails" : "none",
                    emphasis: .plain),
            ]
            if !database.isEmpty { rows.append(Row(label: "Database", value: database, emphasis: .plain)) }
            return rows
        }
    }
}
