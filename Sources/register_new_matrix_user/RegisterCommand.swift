import ArgumentParser
import Core
import Foundation

/// The command line: Synapse's documented flags, plus those of its own script.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register_new_matrix_user",
        abstract: "Create an account directly in a Synapse homeserver's database.",
        discussion: """
            Reads homeserver.yaml, opens Synapse's SQLite or PostgreSQL database and writes the
            account the way Synapse's own registration does. Synapse need not be running; if it
            is, it sees the new account at once.

            Without --no-input, a terminal and missing values open a full-screen form.
            stdout carries only the access token (with --print-token); messages go to stderr.

            Exit status: 0 created (or exists, with --exists-ok), 64 usage, 65 invalid config,
            66 invalid user ID, 67 user exists, 68 password refused, 69 database unavailable or
            unsupported schema, 70 internal error, 130 cancelled.
            """)

    // MARK: - The account

    @Option(name: .shortAndLong, help: ArgumentHelp("The user ID: @localpart:server or a bare localpart.", valueName: "USER_ID"))
    var user: String?

    @Option(
        name: .shortAndLong, parsing: .unconditional,
        help: "The password. Other users of this machine can read it in the process list; prefer --password-file.")
    var password: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp(
        "Read the password from FILE ('-' for stdin); one trailing line ending is removed.", valueName: "FILE"))
    var passwordFile: String?

    @Flag(name: .shortAndLong, help: "Make the account a server admin.")
    var admin = false

    @Flag(name: .customLong("no-admin"), help: "Do not make the account an admin (the default).")
    var noAdmin = false

    @Option(name: [.customShort("t"), .customLong("user-type"), .customLong("user_type")], help: ArgumentHelp(
        "The user type: bot, support, or one of the config's user_types.extra_user_types.", valueName: "TYPE"))
    var userType: String?

    @Option(name: .customLong("display-name"), help: ArgumentHelp("The display name (default: the localpart).", valueName: "NAME"))
    var displayName: String?

    @Flag(name: .customLong("exists-ok"), help: "Succeed without changing anything when the user exists.")
    var existsOK = false

    // MARK: - The server

    @Option(name: [.short, .customLong("config-path"), .customLong("config")], help: ArgumentHelp(
        "homeserver.yaml, or a directory of *.yaml files; repeat to merge several.", valueName: "PATH"))
    var configPath: [String] = []

    @Flag(name: .customLong("no-verify-config"), help: "Read only what is needed to reach the database and hash the password.")
    var noVerifyConfig = false

    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "Use this database instead of the config's: sqlite:PATH, postgresql://…, or libpq key=value pairs.", valueName: "URL"))
    var databaseURL: String?

    // MARK: - Mode and token

    @Flag(name: .customLong("no-input"), help: "Never prompt; fail on missing or invalid input.")
    var noInput = false

    @Flag(name: .customLong("print-token"), help: "Create an access token with a device and print it on stdout (requires --no-input).")
    var printToken = false

    @Option(name: .customLong("token-validity"), help: ArgumentHelp(
        "How long the token stays valid: DAYS, or a duration such as 12h or 30m (requires --print-token).", valueName: "DAYS"),
        transform: TokenValidity.init(parsing:))
    var tokenValidity: TokenValidity?

    @Flag(name: .customLong("ignore-password-policy"), help: "Accept a password that password_config.policy refuses.")
    var ignorePasswordPolicy = false

    @Option(name: .customLong("min-strength"), help: ArgumentHelp(
        "Refuse a password whose strength score (0-4, as zxcvbn and the Matrix Authentication Service rate it) is lower.",
        valueName: "SCORE"))
    var minStrength: Int?

    @Flag(name: .customLong("check-password"), help: """
        Score passwords without creating anything: one per line on stdin, one JSON object per line on stdout         (with the policy's results when -c is given).
        """)
    var checkPassword = false

    /// Synapse's script takes the server's URL; this tool writes to the database and needs none.
    @Argument(help: .hidden)
    var serverURL: String?

    mutating func validate() throws {
        if password != nil && passwordFile != nil {
            throw ValidationError("-p/--password and --password-file exclude each other")
        }
        if admin && noAdmin {
            throw ValidationError("-a/--admin and --no-admin exclude each other")
        }
        if printToken && !noInput {
            throw ValidationError("--print-token requires --no-input")
        }
        if let minStrength, !(0...4).contains(minStrength) {
            throw ValidationError("--min-strength takes a score from 0 to 4")
        }
        if checkPassword && (password != nil || passwordFile != nil || printToken || admin || existsOK) {
            throw ValidationError("--check-password only scores passwords read from stdin; it creates no account")
        }
        if tokenValidity != nil && !printToken {
            throw ValidationError("--token-validity requires --print-token")
        }
    }

    /// The config paths given, or Synapse's default.
    var configPaths: [String] { configPath.isEmpty ? ["homeserver.yaml"] : configPath }
}

/// `--token-validity`: days as a number, or a duration with a unit (`s`, `m`, `h`, `d`, `w`, `y`),
/// parsed by ``SynapseDuration/tokenValidity(_:)``.
struct TokenValidity {
    let milliseconds: Int64

    init(parsing argument: String) throws(ValidationError) {
        do {
            milliseconds = try SynapseDuration.tokenValidity(argument)
        } catch {
            switch error {
            case .malformed: throw ValidationError("expected days (30, 0.5) or a duration such as 12h, 90m or 2w")
            case .notPositive: throw ValidationError("the token must stay valid for longer than zero")
            case .tooLong: throw ValidationError("at most \(SynapseDuration.maximumDescription) is accepted")
            }
        }
    }
}
