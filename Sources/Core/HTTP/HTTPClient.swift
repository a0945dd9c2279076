import CCurlShim
import Foundation

/// Why an HTTP request got no answer, said so an admin knows what to check.
package struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// Nothing listens there (connection refused).
        case unreachable
        /// The URL's host name does not resolve.
        case unknownHost
        /// The server's certificate did not verify against the system's CA store.
        case tls
        /// No answer within the timeout.
        case timeout
        /// libcurl is missing, or anything else.
        case failed
    }

    package let kind: Kind
    /// The URL (without its query) and the reason, in one line.
    package let message: String
    /// The host the request was for, when the URL names one: a TLS failure is about it.
    package var host: String? = nil
    /// libcurl's reason alone ("SSL certificate problem: self-signed certificate").
    package var reason: String = ""
    package var description: String { message }
}

/// One HTTP exchange's answer.
package struct HTTPResponse: Sendable {
    package let status: Int
    package let body: [UInt8]
}

/// A small HTTP client over libcurl, opened with `dlopen` on first use, so a run that needs no
/// HTTP loads none of libcurl's TLS and resolver libraries.
///
/// TLS is verified against the system's CA store (libcurl's default); nothing here turns that off.
package struct HTTPClient: Sendable {
    package var timeoutSeconds = 10

    package init(timeoutSeconds: Int = 10) {
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends one request and returns the answer, whatever its status.
    ///
    /// - Parameters:
    ///   - body: sent as `application/json` when given.
    ///   - bearer: an access token for `Authorization`; never part of an error message.
    package func send(
        _ method: String, _ url: String, body: [UInt8]? = nil, bearer: Secret? = nil
    ) throws(HTTPError) -> HTTPResponse {
        let curl = try LibCurl.shared.get()
        guard let handle = curl.easyInit() else { throw HTTPError(kind: .failed, message: "libcurl cannot start a request") }
        defer { curl.easyCleanup(handle) }

        let sink = ResponseSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headers: OpaquePointer?
        defer { curl.slistFreeAll(headers) }
        headers = curl.slistAppend(headers, "Accept: application/json")
        if body != nil { headers = curl.slistAppend(headers, "Content-Type: application/json") }
        if let bearer { headers = curl.slistAppend(headers, "Authorization: Bearer " + bearer.revealed) }

        let code: CURLcode = url.withCString { url in
            method.withCString { method in
                errorBuffer.withUnsafeMutableBufferPointer { errors in
                    (body ?? []).withUnsafeBufferPointer { payload in
                        var rc = curl.setPointer(handle, CURLOPT_URL, url)
                        rc = rc == CURLE_OK ? curl.setPointer(handle, CURLOPT_CUSTOMREQUEST, method) : rc
                        rc = rc == CURLE_OK ? curl.setPointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress) : rc
                        rc = rc == CURLE_OK ? curl.setPointer(handle, CURLOPT_HTTPHEADER, UnsafeRawPointer(headers)) : rc
                        rc = rc == CURLE_OK ? curl.setLong(handle, CURLOPT_TIMEOUT, timeoutSeconds) : rc
                        rc = rc == CURLE_OK ? curl.setLong(handle, CURLOPT_NOSIGNAL, 1) : rc
                        // Only http and https, also after a redirect; redirects are not followed.
                        rc = rc == CURLE_OK ? curl.setPointer(handle, CURLOPT_PROTOCOLS_STR, "http,https") : rc
                        if body != nil {
                            rc = rc == CURLE_OK ? curl.setPointer(handle, CURLOPT_POSTFIELDS, payload.baseAddress) : rc
                            rc = rc == CURLE_OK ? curl.setLong(handle, CURLOPT_POSTFIELDSIZE, payload.count) : rc
                        }
                        rc = rc == CURLE_OK ? curl.setWrite(handle, ResponseSink.write) : rc
                        rc = rc == CURLE_OK ? curl.setPointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque()) : rc
                        return rc == CURLE_OK ? curl.perform(handle) : rc
                    }
                }
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let reason = detail.isEmpty ? curl.strerror(code) : detail
            throw HTTPError(
                kind: Self.kind(of: code), message: "\(Self.withoutQuery(url)): \(reason)",
                host: URLComponents(string: url)?.host, reason: reason)
        }
        return HTTPResponse(status: curl.responseCode(handle), body: sink.bytes)
    }

    private static func kind(of code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT: .unreachable
        case CURLE_COULDNT_RESOLVE_HOST: .unknownHost
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE: .tls
        case CURLE_OPERATION_TIMEDOUT: .timeout
        default: .failed
        }
    }

    /// The URL as messages show it: no query string, where a token could travel.
    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}

