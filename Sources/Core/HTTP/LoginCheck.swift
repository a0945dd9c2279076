import Foundation

/// What `--verify-login` found when it logged the new account in through the running Synapse.
package enum LoginCheckOutcome: Sendable, Equatable {
    /// Logged in, `whoami` named the account, and the check's session was logged out again.
    case loggedIn(url: String)
    /// Nothing answered there: Synapse is not running, or listens elsewhere.
    case notRunning(url: String, reason: String)
    /// Synapse answered but did not let the account in; the account is not what it expects.
    case refused(url: String, reason: String)
    /// Synapse answered, but not so that the check could finish (rate limit, an odd answer).
    case inconclusive(url: String, reason: String)
}

/// Logs a new account in through Synapse's client API, checks `whoami`, and logs the session
/// out, so the check leaves no device and no token behind.
package struct LoginCheck: Sendable {
    package var client = HTTPClient(timeoutSeconds: 15)

    package init() {}

    package func run(url base: String, userID: UserID, password: Secret) -> LoginCheckOutcome {
        let url = base.hasSuffix("/") ? String(base.dropLast()) : base
        var identifier = JSONObject()
        identifier.field("type", "m.id.user")
        identifier.field("user", userID.description)
        var body = JSONObject()
        body.field("type", "m.login.password")
        body.field("identifier", identifier)
        body.field("password", password.revealed)
        body.field("initial_device_display_name", "register_new_matrix_user --verify-login")

        let login: HTTPResponse
        do {
            login = try client.send("POST", url + "/_matrix/client/v3/login", body: Array(body.text.utf8))
        } catch {
            return [.unreachable, .unknownHost, .timeout].contains(error.kind)
                ? .notRunning(url: url, reason: error.message) : .inconclusive(url: url, reason: error.message)
        }
        let answer = Self.object(login.body)
        switch login.status {
        case 200:
            break
        case 403, 401:
            return .refused(url: url, reason: "Synapse answered \(login.status) \(Self.describe(answer))")
        case 429:
            return .inconclusive(url: url, reason: "Synapse is limiting login attempts (429); try the login again later")
        default:
            return .inconclusive(url: url, reason: "Synapse answered \(login.status) \(Self.describe(answer))")
        }
        guard let token = answer["access_token"] as? String else {
            return .inconclusive(url: url, reason: "Synapse's login answer has no access token")
        }
        let session = Secret(token)
        // Whatever whoami says, the session is logged out again.
        defer { _ = try? client.send("POST", url + "/_matrix/client/v3/logout", body: Array("{}".utf8), bearer: session) }
        guard let whoami = try? client.send("GET", url + "/_matrix/client/v3/account/whoami", bearer: session),
              whoami.status == 200
        else {
            return .inconclusive(url: url, reason: "the login worked, but whoami did not answer")
        }
        let named = Self.object(whoami.body)["user_id"] as? String
        guard named == userID.description else {
            return .refused(url: url, reason: "whoami named \(named ?? "nobody"), not \(userID)")
        }
        return .loggedIn(url: url)
    }

    private static func object(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    /// Synapse's error code and message, which never hold the password.
    private static func describe(_ answer: [String: Any]) -> String {
        let code = answer["errcode"] as? String ?? "no error code"
        let message = (answer["error"] as? String).map { ": \($0)" } ?? ""
        return "(\(code)\(message))"
    }
}
