import CLibPQ
import FoundationEssentials
import Glibc

/// libpq's functions, loaded on first use.
///
/// Linking libpq would load it and some twenty libraries it needs (Kerberos, LDAP, GnuTLS) into
/// every run — about a third of the start-up time of a registration into SQLite, which needs none
/// of them. So the library is opened with `dlopen` when a PostgreSQL connection is first made.
/// The header still comes from libpq-dev, so every signature below is checked against it.
///
/// This is the only file that imports `CLibPQ`: the methods below take and return Swift types
/// (handles as `OpaquePointer`), so libpq's enums and structs stay here.
struct LibPQ: @unchecked Sendable {
    // The pointers never change once loaded, so sharing them between threads is safe.
    typealias Strings = UnsafePointer<UnsafePointer<CChar>?>?
    typealias Text = UnsafeMutablePointer<CChar>?
    typealias Handle = OpaquePointer?

    private let connectStartParams: @convention(c) (Strings, Strings, Int32) -> Handle
    private let connectPoll: @convention(c) (Handle) -> PostgresPollingStatusType
    private let socket: @convention(c) (Handle) -> Int32
    private let conninfo: @convention(c) (Handle) -> UnsafeMutablePointer<PQconninfoOption>?
    private let conninfoFree: @convention(c) (UnsafeMutablePointer<PQconninfoOption>?) -> Void
    private let status: @convention(c) (Handle) -> ConnStatusType
    private let errorMessage: @convention(c) (Handle) -> Text
    let finish: @convention(c) (Handle) -> Void
    private let setNoticeReceiver: @convention(c) (Handle, PQnoticeReceiver?, UnsafeMutableRawPointer?) -> PQnoticeReceiver?
    private let execParams: @convention(c) (
        Handle, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, Strings, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32
    ) -> Handle
    private let resultStatus: @convention(c) (Handle) -> ExecStatusType
    let clear: @convention(c) (Handle) -> Void
    let cmdTuples: @convention(c) (Handle) -> Text
    let ntuples: @convention(c) (Handle) -> Int32
    let nfields: @convention(c) (Handle) -> Int32
    let getisnull: @convention(c) (Handle, Int32, Int32) -> Int32
    let getvalue: @convention(c) (Handle, Int32, Int32) -> Text
    private let resultErrorField: @convention(c) (Handle, Int32) -> Text
    private let resultErrorMessage: @convention(c) (Handle) -> Text
    private let host: @convention(c) (Handle) -> Text
    private let port: @convention(c) (Handle) -> Text
    private let db: @convention(c) (Handle) -> Text

    /// The library, or why it could not be loaded.
    static let shared: Result<LibPQ, DatabaseError> = Result { try LibPQ() }.mapError { $0 as! DatabaseError }

