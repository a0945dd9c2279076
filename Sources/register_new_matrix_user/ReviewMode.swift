import Core
import FoundationEssentials
import Glibc

/// `--review-accounts`: the account review Core reads (``AccountReview``), shown as a table or
/// as JSON Lines. The database is opened read-only; nothing is ever written.
extension RegisterCommand {
    /// How far back "created lately" goes without `--since`: the monthly review the manual's advice suggests.
    static let defaultReviewWindowMs: Int64 = 30 * 86_400_000

    /// A review creates nothing, so every flag that describes an account or its creation is a
    /// mistake: refused rather than ignored, so that no one believes it did something.
    func validateReview() throws(UsageError) {
        guard reviewAccounts else {
            if since != nil { throw UsageError("--since goes with --review-accounts") }
            return
        }
        let creating = [
            ("-u/--user", user != nil), ("-p/--password", password != nil), ("--password-file", passwordFile != nil),
            ("--generate-password", generatePassword), ("-a/--admin", admin), ("--no-admin", noAdmin),
            ("-t/--user-type", userType != nil), ("--display-name", displayName != nil), ("--exists-ok", existsOK),
            ("--print-token", printToken), ("--token-validity", tokenValidity != nil),
            ("--ignore-password-policy", ignorePasswordPolicy), ("--min-strength", minStrength != nil),
            ("--dry-run", dryRun), ("--check-password", checkPassword), ("--from-file", fromFile != nil),
            ("--format", format != nil), ("--jobs", jobs != nil), ("--report", reportPath != nil), ("--quiet", quiet),
        ]
        if let (flag, _) = creating.first(where: \.1) {
            throw UsageError("\(flag) does not go with --review-accounts, which creates nothing and only reads")
        }
    }

    func runReview(config: HomeserverConfig) throws -> ExitStatus {
        let registrar = try openRegistrar(config: config, readOnly: true)
        let window = since?.milliseconds ?? Self.defaultReviewWindowMs
        let createdSince = Int64(Date().timeIntervalSince1970) - window / 1000
        let review = try AccountReview.read(from: registrar.connection, schema: registrar.schema, createdSince: createdSince)
        if json {
            for line in ReviewJSON.lines(review) { Console.output(line.text) }
        } else {
            let terminal = isatty(STDOUT_FILENO) == 1
            let bold = terminal && ProcessInfo.processInfo.environment["TERM"] != "dumb"
            Console.output(ReviewTable(review, window: window, width: terminal ? 80 : nil, bold: bold).text)
        }
        return .success
    }
}

/// `--review-accounts --json`: one object per listed item, in the table's order.
///
/// Accounts: `section` (`admin`, `recent`, `support_or_bot`, `deactivated_admin`), `user_id`,
/// `created` (ISO 8601, or null), `admin`, `user_type` (or null), `deactivated`. Tokens:
/// `section` (`token_without_expiry`), `user_id`, `device_id`, `last_seen` (ISO 8601, or
/// null), `admin`. Every key is always there, in this order; the README lists them.
enum ReviewJSON {
    static func lines(_ review: AccountReview) -> [JSONObject] {
        review.admins.map { account("admin", $0) }
            + review.recent.map { account("recent", $0) }
            + review.supportAndBots.map { account("support_or_bot", $0) }
            + review.openTokens.map(token)
            + review.deactivatedAdmins.map { account("deactivated_admin", $0) }
    }

    private static func account(_ section: String, _ account: AccountReview.Account) -> JSONObject {
        var json = JSONObject()
        json.field("section", section)
        json.field("user_id", account.userID)
        json.field("created", account.createdAt.flatMap(ReviewTable.milliseconds).map(ResultJSON.iso8601))
        json.field("admin", account.admin)
        json.field("user_type", account.userType)
        json.field("deactivated", account.deactivated)
        return json
    }

    private static func token(_ token: AccountReview.OpenToken) -> JSONObject {
        var json = JSONObject()
        json.field("section", "token_without_expiry")
        json.field("user_id", token.userID)
        json.field("device_id", token.deviceID)
        json.field("last_seen", token.lastSeenMs.map(ResultJSON.iso8601))
        json.field("admin", token.admin)
        return json
    }
}

/// The review as text: a heading per section with its count, then aligned columns.
///
/// With a `width` (a terminal: 80 columns), the user ID column is cut with `…` so that every line
/// fits; without one (a pipe or a file) values are never cut. Control and format characters a
/// stored name may hold (an escape sequence, a bidirectional override) are shown as `?`, so a
/// name cannot restyle the terminal or disguise itself. Widths count characters, so a name in a
/// script whose characters take two cells can shift its own line.
struct ReviewTable {
    let review: AccountReview
    let window: Int64
    let width: Int?
    let bold: Bool

