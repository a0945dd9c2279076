import CLibPQ
import Foundation

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

    private let connectdbParams: @convention(c) (Strings, Strings, Int32) -> Handle
    private let status: @convention(c) (Handle) -> ConnStatusType
    private let errorMessage: @convention(c) (Handle) -> Text
    let finish: @convention(c) (Handle) -> Void
    private let setNoticeProcessor: @convention(c) (Handle, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?
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
        connectdbParams = try load("PQconnectdbParams")
        status = try load("PQstatus")
        errorMessage = try load("PQerrorMessage")
        finish = try load("PQfinish")
        setNoticeProcessor = try load("PQsetNoticeProcessor")
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
    }

    // MARK: - Connecting

    /// Opens a connection.
    ///
    /// - Returns: the connected handle; the caller finishes it.
    func connect(_ pairs: [(keyword: String, value: String)], expandDatabaseName: Bool) throws(DatabaseError) -> OpaquePointer {
        let handle = withCStringArray(pairs.map(\.keyword)) { keywords in
            withCStringArray(pairs.map(\.value)) { values in
                connectdbParams(keywords, values, expandDatabaseName ? 1 : 0)
            }
        }
        guard let connection = handle else { throw DatabaseError(.unavailable, "libpq is out of memory") }
        guard status(connection) == CONNECTION_OK else {
            let failure = DatabaseError(.unavailable, message(of: connection, or: "cannot connect to PostgreSQL"))
            finish(connection)
            throw failure
        }
        // libpq prints server notices on stderr, which would tear a full-screen display.
        _ = setNoticeProcessor(connection, { _, _ in }, nil)
        return connection
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

    /// One field of a failed result's error report: `PG_DIAG_*` codes are character-literal
    /// macros Swift cannot import, so the caller names them by their character (`"C"`, SQLSTATE).
    func field(_ code: Character, of result: OpaquePointer) -> String? {
        resultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
    }

    /// A failed result's whole message, on one line.
    func message(of result: OpaquePointer) -> String {
        oneLine(resultErrorMessage(result))
    }

    /// libpq messages end with a newline and may span lines (a failure, then a hint); one line reads better.
    private func oneLine(_ message: Text) -> String {
        guard let message else { return "" }
        return String(cString: message)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
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
