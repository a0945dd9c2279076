import Core
import FoundationEssentials
import Glibc
import TUI

/// The form's view of registration through Synapse: the config's rules for what can be checked
/// here, Synapse's answers for the rest.
///
/// Availability is asked of Synapse's `register/available`, which answers only on a server with
/// `enable_registration` on; otherwise the form says the ID is checked at Create, when the
/// shared-secret endpoint refuses a taken one.
struct SynapseWizardBackend: ConfigRulesBackend {
    let config: HomeserverConfig
    let rules: UserIDRules
    let registration: SharedSecretRegistration
    let judge: PasswordJudge
    let audit: AuditLog

    init(config: HomeserverConfig, registration: SharedSecretRegistration, judge: PasswordJudge, audit: AuditLog) {
        self.config = config
        self.rules = UserIDRules(config: config)
        self.registration = registration
        self.judge = judge
        self.audit = audit
    }

    var databaseDescription: String { "not opened: Synapse at \(registration.serverURL) writes the account" }
    var backupOffer: WizardBackupOffer {
        WizardBackupOffer(isDefault: false, note: "Synapse writes the account; back its database up on the server.")
    }

    func isTaken(_ userID: String) async throws -> Bool {
        let parsed = try rules.parse(userID)
        switch AvailabilityCheck(serverURL: registration.serverURL).check(parsed.localpart) {
        case .available: return false
        case .taken: return true
        case .invalid, .unknown: throw AvailabilityAtCreate(checkedBy: "Synapse")
        }
    }

    func register(_ request: WizardRequest) async throws -> WizardOutcome {
        let userID: UserID
        do {
            userID = try rules.parse(request.userID)
        } catch {
            throw WizardFailure(error.message, field: .userID)
        }
        if request.backup {
            throw WizardFailure("Synapse writes the account: back its database up on the server.", field: .backup)
        }
        if request.issueToken, request.tokenValidityMs != nil {
            throw WizardFailure("Synapse's endpoint sets the token's lifetime itself: leave this empty.", field: .tokenValidity)
        }
        let displayName = request.displayName.isEmpty ? nil : request.displayName
        let account = PasswordAccount(localpart: userID.localpart, displayName: displayName, serverName: serverName)
        if let refusal = PasswordAssessment(judge.judge(request.password, for: account)).refusal {
            throw WizardFailure(refusal, field: .password)
        }
        let audited = AuditLog.Account(userID: userID.description, admin: request.admin, userType: request.userType)
        do {
            let nonce = try registration.nonce()
            let answer = try registration.register(
                SharedSecretAccount(
                    localpart: userID.localpart, password: request.password, admin: request.admin,
                    userType: request.userType, displayName: displayName, issueToken: request.issueToken),
                nonce: nonce)
            let result = RegistrationResult(
                userID: userID, admin: request.admin, userType: request.userType,
                displayName: displayName ?? userID.localpart, deviceID: answer.deviceID, accessToken: answer.accessToken,
                tokenExpiresAtMs: answer.expiresInMs.map { Int64(Date().timeIntervalSince1970 * 1000) + $0 },
                tablesWritten: [])
            audit.created(result)
            return WizardOutcome(
                userID: result.userID.description, displayName: result.displayName, admin: result.admin,
                userType: result.userType, token: result.accessToken, deviceID: result.deviceID,
                tokenExpiry: result.tokenExpiresAtMs.map { CoreWizardBackend.format(milliseconds: $0) })
        } catch {
            let failure = Failure(error)
            audit.notCreated(audited, failure)
            switch error {
            case .userInUse: throw WizardFailure("\(userID) already exists", field: .userID)
            case .invalidUserID(_, let message): throw WizardFailure(message, field: .userID)
            case .passwordRefused(let message): throw WizardFailure(message, field: .password)
            case .invalidUserType: throw WizardFailure(failure.message, field: .userType)
            default: throw WizardFailure(failure.message)
            }
        }
    }

    func testLogin(_ userID: String, password: Secret) async -> LoginTestAnswer {
        guard let parsed = try? rules.parse(userID) else { return LoginTestAnswer(.unknown, "\(userID) is not this server's.") }
        if let key = config.password.passwordLoginsOffBy {
            return LoginTestAnswer(.failed, "\(key) is false: Synapse lets no password in.")
        }
        switch LoginCheck().run(url: registration.serverURL, userID: parsed, password: password) {
        case .loggedIn(let url): return LoginTestAnswer(.passed, "Logged in at \(url), and out again.")
        case .notRunning(let url, _): return LoginTestAnswer(.unknown, "No Synapse answered at \(url).")
        case .inconclusive(_, let reason): return LoginTestAnswer(.unknown, "Could not finish the test: \(reason).")
        case .refused(_, let reason): return LoginTestAnswer(.failed, "Synapse refused the login: \(reason).")
        }
    }
}
