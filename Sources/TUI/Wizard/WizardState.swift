import Core

/// The server's rules and facts the wizard shows; fixed for a run.
package struct WizardConfiguration: Sendable, Equatable {
    package var serverName: String
    package var databaseDescription: String
    package var policy: PasswordPolicy
    /// The lowest score accepted at all (`--min-strength`), or nil.
    package var minimumScore: Int?
    /// The user types besides "none".
    package var userTypes: [String]
    package var backupOffer: WizardBackupOffer

    package init(
        serverName: String, databaseDescription: String = "", policy: PasswordPolicy = PasswordPolicy(),
        minimumScore: Int? = nil, userTypes: [String] = ["bot", "support"], backupOffer: WizardBackupOffer = .none
    ) {
        self.backupOffer = backupOffer
        self.serverName = serverName
        self.databaseDescription = databaseDescription
        self.policy = policy
        self.minimumScore = minimumScore
        self.userTypes = userTypes
    }

    /// The score the meter measures against: the minimum when one is set, else the advised one.
    package var targetScore: Int { minimumScore ?? PasswordRequirements.advisedScore }

    /// Reads the configuration from a backend, once, when the wizard opens.
    package init(backend: some WizardBackend) {
        self.init(
            serverName: backend.serverName, databaseDescription: backend.databaseDescription,
            policy: backend.passwordRequirements.policy, minimumScore: backend.passwordRequirements.minimumScore,
            userTypes: backend.userTypes, backupOffer: backend.backupOffer)
    }
}

/// The screens of the wizard, in order.
package enum WizardStep: Int, Sendable, CaseIterable, Comparable {
    case account, password, options, review
    /// The account is being written.
    case working
    /// The account was written; the result is on screen.
    case done

    /// The steps the admin moves between, as numbered in the header.
    package static let form: [WizardStep] = [.account, .password, .options, .review]

    package var title: String {
        switch self {
        case .account: "Account"
        case .password: "Password"
        case .options: "Options"
        case .review: "Review"
        case .working: "Creating"
        case .done: "Done"
        }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A control that can hold the focus.
package enum WizardControl: Sendable, Hashable {
    case userID, displayName
    case password, confirmation, generate
    case admin, userType, issueToken, tokenValidity, backup
    case create, back

    /// How the control takes keys.
    package enum Kind: Sendable { case text, toggle, choice, button }

    package var kind: Kind {
        switch self {
        case .userID, .displayName, .password, .confirmation, .tokenValidity: .text
        case .admin, .issueToken, .backup: .toggle
        case .userType: .choice
        case .generate, .create, .back: .button
        }
    }

    /// The field whose errors this control shows, if any.
    package var field: WizardField? {
        switch self {
        case .userID: .userID
        case .displayName: .displayName
        case .password: .password
        case .confirmation: .confirmation
        case .admin: .admin
        case .userType: .userType
        case .issueToken: .issueToken
        case .tokenValidity: .tokenValidity
        case .backup: .backup
        case .generate, .create, .back: nil
        }
    }
}

extension WizardField {
    /// The control that edits this field.
    package var control: WizardControl {
        switch self {
        case .userID: .userID
        case .displayName: .displayName
        case .password: .password
        case .confirmation: .confirmation
        case .admin: .admin
        case .userType: .userType
        case .issueToken: .issueToken
        case .tokenValidity: .tokenValidity
        case .backup: .backup
        }
    }

    /// The step the field is on.
    package var step: WizardStep {
        switch self {
        case .userID, .displayName: .account
        case .password, .confirmation: .password
        case .admin, .userType, .issueToken, .tokenValidity, .backup: .options
        }
    }
}

/// What the database said about the user ID in the field.
package enum Availability: Sendable, Equatable {
    case unknown
    case checking(String)
    case free(String)
    case taken(String)
    case failed(String, message: String)
    /// Known only at Create; `by` says who checks it then ("Synapse").
    case atCreate(String, by: String)

    /// The user ID this answer is about.
    package var userID: String? {
        switch self {
        case .unknown: nil
        case .checking(let id), .free(let id), .taken(let id), .failed(let id, _), .atCreate(let id, _): id
        }
    }
}

/// A question that must be answered before the form goes on.
package struct Confirmation: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// Turning the admin toggle on.
        case makeAdmin
        /// Using a password that is weak, fails the policy, or both.
        case acceptPassword(weak: Bool, failsPolicy: Bool)
        /// Leaving the form from its first step, throwing away what was typed.
        case discard
    }

    package var kind: Kind
    /// Which button is selected; "No" is the default, so Enter alone never says yes.
    package var yesSelected = false

    package init(_ kind: Kind) { self.kind = kind }
}

