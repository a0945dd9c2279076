import Foundation
import Testing
import TestSupport
@testable import Core

/// Registrations written into databases a real Synapse created, on both engines.
@Suite(.serialized) struct RegistrarTests {
    static let engines: [DatabaseEngine] = [.sqlite, .postgres]

    /// A fixture copy, or nil (and a recorded failure in CI) when the test command did not make one.
    func fixture(_ engine: DatabaseEngine, _ release: SynapseFixtures.Release = .current) throws -> FixtureDatabase? {
        guard SynapseFixtures.available(engine, release) else {
            if SynapseFixtures.isCI && release == .current { Issue.record("\(engine) fixture missing in CI") }
            return nil
        }
        return try FixtureDatabase(engine, release: release)
    }

    @discardableResult
    func register(
        _ request: RegistrationRequest, in database: FixtureDatabase, config: HomeserverConfig? = nil
    ) throws -> RegistrationResult {
        let config = config ?? database.config()
        let registrar = try Registrar(config: config, connection: try database.connect(), databaseName: "test")
        let hash = try PasswordHasher(config: config).hash(request.password)
        return try registrar.register(request, passwordHash: hash)
    }

    func alice(_ localpart: String = "alice") throws -> RegistrationRequest {
        RegistrationRequest(
            userID: UserID(localpart: localpart, serverName: SynapseFixtures.serverName), password: Secret("correct horse"))
    }

    // MARK: - The rows

