import Core

/// One option of the command line: the names it answers to, what it takes, its line in `--help`,
/// and what it sets. ``CommandLineOptions/all`` lists them in the order `--help` shows them; the
/// parser, `--help`, the shell completions and the manual page are all read from that one table.
struct OptionSpec: Sendable {
    typealias Setter = @Sendable (inout RegisterCommand, String) throws(UsageError) -> Void

    enum Kind: Sendable {
        /// Takes no value.
        case flag(@Sendable (inout RegisterCommand) -> Void)
        /// Takes a value, named `valueName` in `--help`.
        case value(Setter)
        /// May be followed by a value: the next argument is taken when `accepts` says it is one.
        case optionalValue(accepts: @Sendable (String) -> Bool, Setter, absent: @Sendable (inout RegisterCommand) -> Void)
        /// Answered instead of running: `--help`, `--version` and what packaging asks for.
        case request(CommandLineRequest)
        /// Answered instead of running, for a value: the request it makes, or why the value is refused.
        case valuedRequest(@Sendable (String) throws(UsageError) -> CommandLineRequest)
    }

    /// What the shells offer after the option: nothing, file names, or a fixed list of words.
    enum Completion: Sendable, Equatable {
        case none, files
        case words([String])
    }

    let shortNames: [Character]
    let longNames: [String]
    let kind: Kind
    let valueName: String
    let help: String
    var completion: Completion = .none
    /// The next argument is the value whatever it looks like: a password may start with `-`.
    var takesAnyValue = false
    /// Left out of `--help`, the completions and the manual (what packaging asks for).
    var hidden = false
    /// Given more than once, every value counts (`-c`), rather than the last.
    var repeats = false

    var takesValue: Bool {
        switch kind {
        case .value, .optionalValue, .valuedRequest: true
        case .flag, .request: false
        }
    }

    /// `-t`, `--user-type`, `--user_type`: the short names first, as `--help` lists them.
    var names: [String] { shortNames.map { "-\($0)" } + longNames.map { "--\($0)" } }

    /// `-t, --user-type, --user_type`.
    var spelledNames: String { names.joined(separator: ", ") }

    /// `--token-validity <DAYS>`: the name a message quotes, the long one when there is one.
    var quotedName: String {
        let name = longNames.first.map { "--\($0)" } ?? shortNames.first.map { "-\($0)" } ?? ""
        return takesValue ? "\(name) <\(valueName)>" : name
    }
}

/// What a command line can ask for besides a run.
enum CommandLineRequest: Sendable, Equatable {
    case help, version
    /// `--generate-completion-script SHELL`: the script `scripts/package.sh` installs for that shell
    /// (one of ``CompletionScript/shells``).
    case completionScript(String)
    /// `--experimental-dump-help`: the table as JSON, which `scripts/manpage.py` writes the manual from.
    case dumpHelp
}

enum CommandLineOptions {
    static let commandName = "register_new_matrix_user"

    static let abstract = "Create an account directly in a Synapse homeserver's database."

    static let usage = [
        "register_new_matrix_user [-c <PATH>]... [-u <USER_ID>] [<options>]",
        "register_new_matrix_user --from-file <FILE> [-c <PATH>]... [<options>]",
        "register_new_matrix_user --check-password [-c <PATH>] [-u <USER_ID>]",
        "register_new_matrix_user --review-accounts [-c <PATH>]... [<options>]",
    ]

    static let discussion = """
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
        """

    /// The one positional argument: Synapse's script takes the server's URL.
    static let serverURLName = "SERVER_URL"
    static let serverURLHelp = """
        With -k or --via-synapse: Synapse's URL (default: the config's client listener, else \
        http://localhost:8008). Ignored by a direct write.
        """

    /// A URL, as `--verify-login` takes one and `--backup` leaves one for the positional argument.
    @Sendable static func isURL(_ argument: String) -> Bool {
        argument.hasPrefix("http://") || argument.hasPrefix("https://")
    }

