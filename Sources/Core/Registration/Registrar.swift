import Foundation

/// Creates accounts in a Synapse database, one transaction per account.
package final class Registrar {
    package let config: HomeserverConfig
    package let connection: DatabaseConnection
    package let schema: SynapseSchema
    package let rules: UserIDRules
    /// How the database is named in messages.
    package let databaseName: String

    /// Inspects the database and checks that it belongs to the configured server.
    package init(config: HomeserverConfig, connection: DatabaseConnection, databaseName: String) throws {
        self.config = config
        self.connection = connection
        self.databaseName = databaseName
        self.rules = UserIDRules(config: config)
        do {
            self.schema = try SynapseSchema.inspect(connection, name: databaseName)
        } catch {
            throw RegistrationError.database(error)
        }
        try checkServerName()
    }

    /// Synapse refuses to start on a database whose first user belongs to another server; so
    /// does this tool, before writing anything.
    private func checkServerName() throws {
        let row = try wrap { () throws(DatabaseError) in try connection.queryOne("SELECT name FROM users LIMIT 1") }
        guard let name = row?.first?.text, let colon = name.firstIndex(of: ":") else { return }
        let domain = String(name[name.index(after: colon)...])
        if domain != config.serverName {
            throw RegistrationError.serverNameMismatch(configured: config.serverName, database: domain)
        }
    }

    // MARK: - Reading

    /// The existing user whose name equals `userID` ignoring case, as Synapse's
    /// `get_users_by_id_case_insensitive` finds it.
    package func existingUser(_ userID: UserID) throws -> String? {
        try wrap { () throws(DatabaseError) in
            try connection.queryOne("SELECT name FROM users WHERE lower(name) = lower(?)", [.text(userID.description)])?
                .first?.text
        }
    }

    /// Checks what the request asks for beyond the user ID: the user type and the display name.
    package func validate(_ request: RegistrationRequest) throws {
        try Self.validate(request, userTypes: config.userTypes.all)
    }

    /// The same checks for a registration that knows the server's user types only from its
    /// config, or (nil) not at all, when Synapse checks the type itself.
    package static func validate(_ request: RegistrationRequest, userTypes: [String]?) throws {
        if let type = request.userType, let userTypes, !userTypes.contains(type) {
            throw RegistrationError.invalidRequest(
                field: .userType,
                message: "'\(type)' is not a user type of this server (\(userTypes.joined(separator: ", ")))")
        }
        if let name = request.displayName, let problem = DisplayNameRule.problem(name) {
            throw RegistrationError.invalidRequest(field: .displayName, message: problem)
        }
    }

    // MARK: - Writing

    /// Checks the request, fails fast when the user exists, hashes the password and writes the
    /// account: everything a front end does once it has a user ID and an acceptable password.
    ///
    /// - Parameter isCancelled: asked once the hash is made, before the transaction begins: a
    ///   run interrupted while bcrypt works ends there, with nothing written.
    /// - Throws: ``RegistrationError``, or ``PasswordError`` when bcrypt refuses the password.
    package func create(
        _ request: RegistrationRequest, hasher: PasswordHasher, isCancelled: () -> Bool = { false }
    ) throws -> RegistrationResult {
        try validate(request)
        // Checked before hashing, so a taken name fails in milliseconds rather than after bcrypt;
        // register(_:passwordHash:) checks again inside its transaction.
        if let existing = try existingUser(request.userID) {
            throw RegistrationError.userExists(existing: existing)
        }
        let hash = try hasher.hash(request.password)
        if isCancelled() { throw RegistrationError.cancelled }
        return try register(request, passwordHash: hash)
    }

    /// Writes the account in one transaction: every row of the plan, or none.
    ///
    /// The password must already be hashed: hashing takes the better part of a second at
    /// Synapse's default cost, and the database lock is not held while it runs. A user created
    /// by someone else in the meantime, even in the same instant, ends in
    /// ``RegistrationError/userExists(existing:)``.
    ///
    /// - Parameter matchingExactly: check inside the transaction for this exact name only, through
    ///   the index, instead of ignoring case with a scan of `users`: for a caller that has already
    ///   checked ignoring case (a bulk file), since anyone registering meanwhile, Synapse or this
    ///   tool, writes lower-case names.
    package func register(
        _ request: RegistrationRequest, passwordHash: String, now: Date = Date(), matchingExactly: Bool = false
    ) throws -> RegistrationResult {
        try validate(request)
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        do {
            return try connection.transaction {
                let existing = try matchingExactly
                    ? wrap { () throws(DatabaseError) in
                        try connection.queryOne("SELECT name FROM users WHERE name = ?", [.text(request.userID.description)])?
                            .first?.text
                    }
                    : existingUser(request.userID)
                if let existing {
                    throw RegistrationError.userExists(existing: existing)
                }
                let (plan, context) = try plan(request, passwordHash: passwordHash, nowMs: nowMs)
                try apply(plan)
                let expiry = plan.write(into: "access_tokens")?.value(of: "valid_until_ms")
                return RegistrationResult(
                    userID: request.userID, admin: request.admin,
                    userType: request.userType ?? config.userTypes.defaultType,
                    displayName: request.displayName ?? request.userID.localpart,
                    deviceID: context.deviceID, accessToken: context.token,
                    tokenExpiresAtMs: expiry.flatMap { if case .value(let v) = $0 { v.integer } else { nil } },
                    tablesWritten: plan.tables)
            }
        } catch let error as DatabaseError {
            if case .uniqueViolation(let table) = error.kind, table == "users" || table == "profiles" || table == nil {
                // Another process created the user between our check and our insert.
                throw RegistrationError.userExists(existing: request.userID.description)
            }
            throw RegistrationError.database(error)
        }
    }

    /// What ``register(_:passwordHash:now:matchingExactly:)`` would write for `request` now, read
    /// from the database as it is: for a dry run. Nothing is written, no transaction is begun, and
    /// the password is not hashed: the plan's hash and token are stand-ins.
    package func preview(_ request: RegistrationRequest, now: Date = Date()) throws -> RegistrationPlan {
        try validate(request)
        if let existing = try existingUser(request.userID) {
            throw RegistrationError.userExists(existing: existing)
        }
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        return try wrap { () throws(DatabaseError) in
            try plan(request, passwordHash: RegistrationPlan.hashStandIn, nowMs: nowMs,
                     standIns: (RegistrationPlan.deviceStandIn, RegistrationPlan.tokenStandIn)).plan
        }
    }

    /// The plan and the values it was made with, the database read as it is now.
    private func plan(
        _ request: RegistrationRequest, passwordHash: String, nowMs: Int64, standIns: (device: String, token: Secret)? = nil
    ) throws(DatabaseError) -> (plan: RegistrationPlan, context: RegistrationPlan.Context) {
        var context = RegistrationPlan.Context(nowMs: nowMs)
        if config.statsEnabled, schema.has("current_state_delta_stream") {
            context.completedDeltaStreamID = try connection.queryOne(
                "SELECT COALESCE(MAX(stream_id), -1) FROM current_state_delta_stream")?.first?.integer ?? -1
        }
        if request.token != nil {
            context.tokenID = try safeTokenID()
            context.deviceID = standIns?.device ?? AccessToken.deviceID()
            context.token = standIns?.token ?? AccessToken.generate(for: request.userID.localpart)
        }
        let plan = RegistrationPlan(
            request: request, passwordHash: passwordHash, config: config, schema: schema,
            engine: connection.engine, context: context, userIDRules: rules)
        return (plan, context)
    }

    /// An `access_tokens.id` that a running Synapse never hands out.
    ///
    /// Synapse allocates token ids from a counter in memory, seeded with `MAX(id)` at start-up
    /// (at least 1) and raised before each use, so it never hands out an id of 1 or less. A free
    /// id below `MAX(id)` is not safe either: a login Synapse has numbered but not yet committed
    /// may hold it, as its commits land out of order. So the id is 1 when that is free (Synapse
    /// itself starts at 2), else one below the lowest id there, skipping 0, which Synapse reads as
    /// "no token": ids that never raise `MAX(id)`, before or after a restart.
    func safeTokenID() throws(DatabaseError) -> Int64 {
        let one = try connection.queryOne("SELECT 1 FROM access_tokens WHERE id = 1")
        if one == nil { return 1 }
        let lowest = try connection.queryOne("SELECT MIN(id) FROM access_tokens")?.first?.integer ?? 1
        return min(lowest, 0) - 1
    }

    private func apply(_ plan: RegistrationPlan) throws(DatabaseError) {
        for write in plan.writes {
            for (sql, parameters) in Self.statements(for: write, engine: connection.engine) {
                try connection.execute(sql, parameters)
            }
        }
    }

    /// The SQL for one planned write; every value is bound, never interpolated.
    static func statements(for write: RegistrationPlan.Write, engine: DatabaseEngine) -> [(String, [SQLValue])] {
        var placeholders: [String] = []
        var parameters: [SQLValue] = []
        for column in write.columns {
            switch column.value {
            case .value(let value):
                placeholders.append("?")
                parameters.append(value)
            case .searchVector(let localpart, let serverName, let text):
                placeholders.append("""
                    setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'D') \
                    || setweight(to_tsvector('simple', COALESCE(?, '')), 'B')
                    """)
                parameters += [.text(localpart), .text(serverName), text.map { .text($0) } ?? .null]
            }
        }
        let names = write.columns.map(\.name)
        var insert = "INSERT INTO \(write.table) (\(names.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", ")))"
        switch write.mode {
        case .insert:
            return [(insert, parameters)]
        case .upsert(let key):
            let updates = names.filter { !key.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }
            insert += " ON CONFLICT (\(key.joined(separator: ", "))) "
            insert += updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(updates.joined(separator: ", "))"
            return [(insert, parameters)]
        case .replace(let key):
            guard let keyValue = write.columns.first(where: { $0.name == key }), case .value(let value) = keyValue.value else {
                return [(insert, parameters)]
            }
            // A full-text table indexes its columns' words only: `WHERE key = ?` alone reads every
            // row, once per account, which a large bulk file turns quadratic. The key's words find
            // the few candidate rows through the full-text index; the equality keeps the exact one.
            guard let text = value.text else { return [("DELETE FROM \(write.table) WHERE \(key) = ?", [value]), (insert, parameters)] }
            let words = text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }).joined(separator: " ")
            let delete = words.isEmpty
                ? ("DELETE FROM \(write.table) WHERE \(key) = ?", [value])
                : ("DELETE FROM \(write.table) WHERE \(key) = ? AND docid IN "
                    + "(SELECT docid FROM \(write.table) WHERE \(key) MATCH ?)",
                   [value, .text("\"\(words)\"")])
            return [delete, (insert, parameters)]
        }
    }

    func wrap<T>(_ body: () throws(DatabaseError) -> T) throws -> T {
        do { return try body() } catch { throw RegistrationError.database(error) }
    }
}
