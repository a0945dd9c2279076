import Core
import Zxcvbn

/// A failure that ends the run: one line on stderr, a stable kind for scripts and an exit status.
///
/// `init(_:)` is the one place an error becomes a status and a message: every mode throws
/// Core's typed errors or a `Failure`, and `run()` reports whatever reaches it through here.
struct Failure: Error {
    let status: ExitStatus
    /// A stable name for the kind of failure (`user_exists`, `password_policy`, …).
    let kind: String
    let message: String

    init(_ status: ExitStatus, kind: String, _ message: String) {
        self.status = status
        self.kind = kind
        self.message = message
    }

    /// A mistake on the command line.
    static func usage(_ message: String) -> Failure { Failure(.usage, kind: "usage", message) }

    /// Any error, as the command line reports it: Core's fields named by their flags.
    init(_ error: any Error) {
        switch error {
        case let failure as Failure:
            self = failure
        case let error as ConfigError:
            self.init(.invalidConfig, kind: "invalid_config", error.description)
        case let error as UserIDError:
            self.init(.invalidUserID, kind: error.code == "M_EXCLUSIVE" ? "reserved_user_id" : "invalid_user_id",
                      error.message)
        case let error as PasswordRefusal:
            self.init(refusal: error)
        case let error as PasswordError:
            self.init(.passwordRefused, kind: "invalid_password", error.message)
        case let error as RegistrationError:
            self.init(registration: error)
        case let error as DatabaseError:
            self.init(database: error)
        case let error as BackupError:
            self.init(backup: error)
        case let error as BulkFileProblem:
            self.init(.invalidConfig, kind: "invalid_file", error.message)
        case let error as DuplicateRowError:
            self.init(.userExists, kind: "duplicate_row", error.description)
        case let error as SharedSecretError:
            self.init(synapse: error)
        case let error as StrengthDataError:
            self.init(.internalError, kind: "internal", "the strength estimator cannot run: \(error)")
        default:
            self.init(.internalError, kind: "internal", "unexpected failure: \(error)")
        }
    }

    private init(refusal: PasswordRefusal) {
        switch refusal {
        case .invalid(let error):
            self.init(.passwordRefused, kind: "invalid_password", error.message)
        case .policy(let failed):
            let more = failed.count > 1 ? " (and \(failed.count - 1) more rule(s))" : ""
            self.init(.passwordRefused, kind: "password_policy",
                      "password_config.policy: \(failed.first?.failureMessage ?? "refused")\(more); --ignore-password-policy accepts it anyway")
        case .tooWeak(let score, let label, let minimum, let warning):
            self.init(.passwordRefused, kind: "password_too_weak",
                      "password strength \(score)/4 (\(label)) is below --min-strength \(StrengthWording.scoreText(minimum))" + (warning.map { ": \($0)" } ?? ""))
        case .strengthUnavailable:
            self.init(.internalError, kind: "internal", refusal.description)
        }
    }

    private init(registration error: RegistrationError) {
        switch error {
        case .userExists(let existing):
            self.init(.userExists, kind: "user_exists", "user \(existing) already exists (--exists-ok accepts that)")
        case .serverNameMismatch:
            self.init(.invalidConfig, kind: "server_name_mismatch", error.description)
        case .invalidRequest(let field, let message):
            self.init(.usage, kind: "invalid_\(field == .userType ? "user_type" : "display_name")",
                      "\(Self.flag(for: field)): \(message)")
        case .database(let database):
            self.init(database: database)
        case .cancelled:
            self.init(.cancelled, kind: "cancelled", "cancelled; nothing was written")
        }
    }

    /// Synapse's refusals, each said with what to fix; nothing was registered in every case.
    private init(synapse error: SharedSecretError) {
        switch error {
        case .notEnabled(let url):
            self.init(.databaseUnavailable, kind: "shared_secret_disabled",
                      "Synapse at \(url) has shared-secret registration switched off: set registration_shared_secret (or registration_shared_secret_path) in its homeserver.yaml and restart it, or drop -k/--via-synapse to write to the database")
        case .wrongSecret(let url):
            self.init(.databaseUnavailable, kind: "wrong_shared_secret",
                      "Synapse at \(url) refused the shared secret (HMAC incorrect): pass that server's registration_shared_secret with -k, or its homeserver.yaml with -c and --via-synapse")
        case .userInUse(let localpart):
            self.init(.userExists, kind: "user_exists", "user \(localpart) already exists (--exists-ok accepts that)")
        case .invalidUserID(let code, let message):
            self.init(.invalidUserID, kind: code == "M_EXCLUSIVE" ? "reserved_user_id" : "invalid_user_id", message)
        case .passwordRefused(let message):
            self.init(.passwordRefused, kind: "password_refused", "Synapse refused the password: \(message)")
        case .invalidUserType(let type):
            self.init(.usage, kind: "invalid_user_type",
                      "--user-type: Synapse has no user type '\(type)'; use bot, support or one of its user_types.extra_user_types")
        case .unreachable(let url, let reason):
            self.init(.databaseUnavailable, kind: "synapse_unreachable",
                      "nothing answered at \(url) (\(reason)): check that Synapse is running and has an http listener with the client resource on that address and port (listeners in homeserver.yaml), or pass its URL")
        case .unknownHost(let url, let reason):
            self.init(.databaseUnavailable, kind: "synapse_unreachable",
                      "\(url): \(reason); check the host name, or pass the URL of Synapse's client listener")
        case .tls(let host, let reason):
            self.init(.databaseUnavailable, kind: "tls_failed",
                      "TLS verification of \(host) failed: \(reason); give Synapse a certificate the system's CA store trusts, or pass the URL of a plain-http listener on this machine")
        case .timeout(let url):
            self.init(.databaseUnavailable, kind: "synapse_timeout", "Synapse at \(url) did not answer in time; check that it is running and not overloaded")
        case .noEndpoint(let url, let status):
            self.init(.databaseUnavailable, kind: "no_endpoint",
                      "\(url) answered \(status), not as Synapse's shared-secret registration: check the URL is Synapse's client listener, and that a reverse proxy in front passes /_synapse/admin through")
        case .refused(let url, let status, let code, let message):
            let detail = [code, message].compactMap { $0 }.joined(separator: ": ")
            self.init(.databaseUnavailable, kind: "synapse_refused",
                      "Synapse at \(url) refused the registration (\(status)\(detail.isEmpty ? "" : " " + detail))")
        case .unavailable(let message):
            self.init(.databaseUnavailable, kind: "synapse_unavailable", message)
        }
    }

    private init(database error: DatabaseError) {
        let kind =
            switch error.kind {
            case .unavailable: "database_unavailable"
            case .busy: "database_locked"
            case .unsupportedSchema: "unsupported_schema"
            case .uniqueViolation, .failed: "database_error"
            }
        self.init(.databaseUnavailable, kind: kind, error.message)
    }

    /// The flag that sets a field of the account.
    static func flag(for field: AccountField) -> String {
        switch field {
        case .userID: "-u/--user"
        case .password: "--password-file or -p"
        case .displayName: "--display-name"
        case .userType: "--user-type"
        case .token: "--token-validity"
        }
    }
}
