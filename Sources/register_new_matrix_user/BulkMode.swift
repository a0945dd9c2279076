import Core
import FoundationEssentials
import Glibc

/// `--from-file`: every account a CSV or JSON Lines file lists, judged as a whole before the
/// first is written, then hashed on every core and written one transaction per account.
extension RegisterCommand {
    func registerFromFile(config: HomeserverConfig) throws -> ExitStatus {
        guard let path = fromFile else { return .usage }
        let name = path == "-" ? "stdin" : path
        let registrar = try openRegistrar(config: config)
        let token = printToken ? TokenRequest(validityMs: tokenValidity?.milliseconds) : nil
        let judgement = try judgeFile(path, name: name, config: config, registrar: registrar, token: token)

        let problems = judgement.problems
        for problem in problems { Console.error("\(name):\(problem.line): \(BulkReport.describe(problem))") }
        if dryRun {
            var report = try BulkReport(path: reportPath)
            for entry in judgement.entries { report.add(prediction: entry) }
            var summary = BulkSummary(dryRun: true)
            for entry in judgement.entries { summary.count(entry, nil) }
            Console.note(summary.line)
            if let note = dryRunBackupNote() { Console.note(note) }
            return problems.first.map { Failure($0.cause).status } ?? .success
        }
        let audit = auditLog(.file, config: config, source: name)
        if let first = problems.first {
            for entry in judgement.entries where !entry.userID.isEmpty {
                if let problem = entry.problems.first { audit.notCreated(entry.auditAccount, Failure(problem.cause)) }
            }
            Console.note("Nothing was written: \(problems.count) problem(s) in \(name).")
            return Failure(first.cause).status
        }

        let carriesSecrets = token != nil || judgement.entries.contains { $0.status == .create && $0.passwordGenerated }
        if carriesSecrets && reportPath == nil && isatty(STDOUT_FILENO) == 1 {
            throw Failure.usage("the report holds generated passwords or tokens, which would stay on this terminal; redirect stdout or pass --report FILE")
        }
        // One backup for the whole file, once every row is judged and before the first write.
        if let path = backupRequest {
            if judgement.toCreate > 0 {
                _ = try backUpBeforeWriting(registrar.connection, to: path)
            } else {
                Console.note("No account to write; no backup was made.")
            }
        }
        var report = try BulkReport(path: reportPath)
        var progress = BulkProgress(total: judgement.toCreate, quiet: quiet)
        var summary = BulkSummary(dryRun: false)

        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let ((), signal) = SignalDeferral.during { caught in
            registrar.write(judgement, hasher: PasswordHasher(config: config), jobs: jobs, isCancelled: { caught() != nil }) {
                entry, outcome in
                report.add(entry, outcome: outcome)
                audit.record(entry, outcome)
                if entry.status == .create { progress.advance() }
                summary.count(entry, outcome)
            }
        }
        progress.finish()
        if let signal { Console.note("Signal \(signal) ended the run between two accounts; those not written are marked failed in the report.") }
        Console.note(summary.line)
        return summary.failed > 0 ? .partlyWritten : .success
    }

    /// Reads the file and judges every row. The file's bytes and rows end with this call, so a large
    /// file is not held twice while its accounts are written.
    private func judgeFile(
        _ path: String, name: String, config: HomeserverConfig, registrar: Registrar, token: TokenRequest?
    ) throws -> BulkJudgement {
        let bytes = try readBulkFile(path)
        let format: BulkFormat
        do {
            format = try BulkFormat.detect(explicit: self.format, path: path, firstBytes: bytes.prefix(64))
        } catch {
            throw Failure.usage("--format: \(error)")
        }
        let contents = BulkFileReader.read(bytes, format: format)
        for note in contents.notes { Console.warning("\(name): \(note)") }
        return try registrar.judge(
            contents.rows, format: format, fileProblems: contents.problems, existsOK: existsOK, token: token,
            judge: passwordJudge(config: config, scoresAlways: false))
    }

    private func readBulkFile(_ path: String) throws -> [UInt8] {
        if path == "-" { return FileDescriptor.standardInput.readToEnd() }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it" : "no such file"
            throw Failure.usage("--from-file \(path): \(reason)")
        }
        return Array(data)
    }
}

/// The report: one JSON object per row, in the file's order, on stdout or in `--report FILE`.
///
/// Keys: `line`, `user_id`, `status` (`created`, `exists`, `would_create`, `invalid`, `failed`),
/// `reason` when not created, `password` when generated, `access_token` and `valid_until` with
/// `--print-token`. Secrets appear here and nowhere else.
struct BulkReport {
    private let output: FileDescriptor

