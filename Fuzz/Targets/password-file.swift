// libFuzzer target: the bytes of a --password-file.
import Foundation
@testable import Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    // Foundation drops a leading byte-order mark, as editors that write one expect.
    let strict = String(validating: data, as: UTF8.self).map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 }
    do {
        let (secret, trimmedMore) = try PasswordFile.decode(data)
        guard let strict else { broken("accepted bytes that are not UTF-8") }
        let password = secret.revealed.unicodeScalars
        // What was removed is whitespace around the password, and all of it (Python's strip()).
        invariant(!password.isEmpty, "an empty password")
        invariant(!PasswordFile.isPythonSpace(password.first!) && !PasswordFile.isPythonSpace(password.last!),
                  "whitespace left at an end")
        let text = strict.unicodeScalars
        guard let start = text.firstIndex(where: { !PasswordFile.isPythonSpace($0) }) else { broken("no password in it") }
        invariant(text[start...].starts(with: password), "the password is not the file's text")
        let rest = String(String.UnicodeScalarView(text[text.index(start, offsetBy: password.count)...]))
        invariant(rest.unicodeScalars.allSatisfy(PasswordFile.isPythonSpace), "something other than whitespace removed")
        invariant(trimmedMore == !(start == text.startIndex && ["", "\n", "\r", "\r\n"].contains(rest)),
                  "the warning does not match what was removed")
    } catch .notUTF8 {
        invariant(strict == nil, "refused valid UTF-8")
    } catch {
        invariant(strict?.unicodeScalars.allSatisfy(PasswordFile.isPythonSpace) == true, "refused a file with a password")
    }
    return 0
}
