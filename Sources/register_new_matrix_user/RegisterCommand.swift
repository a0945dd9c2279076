import Core
import FoundationEssentials

/// What the command line asked for, once ``CommandLineOptions`` has read it: Synapse's documented
/// flags, those of its own script, and this tool's. Every value starts as "not given"; the modes
/// read them and ``validate()`` refuses the combinations that cannot mean anything.
struct RegisterCommand {
    // MARK: - The account

    var user: String?
    var password: String?
    var passwordFile: String?
    var generatePassword = false
    var admin = false
    var noAdmin = false
    var userType: String?
    var displayName: String?
    var existsOK = false

    // MARK: - The server

    var configPath: [String] = []
    var noVerifyConfig = false
    var databaseURL: String?

    // MARK: - Through Synapse

    var sharedSecret: String?
    var viaSynapse = false

    /// Whether the account is registered through Synapse's admin API rather than written.
    var registersThroughSynapse: Bool { sharedSecret != nil || viaSynapse }

    // MARK: - Mode and token

    var noInput = false
    var prompt = false
    var printToken = false
    var tokenValidity: DaysOrDuration?
    var ignorePasswordPolicy = false
    var minStrength: Int?
    var dryRun = false
    var json = false
    /// `--backup [PATH]`: nil when not asked for, `.some(nil)` for the engine's default place.
    var backupRequest: String??
    /// `--verify-login [URL]`: nil when not asked for, `.some(nil)` for the config's client listener.
    var verifyLogin: String??
    var checkPassword = false
    var noAudit = false

    // MARK: - The account review

    var reviewAccounts = false
    var since: DaysOrDuration?

    // MARK: - Many accounts

    var fromFile: String?
    var format: String?
    var jobs: Int?
    var reportPath: String?
    var quiet = false

    /// Synapse's script takes the server's URL; a direct write needs none and ignores it.
    var serverURL: String?

    /// Refuses flags that exclude each other or need another; each message names the flags.
    func validate() throws(UsageError) {
        try validateReview()
        try validateThroughSynapse()
        if password != nil && passwordFile != nil {
            throw UsageError("-p/--password and --password-file exclude each other")
        }
        if generatePassword && (password != nil || passwordFile != nil) {
            throw UsageError("--generate-password and \(password != nil ? "-p/--password" : "--password-file") exclude each other")
        }
        if generatePassword && fromFile != nil {
            throw UsageError("--generate-password describes one account; with --from-file rows without a password get a generated one already")
        }
        if admin && noAdmin {
            throw UsageError("-a/--admin and --no-admin exclude each other")
        }
        if let fromFile {
            let single = [("-u/--user", user != nil), ("-p/--password", password != nil),
                          ("--password-file", passwordFile != nil), ("-a/--admin", admin),
                          ("--display-name", displayName != nil), ("-t/--user-type", userType != nil),
                          ("--check-password", checkPassword)]
            if let (flag, _) = single.first(where: \.1) {
                throw UsageError("\(flag) describes one account; with --from-file \(fromFile) each row gives its own")
            }
            if let format {
                do {
                    _ = try BulkFormat.detect(explicit: format, path: "", firstBytes: [])
                } catch {
                    throw UsageError("--format: \(error)")
                }
            }
            if let jobs, !(1...1024).contains(jobs) {
                throw UsageError("--jobs takes a number of threads from 1 to 1024")
            }
            if json {
                throw UsageError("--json describes one account; with --from-file the report is JSON Lines already")
            }
            if verifyLogin != nil {
                throw UsageError("--verify-login checks one account; with --from-file log a sample in by hand")
            }
        } else {
            for (flag, given) in [("--format", format != nil), ("--jobs", jobs != nil),
                                  ("--report", reportPath != nil), ("--quiet", quiet)] where given {
                throw UsageError("\(flag) goes with --from-file")
            }
        }
                if prompt {
            let excluded = [("--no-input", noInput), ("--from-file", fromFile != nil), ("--json", json),
                            ("--dry-run", dryRun), ("--generate-password", generatePassword),
                            ("--check-password", checkPassword), ("--review-accounts", reviewAccounts),
                            ("--print-token", printToken)]
            if let (flag, _) = excluded.first(where: \.1) {
                throw UsageError("--prompt asks for one account's values on the terminal; it does not go with \(flag)")
            }
        }
        if printToken && !noInput && fromFile == nil {
            throw UsageError("--print-token requires --no-input")
        }
        if let minStrength, !(0...4).contains(minStrength) {
            throw UsageError("--min-strength takes a score from 0 to 4")
        }
        if checkPassword && (password != nil || passwordFile != nil || generatePassword || printToken || admin || existsOK || backupRequest != nil) {
            throw UsageError("--check-password only scores passwords read from stdin; it creates no account")
        }
        if tokenValidity != nil && !printToken {
            throw UsageError("--token-validity requires --print-token")
        }
    }

    /// The config paths given, or Synapse's default.
    var configPaths: [String] { configPath.isEmpty ? ["homeserver.yaml"] : configPath }
}

/// A command line that cannot be run: the message names the flag or value at fault.
struct UsageError: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// `--token-validity` and `--since`: days as a number, or a duration with a unit (`s`, `m`, `h`,
/// `d`, `w`, `y`, as in Synapse's config); zero and negative are refused.
struct DaysOrDuration {
    let milliseconds: Int64

    /// - Throws: the reason the value is refused, which the parser puts after the flag's name.
    init(parsing argument: String) throws(UsageError) {
        do {
            milliseconds = try SynapseDuration.tokenValidity(argument)
        } catch {
            switch error {
            case .malformed, .notPositive: throw UsageError("expected \(SynapseDuration.tokenValidityForms)")
            case .tooLong: throw UsageError("at most \(SynapseDuration.maximumDescription) is accepted")
            }
        }
    }
}
