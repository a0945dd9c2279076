import FoundationEssentials
import Glibc

/// The account to register through Synapse's shared-secret admin API.
package struct SharedSecretAccount: Sendable, Equatable {
    /// Already folded to lower case and checked against the rules that can be checked here.
    package var localpart: String
    package var password: Secret
    package var admin = false
    package var userType: String?
    /// nil lets Synapse use the localpart, as it does for every registration.
    package var displayName: String?
    /// Whether Synapse should log the account in and return an access token (with a device);
    /// without it the request says `inhibit_login`, so no device is left unused.
    package var issueToken = false

    package init(localpart: String, password: Secret, admin: Bool = false, userType: String? = nil,
                 displayName: String? = nil, issueToken: Bool = false) {
        self.localpart = localpart
        self.password = password
        self.admin = admin
        self.userType = userType
        self.displayName = displayName
        self.issueToken = issueToken
    }

    /// The request's fields after the name and the secrets: what the account will be, and what to
    /// do about a login token. A dry run shows these as they would be sent.
    package func addSettings(to json: inout JSONObject) {
        json.field("admin", admin)
        json.field("user_type", userType)
        json.field("displayname", displayName)
        if issueToken {
            json.field("initial_device_display_name", TokenRequest.toolDeviceName)
        } else {
            json.field("inhibit_login", true)
        }
    }
}

/// What Synapse answered a successful registration with.
package struct SharedSecretAnswer: Sendable, Equatable {
    package let userID: String
    package let deviceID: String?
    package let accessToken: Secret?
    /// `expires_in_ms`, when Synapse gives the token a lifetime (`session_lifetime` and the like).
    package let expiresInMs: Int64?
}

/// Why Synapse did not register the account. Nothing was created in every case.
package enum SharedSecretError: Error, Sendable, Equatable {
    /// `registration_shared_secret` is not set on that server (400 "Shared secret registration
    /// is not enabled").
    case notEnabled(url: String)
    /// The MAC did not verify: the secret is not that server's (403 "HMAC incorrect").
    case wrongSecret(url: String)
    /// `M_USER_IN_USE`; Synapse names no ID, so the one asked for is given.
    case userInUse(localpart: String)
    /// `M_INVALID_USERNAME` or `M_EXCLUSIVE`, with Synapse's reason.
    case invalidUserID(code: String, message: String)
    /// `M_WEAK_PASSWORD`, or Synapse's "Invalid password".
    case passwordRefused(message: String)
    /// "Invalid user type": not one of that server's `user_types`.
    case invalidUserType(String)
    /// Nothing listens there.
    case unreachable(url: String, reason: String)
    /// The URL's host name does not resolve.
    case unknownHost(url: String, reason: String)
    /// The certificate did not verify against the system's CA store.
    case tls(host: String, reason: String)
    case timeout(url: String)
    /// The answer is not the endpoint's: no such path (a proxy that keeps `/_synapse/admin` out),
    /// or not Synapse.
    case noEndpoint(url: String, status: Int)
    /// Any other refusal, with Synapse's code and message (secrets removed).
    case refused(url: String, status: Int, code: String?, message: String?)
    /// libcrypto is missing, or libcurl.
    case unavailable(String)
}

