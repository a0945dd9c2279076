/// What a display name given for a new account may be, the same for `--display-name`, the form
/// and bulk files.
package enum DisplayNameRule {
    /// Synapse's `MAX_DISPLAYNAME_LEN`, counted in code points as Python counts `len()`.
    package static let maximumLength = 256

    /// What is wrong with `name`, worded to follow a flag and a colon; nil when it may be used.
    package static func problem(_ name: String) -> String? {
        let length = name.unicodeScalars.count
        if name.isEmpty { return "empty; leave it out to use the localpart" }
        if length > maximumLength { return "\(length) characters, over the \(maximumLength) allowed" }
        if name.unicodeScalars.contains("\0") { return "contains a NUL character" }
        return nil
    }
}
