import CXCrypt
import FoundationEssentials
import Glibc

/// Why a password cannot be used.
package struct PasswordError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}

/// Hashes passwords exactly as Synapse does (`AuthHandler.hash`).
///
/// `bcrypt((NFKC(password).utf8 + pepper.utf8)[:72], cost: bcrypt_rounds)`, stored as an ASCII
/// `$2b$` string. bcrypt itself comes from libxcrypt, the system's crypt library.
package struct PasswordHasher: Sendable {
    package let rounds: Int
    package let pepper: Secret

    /// bcrypt reads at most this many bytes of its input.
    package static let bcryptInputLimit = 72
    /// The longest password Synapse's registration API accepts, in characters.
    package static let maximumLength = 512

    package init(rounds: Int, pepper: Secret) {
        self.rounds = rounds
        self.pepper = pepper
    }

    package init(config: HomeserverConfig) {
        self.init(rounds: config.bcryptRounds, pepper: config.password.pepper)
    }

    /// Refuses what Synapse's registration API refuses: empty, NUL, longer than 512 characters.
    package static func validate(_ password: Secret) throws(PasswordError) {
        if password.revealed.isEmpty {
            throw PasswordError(message: "the password is empty")
        }
        if password.revealed.unicodeScalars.contains("\0") {
            throw PasswordError(message: "the password contains a NUL character")
        }
        if password.revealed.unicodeScalars.count > maximumLength {
            throw PasswordError(message: "the password is longer than \(maximumLength) characters")
        }
    }

    /// The bytes bcrypt sees: NFKC(password) followed by the pepper, cut to 72 bytes.
    func bcryptInput(_ password: Secret) -> [UInt8] {
        let bytes = Array(password.revealed.nfkc.utf8) + Array(pepper.revealed.utf8)
        return Array(bytes.prefix(Self.bcryptInputLimit))
    }

    /// What the 72-byte limit does to this password, if anything.
    package func truncation(of password: Secret) -> Truncation {
        let passwordBytes = password.revealed.nfkc.utf8.count
        if passwordBytes > Self.bcryptInputLimit { return .passwordCut(usedBytes: Self.bcryptInputLimit) }
        if passwordBytes + pepper.revealed.utf8.count > Self.bcryptInputLimit { return .pepperCut }
        return .none
    }

    /// The effect of bcrypt's 72-byte input limit.
    package enum Truncation: Sendable, Equatable {
        case none
        /// Only the first 72 bytes of the (normalised) password count; the rest is ignored.
        case passwordCut(usedBytes: Int)
        /// The password fits, but part of the pepper falls past byte 72.
        case pepperCut
    }

    /// Hashes with a fresh random salt. Slow by design: about 170 ms at the default cost of 12.
    package func hash(_ password: Secret) throws(PasswordError) -> String {
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        // With no random bytes given, libxcrypt draws the salt from the OS generator itself.
        guard crypt_gensalt_rn("$2b$", UInt(rounds), nil, 0, &setting, Int32(setting.count)) != nil else {
            throw PasswordError(message: "bcrypt cannot use cost \(rounds)")
        }
        return try hash(password, setting: String(decoding: setting.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Hashes with the salt and cost of `setting` (a `$2b$NN$<22 salt chars>` prefix or a full hash).
    func hash(_ password: Secret, setting: String) throws(PasswordError) -> String {
        var input = bcryptInput(password).map { CChar(bitPattern: $0) }
        input.append(0)
        defer { for index in input.indices { input[index] = 0 } }
        // struct crypt_data is 32 KiB: keep it off the stack.
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer {
            memset(data, 0, MemoryLayout<crypt_data>.size)
            data.deallocate()
        }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let result = crypt_rn(input, setting, data, Int32(MemoryLayout<crypt_data>.size)) else {
            throw PasswordError(message: "bcrypt failed")
        }
        let hashed = String(cString: result)
        guard !hashed.hasPrefix("*") else { throw PasswordError(message: "bcrypt refused the salt setting") }
        return hashed
    }

    /// Whether `password` matches a stored `$2a$`/`$2b$`/`$2y$` hash, compared in constant time.
    package func verify(_ password: Secret, against stored: String) -> Bool {
        guard let candidate = try? hash(password, setting: stored) else { return false }
        let lhs = Array(candidate.utf8)
        let rhs = Array(stored.utf8)
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
