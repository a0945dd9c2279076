import FoundationEssentials
import Glibc

/// The contents of a `--password-file` (or of stdin), turned into the password they hold.
package enum PasswordFile {
    /// The password in `data`, read as Synapse's own script reads the file: UTF-8 text with the
    /// whitespace around it removed (Python's `str.strip()`), so a file that works there makes
    /// the same password here. A leading byte-order mark, which some editors write, is not part
    /// of it (Foundation drops it).
    ///
    /// - Returns: the password, and whether more than one line ending was removed (a front end
    ///   warns: the password may not be what its owner meant).
    /// - Throws: when the text is not UTF-8, is empty, or is only whitespace: refused rather than
    ///   made into an empty password.
    package static func decode(_ data: Data) throws(PasswordFileError) -> (password: Secret, trimmedMore: Bool) {
        guard let text = String(data: data, encoding: .utf8) else { throw .notUTF8 }
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty else { throw .empty }
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }),
              let last = scalars.lastIndex(where: { !isPythonSpace($0) })
        else { throw .onlyWhitespace }
        let password = String(scalars[first...last])
        let leading = scalars[..<first], trailing = scalars[scalars.index(after: last)...]
        let oneLineEnding = ["", "\n", "\r", "\r\n"].contains(String(String.UnicodeScalarView(trailing)))
        return (Secret(password), !(leading.isEmpty && oneLineEnding))
    }

    /// Python's `str.isspace()`: what `strip()` removes.
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }
}

/// Why a password file holds no usable password. Never carries the file's contents.
package enum PasswordFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notUTF8
    case empty
    case onlyWhitespace

    package var description: String {
        switch self {
        case .notUTF8: "the password is not UTF-8 text"
        case .empty: "the file is empty; write the password in it"
        case .onlyWhitespace: "the file holds only whitespace, which is removed around a password, as Synapse's script removes it"
        }
    }
}