    /// `-5`, `-0.5`, `-.5`, `-2w`: a minus and then a digit or a point, never an option's name, so
    /// taken as a value, which the option's own check then refuses with a reason.
    static func isNegativeNumber(_ argument: String) -> Bool {
        guard argument.hasPrefix("-"), let next = argument.utf8.dropFirst().first else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) || next == UInt8(ascii: ".")
    }

    /// A whole number for `--min-strength` and `--jobs`; their ranges are ``RegisterCommand/validate()``'s.
    static func integer(_ text: String) throws(UsageError) -> Int {
        guard let value = Int(text) else { throw UsageError("expected a whole number") }
        return value
    }

    /// The options `--help`, the completions and the manual show.
    static var shown: [OptionSpec] { all.filter { !$0.hidden } }

    static let all: [OptionSpec] = [
        // The account
        OptionSpec(shortNames: ["u"], longNames: ["user"], kind: .value { $0.user = $1 }, valueName: "USER_ID",
                   help: "The user ID: @localpart:server or a bare localpart."),
        OptionSpec(shortNames: ["p"], longNames: ["password"], kind: .value { $0.password = $1 }, valueName: "PASSWORD",
                   help: "The password. Other users of this machine can read it in the process list; prefer --password-file.",
                   takesAnyValue: true),
        OptionSpec(shortNames: [], longNames: ["password-file"], kind: .value { $0.passwordFile = $1 }, valueName: "FILE",
                   help: "Read the password from FILE ('-' for stdin); whitespace around it is removed, as by Synapse's script.",
                   completion: .files),
        OptionSpec(shortNames: [], longNames: ["generate-password"], kind: .flag { $0.generatePassword = true }, valueName: "",
                   help: """
                       Generate a password that meets the server's policy and print it once on stdout, on the first line \
                       (with --json: in the object).
                       """),
        OptionSpec(shortNames: ["a"], longNames: ["admin"], kind: .flag { $0.admin = true }, valueName: "",
                   help: "Make the account a server admin."),
        OptionSpec(shortNames: [], longNames: ["no-admin"], kind: .flag { $0.noAdmin = true }, valueName: "",
                   help: "Do not make the account an admin (the default)."),
        OptionSpec(shortNames: ["t"], longNames: ["user-type", "user_type"], kind: .value { $0.userType = $1 }, valueName: "TYPE",
                   help: "The user type: bot, support, or one of the config's user_types.extra_user_types.",
                   completion: .words(["bot", "support"])),
        OptionSpec(shortNames: [], longNames: ["display-name"], kind: .value { $0.displayName = $1 }, valueName: "NAME",
                   help: "The display name (default: the localpart)."),
        OptionSpec(shortNames: [], longNames: ["exists-ok"], kind: .flag { $0.existsOK = true }, valueName: "",
                   help: "Succeed without changing anything when the user exists."),

        // The server
        OptionSpec(shortNames: ["c"], longNames: ["config-path", "config"], kind: .value { $0.configPath.append($1) },
                   valueName: "PATH", help: "homeserver.yaml, or a directory of *.yaml files; repeat to merge several.",
                   completion: .files, repeats: true),
        OptionSpec(shortNames: [], longNames: ["no-verify-config"], kind: .flag { $0.noVerifyConfig = true }, valueName: "",
                   help: "Read only what is needed to reach the database and hash the password."),
        OptionSpec(shortNames: [], longNames: ["database-url"], kind: .value { $0.databaseURL = $1 }, valueName: "URL",
                   help: "Use this database instead of the config's: sqlite:PATH, postgresql://…, or libpq key=value pairs."),

        // Through Synapse
        OptionSpec(shortNames: ["k"], longNames: ["shared-secret"], kind: .value { $0.sharedSecret = $1 }, valueName: "SECRET",
                   help: """
                       Register through the running Synapse with this registration_shared_secret instead of writing to the \
                       database, as Synapse's script does.
                       """,
                   takesAnyValue: true),
        OptionSpec(shortNames: [], longNames: ["via-synapse"], kind: .flag { $0.viaSynapse = true }, valueName: "",
                   help: """
                       Register through the running Synapse, with the config's registration_shared_secret (or the file \
                       registration_shared_secret_path names), instead of writing to the database.
                       """),

        // Mode and token
        OptionSpec(shortNames: [], longNames: ["no-input"], kind: .flag { $0.noInput = true }, valueName: "",
                   help: "Never prompt; fail on missing or invalid input."),
        OptionSpec(shortNames: [], longNames: ["prompt"], kind: .flag { $0.prompt = true }, valueName: "",
                   help: """
                       Ask line by line, as Synapse's script does, instead of opening the form. This is the way \
                       anyway with ACCESSIBLE set (screen readers), on TERM=dumb, an unknown TERM, a serial line \
                       or a window smaller than 80x24.
                       """),
        OptionSpec(shortNames: [], longNames: ["print-token"], kind: .flag { $0.printToken = true }, valueName: "",
                   help: "Create an access token with a device and print it on stdout (requires --no-input)."),
        OptionSpec(shortNames: [], longNames: ["token-validity"],
                   kind: .value { (command, text) throws(UsageError) in command.tokenValidity = try DaysOrDuration(parsing: text) },
                   valueName: "DAYS",
                   help: """
                       How long the token stays valid: DAYS, or a duration such as 12h or 30m (requires --print-token; \
                       not with -k or --via-synapse, where Synapse sets the lifetime).
                       """),
        OptionSpec(shortNames: [], longNames: ["ignore-password-policy"], kind: .flag { $0.ignorePasswordPolicy = true },
                   valueName: "", help: "Accept a password that password_config.policy refuses."),
        OptionSpec(shortNames: [], longNames: ["min-strength"],
                   kind: .value { (command, text) throws(UsageError) in command.minStrength = try integer(text) },
                   valueName: "SCORE",
                   help: """
                       Refuse a password whose strength score (0-4, as zxcvbn and the Matrix Authentication Service \
                       rate it) is lower.
                       """,
                   completion: .words(["0", "1", "2", "3", "4"])),
        OptionSpec(shortNames: [], longNames: ["dry-run"], kind: .flag { $0.dryRun = true }, valueName: "",
                   help: """
                       Check everything up to the write and print what would be written; hash and write nothing \
                       (with --from-file: judge every row and print the report).
                       """),
        OptionSpec(shortNames: [], longNames: ["json"], kind: .flag { $0.json = true }, valueName: "",
                   help: """
                       Print one JSON object on stdout, also on failure: the account created, or the error's status, \
                       kind and message (never opens the form).
                       """),
        // A bare --backup leaves a following flag, and the server URL Synapse's script takes, alone.
        OptionSpec(shortNames: [], longNames: ["backup"],
                   kind: .optionalValue(accepts: { !$0.hasPrefix("-") && !isURL($0) }, { $0.backupRequest = .some($1) },
                                        absent: { $0.backupRequest = .some(nil) }),
                   valueName: "PATH",
                   help: """
                       Back up the database just before the write, to PATH if given: SQLite with its online backup API \
                       beside the database file (checked, mode 600), PostgreSQL with pg_dump --format=custom in the \
                       current directory. Nothing is written if the backup fails. Not with -k or --via-synapse.
                       """,
                   completion: .files),
        OptionSpec(shortNames: [], longNames: ["verify-login"],
                   kind: .optionalValue(accepts: isURL, { (command, url) throws(UsageError) in
                       // Given with =, the value is meant as the URL, so anything else is a mistake.
                       guard isURL(url) else {
                           throw UsageError("expected an http:// or https:// URL, or nothing for the config's client listener")
                       }
                       command.verifyLogin = .some(url)
                   }, absent: { $0.verifyLogin = .some(nil) }),
                   valueName: "URL",
                   help: """
                       After the write, log the account in through the running Synapse at URL (default: the config's \
                       client listener on this machine), then log that session out.
                       """),
        OptionSpec(shortNames: [], longNames: ["check-password"], kind: .flag { $0.checkPassword = true }, valueName: "",
                   help: """
                       Score passwords without creating anything: one per line on stdin, one JSON object per line on \
                       stdout (with the policy's results when -c is given).
                       """),
        OptionSpec(shortNames: [], longNames: ["no-audit"], kind: .flag { $0.noAudit = true }, valueName: "",
                   help: "Do not log the accounts created or refused to syslog (authpriv), as is done by default."),

        // The account review
        OptionSpec(shortNames: [], longNames: ["review-accounts"], kind: .flag { $0.reviewAccounts = true }, valueName: "",
                   help: """
                       Create nothing: list the server admins, the accounts created lately, the support and bot \
                       accounts, the tokens this tool issued that never expire and the deactivated admins (reads, \
                       never writes).
                       """),
        OptionSpec(shortNames: [], longNames: ["since"],
                   kind: .value { (command, text) throws(UsageError) in command.since = try DaysOrDuration(parsing: text) },
                   valueName: "DAYS",
                   help: """
                       With --review-accounts: list the accounts created in this last period, DAYS or a duration such \
                       as 12h (default 30).
                       """),

        // Many accounts
        OptionSpec(shortNames: [], longNames: ["from-file"], kind: .value { $0.fromFile = $1 }, valueName: "FILE",
                   help: "Create every account FILE lists ('-' for stdin): synapse-admin's CSV or JSON Lines.",
                   completion: .files),
        OptionSpec(shortNames: [], longNames: ["format"], kind: .value { $0.format = $1 }, valueName: "FORMAT",
                   help: "The file's format, csv or jsonl (default: from its extension, else its first character).",
                   completion: .words(["csv", "jsonl"])),
        OptionSpec(shortNames: [], longNames: ["jobs"],
                   kind: .value { (command, text) throws(UsageError) in command.jobs = try integer(text) },
                   valueName: "N", help: "Hash passwords on N threads (default: the number of cores)."),
        OptionSpec(shortNames: [], longNames: ["report"], kind: .value { $0.reportPath = $1 }, valueName: "FILE",
                   help: "Write the report to FILE (created with mode 600, never overwritten) instead of stdout.",
                   completion: .files),
        OptionSpec(shortNames: [], longNames: ["quiet"], kind: .flag { $0.quiet = true }, valueName: "",
                   help: "No progress line."),

        // Answered instead of a run
        OptionSpec(shortNames: [], longNames: ["version"], kind: .request(.version), valueName: "",
                   help: "Show the version."),
        OptionSpec(shortNames: ["h"], longNames: ["help"], kind: .request(.help), valueName: "",
                   help: "Show help information."),
        OptionSpec(shortNames: [], longNames: ["generate-completion-script"],
                   kind: .valuedRequest { (shell) throws(UsageError) in
                       guard CompletionScript.shells.contains(shell) else {
                           throw UsageError("expected \(CompletionScript.shells.joined(separator: ", "))")
                       }
                       return .completionScript(shell)
                   },
                   valueName: "SHELL", help: "Print the completion script for bash, zsh or fish.",
                   completion: .words(CompletionScript.shells), hidden: true),
        OptionSpec(shortNames: [], longNames: ["experimental-dump-help"], kind: .request(.dumpHelp), valueName: "",
                   help: "Print the options as JSON, for the manual page.", hidden: true),
    ]
}
