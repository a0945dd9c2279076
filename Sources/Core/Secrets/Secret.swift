/// A password or token that never shows its value when printed, logged or interpolated.
///
/// `description`, `debugDescription` and `dump` all yield `<redacted>`; only code that asks for
/// ``revealed`` on purpose (the hasher, the token printer) sees the plaintext.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The plaintext. Named so that every use stands out in review.
    package let revealed: String

    package init(_ value: String) { self.revealed = value }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: []) }
    package var isEmpty: Bool { revealed.isEmpty }
}