/// Collects a response body; libcurl calls ``write`` with each piece.
private final class ResponseSink {
    var bytes: [UInt8] = []

    static let write: ccurl_write_fn = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        guard sink.bytes.count + length <= 1 << 20 else { return 0 }  // an answer this large is not Synapse's
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        return length
    }
}

/// libcurl's functions, loaded on first use (as libpq is: see LibPQ.swift).
struct LibCurl: @unchecked Sendable {
    // The pointers never change once loaded, so sharing them between threads is safe.
    private let setopt: UnsafeMutableRawPointer
    private let getinfo: UnsafeMutableRawPointer
    let easyInit: @convention(c) () -> OpaquePointer?
    let easyCleanup: @convention(c) (OpaquePointer?) -> Void
    private let easyPerform: @convention(c) (OpaquePointer?) -> CURLcode
    private let easyStrerror: @convention(c) (CURLcode) -> UnsafePointer<CChar>?
    private let slistAppendFunction: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    let slistFreeAll: @convention(c) (OpaquePointer?) -> Void

    static let shared: Result<LibCurl, HTTPError> = Result { () throws(HTTPError) in try LibCurl() }

    private init() throws(HTTPError) {
        guard let library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw HTTPError(kind: .failed, message: "HTTP needs libcurl (Debian: apt install libcurl4): \(reason)")
        }
        func symbol(_ name: String) throws(HTTPError) -> UnsafeMutableRawPointer {
            guard let pointer = dlsym(library, name) else {
                throw HTTPError(kind: .failed, message: "the installed libcurl has no \(name)")
            }
            return pointer
        }
        func load<T>(_ name: String) throws(HTTPError) -> T { unsafeBitCast(try symbol(name), to: T.self) }
        setopt = try symbol("curl_easy_setopt")
        getinfo = try symbol("curl_easy_getinfo")
        easyInit = try load("curl_easy_init")
        easyCleanup = try load("curl_easy_cleanup")
        easyPerform = try load("curl_easy_perform")
        easyStrerror = try load("curl_easy_strerror")
        slistAppendFunction = try load("curl_slist_append")
        slistFreeAll = try load("curl_slist_free_all")
        let globalInit: @convention(c) (Int) -> CURLcode = try load("curl_global_init")
        _ = globalInit(Int(CURL_GLOBAL_DEFAULT))
    }

    func setLong(_ handle: OpaquePointer, _ option: CURLoption, _ value: Int) -> CURLcode {
        ccurl_setopt_long(setopt, UnsafeMutableRawPointer(handle), option, value)
    }

    func setPointer(_ handle: OpaquePointer, _ option: CURLoption, _ value: UnsafeRawPointer?) -> CURLcode {
        ccurl_setopt_pointer(setopt, UnsafeMutableRawPointer(handle), option, value)
    }

    func setWrite(_ handle: OpaquePointer, _ callback: ccurl_write_fn) -> CURLcode {
        ccurl_setopt_write(setopt, UnsafeMutableRawPointer(handle), callback)
    }

    func perform(_ handle: OpaquePointer) -> CURLcode { easyPerform(handle) }

    func responseCode(_ handle: OpaquePointer) -> Int {
        var code = 0
        _ = ccurl_getinfo_long(getinfo, UnsafeMutableRawPointer(handle), CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    func strerror(_ code: CURLcode) -> String {
        easyStrerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
    }

    func slistAppend(_ list: OpaquePointer?, _ line: String) -> OpaquePointer? {
        slistAppendFunction(list, line)
    }
}
