// libFuzzer target: the bytes of a --password-file.
import Foundation
@testable import Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    // Foundation drops a leading byte-order mark, as editors that write one expect.
    let strict = String(validating: data, as: UTF8.self).map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 }
    do {
        let password = try PasswordFile.decode(data).revealed
        guard let strict else { broken("accepted bytes that are not UTF-8") }
        // Exactly one line ending was removed, and only when there was one.
        let removed = strict.unicodeScalars.count - password.unicodeScalars.count
        let suffix = String(String.UnicodeScalarView(strict.unicodeScalars.suffix(removed)))
        invariant(strict.unicodeScalars.starts(with: password.unicodeScalars), "the password is not the file's start")
        invariant(["", "\n", "\r", "\r\n"].contains(suffix), "removed \(suffix.debugDescription)")
        invariant(suffix.isEmpty == !(strict.hasSuffix("\n") || strict.hasSuffix("\r") || strict.hasSuffix("\r\n")),
                     "a line ending was kept, or something else removed")
    } catch {
        invariant(strict == nil, "refused valid UTF-8")
    }
    return 0
}
