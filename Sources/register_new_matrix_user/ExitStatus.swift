/// The exit status of every outcome. This table is the only one: `--help` prints it, and a test
/// holds the README's copy to it.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case usage = 64
    case invalidConfig = 65
    case invalidUserID = 66
    case userExists = 67
    case passwordRefused = 68
    case databaseUnavailable = 69
    case internalError = 70
    case partlyWritten = 75
    case loginFailed = 76
    case hangUp = 129
    case cancelled = 130
    case quit = 131
    case terminated = 143

    /// What the status means, as `--help` and the README say it.
    var meaning: String {
        switch self {
        case .success: "created; or the user exists and --exists-ok was given"
        case .usage: "usage: unknown flag, missing or malformed value, flags that exclude each other"
        case .invalidConfig: "invalid config or input file: missing or unreadable file, broken YAML, wrong type or value, accounts owned by the Matrix Authentication Service, a server_name the database does not match, a --from-file that is not CSV or JSON Lines"
        case .invalidUserID: "invalid user ID: against Synapse's rules, reserved, or another server's"
        case .userExists: "the user exists (without --exists-ok)"
        case .passwordRefused: "password refused: empty, a NUL, over 512 characters, against password_config.policy, or below --min-strength"
        case .databaseUnavailable: "database unavailable or unsupported: unreachable, locked too long, full or not writable, not Synapse's, or a schema newer than this tool knows; or the --backup could not be made; through Synapse (-k, --via-synapse): not answering, TLS not verified, shared-secret registration off, or the secret wrong"
        case .internalError: "internal error: a bug, please report it"
        case .partlyWritten: "--from-file: some accounts were written and some not (a write failed, or the run was interrupted); the report says which, and the same file run again with --exists-ok finishes the rest"
        case .loginFailed: "--verify-login: the account cannot log in through the running Synapse (password logins are off in the config, or Synapse refused the login); the message says whether it was written"
        case .hangUp: "the form or the prompts were ended by SIGHUP; nothing was written"
        case .cancelled: "cancelled (Esc or Ctrl-C in the form; Ctrl-C, Ctrl-D or no to the last question at the prompts); nothing was written"
        case .quit: "the form or the prompts were ended by SIGQUIT; nothing was written"
        case .terminated: "the form or the prompts were ended by SIGTERM; nothing was written"
        }
    }

    /// The status a process killed by `signal` reports by shell convention, if it is one of ours.
    init?(signal: Int32) {
        self.init(rawValue: 128 + signal)
    }

    /// The table for `--help`: one status a line, its meaning wrapped under itself.
    static func helpTable(width: Int) -> String {
        allCases.map { status in
            let number = String(status.rawValue)
            return HelpText.wrap(status.meaning, prefix: "  " + number + String(repeating: " ", count: 5 - number.count), width: width)
        }.joined(separator: "\n")
    }
}
