/// Access tokens and device IDs in Synapse's formats.
package enum AccessToken {
    /// Makes a token as Synapse's `generate_access_token` does:
    /// `syt_<base64(localpart)>_<20 random letters>_<base62(crc32)>`.
    ///
    /// Synapse never parses access tokens, it looks them up verbatim, but the shape keeps tokens
    /// made here indistinguishable from its own.
    package static func generate<R: RandomNumberGenerator>(
        for localpart: String, using generator: inout R
    ) -> Secret {
        Secret(format(localpart: localpart, random: randomLetters(20, using: &generator)))
    }

    package static func generate(for localpart: String) -> Secret {
        var generator = SystemRandomNumberGenerator()
        return generate(for: localpart, using: &generator)
    }

    /// The token for a given random part; separate so the format can be checked against Synapse's.
    static func format(localpart: String, random: String) -> String {
        let prefix = "syt_\(unpaddedBase64(Array(localpart.utf8)))_\(random)"
        return "\(prefix)_\(base62(crc32(Array(prefix.utf8)), minimumWidth: 6))"
    }

    /// A device ID as Synapse makes one: ten random upper-case letters.
    package static func deviceID<R: RandomNumberGenerator>(using generator: inout R) -> String {
        randomLetters(10, using: &generator).uppercased()
    }

    package static func deviceID() -> String {
        var generator = SystemRandomNumberGenerator()
        return deviceID(using: &generator)
    }

    // MARK: - Pieces

    static func randomLetters<R: RandomNumberGenerator>(_ count: Int, using generator: inout R) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return String((0..<count).map { _ in letters.randomElement(using: &generator)! })
    }

    /// Standard-alphabet base64 without `=` padding (Synapse's `unpaddedbase64`).
    static func unpaddedBase64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            for digit in 0...chunk.count { output.append(alphabet[(value >> (18 - 6 * digit)) & 63]) }
            index += 3
        }
        return output
    }

    /// Most significant digit first over `0-9A-Za-z`, left-padded with `0`.
    static func base62(_ value: UInt32, minimumWidth: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var digits: [Character] = []
        var rest = value
        repeat {
            digits.append(alphabet[Int(rest % 62)])
            rest /= 62
        } while rest > 0
        let padding = String(repeating: "0", count: max(0, minimumWidth - digits.count))
        return padding + String(digits.reversed())
    }

    /// CRC-32 (IEEE 802.3, as zlib and Python's `binascii.crc32` compute it).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
