/// A problem with homeserver.yaml (or a file it names), located as precisely as the file allows.
///
/// Renders as `file:line:column: key.path: message`, the shape compilers and linters use, so
/// editors and terminals can jump to the spot.
package struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file at fault.
    package let file: String
    /// 1-based line and column, when the fault is at a known place in the file.
    package let line: Int?
    package let column: Int?
    /// The dotted key path (`password_config.policy.minimum_length`), when one key is at fault.
    package let key: String?
    /// What is wrong, for the admin reading it; never contains a secret value.
    package let message: String

    package init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    package var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let key { return "\(location): \(key): \(message)" }
        return "\(location): \(message)"
    }
}

/// Something in the config that Synapse accepts but that makes an account written from outside
/// behave differently from one Synapse registers itself.
package struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    package let key: String
    package let message: String

    package var description: String { "\(key): \(message)" }
}
