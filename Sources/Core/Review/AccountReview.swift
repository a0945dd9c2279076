/// The account review the Synapse manual asks admins to do regularly ("audit user accounts and
/// their permissions"): who holds power on the server, who arrived lately, and what this tool
/// issued that never lapses. It only reads.
///
/// Each list is one narrow query, so a server with a hundred thousand accounts costs a few index
/// or table scans, not a copy of `users`. Columns an old schema lacks are read as their Synapse
/// default (`deactivated` 0, no `user_type`, no `creation_ts`) instead of failing the review.
package struct AccountReview: Sendable {
    /// One row of `users`, as the review shows it.
    package struct Account: Sendable, Equatable {
        package let userID: String
        /// `users.creation_ts`: seconds since the epoch (Synapse writes seconds there, not
        /// milliseconds); nil when the row has none.
        package let createdAt: Int64?
        package let admin: Bool
        package let userType: String?
        package let deactivated: Bool
    }

    /// An access token this tool issued without an expiry, named by its device (never by the
    /// token itself): the device is what an admin revokes.
    package struct OpenToken: Sendable, Equatable {
        package let userID: String
        package let deviceID: String
        /// `devices.last_seen`: milliseconds since the epoch of the token's last use, or nil.
        package let lastSeenMs: Int64?
        /// Whether its user is a server admin: such a token is the one to revoke first.
        package let admin: Bool
    }

    /// Active server admins, by user ID.
    package let admins: [Account]
    /// Accounts created at or after ``createdSince``, newest first.
    package let recent: [Account]
    /// Accounts whose user type is `support` or `bot`, by user ID.
    package let supportAndBots: [Account]
    /// Tokens on devices this tool made (display name ``TokenRequest/toolDeviceName``) with no
    /// `valid_until_ms`, by user ID then device.
    package let openTokens: [OpenToken]
    /// Deactivated accounts that still carry the admin flag, which a reactivation would restore.
    package let deactivatedAdmins: [Account]
    /// The start of the ``recent`` window, in seconds since the epoch.
    package let createdSince: Int64

    /// The user types listed with ``supportAndBots``.
    package static let listedUserTypes = ["support", "bot"]

    /// Reads the review from `connection`, in one transaction so that every list sees the same
    /// moment: opened read-only, the connection makes it a read-only one (``SQLiteConnection``,
    /// ``PostgresConnection``), which holds no write lock and lets Synapse go on writing.
    ///
    /// - Parameter createdSince: seconds since the epoch; accounts created then or later are
    ///   ``recent``.
    package static func read(
        from connection: DatabaseConnection, schema: SynapseSchema, createdSince: Int64
    ) throws(DatabaseError) -> AccountReview {
        try connection.begin()
        do {
            let review = try lists(from: connection, schema: schema, createdSince: createdSince)
            try connection.commit()
            return review
        } catch {
            connection.rollback()
            throw error
        }
    }

    private static func lists(
        from connection: DatabaseConnection, schema: SynapseSchema, createdSince: Int64
    ) throws(DatabaseError) -> AccountReview {
        let users = UserColumns(schema)
        let admins = try users.select(from: connection, where: "admin = 1 AND \(users.deactivated) = 0")
        let retired = try users.select(from: connection, where: "admin = 1 AND \(users.deactivated) <> 0")
        let recent = users.hasCreation
            ? try users.select(from: connection, where: "creation_ts >= ?", [.integer(createdSince)])
            : []
        let typed = users.hasUserType
            ? try users.select(from: connection, where: "user_type IN (?, ?)", listedUserTypes.map { .text($0) })
            : []
        // Sorted here, not by ORDER BY, so both engines list in one order whatever their collation.
        return AccountReview(
            admins: admins.sorted { $0.userID < $1.userID },
            recent: recent.sorted { ($0.createdAt ?? 0, $1.userID) > ($1.createdAt ?? 0, $0.userID) },
            supportAndBots: typed.sorted { $0.userID < $1.userID },
            openTokens: try openTokens(from: connection, schema: schema),
            deactivatedAdmins: retired.sorted { $0.userID < $1.userID },
            createdSince: createdSince)
    }

    private static func openTokens(from connection: DatabaseConnection, schema: SynapseSchema) throws(DatabaseError) -> [OpenToken] {
        // A schema without the expiry column (older than this tool supports) has no expiring token at all.
        guard schema.has("access_tokens", "device_id"), schema.has("devices", "display_name") else { return [] }
        let expiry = schema.has("access_tokens", "valid_until_ms") ? "t.valid_until_ms IS NULL" : "1 = 1"
        let lastSeen = schema.has("devices", "last_seen") ? "d.last_seen" : "NULL"
        let rows = try connection.query("""
            SELECT t.user_id, t.device_id, \(lastSeen), u.admin FROM access_tokens t
            JOIN devices d ON d.user_id = t.user_id AND d.device_id = t.device_id
            JOIN users u ON u.name = t.user_id
            WHERE \(expiry) AND d.display_name = ?
            """, [.text(TokenRequest.toolDeviceName)])
        return rows.compactMap { row -> OpenToken? in
            guard let user = row[0].text, let device = row[1].text else { return nil }
            return OpenToken(userID: user, deviceID: device, lastSeenMs: row[2].integer, admin: row[3].integer == 1)
        }.sorted { ($0.userID, $0.deviceID) < ($1.userID, $1.deviceID) }
    }
}

/// The `users` columns the review reads, each replaced by Synapse's default where the schema lacks it.
private struct UserColumns {
    let hasCreation: Bool
    let hasUserType: Bool
    let deactivated: String

    init(_ schema: SynapseSchema) {
        hasCreation = schema.has("users", "creation_ts")
        hasUserType = schema.has("users", "user_type")
        deactivated = schema.has("users", "deactivated") ? "deactivated" : "0"
    }

    func select(
        from connection: DatabaseConnection, where condition: String, _ parameters: [SQLValue] = []
    ) throws(DatabaseError) -> [AccountReview.Account] {
        let columns = ["name", hasCreation ? "creation_ts" : "NULL", "admin", hasUserType ? "user_type" : "NULL", deactivated]
        let rows = try connection.query(
            "SELECT \(columns.joined(separator: ", ")) FROM users WHERE \(condition)", parameters)
        return rows.compactMap { row in
            guard let name = row[0].text else { return nil }
            return AccountReview.Account(
                userID: name, createdAt: row[1].integer, admin: row[2].integer == 1, userType: row[3].text,
                deactivated: (row[4].integer ?? 0) != 0)
        }
    }
}
