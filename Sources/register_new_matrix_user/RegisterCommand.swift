import ArgumentParser
import Core
import FoundationEssentials
import Glibc

/// The command line: Synapse's documented flags, plus those of its own script.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register_new_matrix_user",
        abstract: "Create an account directly in a Synapse homeserver's database.",
        usage: """
            register_new_matrix_user [-c <PATH>]... [-u <USER_ID>] [<options>]
            register_new_matrix_user --from-file <FILE> [-c <PATH>]... [<options>]
            register_new_matrix_user --check-password [-c <PATH>] [-u <USER_ID>]
            register_new_matrix_user --review-accounts [-c <PATH>]... [<options>]
            """,
        discussion: """
            Reads homeserver.yaml, opens Synapse's SQLite or PostgreSQL database and writes the \
            account the way Synapse's own registration does. Synapse need not be running; if it \
            is, it sees the new account at once. With -k SECRET or --via-synapse it registers \
            through the running Synapse instead, with the shared-secret admin API Synapse's own \
            script uses, and opens no database.

            Without --no-input, missing values are asked for on the terminal: in a full-screen \
            form, or line by line where the form cannot be shown (--prompt asks for that). \
            stdout carries only a generated password (with --generate-password) and the access \
            token (with --print-token); messages go to stderr. --review-accounts lists the \
            accounts an audit looks at and writes nothing.
            """,
        version: ToolVersion.description)

    // MARK: - The account

    @Option(name: .shortAndLong, help: ArgumentHelp("The user ID: @localpart:server or a bare localpart.", valueName: "USER_ID"))
    var user: String?

    @Option(
        name: .shortAndLong, parsing: .unconditional,
        help: ArgumentHelp(
            "The password. Other users of this machine can read it in the process list; prefer --password-file.",
            valueName: "PASSWORD"))
    var password: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp(
        "Read the password from FILE ('-' for stdin); whitespace around it is removed, as by Synapse's script.", valueName: "FILE"))
    var passwordFile: String?

    @Flag(name: .customLong("generate-password"), help: """
        Generate a password that meets the server's policy and print it once on stdout, on the first line \
        (with --json: in the object).
        """)
    var generatePassword = false

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

    // MARK: - Through Synapse

    @Option(name: [.customShort("k"), .customLong("shared-secret")], parsing: .unconditional, help: ArgumentHelp(
        "Register through the running Synapse with this registration_shared_secret instead of writing to the database, as Synapse's script does.",
        valueName: "SECRET"))
    var sharedSecret: String?

    @Flag(name: .customLong("via-synapse"), help: """
        Register through the running Synapse, with the config's registration_shared_secret (or the file \
        registration_shared_secret_path names), instead of writing to the database.
        """)
    var viaSynapse = false

    /// Whether the account is registered through Synapse's admin API rather than written.
    var registersThroughSynapse: Bool { sharedSecret != nil || viaSynapse }

    // MARK: - Mode and token

    @Flag(name: .customLong("no-input"), help: "Never prompt; fail on missing or invalid input.")
    var noInput = false

    @Flag(name: .customLong("prompt"), help: """
        Ask line by line, as Synapse's script does, instead of opening the form. This is the way \
        anyway with ACCESSIBLE set (screen readers), on TERM=dumb, an unknown TERM, a serial line \
        or a window smaller than 80x24.
        """)
    var prompt = false

    @Flag(name: .customLong("print-token"), help: "Create an access token with a device and print it on stdout (requires --no-input).")
    var printToken = false

    @Option(name: .customLong("token-validity"), help: ArgumentHelp(
        "How long the token stays valid: DAYS, or a duration such as 12h or 30m (requires --print-token; not with -k or --via-synapse, where Synapse sets the lifetime).", valueName: "DAYS"),
        transform: DaysOrDuration.init(parsing:))
    var tokenValidity: DaysOrDuration?

    @Flag(name: .customLong("ignore-password-policy"), help: "Accept a password that password_config.policy refuses.")
    var ignorePasswordPolicy = false

    @Option(name: .customLong("min-strength"), help: ArgumentHelp(
        "Refuse a password whose strength score (0-4, as zxcvbn and the Matrix Authentication Service rate it) is lower.",
        valueName: "SCORE"))
    var minStrength: Int?

    @Flag(name: .customLong("dry-run"), help: """
        Check everything up to the write and print what would be written; hash and write nothing \
        (with --from-file: judge every row and print the report).
        """)
    var dryRun = false

    @Flag(name: .customLong("json"), help: """
        Print one JSON object on stdout, also on failure: the account created, or the error's status, kind and \
        message (never opens the form).
        """)
    var json = false

    @Option(name: .customLong("backup"), help: ArgumentHelp("""
        Back up the database just before the write, to PATH if given: SQLite with its online backup API \
        beside the database file (checked, mode 600), PostgreSQL with pg_dump --format=custom in the \
        current directory. Nothing is written if the backup fails. Not with -k or --via-synapse.
        """, valueName: "PATH"))
    var backup: String?

    @Option(name: .customLong("verify-login"), help: ArgumentHelp(
        "After the write, log the account in through the running Synapse at URL (default: the config's client listener on this machine), then log that session out.",
        valueName: "URL"))
    var verifyLogin: String?

    /// `--verify-login`'s value when none is given: the config's client listener.
    static let configuredURL = "(the config's client listener)"

    @Flag(name: .customLong("check-password"), help: """
        Score passwords without creating anything: one per line on stdin, one JSON object per line on \
        stdout (with the policy's results when -c is given).
        """)
    var checkPassword = false

    @Flag(name: .customLong("no-audit"), help: "Do not log the accounts created or refused to syslog (authpriv), as is done by default.")
    var noAudit = false

    // MARK: - The account review

    @Flag(name: .customLong("review-accounts"), help: """
        Create nothing: list the server admins, the accounts created lately, the support and bot accounts, \
        the tokens this tool issued that never expire and the deactivated admins (reads, never writes).
        """)
    var reviewAccounts = false

    @Option(name: .customLong("since"), help: ArgumentHelp(
        "With --review-accounts: list the accounts created in this last period, DAYS or a duration such as 12h (default 30).",
        valueName: "DAYS"), transform: DaysOrDuration.init(parsing:))
    var since: DaysOrDuration?

    // MARK: - Many accounts

    @Option(name: .customLong("from-file"), help: ArgumentHelp(
        "Create every account FILE lists ('-' for stdin): synapse-admin's CSV or JSON Lines.", valueName: "FILE"))
    var fromFile: String?

    @Option(name: .customLong("format"), help: ArgumentHelp(
        "The file's format, csv or jsonl (default: from its extension, else its first character).", valueName: "FORMAT"))
    var format: String?

    @Option(name: .customLong("jobs"), help: ArgumentHelp(
        "Hash passwords on N threads (default: the number of cores).", valueName: "N"))
    var jobs: Int?


    @Option(name: .customLong("report"), help: ArgumentHelp(
        "Write the report to FILE (created with mode 600, never overwritten) instead of stdout.", valueName: "FILE"))
    var reportPath: String?

    @Flag(name: .customLong("quiet"), help: "No progress line.")
    var quiet = false

    /// Synapse's script takes the server's URL; a direct write needs none and ignores it.
    @Argument(help: ArgumentHelp(
        "With -k or --via-synapse: Synapse's URL (default: the config's client listener, else http://localhost:8008). Ignored by a direct write.",
        valueName: "SERVER_URL"))
    var serverURL: String?

    mutating func validate() throws {
        try validateReview()
        try validateThroughSynapse()
        if password != nil && passwordFile != nil {
            throw ValidationError("-p/--password and --password-file exclude each other")
        }
        if generatePassword && (password != nil || passwordFile != nil) {
            throw ValidationError("--generate-password and \(password != nil ? "-p/--password" : "--password-file") exclude each other")
        }
        if generatePassword && fromFile != nil {
            throw ValidationError("--generate-password describes one account; with --from-file rows without a password get a generated one already")
        }
        if admin && noAdmin {
            throw ValidationError("-a/--admin and --no-admin exclude each other")
        }
        if let fromFile {
            let single = [("-u/--user", user != nil), ("-p/--password", password != nil),
                          ("--password-file", passwordFile != nil), ("-a/--admin", admin),
                          ("--display-name", displayName != nil), ("-t/--user-type", userType != nil),
                          ("--check-password", checkPassword)]
            if let (flag, _) = single.first(where: \.1) {
                throw ValidationError("\(flag) describes one account; with --from-file \(fromFile) each row gives its own")
            }
            if let format {
                do {
                    _ = try BulkFormat.detect(explicit: format, path: "", firstBytes: [])
                } catch {
                    throw ValidationError("--format: \(error)")
                }
            }
            if let jobs, !(1...1024).contains(jobs) {
                throw ValidationError("--jobs takes a number of threads from 1 to 1024")
            }
            if json {
                throw ValidationError("--json describes one account; with --from-file the report is JSON Lines already")
            }
            if verifyLogin != nil {
                throw ValidationError("--verify-login checks one account; with --from-file log a sample in by hand")
            }
        } else {
            for (flag, given) in [("--format", format != nil), ("--jobs", jobs != nil),
                                  ("--report", reportPath != nil), ("--quiet", quiet)] where given {
                throw ValidationError("\(flag) goes with --from-file")
            }
        }
        if let verifyLogin, verifyLogin != Self.configuredURL,
           !(verifyLogin.hasPrefix("http://") || verifyLogin.hasPrefix("https://")) {
            throw ValidationError("--verify-login takes an http:// or https:// URL, or nothing for the config's client listener")
        }
        if prompt {
            let excluded = [("--no-input", noInput), ("--from-file", fromFile != nil), ("--json", json),
                            ("--dry-run", dryRun), ("--generate-password", generatePassword),
                            ("--check-password", checkPassword), ("--review-accounts", reviewAccounts),
                            ("--print-token", printToken)]
            if let (flag, _) = excluded.first(where: \.1) {
                throw ValidationError("--prompt asks for one account's values on the terminal; it does not go with \(flag)")
            }
        }
        if printToken && !noInput && fromFile == nil {
            throw ValidationError("--print-token requires --no-input")
        }
        if let minStrength, !(0...4).contains(minStrength) {
            throw ValidationError("--min-strength takes a score from 0 to 4")
        }
        if checkPassword && (password != nil || passwordFile != nil || generatePassword || printToken || admin || existsOK || backup != nil) {
            throw ValidationError("--check-password only scores passwords read from stdin; it creates no account")
        }
        if tokenValidity != nil && !printToken {
            throw ValidationError("--token-validity requires --print-token")
        }
    }

    /// Whether a backup was asked for, and where: `.some(nil)` for the default path.
    var backupRequest: String?? {
        backup.map { $0 == Self.defaultBackup ? nil : $0 }
    }

    /// What a bare `--backup` stands for once normalized: a NUL, which no argument can hold.
    static let defaultBackup = "\0"

    /// The arguments with a bare `--backup` (last, or followed by another flag or by an
    /// `http(s)://` URL, the server URL Synapse's script takes) given ``defaultBackup``, so that
    /// argument-parser, which has no option with an optional value, reads both `--backup` and
    /// `--backup PATH`. The value of `-p`, which may start with `-`, is skipped, and nothing after
    /// `--` is touched.
    static func normalizingBackup(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            result.append(argument)
            index += 1
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if ["-p", "--password", "-k", "--shared-secret"].contains(argument), index < arguments.endIndex {
                result.append(arguments[index])
                index += 1
            } else if argument == "--backup",
                index == arguments.endIndex || ["-", "http://", "https://"].contains(where: arguments[index].hasPrefix)
            {
                result[result.count - 1] = "--backup=" + defaultBackup
            }
        }
        return result
    }

    /// The config paths given, or Synapse's default.
    var configPaths: [String] { configPath.isEmpty ? ["homeserver.yaml"] : configPath }
}

/// `--token-validity` and `--since`: days as a number, or a duration with a unit (`s`, `m`, `h`,
/// `d`, `w`, `y`, as in Synapse's config); zero and negative are refused.
struct DaysOrDuration {
    let milliseconds: Int64

    init(parsing argument: String) throws(ValidationError) {
        do {
            milliseconds = try SynapseDuration.tokenValidity(argument)
        } catch {
            switch error {
            case .malformed, .notPositive: throw ValidationError("expected \(SynapseDuration.tokenValidityForms)")
            case .tooLong: throw ValidationError("at most \(SynapseDuration.maximumDescription) is accepted")
            }
        }
    }
}
