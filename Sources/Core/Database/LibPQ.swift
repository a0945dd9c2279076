import CLibPQ
import Foundation

/// libpq's functions, loaded on first use.
///
/// Linking libpq would load it and some twenty libraries it needs (Kerberos, LDAP, GnuTLS) into
/// every run — about a third of the start-up time of a registration into SQLite, which needs none
/// of them. So the library is opened with `dlopen` when a PostgreSQL connection is first made.
/// The header still comes from libpq-dev, so every signature below is checked against it.
struct LibPQ: @unchecked Sendable {
    // The pointers never change once loaded, so sharing them between threads is safe.
    typealias Strings = UnsafePointer<UnsafePointer<CChar>?>?
    typealias Text = UnsafeMutablePointer<CChar>?
    typealias Handle = OpaquePointer?

    let connectdbParams: @convention(c) (Strings, Strings, Int32) -> Handle
    let status: @convention(c) (Handle) -> ConnStatusType
    let errorMessage: @convention(c) (Handle) -> Text
    let finish: @convention(c) (Handle) -> Void
    let setNoticeProcessor: @convention(c) (Handle, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?
    let execParams: @convention(c) (
        Handle, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, Strings, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32
    ) -> Handle
    let resultStatus: @convention(c) (Handle) -> ExecStatusType
    let clear: @convention(c) (Handle) -> Void
    let cmdTuples: @convention(c) (Handle) -> Text
    let ntuples: @convention(c) (Handle) -> Int32
    let nfields: @convention(c) (Handle) -> Int32
    let getisnull: @convention(c) (Handle, Int32, Int32) -> Int32
    let getvalue: @convention(c) (Handle, Int32, Int32) -> Text
    let resultErrorField: @convention(c) (Handle, Int32) -> Text
    let resultErrorMessage: @convention(c) (Handle) -> Text

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
}