    /// - Parameter path: a file to create (mode 600, never an existing one), or nil for stdout.
    init(path: String?) throws {
        guard let path else {
            output = .standardOutput
            return
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "exists; the report never overwrites a file" : String(cString: strerror(errno))
            throw Failure.usage("--report \(path): \(reason)")
        }
        output = FileDescriptor(descriptor)
    }

    /// A dry run's row: what the real run would make of it.
    mutating func add(prediction entry: BulkEntry) {
        var json = header(entry)
        switch entry.status {
        case .create: json.field("status", "would_create")
        case .exists(let name):
            json.field("status", "exists")
            json.field("reason", "\(name) already exists")
        case .invalid:
            json.field("status", "invalid")
            json.field("reason", reason(entry.problems))
        }
        write(json)
    }

    mutating func add(_ entry: BulkEntry, outcome: BulkOutcome) {
        var json = header(entry)
        switch outcome {
        case .created(let result):
            json.field("status", "created")
            if entry.passwordGenerated, let password = entry.request?.password { json.field("password", password.revealed) }
            if let token = result.accessToken {
                json.field("access_token", token.revealed)
                json.field("valid_until", result.tokenExpiresAtMs.map(ResultJSON.iso8601))
            }
        case .exists(let name):
            json.field("status", "exists")
            json.field("reason", "\(name) already exists")
        case .invalid(let problems):
            json.field("status", "invalid")
            json.field("reason", reason(problems))
        case .failed(let why):
            json.field("status", "failed")
            json.field("reason", why)
        }
        write(json)
    }

    private func header(_ entry: BulkEntry) -> JSONObject {
        var json = JSONObject()
        json.field("line", entry.line)
        json.field("user_id", entry.userID)
        return json
    }

    private func reason(_ problems: [BulkProblem]) -> String {
        problems.map(Self.describe).joined(separator: "; ")
    }

    /// A row's problem as the command line words it: the column or key, then the single-account
    /// message for the same fault.
    static func describe(_ problem: BulkProblem) -> String {
        (problem.field.map { "\($0): " } ?? "") + Failure(problem.cause).message
    }

    private func write(_ json: JSONObject) {
        output.write(json.text + "\n")
    }
}

/// The last stderr line: created, existing, invalid, failed.
struct BulkSummary {
    var created = 0, existing = 0, invalid = 0, failed = 0, wouldCreate = 0
    let dryRun: Bool

    init(dryRun: Bool) {
        self.dryRun = dryRun
    }

    /// Counts one row: its outcome, or for a dry run (no outcome) what it would become.
    mutating func count(_ entry: BulkEntry, _ outcome: BulkOutcome?) {
        switch (outcome, entry.status) {
        case (.created?, _): created += 1
        case (.exists?, _), (nil, .exists): existing += 1
        case (.invalid?, _), (nil, .invalid): invalid += 1
        case (.failed?, _): failed += 1
        case (nil, .create): wouldCreate += 1
        }
    }

    var line: String {
        dryRun
            ? "Dry run: \(wouldCreate) to create, \(existing) existing, \(invalid) invalid; nothing was written."
            : "Created \(created), existing \(existing), invalid \(invalid), failed \(failed)."
    }
}

/// One progress line on stderr: redrawn in place on a terminal, a plain line now and then
/// otherwise, nothing with `--quiet`.
struct BulkProgress {
    let total: Int
    let quiet: Bool
    private let onTerminal = isatty(STDERR_FILENO) == 1
    private let start = ContinuousClock.now
    private var done = 0
    private var lastShown = ContinuousClock.now

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    mutating func advance() {
        done += 1
        guard !quiet, total > 0 else { return }
        let now = ContinuousClock.now
        let interval: Duration = onTerminal ? .milliseconds(100) : .seconds(5)
        guard now - lastShown >= interval || done == total else { return }
        lastShown = now
        let line = text(now: now)
        FileDescriptor.standardError.write(onTerminal ? "\r\u{1B}[K" + line : line + "\n")
    }

    func finish() {
        if !quiet, onTerminal, total > 0 { FileDescriptor.standardError.write("\n") }
    }

    private func text(now: ContinuousClock.Instant) -> String {
        let seconds = Double((now - start).components.attoseconds) / 1e18 + Double((now - start).components.seconds)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let left = rate > 0 ? Int((Double(total - done) / rate).rounded(.up)) : 0
        return "\(done)/\(total) accounts, \(Int(rate.rounded()))/s, \(left / 60):\(left % 60 < 10 ? "0" : "")\(left % 60) left"
    }
}
