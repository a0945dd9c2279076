import Foundation
import Testing
@testable import Core

@Suite struct PasswordFileTests {
    @Test(arguments: [
        ("secret", "secret"), ("secret\n", "secret"), ("secret\r\n", "secret"), ("secret\r", "secret"),
        ("secret\n\n", "secret\n"), ("secret\r\n\r\n", "secret\r\n"), (" secret \t", " secret \t"),
        ("\n", ""), ("", ""), ("pässwörd✓\n", "pässwörd✓"),
    ])
    func removesOneLineEnding(_ contents: String, _ password: String) throws {
        #expect(try PasswordFile.decode(Data(contents.utf8)).revealed == password)
    }

    /// Seen by the password-file fuzzer's invariant: Foundation's decoding drops a leading BOM.
    @Test func dropsALeadingByteOrderMark() throws {
        #expect(try PasswordFile.decode(Data([0xEF, 0xBB, 0xBF] + Array("secret\n".utf8))).revealed == "secret")
        #expect(try PasswordFile.decode(Data(Array("se".utf8) + [0xEF, 0xBB, 0xBF] + Array("cret".utf8))).revealed == "se\u{FEFF}cret")
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(throws: PasswordFileError.notUTF8) { try PasswordFile.decode(Data([0x70, 0xff, 0x0a])) }
        #expect(PasswordFileError.notUTF8.description == "the password is not UTF-8 text")
    }
}
