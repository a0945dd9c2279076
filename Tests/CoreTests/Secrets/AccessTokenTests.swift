import Testing
import TestSupport
@testable import Core

@Suite struct AccessTokenTests {
    /// Computed with Python's base64 and binascii.crc32, as Synapse's generate_access_token does.
    @Test(arguments: [
        ("alice", "AbCdEfGhIjKlMnOpQrSt", "syt_YWxpY2U_AbCdEfGhIjKlMnOpQrSt_1UdevA"),
        ("bob.smith", "zzzzzzzzzzzzzzzzzzzz", "syt_Ym9iLnNtaXRo_zzzzzzzzzzzzzzzzzzzz_0wGMUJ"),
        ("x", "aaaaaaaaaaaaaaaaaaaa", "syt_eA_aaaaaaaaaaaaaaaaaaaa_0wT1Yw"),
    ])
    func matchesSynapseFormat(_ localpart: String, _ random: String, _ expected: String) {
        #expect(AccessToken.format(localpart: localpart, random: random) == expected)
    }

    @Test func base62PadsAndCoversTheFullRange() {
        #expect(AccessToken.base62(0xFFFF_FFFF, minimumWidth: 6) == "4gfFC3")
        #expect(AccessToken.base62(0, minimumWidth: 6) == "000000")
        #expect(AccessToken.base62(61, minimumWidth: 1) == "z")
    }

    @Test func crc32MatchesZlib() {
        #expect(AccessToken.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(AccessToken.crc32([]) == 0)
    }

    @Test func unpaddedBase64UsesTheStandardAlphabet() {
        #expect(AccessToken.unpaddedBase64([0xFB, 0xFF]) == "+/8")
        #expect(AccessToken.unpaddedBase64(Array("ab".utf8)) == "YWI")
        #expect(AccessToken.unpaddedBase64([]) == "")
    }

    @Test func generatedTokensHaveSynapsesShape() throws {
        let token = AccessToken.generate(for: "alice").revealed
        let parts = token.split(separator: "_")
        #expect(parts.count == 4)
        #expect(parts[0] == "syt" && parts[1] == "YWxpY2U")
        #expect(parts[2].count == 20 && parts[2].allSatisfy { $0.isASCII && $0.isLetter })
        #expect(String(parts[3]) == AccessToken.base62(AccessToken.crc32(Array("syt_YWxpY2U_\(parts[2])".utf8)), minimumWidth: 6))
        #expect(AccessToken.generate(for: "alice") != AccessToken.generate(for: "alice"))
    }

    @Test func deviceIDsAreTenUpperCaseLetters() {
        let id = AccessToken.deviceID()
        #expect(id.count == 10 && id.allSatisfy { ("A"..."Z").contains($0) })
    }
}
