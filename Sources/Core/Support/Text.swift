import Glibc

extension StringProtocol {
    /// Without the white space and line endings around it.
    package func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }

    /// Padded with spaces at the end to `width` characters, for columns of a table.
    package func padded(to width: Int) -> String {
        String(self) + String(repeating: " ", count: Swift.max(0, width - count))
    }
}

/// The C library's description of an `errno` value, e.g. "Permission denied".
package func systemErrorDescription(_ code: Int32) -> String {
    String(cString: strerror(code))
}
