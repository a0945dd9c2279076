import Foundation
import Testing
import TestSupport
@testable import Core

/// The account review's lists, read from databases a real Synapse created, on both engines; and
/// the read-only connections it reads through.
@Suite(.serialized) struct AccountReviewTests {
    static let engines: [DatabaseEngine] = [.sqlite, .postgres]
    static let day: Int64 = 86_400

    func fixture(_ engine: DatabaseEngine) throws -> FixtureDatabase? {
        guard SynapseFixtures.available(engine) else {
            if SynapseFixtures.isCI { Issue.record("\(engine) fixture missing in CI") }
            return nil
        }
        return try FixtureDatabase(engine)
    }

    func id(_ localpart: String) -> String { "@\(localpart):\(SynapseFixtures.serverName)" }

    /// Accounts of every kind the review tells apart, written as the tool writes them, then
    /// aged, deactivated or re-labelled by SQL as time and Synapse would.
    func populate(_ database: FixtureDatabase) throws -> (connection: DatabaseConnection, now: Int64) {
        let config = database.config()
        let registrar = try Registrar(config: config, connection: try database.connect(), databaseName: "test")
        func make(_ localpart: String, admin: Bool = false, type: String? = nil, token: TokenRequest? = nil) throws {
            let request = RegistrationRequest(
                userID: UserID(localpart: localpart, serverName: SynapseFixtures.serverName), password: Secret("pw"),
                admin: admin, userType: type, token: token)
            _ = try registrar.register(request, passwordHash: "$2b$04$stand-in")
        }
        try make("boss", admin: true)
        try make("gone", admin: true)
        try make("helpdesk", type: "support")
        try make("robot", type: "bot", token: TokenRequest())
        try make("temp", token: TokenRequest(validityMs: 86_400_000))
        try make("oldie")
        try make("lastweek")
        try make("login", token: TokenRequest(deviceDisplayName: "Element"))
        let db = try database.connect()
        let now = Int64(Date().timeIntervalSince1970)
        try db.execute("UPDATE users SET deactivated = 1 WHERE name = ?", [.text(id("gone"))])
        try db.execute("UPDATE users SET creation_ts = ? WHERE name = ?", [.integer(now - 90 * Self.day), .text(id("oldie"))])
        try db.execute("UPDATE users SET creation_ts = ? WHERE name = ?", [.integer(now - 7 * Self.day), .text(id("lastweek"))])
        try db.execute("UPDATE users SET creation_ts = ? WHERE name IN (?, ?)", [.integer(now - 400 * Self.day), .text(id("boss")), .text(id("gone"))])
        return (db, now)
    }

    @Test(arguments: engines)
    func listsExactlyWhatEachSectionAsksFor(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let (db, now) = try populate(database)
        let schema = try SynapseSchema.inspect(db, name: "test")
        let review = try AccountReview.read(from: db, schema: schema, createdSince: now - 30 * Self.day)

        #expect(review.admins.map(\.userID) == [id("boss")], "an active admin; the deactivated one is listed apart")
        #expect(review.admins.first?.createdAt == now - 400 * Self.day, "seconds, as Synapse stores them")
        #expect(review.deactivatedAdmins.map(\.userID) == [id("gone")])
        #expect(review.deactivatedAdmins.first?.deactivated == true)
        #expect(Set(review.recent.map(\.userID)) == Set(["helpdesk", "robot", "temp", "lastweek", "login"].map(id)))
        #expect(review.recent.last?.userID == id("lastweek"), "newest first")
        #expect(review.supportAndBots.map(\.userID) == [id("helpdesk"), id("robot")])
        #expect(review.supportAndBots.map(\.userType) == ["support", "bot"])
        let token = try #require(review.openTokens.first)
        #expect(review.openTokens.count == 1, "the expiring token and another device's token are not listed")
        #expect(token.userID == id("robot"))
        #expect(token.admin == false && token.lastSeenMs == nil)
        let device = try db.queryOne("SELECT device_id FROM devices WHERE user_id = ?", [.text(id("robot"))])
        #expect(device?.first?.text == token.deviceID)

        let lastTwoDays = try AccountReview.read(from: db, schema: schema, createdSince: now - 2 * Self.day)
        #expect(!lastTwoDays.recent.map(\.userID).contains(id("lastweek")))
    }

    @Test(arguments: engines)
    func missingColumnsReadAsSynapsesDefaults(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let (db, now) = try populate(database)
        let full = try SynapseSchema.inspect(db, name: "test")
        var columns = full.columns
        columns["users"]?.subtract(["deactivated", "user_type", "creation_ts"])
        let old = SynapseSchema(version: full.version, compatVersion: full.compatVersion, columns: columns)
        let review = try AccountReview.read(from: db, schema: old, createdSince: now - 30 * Self.day)
        #expect(review.admins.map(\.userID) == [id("boss"), id("gone")], "without the column no one is deactivated")
        #expect(review.deactivatedAdmins.isEmpty && review.recent.isEmpty && review.supportAndBots.isEmpty)
        #expect(review.admins.allSatisfy { $0.createdAt == nil && $0.userType == nil })
    }

    @Test(arguments: engines)
    func readOnlyConnectionsRefuseEveryWrite(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let reader: DatabaseConnection =
            switch database.location {
            case .sqlite(let path): try SQLiteConnection(path: path, readOnly: true)
            case .postgres(let target): try PostgresConnection(target, readOnly: true)
            }
        #expect(try reader.queryOne("SELECT COUNT(*) FROM users")?.first?.integer != nil)
        for write in ["UPDATE users SET admin = 1", "INSERT INTO devices (user_id, device_id) VALUES ('@x:y', 'X')"] {
            #expect(throws: DatabaseError.self, "\(write)") {
                try reader.transaction { try reader.execute(write, []) }
            }
        }
        if engine == .sqlite {
            #expect(throws: DatabaseError.self, "outside a transaction too") {
                try reader.execute("UPDATE users SET admin = 1", [])
            }
        }
    }
}
