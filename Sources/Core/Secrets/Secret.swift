/// A password or token that never shows its value when printed, logged or interpolated.
///
/// `description`, `debugDescription` and `dump` all yield `<redacted>`; only code that asks for
/// ``revealed`` on purpose (the hasher, the token printer) sees the plaintext.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The plaintext. Named so that every use stands out in review.
    public let revealed: String

    public init(_ value: String) { self.revealed = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
    public var isEmpty: Bool { revealed.isEmpty }
}
