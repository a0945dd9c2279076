/// A problem with homeserver.yaml (or a file it names), located as precisely as the file allows.
///
/// Renders as `file:line:column: key.path: message`, the shape compilers and linters use, so
/// editors and terminals can jump to the spot.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file at fault.
    public let file: String
    /// 1-based line and column, when the fault is at a known place in the file.
    public let line: Int?
    public let column: Int?
    /// The dotted key path (`password_config.policy.minimum_length`), when one key is at fault.
    public let key: String?
    /// What is wrong, for the admin reading it; never contains a secret value.
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
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
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let message: String

    public var description: String { "\(key): \(message)" }
}
