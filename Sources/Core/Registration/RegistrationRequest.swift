/// Everything that describes the account to create.
package struct RegistrationRequest: Sendable {
    package var userID: UserID
    package var password: Secret
    package var admin = false
    /// `bot`, `support`, one of `user_types.extra_user_types`, or nil for the config's default.
    package var userType: String?
    /// The display name; nil means the localpart, as Synapse does.
    package var displayName: String?
    /// Set to mint an access token (with a device) for the new account.
    package var token: TokenRequest?

    package init(userID: UserID, password: Secret, admin: Bool = false, userType: String? = nil,
                displayName: String? = nil, token: TokenRequest? = nil) {
        self.userID = userID
        self.password = password
        self.admin = admin
        self.userType = userType
        self.displayName = displayName
        self.token = token
    }
}

/// How long a minted access token stays valid.
package struct TokenRequest: Sendable, Equatable {
    /// Milliseconds from now; nil means what Synapse would give a new login
    /// (`session_lifetime` / `nonrefreshable_access_token_lifetime`, else no expiry).
    package var validityMs: Int64?
    /// The device's display name, shown in clients' session lists.
    package var deviceDisplayName: String?

    /// The display name of every device this tool creates: how clients' session lists, and the
    /// account review, tell its tokens from logins.
    package static let toolDeviceName = "register_new_matrix_user"

    package init(validityMs: Int64? = nil, deviceDisplayName: String? = TokenRequest.toolDeviceName) {
        self.validityMs = validityMs
        self.deviceDisplayName = deviceDisplayName
    }
}

/// What a registration created.
package struct RegistrationResult: Sendable {
    package let userID: UserID
    package let admin: Bool
    package let userType: String?
    package let displayName: String
    package let deviceID: String?
    /// The access token, when one was asked for. Shown once; never stored elsewhere.
    package let accessToken: Secret?
    /// When the token expires (ms since the epoch), or nil when it never does.
    package let tokenExpiresAtMs: Int64?
    /// The tables written, in order, for the summary.
    package let tablesWritten: [String]

    package init(userID: UserID, admin: Bool, userType: String?, displayName: String, deviceID: String?,
                 accessToken: Secret?, tokenExpiresAtMs: Int64?, tablesWritten: [String]) {
        self.userID = userID
        self.admin = admin
        self.userType = userType
        self.displayName = displayName
        self.deviceID = deviceID
        self.accessToken = accessToken
        self.tokenExpiresAtMs = tokenExpiresAtMs
        self.tablesWritten = tablesWritten
    }
}

/// The parts of an account an error can be about. Core names them; each front end shows them its
/// own way: the command line as its flag, the form as its field.
package enum AccountField: String, Sendable, CaseIterable {
    case userID = "user ID"
    case password
    case displayName = "display name"
    case userType = "user type"
    case token = "token validity"

    /// How a message for the admin names it: "display name".
    package var name: String { rawValue }
}

/// Why a registration did not happen. Nothing was written in every case.
package enum RegistrationError: Error, Sendable, CustomStringConvertible {
    /// A user with this name exists already, compared case-insensitively as Synapse does.
    case userExists(existing: String)
    /// The config's `server_name` is not the server the database belongs to.
    case serverNameMismatch(configured: String, database: String)
    /// The request asks for something Synapse would refuse (user type, display name).
    case invalidRequest(field: AccountField, message: String)
    case database(DatabaseError)
    /// The caller called the registration off before its transaction began.
    case cancelled

    package var description: String {
        switch self {
        case .userExists(let existing):
            "user \(existing) already exists"
        case .serverNameMismatch(let configured, let database):
            "server_name is '\(configured)', but the database holds users of '\(database)'; is this the right config?"
        case .invalidRequest(let field, let message):
            "\(field.name): \(message)"
        case .database(let error):
            error.message
        case .cancelled:
            "cancelled before anything was written"
        }
    }
}
