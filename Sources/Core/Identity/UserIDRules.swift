/// Synapse's rules for a new user ID (`check_username` in `synapse/handlers/register.py`).
///
/// These are the rules for *new* registrations: old databases may hold IDs that break them.
/// Whether the ID is already taken needs the database and is checked by the registrar.
package struct UserIDRules: Sendable {
    package let serverName: String
    package var allowUnderscorePrefix = false
    package var serverNoticesLocalpart: String?
    package var appServices: [AppService] = []

    /// Synapse's `MAX_USERID_LENGTH`, counted in code points of the full ID.
    package static let maximumLength = 255
    /// `MXID_LOCALPART_ALLOWED_CHARACTERS`; `+` since Synapse 1.89 (MSC4009).
    static let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-./=+".unicodeScalars)

    package init(serverName: String) {
        self.serverName = serverName
    }

    package init(config: HomeserverConfig) {
        self.serverName = config.serverName
        self.allowUnderscorePrefix = config.allowUnderscorePrefixedLocalpart
        self.serverNoticesLocalpart = config.serverNoticesLocalpart
        self.appServices = config.appServices
    }

    /// Reads a full `@localpart:server` or a bare localpart and checks it, in Synapse's order.
    ///
    /// Upper case in the localpart is folded to lower case, as the admin registration endpoint
    /// that Synapse's own script uses folds it (``foldsCase(_:)`` tells a front end to say so).
    package func parse(_ input: String) throws(UserIDError) -> UserID {
        let localpart = try localpart(of: input).lowercased()
        let userID = UserID(localpart: localpart, serverName: serverName)
        try check(userID)
        return userID
    }

    private func localpart(of input: String) throws(UserIDError) -> String {
        guard input.hasPrefix("@") else {
            if input.contains(":") {
                throw invalid("'\(input)' is neither a localpart nor a full user ID; write @localpart:\(serverName)")
            }
            return input
        }
        guard let colon = input.firstIndex(of: ":") else {
            throw invalid("'\(input)' has no server name; write @localpart:\(serverName) or just the localpart")
        }
        let server = input[input.index(after: colon)...]
        guard server == serverName else {
            throw UserIDError(
                code: "M_INVALID_USERNAME",
                message: "'\(input)' belongs to server '\(server)', but this server is '\(serverName)' (server_name)")
        }
        return String(input[input.index(after: input.startIndex)..<colon])
    }

    /// Whether ``parse(_:)`` lowers the case of what was typed: a front end says which ID it makes.
    package func foldsCase(_ input: String) -> Bool {
        guard let localpart = try? localpart(of: input) else { return false }
        return localpart != localpart.lowercased()
    }

    /// Checks a user ID against every rule that does not need the database.
    package func check(_ userID: UserID) throws(UserIDError) {
        let localpart = userID.localpart
        if let bad = localpart.unicodeScalars.first(where: { !Self.allowed.contains($0) }) {
            throw invalid("User ID can only contain characters a-z, 0-9, or '=_-./+' (found \(Self.describe(bad)))")
        }
        if localpart.isEmpty {
            throw invalid("User ID cannot be empty")
        }
        if localpart.hasPrefix("_") && !allowUnderscorePrefix {
            throw invalid("User ID may not begin with _ (allow_underscore_prefixed_localpart is off)")
        }
        if let notices = serverNoticesLocalpart, localpart == notices {
            throw UserIDError(
                code: "M_EXCLUSIVE",
                message: "\(userID) is reserved for server notices (server_notices.system_mxid_localpart)")
        }
        if let service = reservingAppService(userID) {
            throw UserIDError(
                code: "M_EXCLUSIVE",
                message: "\(userID) is reserved by application service '\(service.id)' (\(service.file))")
        }
        if userID.description.unicodeScalars.count > Self.maximumLength {
            throw invalid(tooLong(userID))
        }
        if localpart.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            throw invalid("Numeric user IDs are reserved for guest users")
        }
    }

    /// The application service that claims this ID exclusively, or whose own user it is.
    package func reservingAppService(_ userID: UserID) -> AppService? {
        appServices.first { service in
            service.senderLocalpart == userID.localpart
                || service.namespace(matching: userID.description)?.exclusive == true
        }
    }

    /// Whether any application service namespace (exclusive or not) covers this ID; Synapse
    /// keeps such users out of the user directory.
    package func isInAppServiceNamespace(_ userID: UserID) -> Bool {
        appServices.contains { $0.namespace(matching: userID.description) != nil }
    }

    // MARK: - Messages

    private func invalid(_ message: String) -> UserIDError {
        UserIDError(code: "M_INVALID_USERNAME", message: message)
    }

    /// Says how long the ID is, that the limit counts the `@` and `:server` too, and how much
    /// of it is the localpart's.
    private func tooLong(_ userID: UserID) -> String {
        let room = Self.maximumLength - 2 - serverName.unicodeScalars.count
        return "User ID is \(userID.description.unicodeScalars.count) characters, over Synapse's limit of "
            + "\(Self.maximumLength), which counts '@' and ':\(serverName)': the localpart may have at most \(room) "
            + "(it has \(userID.localpart.unicodeScalars.count))"
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": return "a space"
        case "\t", "\n", "\r": return "a control character"
        default:
            return scalar.properties.generalCategory == .control
                ? "a control character" : "'\(Character(scalar))'"
        }
    }
}