    init(_ review: AccountReview, window: Int64, width: Int?, bold: Bool) {
        self.review = review
        self.window = window
        self.width = width
        self.bold = bold
    }

    var text: String {
        let since = Self.minute(review.createdSince * 1000)
        return [
            section("Server admins", accounts(review.admins, implied: [.admin])),
            section("Created in the last \(Self.describe(window)), since \(since) UTC", accounts(review.recent, implied: [])),
            section("Support and bot accounts", accounts(review.supportAndBots, implied: [])),
            section("Tokens this tool issued that never expire", tokens(review.openTokens)),
            section("Deactivated admins", accounts(review.deactivatedAdmins, implied: [.admin, .deactivated])),
        ].joined(separator: "\n\n")
    }

    private enum Note { case admin, deactivated }

    private func accounts(_ accounts: [AccountReview.Account], implied: Set<Note>) -> Columns {
        Columns(headers: ["USER ID", "CREATED (UTC)", "NOTES"], rows: accounts.map { account in
            var notes: [String] = []
            if account.admin && !implied.contains(.admin) { notes.append("admin") }
            if let type = account.userType { notes.append(type) }
            if account.deactivated && !implied.contains(.deactivated) { notes.append("deactivated") }
            return [account.userID, account.createdAt.flatMap(Self.milliseconds).map(Self.minute) ?? "unknown",
                    notes.joined(separator: ", ")]
        })
    }

    private func tokens(_ tokens: [AccountReview.OpenToken]) -> Columns {
        Columns(headers: ["USER ID", "DEVICE", "LAST SEEN (UTC)", "NOTES"], rows: tokens.map { token in
            [token.userID, token.deviceID, token.lastSeenMs.map(Self.minute) ?? "not seen", token.admin ? "admin" : ""]
        })
    }

    private func section(_ title: String, _ columns: Columns) -> String {
        let heading = "\(title) (\(columns.rows.count))"
        let lines = columns.rows.isEmpty ? ["  none"] : columns.lines(width: width)
        return ([bold ? "\u{1B}[1m\(heading)\u{1B}[0m" : heading] + lines).joined(separator: "\n")
    }

    /// `creation_ts` seconds as milliseconds; nil for a value no date can hold.
    static func milliseconds(_ seconds: Int64) -> Int64? {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : product
    }

    /// `2026-11-02 09:14`: the minute is precise enough for a review, and fits a column.
    static func minute(_ milliseconds: Int64) -> String {
        String(ResultJSON.iso8601(milliseconds).prefix(16)).replacing("T", with: " ")
    }

    /// `30 days`, `12 hours`, `90 minutes`: the largest unit that divides the window.
    static func describe(_ milliseconds: Int64) -> String {
        for (size, unit) in [(86_400_000 as Int64, "day"), (3_600_000, "hour"), (60_000, "minute")]
        where milliseconds % size == 0 {
            let count = milliseconds / size
            return "\(count) \(unit)\(count == 1 ? "" : "s")"
        }
        let seconds = max(1, milliseconds / 1000)
        return "\(seconds) second\(seconds == 1 ? "" : "s")"
    }
}

/// Left-aligned columns, two spaces apart and indented by two, with no trailing spaces.
struct Columns {
    let headers: [String]
    let rows: [[String]]
    static let indent = 2
    static let gap = 2
    /// The narrowest the first column (the user ID) and then the last (the notes) are cut to.
    static let narrowestFirst = 12
    static let narrowestLast = 8

    func lines(width: Int?) -> [String] {
        let cells = ([headers] + rows).map { $0.map(Self.printable) }
        var widths = headers.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        if let width {
            var over = Self.indent + widths.reduce(0, +) + Self.gap * (widths.count - 1) - width
            for (column, narrowest) in [(0, Self.narrowestFirst), (widths.count - 1, Self.narrowestLast)] where over > 0 {
                let cut = min(over, max(0, widths[column] - narrowest))
                widths[column] -= cut
                over -= cut
            }
        }
        return cells.map { row in
            let padded = row.enumerated().map { column, cell in
                let fitted = Self.cut(cell, to: widths[column])
                return column == row.count - 1 ? fitted : fitted.padded(to: widths[column])
            }
            let line = String(repeating: " ", count: Self.indent) + padded.joined(separator: String(repeating: " ", count: Self.gap))
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    private static func cut(_ cell: String, to width: Int) -> String {
        cell.count <= width ? cell : String(cell.prefix(max(0, width - 1))) + "…"
    }

    /// The cell with every control, format or separator character shown as `?`.
    static func printable(_ cell: String) -> String {
        var shown = String.UnicodeScalarView()
        for scalar in cell.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                shown.append("?")
            default:
                shown.append(scalar)
            }
        }
        return String(shown)
    }
}
