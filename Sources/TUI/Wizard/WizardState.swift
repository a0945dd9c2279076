import Core

/// The server's rules and facts the wizard shows; fixed for a run.
public struct WizardConfiguration: Sendable, Equatable {
    public var serverName: String
    public var databaseDescription: String
    public var policy: PasswordPolicy
    /// The lowest score accepted at all (`--min-strength`), or nil.
    public var minimumScore: Int?
    /// The user types besides "none".
    public var userTypes: [String]

    public init(
        serverName: String, databaseDescription: String = "", policy: PasswordPolicy = PasswordPolicy(),
        minimumScore: Int? = nil, userTypes: [String] = ["bot", "support"]
    ) {
        self.serverName = serverName
        self.databaseDescription = databaseDescription
        self.policy = policy
        self.minimumScore = minimumScore
        self.userTypes = userTypes
    }

    /// The score the meter measures against: the minimum when one is set, else the advised one.
    public var targetScore: Int { max(minimumScore ?? 0, PasswordRequirements.advisedScore) }

    /// Reads the configuration from a backend, once, when the wizard opens.
    public init(backend: some WizardBackend) {
        self.init(
            serverName: backend.serverName, databaseDescription: backend.databaseDescription,
            policy: backend.passwordRequirements.policy, minimumScore: backend.passwordRequirements.minimumScore,
            userTypes: backend.userTypes)
    }
}

/// The screens of the wizard, in order.
public enum WizardStep: Int, Sendable, CaseIterable, Comparable {
    case account, password, options, review
    /// The account is being written.
    case working
    /// The account was written; the result is on screen.
    case done

    /// The steps the admin moves between, as numbered in the header.
    public static let form: [WizardStep] = [.account, .password, .options, .review]

    public var title: String {
        switch self {
        case .account: "Account"
        case .password: "Password"
        case .options: "Options"
        case .review: "Review"
        case .working: "Creating"
        case .done: "Done"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A control that can hold the focus.
public enum WizardControl: Sendable, Hashable {
    case userID, displayName
    case password, confirmation, generate
    case admin, userType, issueToken, tokenValidity
    case create, back

    /// How the control takes keys.
    public enum Kind: Sendable { case text, toggle, choice, button }

    public var kind: Kind {
        switch self {
        case .userID, .displayName, .password, .confirmation, .tokenValidity: .text
        case .admin, .issueToken: .toggle
        case .userType: .choice
        case .generate, .create, .back: .button
        }
    }

    /// The field whose errors this control shows, if any.
    public var field: WizardField? {
        switch self {
        case .userID: .userID
        case .displayName: .displayName
        case .password: .password
        case .confirmation: .confirmation
        case .admin: .admin
        case .userType: .userType
        case .issueToken: .issueToken
        case .tokenValidity: .tokenValidity
        case .generate, .create, .back: nil
        }
    }
}

extension WizardField {
    /// The control that edits this field.
    public var control: WizardControl {
        switch self {
        case .userID: .userID
        case .displayName: .displayName
        case .password: .password
        case .confirmation: .confirmation
        case .admin: .admin
        case .userType: .userType
        case .issueToken: .issueToken
        case .tokenValidity: .tokenValidity
        }
    }

    /// The step the field is on.
    public var step: WizardStep {
        switch self {
        case .userID, .displayName: .account
        case .password, .confirmation: .password
        case .admin, .userType, .issueToken, .tokenValidity: .options
        }
    }
}

/// What the database said about the user ID in the field.
public enum Availability: Sendable, Equatable {
    case unknown
    case checking(String)
    case free(String)
    case taken(String)
    case failed(String, message: String)

    /// The user ID this answer is about.
    public var userID: String? {
        switch self {
        case .unknown: nil
        case .checking(let id), .free(let id), .taken(let id), .failed(let id, _): id
        }
    }
}

/// A question that must be answered before the form goes on.
public struct Confirmation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Turning the admin toggle on.
        case makeAdmin
        /// Using a password that is weak, fails the policy, or both.
        case acceptPassword(weak: Bool, failsPolicy: Bool)
    }

    public var kind: Kind
    /// Which button is selected; "No" is the default, so Enter alone never says yes.
    public var yesSelected = false

    public init(_ kind: Kind) { self.kind = kind }
}

/// The whole state of the wizard: a value, changed only by ``reduce(_:)``.
public struct WizardState: Sendable, Equatable {
    public let configuration: WizardConfiguration
    public var size: Size
    public var step: WizardStep = .account
    public var focus: WizardControl = .userID

