import Core
import FoundationEssentials
import Glibc

/// `--json`: the one object stdout carries, on success and on failure alike.
///
/// Keys, in this order, every one always present (null when it does not apply): `status`
/// (`created`, `exists`, `would_create`), `user_id`, `admin`, `user_type`, `display_name`,
/// `device_id`, `valid_until` (ISO 8601), `database` (`engine` and the SQLite `path`, or the
/// PostgreSQL `host`, `port` and `name`; never a password); then `backup` (the file's path) when
/// `--backup` made one, `password` when `--generate-password` made one for the account created,
/// `access_token` with `--print-token`, `login` with `--verify-login`, and `writes` for a dry run.
/// On failure: `status` (`error`), `exit_status`, `kind` and `message`. The README shows each
/// shape; a test holds the output to them.
enum ResultJSON {
    static func success(_ outcome: FlagOutcome) -> JSONObject {
        var json = JSONObject()
        switch outcome {
        case .created(let result, let endpoint, let login, let backup, let generated):
            created(result, into: &json)
            json.field("database", database(endpoint))
            if let backup { json.field("backup", backup.path) }
            if let generated { json.field("password", generated.revealed) }
            if let token = result.accessToken { json.field("access_token", token.revealed) }
            if let login {
                let finding: String =
                    switch login {
                    case .loggedIn: "logged_in"
                    case .notRunning: "not_running"
                    case .inconclusive: "not_checked"
                    case .refused: "refused"
                    }
                json.field("login", finding)
            }
        case .exists(let existing, let endpoint):
            json.field("status", "exists")
            json.field("user_id", existing)
            for key in ["admin", "user_type", "display_name", "device_id", "valid_until"] { json.raw(key, "null") }
            json.field("database", database(endpoint))
        case .wouldCreate(let plan, let endpoint):
            let users = plan.write(into: "users")
            let profile = plan.write(into: "profiles")
            json.field("status", "would_create")
            json.field("user_id", users?.value(of: "name").flatMap(text))
            json.field("admin", users?.value(of: "admin").flatMap(integer) == 1)
            json.field("user_type", users?.value(of: "user_type").flatMap(text))
            json.field("display_name", profile?.value(of: "displayname").flatMap(text))
            json.raw("device_id", "null")  // drawn at the write
            json.field("valid_until", plan.write(into: "access_tokens")?.value(of: "valid_until_ms").flatMap(integer).map(iso8601))
            json.field("database", database(endpoint))
            json.field("writes", plan.writes.map { write in
                var table = JSONObject()
                table.field("table", write.table)
                var columns = JSONObject()
                for column in write.columns { columns.raw(column.name, DryRunDescription.json(column)) }
                table.field("columns", columns)
                return table
            })
        }
        return json
    }

    /// The keys of an account created, whichever way it was written.
    private static func created(_ result: RegistrationResult, into json: inout JSONObject) {
        json.field("status", "created")
        json.field("user_id", result.userID.description)
        json.field("admin", result.admin)
        json.field("user_type", result.userType)
        json.field("display_name", result.displayName)
        json.field("device_id", result.deviceID)
        json.field("valid_until", result.tokenExpiresAtMs.map(iso8601))
    }

    /// Through Synapse: the same keys, `database` null, then `server` (the URL registered at);
    /// a dry run's `request` holds the body's keys that are not secret.
    static func success(_ outcome: SynapseOutcome) -> JSONObject {
        var json = JSONObject()
        switch outcome {
        case .created(let result, let server, let login, let generated):
            created(result, into: &json)
            json.raw("database", "null")
            json.field("server", server)
            if let generated { json.field("password", generated.revealed) }
            if let token = result.accessToken { json.field("access_token", token.revealed) }
            if let login { json.field("login", finding(login)) }
        case .exists(let existing, let server):
            json.field("status", "exists")
            json.field("user_id", existing)
            for key in ["admin", "user_type", "display_name", "device_id", "valid_until", "database"] { json.raw(key, "null") }
            json.field("server", server)
        case .wouldCreate(let account, let userID, let server):
            json.field("status", "would_create")
            json.field("user_id", RegisterCommand.named(userID))
            json.field("admin", account.admin)
            json.field("user_type", account.userType)
            json.field("display_name", account.displayName ?? userID.localpart)
            for key in ["device_id", "valid_until", "database"] { json.raw(key, "null") }
            json.field("server", server)
            var request = JSONObject()
            request.field("username", account.localpart)
            account.addSettings(to: &request)
            json.field("request", request)
        }
        return json
    }

    static func finding(_ login: LoginCheckOutcome) -> String {
        switch login {
        case .loggedIn: "logged_in"
        case .notRunning: "not_running"
        case .inconclusive: "not_checked"
        case .refused: "refused"
        }
    }

    static func failure(_ failure: Failure) -> JSONObject {
        var json = JSONObject()
        json.field("status", "error")
        json.field("exit_status", Int(failure.status.rawValue))
        json.field("kind", failure.kind)
        json.field("message", failure.message)
        return json
    }

    static func database(_ endpoint: DatabaseEndpoint) -> JSONObject {
        var json = JSONObject()
        switch endpoint {
        case .sqlite(let path):
            json.field("engine", "sqlite")
            json.field("path", path)
        case .postgres(let host, let port, let name):
            json.field("engine", "postgresql")
            json.field("host", host)
            json.field("port", port.flatMap { Int($0) }.map(String.init) ?? port)
            json.field("name", name)
        }
        return json
    }

    static func iso8601(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
    }

    private static func text(_ value: RegistrationPlan.PlannedValue) -> String? {
        if case .value(let value) = value { value.text } else { nil }
    }

    private static func integer(_ value: RegistrationPlan.PlannedValue) -> Int64? {
        if case .value(let value) = value { value.integer } else { nil }
    }
}

/// `--dry-run`'s account of what would be written: each table, and each column with its value,
/// but for the password hash and the token, which the dry run never makes.
struct DryRunDescription {
    let plan: RegistrationPlan

    init(_ plan: RegistrationPlan) { self.plan = plan }

    var text: String {
        plan.writes.map { write in
            let mode =
                switch write.mode {
                case .insert: "insert"
                case .upsert: "insert or update"
                case .replace: "replace"
                }
            let width = write.columns.map(\.name.count).max() ?? 0
            let columns = write.columns.map { column in
                "  " + column.name.padded(to: width) + "  " + Self.human(column)
            }
            return (["\(write.table) (\(mode))"] + columns).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func human(_ column: RegistrationPlan.Column) -> String {
        switch column.value {
        case .value(.null): "NULL"
        case .value(.integer(let number)): String(number)
        case .value(.boolean(let flag)): flag ? "true" : "false"
        case .value(.text(let text)):
            [RegistrationPlan.hashStandIn, RegistrationPlan.tokenStandIn.revealed, RegistrationPlan.deviceStandIn]
                .contains(text) ? text : JSONObject.quoted(text)
        case .searchVector(let localpart, let serverName, let name):
            "weighted search vector of \(JSONObject.quoted(localpart)) (A), \(JSONObject.quoted(serverName)) (D)"
                + (name.map { ", \(JSONObject.quoted($0)) (B)" } ?? "")
        }
    }

    static func json(_ column: RegistrationPlan.Column) -> String {
        switch column.value {
        case .value(.null): "null"
        case .value(.integer(let number)): String(number)
        case .value(.boolean(let flag)): flag ? "true" : "false"
        case .value(.text(let text)): JSONObject.quoted(text)
        case .searchVector: JSONObject.quoted(human(column))
        }
    }
}
