import Foundation

/// The contents of a `--password-file` (or of stdin), turned into the password they hold.
package enum PasswordFile {
    /// The password in `data`: UTF-8 text with one trailing line ending removed (`\n`, `\r\n` or
    /// `\r`, as `echo` or an editor leaves it); any other whitespace is the password's. A leading
    /// byte-order mark, which some editors write, is not part of it (Foundation drops it).
    package static func decode(_ data: Data) throws(PasswordFileError) -> Secret {
        guard var text = String(data: data, encoding: .utf8) else { throw .notUTF8 }
        if text.hasSuffix("\r\n") {
            text.removeLast(1)  // "\r\n" is a single Character in Swift
        } else if text.hasSuffix("\n") || text.hasSuffix("\r") {
            text.removeLast()
        }
        return Secret(text)
    }
}

/// Why a password file holds no usable password. Never carries the file's contents.
package enum PasswordFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notUTF8

    package var description: String {
        switch self {
        case .notUTF8: "the password is not UTF-8 text"
        }
    }
}