    private init() throws(DatabaseError) {
        guard let library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libpq.so", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw DatabaseError(.unavailable, "PostgreSQL needs libpq (Debian: apt install libpq5): \(reason)")
        }
        func load<T>(_ name: String) throws(DatabaseError) -> T {
            guard let pointer = dlsym(library, name) else {
                throw DatabaseError(.unavailable, "the installed libpq has no \(name)")
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        connectStartParams = try load("PQconnectStartParams")
        connectPoll = try load("PQconnectPoll")
        socket = try load("PQsocket")
        conninfo = try load("PQconninfo")
        conninfoFree = try load("PQconninfoFree")
        status = try load("PQstatus")
        errorMessage = try load("PQerrorMessage")
        finish = try load("PQfinish")
        setNoticeReceiver = try load("PQsetNoticeReceiver")
        execParams = try load("PQexecParams")
        resultStatus = try load("PQresultStatus")
        clear = try load("PQclear")
        cmdTuples = try load("PQcmdTuples")
        ntuples = try load("PQntuples")
        nfields = try load("PQnfields")
        getisnull = try load("PQgetisnull")
        getvalue = try load("PQgetvalue")
        resultErrorField = try load("PQresultErrorField")
        resultErrorMessage = try load("PQresultErrorMessage")
        host = try load("PQhost")
        port = try load("PQport")
        db = try load("PQdb")
    }

    // MARK: - Connecting

    /// Opens a connection, with the server's notices silenced before the first byte is read.
    ///
    /// libpq's default notice processor writes every NOTICE, WARNING, and an unexpected FATAL
    /// (a server shutting down while the connection is idle), straight to stderr: a raw second
    /// line beside the tool's own message, and a torn full-screen form. `PQconnectdbParams`
    /// returns only once the server's start-up messages, notices among them, have been read, so
    /// the connection is started with `PQconnectStartParams`, a silent receiver set at once, and
    /// the handshake polled here. The notices are dropped, not collected: their text is
    /// the server's (DETAIL and CONTEXT included) and a failure worth reporting arrives as the
    /// error of the statement or connection, which is reported from its fields. (libpq 15 still
    /// writes two lines of its own with `fprintf`, beyond any hook: a password file that others
    /// can read, or that is not a regular file, is named on stderr and then ignored.)
    ///
    /// `connect_timeout` is applied as libpq applies it (`0` or unset waits forever, `1` means
    /// 2 s), but to the whole attempt: with several hosts, libpq's blocking connect restarts the
    /// clock for each host, and a poll loop cannot make libpq move to the next host.
    ///
    /// - Returns: the connected handle; the caller finishes it.
    func connect(_ pairs: [(keyword: String, value: String)], expandDatabaseName: Bool) throws(DatabaseError) -> OpaquePointer {
        let started = withCStringArray(pairs.map(\.keyword)) { keywords in
            withCStringArray(pairs.map(\.value)) { values in
                connectStartParams(keywords, values, expandDatabaseName ? 1 : 0)
            }
        }
        guard let connection = started else { throw DatabaseError(.unavailable, "libpq is out of memory") }
        _ = setNoticeReceiver(connection, { _, _ in }, nil)
        if let failure = handshake(connection) {
            finish(connection)
            throw failure
        }
        return connection
    }

    /// Drives `PQconnectPoll` to the end; nil once connected.
    private func handshake(_ connection: OpaquePointer) -> DatabaseError? {
        let failed = { DatabaseError(.unavailable, message(of: connection, or: "cannot connect to PostgreSQL")) }
        guard status(connection) != CONNECTION_BAD else { return failed() }
        let timeout = connectTimeout(connection)
        let deadline = timeout.map { ContinuousClock.now + .seconds($0) }
        // As libpq's documentation asks: before the first PQconnectPoll, wait as if it said "writing".
        var state = PGRES_POLLING_WRITING
        while true {
            switch state {
            case PGRES_POLLING_OK:
                return nil
            case PGRES_POLLING_READING, PGRES_POLLING_WRITING:
                let events = Int16(state == PGRES_POLLING_READING ? POLLIN : POLLOUT)
                var descriptor = pollfd(fd: socket(connection), events: events, revents: 0)
                let remaining = deadline.map { max(0, ($0 - ContinuousClock.now).milliseconds) } ?? -1
                let ready = poll(&descriptor, 1, Int32(clamping: remaining))
                if ready < 0 && errno == EINTR { continue }
                if ready < 0 { return DatabaseError(.unavailable, "cannot connect to PostgreSQL: \(String(cString: strerror(errno)))") }
                if ready == 0, let timeout {
                    return DatabaseError(.unavailable, "cannot connect to PostgreSQL: no answer within \(timeout) s (connect_timeout)")
                }
            default:
                return failed()
            }
            state = connectPoll(connection)
        }
    }

    /// The effective `connect_timeout` in seconds, from keywords, URL or `PGCONNECT_TIMEOUT`; nil to wait forever.
    private func connectTimeout(_ connection: OpaquePointer) -> Int? {
        guard let options = conninfo(connection) else { return nil }
        defer { conninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "connect_timeout" {
                guard let value = option.pointee.val.flatMap({ Int(String(cString: $0)) }), value > 0 else { return nil }
                return max(value, 2)
            }
            option += 1
        }
        return nil
    }

    /// Every connection option libpq settled on for `connection` that has a value (keywords, URI,
    /// service file and `PG*` variables applied), the password among them when one was given:
    /// what another libpq client needs to reach the same database the same way. `secret` marks
    /// the options libpq itself hides (display character `*`: `password`, `sslpassword`).
    func options(of connection: OpaquePointer) -> [(keyword: String, value: String, secret: Bool)] {
        guard let options = conninfo(connection) else { return [] }
        defer { conninfoFree(options) }
        var pairs: [(keyword: String, value: String, secret: Bool)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val, value.pointee != 0 {
                let secret = option.pointee.dispchar.map { $0.pointee == CChar(UInt8(ascii: "*")) } ?? false
                pairs.append((String(cString: keyword), String(cString: value), secret))
            }
            option += 1
        }
        return pairs
    }

    /// The server a connection reached, as libpq settled it (defaults and `PG*` variables applied):
    /// host name, address or socket directory; port; database. Never the password.
    func endpoint(of connection: OpaquePointer) -> (host: String?, port: String?, database: String?) {
        func text(_ value: Text) -> String? { value.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        return (text(host(connection)), text(port(connection)), text(db(connection)))
    }

    func isConnected(_ connection: OpaquePointer) -> Bool {
        status(connection) == CONNECTION_OK
    }

    /// The connection's last error on one line (libpq's own text: host, user and database names, no bound value).
    func message(of connection: OpaquePointer, or fallback: String) -> String {
        let text = oneLine(errorMessage(connection))
        return text.isEmpty ? fallback : text
    }

    // MARK: - Statements

    /// Runs a statement with text parameters (nil is SQL NULL); nil when libpq could not even
    /// build a result (out of memory, connection lost before sending).
    func execute(_ connection: OpaquePointer, _ sql: String, _ parameters: [String?]) -> OpaquePointer? {
        withOptionalCStringArray(parameters) { values in
            execParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
    }

    func succeeded(_ result: OpaquePointer) -> Bool {
        let status = resultStatus(result)
        return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
    }

    /// One field of a failed result's error report, such as its SQLSTATE.
    private func field(_ field: PostgresDiagnostic.Field, of result: OpaquePointer) -> String? {
        resultErrorField(result, Int32(field.rawValue.asciiValue!)).map { String(cString: $0) }
    }

    /// Every field of a failed result's error report that ``PostgresDiagnostic`` may show, and the
    /// full message for errors libpq made itself (they have no primary-message field).
    func diagnostic(of result: OpaquePointer) -> PostgresDiagnostic {
        var fields: [PostgresDiagnostic.Field: String] = [:]
        for name in PostgresDiagnostic.Field.allCases {
            fields[name] = field(name, of: result)
        }
        return PostgresDiagnostic(fields: fields, libpqMessage: oneLine(resultErrorMessage(result)))
    }

    /// libpq messages end with a newline and may span lines (a failure, then a hint); one line reads better.
    private func oneLine(_ message: Text) -> String {
        guard let message else { return "" }
        return String(cString: message)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }
}

extension Duration {
    fileprivate var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

// MARK: - C string arrays

/// Calls `body` with a NULL-terminated array of C strings that live for the duration of the call.
private func withCStringArray<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
    withOptionalCStringArray(strings.map { Optional($0) } + [nil], body)
}

private func withOptionalCStringArray<T>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T
) -> T {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { pointers.forEach { free($0) } }
    return pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress) }
}
