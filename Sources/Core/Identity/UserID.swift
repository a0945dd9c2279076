/// A Matrix user ID of this server: `@localpart:server_name`.
package struct UserID: Sendable, Hashable, CustomStringConvertible {
    package let localpart: String
    package let serverName: String

    package init(localpart: String, serverName: String) {
        self.localpart = localpart
        self.serverName = serverName
    }

    package var description: String { "@\(localpart):\(serverName)" }
}

/// Why a user ID cannot be registered.
package struct UserIDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Matrix error code Synapse answers with, e.g. `M_INVALID_USERNAME` or `M_EXCLUSIVE`.
    package let code: String
    package let message: String

    package var description: String { message }
}
