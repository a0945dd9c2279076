/// A Matrix user ID of this server: `@localpart:server_name`.
public struct UserID: Sendable, Hashable, CustomStringConvertible {
    public let localpart: String
    public let serverName: String

    public init(localpart: String, serverName: String) {
        self.localpart = localpart
        self.serverName = serverName
    }

    public var description: String { "@\(localpart):\(serverName)" }
}

/// Why a user ID cannot be registered.
public struct UserIDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Matrix error code Synapse answers with, e.g. `M_INVALID_USERNAME` or `M_EXCLUSIVE`.
    public let code: String
    public let message: String

    public var description: String { message }
}