/// Registration through a running Synapse, as Synapse's own `register_new_matrix_user` does it:
/// `GET /_synapse/admin/v1/register` for a nonce, then a `POST` of the account with an HMAC-SHA1
/// over it keyed by the shared secret.
package struct SharedSecretRegistration: Sendable {
    /// The server's base URL, without a trailing slash.
    package let serverURL: String
    package let secret: Secret
    package var client = HTTPClient(timeoutSeconds: 30)

    package init(serverURL: String, secret: Secret) {
        self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        self.secret = secret
    }

    /// The endpoint both requests go to.
    package var endpoint: String { serverURL + "/_synapse/admin/v1/register" }

    /// Fetches a nonce: the first request, which also shows the server answers and is Synapse.
    package func nonce() throws(SharedSecretError) -> String {
        let response = try send("GET", body: nil)
        let answer = Self.object(response.body)
        guard response.status == 200, let nonce = answer?["nonce"]?.string else {
            throw interpret(response)
        }
        return nonce
    }

    /// Registers the account with a nonce from ``nonce()``.
    package func register(_ account: SharedSecretAccount, nonce: String) throws(SharedSecretError) -> SharedSecretAnswer {
        let mac: String
        do {
            mac = try Self.mac(secret: secret, nonce: nonce, account: account)
        } catch {
            throw .unavailable(error.message)
        }
        let response = try send("POST", body: Array(Self.body(account, nonce: nonce, mac: mac).text.utf8))
        guard response.status == 200, let answer = Self.object(response.body),
              let userID = answer["user_id"]?.string
        else {
            throw interpret(response, account: account)
        }
        return SharedSecretAnswer(
            userID: userID, deviceID: answer["device_id"]?.string,
            accessToken: (answer["access_token"]?.string).map(Secret.init),
            expiresInMs: answer["expires_in_ms"]?.int64)
    }

    // MARK: - The request

    /// Synapse's MAC: HMAC-SHA1 keyed by the secret over nonce, username, password and
    /// `admin`/`notadmin`, NUL between each, then NUL and the user type when there is one; as hex.
    package static func mac(secret: Secret, nonce: String, account: SharedSecretAccount) throws(CryptoError) -> String {
        var message: [UInt8] = []
        for (index, part) in [nonce, account.localpart, account.password.revealed, account.admin ? "admin" : "notadmin"].enumerated() {
            if index > 0 { message.append(0) }
            message += Array(part.utf8)
        }
        if let type = account.userType, !type.isEmpty {
            message.append(0)
            message += Array(type.utf8)
        }
        return try HMACSHA1.hex(key: Array(secret.revealed.utf8), message: message)
    }

    /// The POST body: the keys Synapse's script sends, with the display name, and what to do about
    /// a login token.
    package static func body(_ account: SharedSecretAccount, nonce: String, mac: String) -> JSONObject {
        var body = JSONObject()
        body.field("nonce", nonce)
        body.field("username", account.localpart)
        body.field("password", account.password.revealed)
        body.field("mac", mac)
        account.addSettings(to: &body)
        return body
    }

    // MARK: - The answer

    private func send(_ method: String, body: [UInt8]?) throws(SharedSecretError) -> HTTPResponse {
        do {
            return try client.send(method, endpoint, body: body)
        } catch {
            switch error.kind {
            case .unreachable: throw .unreachable(url: serverURL, reason: error.reason)
            case .unknownHost: throw .unknownHost(url: serverURL, reason: error.reason)
            case .tls: throw .tls(host: error.host ?? serverURL, reason: error.reason)
            case .timeout: throw .timeout(url: serverURL)
            case .failed: throw error.reason.isEmpty ? .unavailable(error.message) : .unreachable(url: serverURL, reason: error.reason)
            }
        }
    }

    /// The error a refusal stands for. Synapse's own message is passed on only for answers this
    /// does not know, and then with the password and the secret taken out, should it echo either.
    package func interpret(_ response: HTTPResponse, account: SharedSecretAccount? = nil) -> SharedSecretError {
        guard let answer = Self.object(response.body) else {
            return .noEndpoint(url: endpoint, status: response.status)
        }
        let code = answer["errcode"]?.string
        let message = answer["error"]?.string
        switch (response.status, code, message) {
        case (400, _, "Shared secret registration is not enabled"):
            return .notEnabled(url: serverURL)
        case (403, _, "HMAC incorrect"):
            return .wrongSecret(url: serverURL)
        case (_, "M_USER_IN_USE", _):
            return .userInUse(localpart: account?.localpart ?? "")
        case (_, "M_INVALID_USERNAME", let message?), (_, "M_EXCLUSIVE", let message?):
            return .invalidUserID(code: code ?? "", message: scrubbed(message, account))
        case (_, "M_WEAK_PASSWORD", let message?):
            return .passwordRefused(message: scrubbed(message, account))
        case (400, _, "Invalid password"):
            return .passwordRefused(message: "Invalid password")
        case (400, _, "Invalid username"):
            return .invalidUserID(code: "M_INVALID_USERNAME", message: "Invalid username")
        case (400, _, "Invalid user type"):
            return .invalidUserType(account?.userType ?? "")
        case (404, "M_UNRECOGNIZED", _):
            return .noEndpoint(url: endpoint, status: 404)
        default:
            return .refused(url: serverURL, status: response.status, code: code, message: message.map { scrubbed($0, account) })
        }
    }

    private func scrubbed(_ message: String, _ account: SharedSecretAccount?) -> String {
        var text = message
        for secret in [secret.revealed, account?.password.revealed ?? ""] where !secret.isEmpty {
            text = text.replacing(secret, with: "<redacted>")
        }
        return text
    }

    private static func object(_ bytes: [UInt8]) -> [String: JSONValue]? {
        JSONValue.object(bytes)
    }
}

/// Synapse's `GET /_matrix/client/v3/register/available`: whether a localpart is free.
///
/// Synapse answers it only with `enable_registration` on, which servers registering through the
/// shared secret usually have off; then ``Availability/unknown`` says the check waits for Create.
package struct AvailabilityCheck: Sendable {
    package enum Availability: Sendable, Equatable {
        case available
        case taken
        case invalid(String)
        /// Synapse does not say (registration disabled, rate limited, not reachable).
        case unknown
    }

    package let serverURL: String
    package var client = HTTPClient(timeoutSeconds: 10)

    package init(serverURL: String) {
        self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
    }

    package func check(_ localpart: String) -> Availability {
        // Every byte but ASCII letters and digits is escaped.
        let query = localpart.utf8.map { byte in
            (byte < 0x80 && Character(Unicode.Scalar(byte)).isLetter) || (0x30...0x39).contains(byte)
                ? String(Unicode.Scalar(byte)) : "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }.joined()
        guard let response = try? client.send("GET", serverURL + "/_matrix/client/v3/register/available?username=" + query),
              let answer = JSONValue.object(response.body)
        else { return .unknown }
        if response.status == 200, answer["available"]?.bool == true { return .available }
        switch answer["errcode"]?.string {
        case "M_USER_IN_USE": return .taken
        case "M_INVALID_USERNAME", "M_EXCLUSIVE": return .invalid(answer["error"]?.string ?? "not allowed")
        default: return .unknown
        }
    }
}
