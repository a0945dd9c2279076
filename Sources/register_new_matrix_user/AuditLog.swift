import CSyslogShim
import Core
import FoundationEssentials
import Glibc

/// The audit trail: one syslog line for every account created, left unchanged, refused or failed
/// once its user ID is known, under `LOG_AUTHPRIV` as `useradd` logs, so it lands in `auth.log`
/// or the journal (`journalctl -t register_new_matrix_user`).
///
/// On by default, because Synapse's manual asks admins to account for the accounts they make;
/// `--no-audit` turns it off. Logging never fails or delays a run beyond one local send: without
/// a syslog socket (a container with no `/dev/log`) glibc drops the line silently.
struct AuditLog: Sendable {
    enum Mode: String, Sendable {
        /// Flags alone; the form; the line-by-line prompts; `--from-file`.
        case flags, form, prompt, file
    }

    /// What a line says about the account. Never the display name (free text that grants
    /// nothing) and never a secret.
    struct Account: Sendable {
        var userID: String
        var admin: Bool?
        var userType: String?
        /// The row, with `--from-file`.
        var line: Int?

        init(userID: String, admin: Bool?, userType: String?, line: Int? = nil) {
            self.userID = userID
            self.admin = admin
            self.userType = userType
            self.line = line
        }

        init(_ request: RegistrationRequest, line: Int? = nil) {
            self.init(userID: request.userID.description, admin: request.admin, userType: request.userType, line: line)
        }
    }

    let isEnabled: Bool
    let mode: Mode
    /// ``DatabaseLocation/description``, which never holds the database password.
    let database: String?
    let invoker: AuditInvoker
    /// With `--from-file`: the file as given, `stdin` for `-`.
    let source: String?
    /// Through Synapse: the server's URL, in place of a database.
    var server: String? = nil

    func created(_ result: RegistrationResult, line: Int? = nil) {
        let account = Account(userID: result.userID.description, admin: result.admin, userType: result.userType, line: line)
        log(.created, account, outcome: "created") { record in
            record.add("device", result.deviceID)
            if result.accessToken != nil {
                record.add("token_expires", result.tokenExpiresAtMs.map(ResultJSON.iso8601) ?? "never")
            }
        }
    }

    /// The account existed and `--exists-ok` changed nothing.
    func unchanged(_ account: Account) {
        log(.unchanged, account, outcome: "exists")
    }

    /// Nothing was written for the account: `outcome` is the failure's stable kind.
    func notCreated(_ account: Account, _ failure: Failure) {
        log(Self.event(for: failure.status), account, outcome: failure.kind)
    }

    /// Nothing was written, for a reason only the report's text gives (a `--from-file` row that
    /// failed while others were written): the text stays out of the log, which says `failed`.
    func failed(_ account: Account) {
        log(.failed, account, outcome: "failed")
    }

    /// Runs `body`, which creates the account, and logs how it ended; errors pass through.
    func recording(_ account: Account, _ body: () throws -> RegistrationResult) throws -> RegistrationResult {
        do {
            let result = try body()
            created(result)
            return result
        } catch {
            notCreated(account, Failure(error))
            throw error
        }
    }

    static func event(for status: ExitStatus) -> AuditRecord.Event {
        switch status {
        case .success: .unchanged
        case .databaseUnavailable, .internalError, .partlyWritten: .failed
        case .cancelled, .hangUp, .quit, .terminated: .cancelled
        case .usage, .invalidConfig, .invalidUserID, .userExists, .passwordRefused, .loginFailed: .refused
        }
    }

    private func log(
        _ event: AuditRecord.Event, _ account: Account, outcome: String, details: (inout AuditRecord) -> Void = { _ in }
    ) {
        guard isEnabled else { return }
        var record = AuditRecord(event)
        record.add("user", account.userID)
        record.add("admin", account.admin)
        if account.admin != nil || account.userType != nil { record.add("user_type", account.userType ?? "-") }
        details(&record)
        record.add("mode", mode.rawValue)
        record.add("file", source)
        record.add("line", account.line.map { String($0) })
        record.add("database", database)
        record.add("server", server)
        invoker.add(to: &record)
        record.add("outcome", outcome)
        Syslog.send(record.line, priority: Self.priority(of: event))
    }

    private static func priority(of event: AuditRecord.Event) -> Int32 {
        switch event {
        case .created, .unchanged: LOG_INFO
        case .refused, .cancelled: LOG_NOTICE
        case .failed: LOG_WARNING
        }
    }
}

extension RegisterCommand {
    /// The audit trail of this run, for accounts made in `mode`.
    func auditLog(_ mode: AuditLog.Mode, config: HomeserverConfig, source: String? = nil) -> AuditLog {
        AuditLog(isEnabled: !noAudit, mode: mode, database: config.database?.description, invoker: .current, source: source)
    }
}

/// glibc's syslog, reached through `vsyslog` because Swift cannot call the variadic `syslog`.
///
/// The library rather than a datagram written to `/dev/log` by hand: it is the path `useradd`
/// and `sudo` take, it writes the header every syslog daemon and journald parse (PRI, time,
/// `ident[pid]:`), falls back from a datagram to a stream socket, reconnects after a daemon
/// restart, and is thread-safe; the message itself is passed as a `%s` argument, never as the
/// format.
private enum Syslog {
    /// `openlog` keeps the ident pointer, so it must be static storage: a string literal's is.
    private static let opened: Void = {
        let ident: StaticString = "register_new_matrix_user"
        openlog(UnsafeRawPointer(ident.utf8Start).assumingMemoryBound(to: CChar.self), LOG_PID, LOG_AUTHPRIV)
    }()

    static func send(_ message: String, priority: Int32) {
        _ = opened
        csyslog_message(LOG_AUTHPRIV | priority, message)
    }
}

extension AuditLog {
    /// One line per row of a `--from-file` run that was written or tried.
    func record(_ entry: BulkEntry, _ outcome: BulkOutcome) {
        switch outcome {
        case .created(let result): created(result, line: entry.line)
        case .exists: unchanged(entry.auditAccount)
        case .invalid(let problems): problems.first.map { notCreated(entry.auditAccount, Failure($0.cause)) }
        case .failed: failed(entry.auditAccount)
        }
    }
}

extension BulkEntry {
    /// The row as the audit trail names it: admin and user type only when the row was valid.
    var auditAccount: AuditLog.Account {
        request.map { AuditLog.Account($0, line: line) }
            ?? AuditLog.Account(userID: userID, admin: nil, userType: nil, line: line)
    }
}
