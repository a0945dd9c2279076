import Foundation
import Testing
@testable import Core

@Suite struct PasswordFileTests {
    /// As Synapse's script reads the file: `read().strip()`.
    @Test(arguments: [
        ("secret", "secret", false), ("secret\n", "secret", false), ("secret\r\n", "secret", false),
        ("secret\r", "secret", false), ("secret\n\n", "secret", true), ("secret\r\n\r\n", "secret", true),
        (" secret \t", "secret", true), ("\tsecret\n", "secret", true), ("in side\n", "in side", false),
        ("pässwörd✓\n", "pässwörd✓", false), ("\u{3000}wide\u{00A0}\n", "wide", true),
        ("secret \n", "secret", true), ("a\u{1C}\n", "a", true),
    ])
    func removesSurroundingWhitespace(_ contents: String, _ password: String, _ trimmedMore: Bool) throws {
        let decoded = try PasswordFile.decode(Data(contents.utf8))
        #expect(decoded.password.revealed == password)
        #expect(decoded.trimmedMore == trimmedMore)
    }

    @Test func refusesAFileWithNoPassword() {
        #expect(throws: PasswordFileError.empty) { try PasswordFile.decode(Data()) }
        for blank in ["\n", " ", "\r\n\r\n", " \t \n"] {
            #expect(throws: PasswordFileError.onlyWhitespace) { try PasswordFile.decode(Data(blank.utf8)) }
        }
    }

    /// Seen by the password-file fuzzer's invariant: Foundation's decoding drops a leading BOM.
    @Test func dropsALeadingByteOrderMark() throws {
        #expect(try PasswordFile.decode(Data([0xEF, 0xBB, 0xBF] + Array("secret\n".utf8))).password.revealed == "secret")
        #expect(try PasswordFile.decode(Data(Array("se".utf8) + [0xEF, 0xBB, 0xBF] + Array("cret".utf8))).password.revealed == "se\u{FEFF}cret")
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(throws: PasswordFileError.notUTF8) { try PasswordFile.decode(Data([0x70, 0xff, 0x0a])) }
        #expect(PasswordFileError.notUTF8.description == "the password is not UTF-8 text")
    }
}
