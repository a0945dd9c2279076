import FoundationEssentials
import Glibc

/// Every row a registration writes, computed from the request, the config and the schema found.
///
/// The plan is a value: it can be inspected and tested without a database, and it is applied in
/// one transaction by ``Registrar``.
package struct RegistrationPlan: Sendable {
    package var writes: [Write]

    /// One statement's worth of writing into one table.
    package struct Write: Sendable {
        package let table: String
        package let mode: Mode
        package let columns: [Column]

        package enum Mode: Sendable, Equatable {
            case insert
            /// Insert, or update the listed columns of the row with the same key.
            case upsert(key: [String])
            /// Delete the rows with this key value, then insert: for SQLite's full-text
            /// `user_directory_search`, which has no unique index (the key's rows are found through
            /// the full-text index).
            case replace(key: String)
        }

        package func value(of column: String) -> PlannedValue? {
            columns.first { $0.name == column }?.value
        }
    }

    package struct Column: Sendable {
        package let name: String
        package let value: PlannedValue
    }

    /// A column value: a plain value, or one computed by the database.
    package enum PlannedValue: Sendable, Equatable {
        case value(SQLValue)
        /// PostgreSQL's weighted search vector over the localpart (A), server name (D) and
        /// filtered display name (B), as Synapse builds it.
        case searchVector(localpart: String, serverName: String, text: String?)
    }

    /// Values that only exist once the transaction has begun.
    package struct Context: Sendable {
        package var nowMs: Int64
        /// `COALESCE(MAX(stream_id), -1)` of `current_state_delta_stream`.
        package var completedDeltaStreamID: Int64
        /// For a token: its row id, device ID and value.
        package var tokenID: Int64?
        package var deviceID: String?
        package var token: Secret?

        package init(nowMs: Int64, completedDeltaStreamID: Int64 = -1, tokenID: Int64? = nil,
                    deviceID: String? = nil, token: Secret? = nil) {
            self.nowMs = nowMs
            self.completedDeltaStreamID = completedDeltaStreamID
            self.tokenID = tokenID
            self.deviceID = deviceID
            self.token = token
        }
    }

    /// Builds the rows Synapse's registration writes (`register_user`, the user-directory update
    /// and, for a token, `register_device`), keeping only the columns this database has.
    package init(
        request: RegistrationRequest, passwordHash: String, config: HomeserverConfig, schema: SynapseSchema,
        engine: DatabaseEngine, context: Context, userIDRules: UserIDRules
    ) {
        var writes: [Write] = []
        let userID = request.userID.description
        let localpart = request.userID.localpart
        let userType = request.userType ?? config.userTypes.defaultType
        let displayName = request.displayName ?? localpart

        func write(_ table: String, _ mode: Write.Mode, _ values: [(String, PlannedValue)]) {
            let present = schema.columns[table] ?? []
            writes.append(Write(
                table: table, mode: mode,
                columns: values.filter { present.contains($0.0) }.map { Column(name: $0.0, value: $0.1) }))
        }

        write("users", .insert, [
            ("name", .value(.text(userID))),
            ("password_hash", .value(.text(passwordHash))),
            ("creation_ts", .value(.integer(context.nowMs / 1000))),  // seconds, unlike every other timestamp
            ("is_guest", .value(.integer(0))),
            ("appservice_id", .value(.null)),
            ("admin", .value(.integer(request.admin ? 1 : 0))),
            ("user_type", .value(userType.map { .text($0) } ?? .null)),
            ("shadow_banned", .value(.boolean(false))),
            ("approved", .value(.boolean(true))),
        ])
        if let period = config.accountValidityPeriodMs, schema.has("account_validity") {
            write("account_validity", .upsert(key: ["user_id"]), [
                ("user_id", .value(.text(userID))),
                ("expiration_ts_ms", .value(.integer(Self.later(context.nowMs, by: period)))),
                ("email_sent", .value(.boolean(false))),
            ])
        }
        write("profiles", .insert, [
            ("full_user_id", .value(.text(userID))),
            ("user_id", .value(.text(localpart))),
            ("displayname", .value(.text(displayName))),
        ])
        if config.statsEnabled, schema.has("user_stats_current") {
            write("user_stats_current", .upsert(key: ["user_id"]), [
                ("user_id", .value(.text(userID))),
                ("completed_delta_stream_id", .value(.integer(context.completedDeltaStreamID))),
                ("joined_rooms", .value(.integer(0))),
            ])
        }
        if Self.belongsInDirectory(request: request, userType: userType, config: config, schema: schema, rules: userIDRules) {
            write("user_directory", .upsert(key: ["user_id"]), [
                ("user_id", .value(.text(userID))),
                ("room_id", .value(.null)),
                ("display_name", .value(.text(displayName))),
                ("avatar_url", .value(.null)),
            ])
            let indexed = schema.version >= SynapseSchema.directoryTextFilterSince
                ? Self.filterForIndex(displayName) : displayName
            switch engine {
            case .postgres:
                write("user_directory_search", .upsert(key: ["user_id"]), [
                    ("user_id", .value(.text(userID))),
                    ("vector", .searchVector(
                        localpart: localpart, serverName: request.userID.serverName,
                        text: displayName.isEmpty ? nil : indexed)),
                ])
            case .sqlite:
                write("user_directory_search", .replace(key: "user_id"), [
                    ("user_id", .value(.text(userID))),
                    ("value", .value(.text("\(userID) \(indexed)"))),
                ])
            }
        }
        if let token = request.token, let tokenID = context.tokenID, let deviceID = context.deviceID,
            let tokenValue = context.token
        {
            write("devices", .insert, [
                ("user_id", .value(.text(userID))),
                ("device_id", .value(.text(deviceID))),
                ("display_name", .value(token.deviceDisplayName.map { .text($0) } ?? .null)),
                ("hidden", .value(.boolean(false))),
            ])
            write("access_tokens", .insert, [
                ("id", .value(.integer(tokenID))),
                ("user_id", .value(.text(userID))),
                ("device_id", .value(.text(deviceID))),
                ("token", .value(.text(tokenValue.revealed))),
                ("valid_until_ms", .value(Self.expiry(token, config: config, nowMs: context.nowMs).map { .integer($0) } ?? .null)),
                ("puppets_user_id", .value(.null)),
                ("last_validated", .value(.integer(context.nowMs))),
                ("refresh_token_id", .value(.null)),
                ("used", .value(.boolean(false))),
            ])
        }
        self.writes = writes
    }

    /// What a dry run's plan holds in place of the bcrypt hash and the token, which it never makes.
    package static let hashStandIn = "<bcrypt hash of the password>"
    package static let tokenStandIn = Secret("<the access token>")
    package static let deviceStandIn = "<a device ID drawn at the write>"

    /// The tables written, in order.
    package var tables: [String] { writes.map(\.table) }

    package func write(into table: String) -> Write? { writes.first { $0.table == table } }

    // MARK: - Rules

    /// Synapse's `should_include_local_user_in_dir`: not support users, not users in an
    /// application service namespace; before Synapse 1.44 only with `search_all_users`.
    static func belongsInDirectory(
        request: RegistrationRequest, userType: String?, config: HomeserverConfig, schema: SynapseSchema,
        rules: UserIDRules
    ) -> Bool {
        guard schema.has("user_directory"), schema.has("user_directory_search") else { return false }
        if userType == "support" || rules.isInAppServiceNamespace(request.userID) { return false }
        return schema.version >= SynapseSchema.directoryForAllUsersSince || config.searchAllUsers
    }

    /// Synapse's `_filter_text_for_index`: lower case, then NFKC.
    static func filterForIndex(_ text: String) -> String {
        text.lowercased().nfkc
    }

    /// When the token expires: the asked validity, else what Synapse gives a new login.
    static func expiry(_ token: TokenRequest, config: HomeserverConfig, nowMs: Int64) -> Int64? {
        if let validity = token.validityMs { return later(nowMs, by: validity) }
        var expiry = config.sessionLifetimeMs.map { later(nowMs, by: $0) }
        if let lifetime = config.nonrefreshableAccessTokenLifetimeMs {
            expiry = min(expiry ?? .max, later(nowMs, by: lifetime))
        }
        return expiry
    }

    /// `nowMs + duration`, saturating at the ends of `Int64`. Durations read from the config and
    /// the command line are bounded (``SynapseDuration/maximumMilliseconds``) and never come near;
    /// this keeps a value set in code from trapping instead.
    static func later(_ nowMs: Int64, by duration: Int64) -> Int64 {
        let (sum, overflow) = nowMs.addingReportingOverflow(duration)
        guard overflow else { return sum }
        return duration > 0 ? .max : .min
    }
}
