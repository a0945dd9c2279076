import Foundation
import Testing
import TestSupport
@testable import Core

@Suite struct SharedSecretRegistrationTests {
    // MARK: - The MAC

    /// RFC 2202's first two HMAC-SHA1 test cases: libcrypto is reached and called correctly.
    @Test func hmacSHA1MeetsRFC2202() throws {
        #expect(try HMACSHA1.hex(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
            == "b617318655057264e28bc0b6fb378c8ef146be00")
        #expect(try HMACSHA1.hex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
            == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    static let accounts: [SharedSecretAccount] = [
        SharedSecretAccount(localpart: "alice", password: Secret("correct horse")),
        SharedSecretAccount(localpart: "bot.one", password: Secret("pässwörd ünïcode"), userType: "bot"),
        SharedSecretAccount(localpart: "root", password: Secret("密码 пароль كلمة 🔑"), admin: true, userType: "support"),
        SharedSecretAccount(localpart: "bridge", password: Secret(" spaced\ttab "), admin: true, userType: "bridge"),
    ]

    /// The MAC against Synapse's own: its script's `request_registration`, from the PyPI package
    /// in Synapse's venv (`SYNAPSE_PYTHON`, set by the test command), given a nonce and made to hand
    /// over the body it would post. Without that venv, the servlet's computation (`hmac.new(secret,
    /// digestmod=sha1)` over the NUL-joined parts) in the system's python3.
    @Test(arguments: accounts) func macIsSynapses(_ account: SharedSecretAccount) throws {
        let synapse = ProcessInfo.processInfo.environment["SYNAPSE_PYTHON"]
        let python = synapse ?? "/usr/bin/python3"
        try #require(FileManager.default.isExecutableFile(atPath: python), "no Python to compute Synapse's MAC with")
        let secret = Secret("s3cr3t-ünï 🔐"), nonce = "3f1a9c0e7b"
        let script = synapse != nil ? """
            import sys, types
            from synapse._scripts import register_new_matrix_user as script
            secret, nonce, user, password, admin, user_type = sys.argv[1:]
            sent = {}
            class Answer:
                status_code = 200
                def __init__(self, body): self.body = body
                def json(self): return self.body
            script.requests = types.SimpleNamespace(
                get=lambda url: Answer({"nonce": nonce}),
                post=lambda url, json: sent.update(json) or Answer({}))
            script.request_registration(user, password, "http://synapse.invalid", secret, admin=admin == "1",
                                        user_type=user_type or None, _print=lambda message: None)
            print(sent["mac"])
            """ : """
            import hashlib, hmac, sys
            secret, nonce, user, password, admin, user_type = sys.argv[1:]
            mac = hmac.new(key=secret.encode("utf8"), digestmod=hashlib.sha1)
            mac.update(nonce.encode("utf8")); mac.update(b"\\x00"); mac.update(user.encode("utf8"))
            mac.update(b"\\x00"); mac.update(password.encode("utf8")); mac.update(b"\\x00")
            mac.update(b"admin" if admin == "1" else b"notadmin")
            if user_type:
                mac.update(b"\\x00"); mac.update(user_type.encode("utf8"))
            print(mac.hexdigest())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, secret.revealed, nonce, account.localpart, account.password.revealed,
                             account.admin ? "1" : "0", account.userType ?? ""]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let expected = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "Python failed")
        #expect(try SharedSecretRegistration.mac(secret: secret, nonce: nonce, account: account)
            == expected.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: - The request

    @Test func bodyCarriesTheScriptsKeysAndTheDisplayName() {
        var account = SharedSecretAccount(localpart: "bob", password: Secret("pw\"1"), userType: "bot", displayName: "Bob ✓")
        #expect(SharedSecretRegistration.body(account, nonce: "n", mac: "m").text
            == #"{"nonce":"n","username":"bob","password":"pw\"1","mac":"m","admin":false,"user_type":"bot","displayname":"Bob ✓","inhibit_login":true}"#)
        account.issueToken = true
        account.userType = nil
        account.displayName = nil
        #expect(SharedSecretRegistration.body(account, nonce: "n", mac: "m").text
            == #"{"nonce":"n","username":"bob","password":"pw\"1","mac":"m","admin":false,"user_type":null,"displayname":null,"initial_device_display_name":"register_new_matrix_user"}"#)
    }

    // MARK: - The answers, as Synapse 1.163.2 gives them

    let registration = SharedSecretRegistration(serverURL: "http://127.0.0.1:8008/", secret: Secret("the-secret"))
    let account = SharedSecretAccount(localpart: "alice", password: Secret("hunter2 pw"), userType: "nosuch")

    func answer(_ status: Int, _ body: String) -> SharedSecretError {
        registration.interpret(HTTPResponse(status: status, body: Array(body.utf8)), account: account)
    }

    @Test func refusalsAreTyped() {
        let url = "http://127.0.0.1:8008"
        #expect(answer(403, #"{"errcode":"M_UNKNOWN","error":"HMAC incorrect"}"#) == .wrongSecret(url: url))
        #expect(answer(400, #"{"errcode":"M_UNKNOWN","error":"Shared secret registration is not enabled"}"#)
            == .notEnabled(url: url))
        #expect(answer(400, #"{"errcode":"M_USER_IN_USE","error":"User ID already taken."}"#) == .userInUse(localpart: "alice"))
        #expect(answer(400, #"{"errcode":"M_INVALID_USERNAME","error":"User ID may not begin with _"}"#)
            == .invalidUserID(code: "M_INVALID_USERNAME", message: "User ID may not begin with _"))
        #expect(answer(400, #"{"errcode":"M_UNKNOWN","error":"Invalid user type"}"#) == .invalidUserType("nosuch"))
        #expect(answer(400, #"{"errcode":"M_UNKNOWN","error":"Invalid password"}"#) == .passwordRefused(message: "Invalid password"))
        #expect(answer(404, #"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#)
            == .noEndpoint(url: url + "/_synapse/admin/v1/register", status: 404))
        #expect(answer(502, "<html>Bad Gateway</html>") == .noEndpoint(url: url + "/_synapse/admin/v1/register", status: 502))
    }

    /// An answer this does not know is passed on, but never with the password or the secret in it.
    @Test func unknownRefusalsKeepNoSecret() {
        let error = answer(400, #"{"errcode":"M_UNKNOWN","error":"bad: hunter2 pw / the-secret"}"#)
        #expect(error == .refused(url: "http://127.0.0.1:8008", status: 400, code: "M_UNKNOWN", message: "bad: <redacted> / <redacted>"))
    }

    /// A closed port, through the real libcurl: unreachable, with the URL.
    @Test func nothingListeningIsUnreachable() throws {
        let socket = try #require(ClosedPort.find())
        let registration = SharedSecretRegistration(serverURL: "http://127.0.0.1:\(socket)", secret: Secret("x"))
        #expect {
            _ = try registration.nonce()
        } throws: { error in
            guard case .unreachable(let url, let reason)? = error as? SharedSecretError else { return false }
            return url == "http://127.0.0.1:\(socket)" && !reason.isEmpty
        }
    }

    // MARK: - The config's secret

    let directory = TemporaryDirectory()

    func config(_ extra: String) throws -> HomeserverConfig {
        try ConfigLoader.load(paths: [directory.write("homeserver.yaml", """
            server_name: example.org
            database: {name: sqlite3, args: {database: /var/lib/synapse/homeserver.db}}
            \(extra)
            """)], mode: .verify)
    }

    @Test func secretFromTheConfigOrItsFile() throws {
        #expect(try config("registration_shared_secret: 'abc'").sharedSecret.get().resolve().revealed == "abc")
        let file = directory.write("secret", "  from-file\n\n")
        #expect(try config("registration_shared_secret_path: \(file)").sharedSecret.get().resolve().revealed == "from-file")
    }

    @Test func missingBothOrEitherIsOneMessage() throws {
        let missing = try config("").sharedSecret
        guard case .failure(let error) = missing else { Issue.record("a secret where none is set"); return }
        #expect(error.description.contains("registration_shared_secret") && error.description.contains("registration_shared_secret_path"))
        guard case .failure(let both) = try config("registration_shared_secret: a\nregistration_shared_secret_path: /x").sharedSecret
        else { Issue.record("both keys accepted"); return }
        #expect(both.key == "registration_shared_secret_path" && both.line == 4)
        let empty = directory.write("empty", " \n")
        #expect(throws: ConfigError.self) { try config("registration_shared_secret_path: \(empty)").sharedSecret.get().resolve() }
        #expect(throws: ConfigError.self) { try config("registration_shared_secret_path: /no/such/file").sharedSecret.get().resolve() }
    }
}

/// A loopback TCP port nothing listens on: bound, then closed again.
enum ClosedPort {
    static func find() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