    @Test(arguments: engines)
    func writesTheRowsSynapseWrites(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let before = Int64(Date().timeIntervalSince1970)
        try register(try alice(), in: database)
        let db = try database.connect()
        let id = "@alice:\(SynapseFixtures.serverName)"

        let user = try #require(try db.queryOne(
            "SELECT password_hash, creation_ts, is_guest, admin, user_type, appservice_id, deactivated FROM users WHERE name = ?",
            [.text(id)]))
        #expect(PasswordHasher(rounds: 4, pepper: Secret("")).verify(Secret("correct horse"), against: user[0].text ?? ""))
        #expect(user[0].text?.hasPrefix("$2b$04$") == true)
        let created = try #require(user[1].integer)
        #expect(created >= before && created <= before + 5, "creation_ts is in seconds")
        #expect(user[2].integer == 0 && user[3].integer == 0 && user[4] == .null && user[5] == .null && user[6].integer == 0)
        let flags = try #require(try db.queryOne(
            "SELECT CASE WHEN shadow_banned THEN 1 ELSE 0 END, CASE WHEN approved THEN 1 ELSE 0 END FROM users WHERE name = ?", [.text(id)]))
        #expect(flags.map(\.integer) == [0, 1])

        #expect(try db.query("SELECT user_id, displayname, full_user_id FROM profiles WHERE full_user_id = ?", [.text(id)])
            .map { $0.map(\.text) } == [["alice", "alice", id]])
        #expect(try db.query("SELECT joined_rooms, completed_delta_stream_id FROM user_stats_current WHERE user_id = ?", [.text(id)])
            .map { $0.map(\.integer) } == [[0, -1]])
        #expect(try db.query("SELECT display_name, room_id, avatar_url FROM user_directory WHERE user_id = ?", [.text(id)])
            .map { $0.map(\.text) } == [["alice", nil, nil]])
        #expect(try db.query("SELECT COUNT(*) FROM devices WHERE user_id = ?", [.text(id)])[0][0].integer == 0)
        #expect(try db.query("SELECT COUNT(*) FROM access_tokens WHERE user_id = ?", [.text(id)])[0][0].integer == 0)
    }

    @Test(arguments: engines)
    func directorySearchMatchesSynapsesIndex(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        var request = try alice("bob")
        request.displayName = "Bob ＳＭＩＴＨ"  // full-width letters: NFKC folds them for the index
        try register(request, in: database)
        let db = try database.connect()
        let id = "@bob:\(SynapseFixtures.serverName)"
        #expect(try db.query("SELECT display_name FROM user_directory WHERE user_id = ?", [.text(id)])[0][0].text == "Bob ＳＭＩＴＨ")
        switch engine {
        case .sqlite:
            #expect(try db.query("SELECT value FROM user_directory_search WHERE user_id = ?", [.text(id)])
                .map { $0[0].text } == ["\(id) bob smith"])
            #expect(try db.query("SELECT user_id FROM user_directory_search WHERE value MATCH 'smith'", [])
                .map { $0[0].text } == [id])
        case .postgres:
            let expected = try db.queryOne("""
                SELECT (setweight(to_tsvector('simple', 'bob'), 'A') || setweight(to_tsvector('simple', ?), 'D')
                        || setweight(to_tsvector('simple', 'bob smith'), 'B'))::text
                """, [.text(SynapseFixtures.serverName)])?[0].text
            #expect(try db.queryOne("SELECT vector::text FROM user_directory_search WHERE user_id = ?", [.text(id)])?[0].text == expected)
            #expect(try db.query("SELECT user_id FROM user_directory_search WHERE vector @@ to_tsquery('simple', 'smith:*')", [])
                .map { $0[0].text } == [id])
        }
    }

    @Test(arguments: engines)
    func adminWithTokenAndDevice(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        var request = try alice()
        request.admin = true
        request.displayName = "Alice"
        request.userType = "bot"
        request.token = TokenRequest(validityMs: 86_400_000)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let result = try register(request, in: database)
        let token = try #require(result.accessToken)
        let db = try database.connect()
        let id = "@alice:\(SynapseFixtures.serverName)"
        #expect(try db.queryOne("SELECT admin, user_type FROM users WHERE name = ?", [.text(id)])?.map(\.text) == ["1", "bot"])
        let device = try #require(try db.queryOne(
            "SELECT device_id, display_name, CASE WHEN hidden THEN 1 ELSE 0 END FROM devices WHERE user_id = ?", [.text(id)]))
        #expect(device[0].text == result.deviceID && device[2].integer == 0)
        let row = try #require(try db.queryOne(
            "SELECT id, device_id, valid_until_ms, last_validated, puppets_user_id, CASE WHEN used THEN 1 ELSE 0 END FROM access_tokens WHERE token = ?",
            [.text(token.revealed)]))
        #expect(row[1].text == result.deviceID)
        let expiry = try #require(row[2].integer)
        #expect(abs(expiry - now - 86_400_000) < 5_000)
        #expect(abs((row[3].integer ?? 0) - now) < 5_000)
        #expect(row[4] == .null && row[5].integer == 0)
        #expect(token.revealed.hasPrefix("syt_YWxpY2U_"))
    }

    // MARK: - Token ids

    @Test(arguments: engines)
    func tokenIDsStayClearOfSynapsesCounter(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let db = try database.connect()
        let registrar = try Registrar(config: database.config(), connection: db, databaseName: "test")
        func setTokens(_ ids: [Int64]) throws {
            try db.execute("DELETE FROM access_tokens", [])
            for id in ids {
                try db.execute("INSERT INTO access_tokens (id, user_id, token) VALUES (?, '@x:y', ?)", [.integer(id), .text("t\(id)")])
            }
        }
        try setTokens([])
        #expect(try registrar.safeTokenID() == 1, "Synapse's first id is 2")
        try setTokens([2, 3, 4])
        #expect(try registrar.safeTokenID() == 1)
        try setTokens([1, 2, 3, 5, 6, 9, 10])
        #expect(try registrar.safeTokenID() == -1, "never a gap below MAX(id): a login may hold it uncommitted")
        try setTokens([1, 2, 3])
        #expect(try registrar.safeTokenID() == -1, "a negative id, which never raises MAX(id)")
        try setTokens([-1, 1, 2])
        #expect(try registrar.safeTokenID() == -2)
        try setTokens([-3, 1, 2])
        #expect(try registrar.safeTokenID() == -4)
    }

    // MARK: - Refusals

    @Test(arguments: engines)
    func existingUserIsFoundIgnoringCase(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        try database.connect().execute(
            "INSERT INTO users (name, password_hash, creation_ts, admin, is_guest) VALUES (?, NULL, 0, 0, 0)",
            [.text("@Alice:\(SynapseFixtures.serverName)")])
        let before = try database.snapshot()
        #expect {
            try register(try alice(), in: database)
        } throws: { error in
            guard case RegistrationError.userExists(let existing) = error else { return false }
            return existing == "@Alice:\(SynapseFixtures.serverName)"
        }
        #expect(try database.snapshot() == before)
    }

    @Test(arguments: engines)
    func aFailedWriteLeavesNothingBehind(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let db = try database.connect()
        switch engine {
        case .sqlite:
            try db.execute("CREATE TRIGGER refuse BEFORE INSERT ON access_tokens BEGIN SELECT RAISE(ABORT, 'refused by test'); END", [])
        case .postgres:
            try db.execute("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql", [])
            try db.execute("CREATE TRIGGER refuse BEFORE INSERT ON access_tokens FOR EACH ROW EXECUTE FUNCTION refuse()", [])
        }
        let before = try database.snapshot()
        var request = try alice()
        request.token = TokenRequest()
        #expect(throws: RegistrationError.self) { try register(request, in: database) }
        #expect(try database.snapshot() == before, "the users, profiles and directory rows were rolled back")
    }

    @Test(arguments: engines)
    func refusesASchemaNewerThanItKnows(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        try database.connect().execute("UPDATE schema_compat_version SET compat_version = 9999", [])
        #expect {
            _ = try Registrar(config: database.config(), connection: try database.connect(), databaseName: "the db")
        } throws: { error in
            guard case RegistrationError.database(let db) = error, db.kind == .unsupportedSchema else { return false }
            return db.message == "the db has schema compat version 9999, newer than schema 94, the newest this tool knows; use a newer register_new_matrix_user"
        }
    }

    @Test(arguments: engines)
    func refusesADatabaseOfAnotherServer(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        try register(try alice(), in: database)
        let config = database.config { $0.serverName = "other.example" }
        #expect {
            _ = try Registrar(config: config, connection: try database.connect(), databaseName: "test")
        } throws: { error in
            guard case RegistrationError.serverNameMismatch(let configured, let found) = error else { return false }
            return configured == "other.example" && found == SynapseFixtures.serverName
        }
    }

    @Test func refusesADatabaseThatIsNotSynapses() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("other.db", "")  // SQLite reads an empty file as an empty database
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE notes (body TEXT)", [])
        #expect(throws: DatabaseError.self) { try SynapseSchema.inspect(connection, name: path) }
    }

    // MARK: - Config-driven rows

    @Test(arguments: engines)
    func accountValidityStatsAndSupportUsers(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let config = database.config {
            $0.accountValidityPeriodMs = 30 * 86_400_000
            $0.statsEnabled = false
        }
        var request = try alice("helpdesk")
        request.userType = "support"
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try register(request, in: database, config: config)
        let db = try database.connect()
        let id = "@helpdesk:\(SynapseFixtures.serverName)"
        let validity = try #require(try db.queryOne(
            "SELECT expiration_ts_ms, CASE WHEN email_sent THEN 1 ELSE 0 END FROM account_validity WHERE user_id = ?", [.text(id)]))
        #expect(abs((validity[0].integer ?? 0) - now - 30 * 86_400_000) < 5_000 && validity[1].integer == 0)
        #expect(try db.query("SELECT * FROM user_stats_current WHERE user_id = ?", [.text(id)]).isEmpty)
        #expect(try db.query("SELECT * FROM user_directory WHERE user_id = ?", [.text(id)]).isEmpty, "support users stay out of the directory")
    }

    // MARK: - Races

    @Test(arguments: engines)
    func concurrentCreationsEndAsExists(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let config = database.config()
        let hash = try PasswordHasher(config: config).hash(Secret("correct horse"))
        let request = try alice("racer")
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let registrar = try Registrar(config: config, connection: try database.connect(), databaseName: "test")
                _ = try registrar.register(request, passwordHash: hash)
                outcomes.add("created")
            } catch RegistrationError.userExists {
                outcomes.add("exists")
            } catch {
                outcomes.add("\(error)")
            }
        }
        #expect(outcomes.sorted == ["created", "exists", "exists", "exists"])
        #expect(try database.connect().query("SELECT COUNT(*) FROM profiles WHERE user_id = 'racer'", [])[0][0].integer == 1)
    }

    /// A stale search row left for the same ID (a directory out of step) is replaced, not doubled:
    /// the delete finds it through the full-text index, and only it, not a neighbour's.
    @Test func aStaleSearchRowIsReplacedNotDoubled() throws {
        guard let database = try fixture(.sqlite) else { return }
        let db = try database.connect()
        let id = "@bob.smith-1:\(SynapseFixtures.serverName)"
        let neighbour = "@bob.smith-10:\(SynapseFixtures.serverName)"
        for (user, value) in [(id, "stale"), (neighbour, "\(neighbour) Neighbour")] {
            try db.execute("INSERT INTO user_directory_search (user_id, value) VALUES (?, ?)", [.text(user), .text(value)])
        }
        var request = try alice("bob.smith-1")
        request.displayName = "Bob Smith"
        try register(request, in: database)
        let values = try db.query("SELECT value FROM user_directory_search WHERE user_id = ?", [.text(id)]).map { $0[0].text }
        #expect(values == ["\(id) bob smith"], "one row, the new one: the display name as Synapse indexes it, lower case")
        #expect(try db.query("SELECT COUNT(*) FROM user_directory_search WHERE user_id = ?", [.text(neighbour)])[0][0].integer == 1)
    }

    // MARK: - Older Synapse

    @Test(arguments: engines)
    func writesIntoAnOlderSynapsesDatabase(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine, .old) else { return }
        var request = try alice()
        request.token = TokenRequest()
        let result = try register(request, in: database)
        let db = try database.connect()
        #expect(try db.query("SELECT COUNT(*) FROM users WHERE name = ?", [.text(result.userID.description)])[0][0].integer == 1)
        #expect(try db.query("SELECT COUNT(*) FROM user_directory_search WHERE user_id = ?", [.text(result.userID.description)])[0][0].integer == 1)
    }
}

/// Collects results from concurrent work.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func add(_ value: String) { lock.withLock { values.append(value) } }
    var sorted: [String] { lock.withLock { values.sorted() } }
}
