/// The exit status of every outcome, in one place; the README documents the same table.
enum ExitStatus: Int32, CaseIterable {
    /// The account was created, or already existed with `--exists-ok`.
    case success = 0
    /// The command line is wrong: an unknown flag, a missing value, flags that exclude each other.
    case usage = 64
    /// homeserver.yaml (or a file it names) is missing, unreadable or invalid.
    case invalidConfig = 65
    /// The user ID breaks Synapse's rules or belongs to another server.
    case invalidUserID = 66
    /// A user with this ID exists already (without `--exists-ok`).
    case userExists = 67
    /// The password is empty, too long, refused by the server's policy or too weak.
    case passwordRefused = 68
    /// The database cannot be reached, is locked, is not Synapse's, or has a schema this tool does not know.
    case databaseUnavailable = 69
    /// A fault in this tool; please report it.
    case internalError = 70
    /// The admin cancelled the wizard (Esc, Ctrl-C); nothing was written.
    case cancelled = 130
    /// The terminal hung up (SIGHUP) while the wizard was open.
    case hangUp = 129
    /// SIGQUIT ended the wizard.
    case quit = 131
    /// SIGTERM ended the wizard.
    case terminated = 143
}