    // MARK: Account
    public var userID = TextField(capacity: 255)
    /// The check of ``userID``'s current text, `nil` until it arrives.
    public var userIDValidation: UserIDValidation?
    public var availability: Availability = .unknown
    public var displayName = TextField(capacity: 256)
    /// Go on to the next step as soon as the pending availability check says "free".
    public var advanceWhenAvailable = false

    // MARK: Password
    public var password = TextField(masked: true)
    public var passwordConfirmation = TextField(masked: true)
    /// The meter's data for ``password``; `nil` or stale until the backend answers.
    public var analysis: PasswordAnalysis?
    /// A generated password, shown once until the admin edits it or leaves the step.
    public var revealedPassword: Secret?
    /// The password whose weakness or policy failure the admin accepted.
    public var acceptedPassword: Secret?

    // MARK: Options
    public var admin = false
    /// 0 is "none"; otherwise an index into `configuration.userTypes` plus one.
    public var userTypeIndex = 0
    public var issueToken = false
    public var tokenValidity = TextField(capacity: 5)

    // MARK: Feedback
    /// Messages shown beside their fields.
    public var errors: [WizardField: String] = [:]
    /// A message for the whole form, on the status line.
    public var notice: Notice?
    public var confirmation: Confirmation?
    /// The progress animation's frame while the account is written.
    public var frame = 0
    public var outcome: WizardOutcome?

    /// A line of status text and its tone.
    public struct Notice: Sendable, Equatable {
        public enum Tone: Sendable { case info, error }
        public var text: String
        public var tone: Tone

        public init(_ text: String, tone: Tone = .info) {
            self.text = text
            self.tone = tone
        }
    }

    /// The smallest terminal the layout is made for.
    public static let minimumSize = Size.standard

    /// The state as the wizard opens: the first step, with the prefilled values in their fields.
    /// Call ``start()`` for the checks of those values.
    public init(configuration: WizardConfiguration, prefill: WizardPrefill = WizardPrefill(), size: Size = .standard) {
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
        issueToken = prefill.issueToken ?? (prefill.tokenValidityDays != nil)
        if let days = prefill.tokenValidityDays { tokenValidity.setText(String(days)) }
    }

    // MARK: - Derived values

    /// Whether the terminal is smaller than the layout needs.
    public var isTooSmall: Bool {
        size.columns < Self.minimumSize.columns || size.rows < Self.minimumSize.rows
    }

    /// The controls of the current step, in focus order.
    public var controls: [WizardControl] {
        switch step {
        case .account: [.userID, .displayName]
        case .password: [.password, .confirmation, .generate]
        case .options: issueToken ? [.admin, .userType, .issueToken, .tokenValidity] : [.admin, .userType, .issueToken]
        case .review: [.create, .back]
        case .working, .done: []
        }
    }

    /// The full user ID when the field holds a valid one.
    public var validUserID: String? {
        if case .valid(let id) = userIDValidation { id } else { nil }
    }

    /// The localpart of the valid user ID: the display name's default.
    public var localpart: String? {
        guard let id = validUserID, id.hasPrefix("@") else { return nil }
        return String(id.dropFirst().prefix { $0 != ":" })
    }

    /// The display name that will be written: the field, or the localpart when it is empty.
    public var effectiveDisplayName: String {
        displayName.isEmpty ? (localpart ?? "") : displayName.text
    }

    /// The user type that will be written, `nil` for none.
    public var userType: String? {
        userTypeIndex == 0 ? nil : configuration.userTypes[userTypeIndex - 1]
    }

    /// The account the password is judged for, as typed so far.
    public var passwordAccount: PasswordAccount {
        PasswordAccount(
            localpart: localpart ?? userID.text, displayName: displayName.isEmpty ? nil : displayName.text,
            serverName: configuration.serverName)
    }

    /// The analysis, if it belongs to the password and user details as they are now.
    public var currentAnalysis: PasswordAnalysis? {
        guard let analysis, analysis.password.revealed == password.text, analysis.account == passwordAccount
        else { return nil }
        return analysis
    }

    /// The policy's rules for the current password: the verdict's, or the rules unmet while
    /// there is none yet.
    public var policyChecks: [PasswordPolicy.Check] {
        currentAnalysis?.assessment.policyChecks ?? configuration.policy.checks(for: password.text)
    }

    public var passwordsMatch: Bool { password.text == passwordConfirmation.text }

    /// The token lifetime typed, `nil` when empty or not a whole number.
    public var tokenValidityDays: Int? { Int(tokenValidity.text) }
}