/// The whole state of the wizard: a value, changed only by ``reduce(_:)``.
package struct WizardState: Sendable, Equatable {
    package let configuration: WizardConfiguration
    package var size: Size
    package var step: WizardStep = .account
    package var focus: WizardControl = .userID

    // MARK: Account
    /// Longer than the 255 characters a user ID may have, so that the check says what is too long.
    package var userID = TextField(capacity: 512)
    /// The check of ``userID``'s current text, `nil` until it arrives.
    package var userIDValidation: UserIDValidation?
    package var availability: Availability = .unknown
    /// Longer than the 256 characters allowed, so that a long name is refused beside the field, not cut.
    package var displayName = TextField(capacity: 1024)
    /// Go on to the next step as soon as the pending availability check says "free".
    package var advanceWhenAvailable = false

    // MARK: Password
    package var password = TextField(masked: true)
    package var passwordConfirmation = TextField(masked: true)
    /// The meter's data for ``password``; `nil` or stale until the backend answers.
    package var analysis: PasswordAnalysis?
    /// A generated password, shown once until the admin edits it or leaves the step.
    package var revealedPassword: Secret?
    /// The password whose weakness or policy failure the admin accepted.
    package var acceptedPassword: Secret?

    // MARK: Options
    package var admin = false
    /// 0 is "none"; otherwise an index into `configuration.userTypes` plus one.
    package var userTypeIndex = 0
    package var issueToken = false
    /// The token's lifetime, read as `--token-validity` reads it (``SynapseDuration/tokenValidity(_:)``).
    package var tokenValidity = TextField(capacity: 16)
    /// Back the database up before the write.
    package var backup = false

    /// Whether the admin has typed anything: Esc on the first step then asks before leaving.
    /// Values given as flags do not count; they are still on the command line.
    package var hasTyped = false

    // MARK: Feedback
    /// Messages shown beside their fields.
    package var errors: [WizardField: String] = [:]
    /// A message for the whole form, on the status line.
    package var notice: Notice?
    package var confirmation: Confirmation?
    /// The progress animation's frame while the account is written.
    package var frame = 0
    package var outcome: WizardOutcome?
    /// The result screen's login test: nil before it is asked for, `.some(nil)` while it runs.
    package var loginTest: LoginTestAnswer??

    /// A line of status text and its tone.
    package struct Notice: Sendable, Equatable {
        package enum Tone: Sendable { case info, error }
        package var text: String
        package var tone: Tone

        package init(_ text: String, tone: Tone = .info) {
            self.text = text
            self.tone = tone
        }
    }

    /// The smallest terminal the layout is made for.
    package static let minimumSize = Size.standard

    /// The state as the wizard opens: the first step, with the prefilled values in their fields.
    /// Call ``start()`` for the checks of those values.
    package init(configuration: WizardConfiguration, prefill: WizardPrefill = WizardPrefill(), size: Size = .standard) {
        self.configuration = configuration
        self.size = size
        if let id = prefill.userID { userID.setText(id) }
        if let name = prefill.displayName { displayName.setText(name) }
        if let secret = prefill.password {
            password.setText(secret.revealed)
            passwordConfirmation.setText(secret.revealed)
        }
        admin = prefill.admin ?? false
        if let type = prefill.userType, let index = configuration.userTypes.firstIndex(of: type) {
            userTypeIndex = index + 1
        }
        issueToken = prefill.issueToken ?? (prefill.tokenValidity != nil)
        if let validity = prefill.tokenValidity { tokenValidity.setText(validity) }
        backup = prefill.backup ?? configuration.backupOffer.isDefault
    }

    // MARK: - Derived values

    /// Whether the terminal is smaller than the layout needs.
    package var isTooSmall: Bool {
        size.columns < Self.minimumSize.columns || size.rows < Self.minimumSize.rows
    }

    /// The controls of the current step, in focus order.
    package var controls: [WizardControl] {
        switch step {
        case .account: [.userID, .displayName]
        case .password: [.password, .confirmation, .generate]
        case .options: [.admin, .userType, .issueToken] + (issueToken ? [.tokenValidity] : []) + [.backup]
        case .review: [.create, .back]
        case .working, .done: []
        }
    }

    /// The full user ID when the field holds a valid one.
    package var validUserID: String? {
        if case .valid(let id) = userIDValidation { id } else { nil }
    }

    /// The localpart of the valid user ID: the display name's default.
    package var localpart: String? {
        guard let id = validUserID, id.hasPrefix("@") else { return nil }
        return String(id.dropFirst().prefix { $0 != ":" })
    }

    /// The display name that will be written: the field, or the localpart when it is empty.
    package var effectiveDisplayName: String {
        displayName.isEmpty ? (localpart ?? "") : displayName.text
    }

    /// The user type that will be written, `nil` for none.
    package var userType: String? {
        userTypeIndex == 0 ? nil : configuration.userTypes[userTypeIndex - 1]
    }

    /// The account the password is judged for, as typed so far.
    package var passwordAccount: PasswordAccount {
        PasswordAccount(
            localpart: localpart ?? userID.text, displayName: displayName.isEmpty ? nil : displayName.text,
            serverName: configuration.serverName)
    }

    /// The analysis, if it belongs to the password and user details as they are now.
    package var currentAnalysis: PasswordAnalysis? {
        guard let analysis, analysis.password.revealed == password.text, analysis.account == passwordAccount
        else { return nil }
        return analysis
    }

    /// The policy's rules for the current password: the verdict's, or the rules unmet while
    /// there is none yet.
    package var policyChecks: [PasswordPolicy.Check] {
        currentAnalysis?.assessment.policyChecks ?? configuration.policy.checks(for: password.text)
    }

    package var passwordsMatch: Bool { password.text == passwordConfirmation.text }

    /// The token lifetime typed, in milliseconds; `nil` when empty or not one `--token-validity` accepts.
    package var tokenValidityMs: Int64? { try? SynapseDuration.tokenValidity(tokenValidity.text) }

    /// The lifetime as the review and the field's note say it: "30 days", "12h".
    package var tokenValidityDescription: String {
        let text = tokenValidity.text
        guard let days = Double(text) else { return text }
        return "\(text) day\(days == 1 ? "" : "s")"
    }
}
