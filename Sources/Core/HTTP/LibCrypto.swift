import CCryptoShim
import Foundation

/// Why libcrypto could not compute a MAC: it is missing, or lacks a function.
package struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}

/// HMAC-SHA1 from the system's libcrypto (OpenSSL), opened with `dlopen` on first use, so a run
/// that writes to the database directly never loads it.
package enum HMACSHA1 {
    /// The MAC of `message` under `key`, as 40 lower-case hex digits (Python's `hexdigest()`).
    package static func hex(key: [UInt8], message: [UInt8]) throws(CryptoError) -> String {
        let crypto = try LibCrypto.shared.get()
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        let ok = key.withUnsafeBytes { key in
            message.withUnsafeBufferPointer { message in
                digest.withUnsafeMutableBufferPointer { out in
                    ccrypto_hmac_sha1(
                        crypto.hmac, crypto.sha1, key.baseAddress, Int32(key.count), message.baseAddress,
                        message.count, out.baseAddress)
                }
            }
        }
        guard ok == 1 else { throw CryptoError(message: "libcrypto could not compute an HMAC-SHA1") }
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// libcrypto's two functions, loaded on first use (as libcurl is: see HTTPClient.swift).
struct LibCrypto: @unchecked Sendable {
    // The pointers never change once loaded, so sharing them between threads is safe.
    let hmac: UnsafeMutableRawPointer
    let sha1: UnsafeMutableRawPointer

    static let shared: Result<LibCrypto, CryptoError> = Result { () throws(CryptoError) in try LibCrypto() }

    private init() throws(CryptoError) {
        guard let library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libcrypto.so", RTLD_NOW | RTLD_LOCAL)
        else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw CryptoError(message: "registration through Synapse needs libcrypto (Debian: apt install libssl3): \(reason)")
        }
        func symbol(_ name: String) throws(CryptoError) -> UnsafeMutableRawPointer {
            guard let pointer = dlsym(library, name) else {
                throw CryptoError(message: "the installed libcrypto has no \(name)")
            }
            return pointer
        }
        hmac = try symbol("HMAC")
        sha1 = try symbol("EVP_sha1")
    }
}
