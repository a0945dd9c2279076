import Foundation
import Testing
import TestSupport
@testable import Core

/// Database messages name the file, table, column or constraint at fault, never a bound value.
@Suite(.serialized) struct DatabaseErrorTests {
    static let engines: [DatabaseEngine] = [.sqlite, .postgres]

    func fixture(_ engine: DatabaseEngine) throws -> FixtureDatabase? {
        guard SynapseFixtures.available(engine) else {
            if SynapseFixtures.isCI { Issue.record("\(engine) fixture missing in CI") }
            return nil
        }
        return try FixtureDatabase(engine)
    }

    /// A registration whose every secret is recognisable in a message.
    func request() -> RegistrationRequest {
        var request = RegistrationRequest(
            userID: UserID(localpart: "leaky", serverName: SynapseFixtures.serverName), password: Secret("correct horse"))
        request.displayName = "Leaky Display Name"
        request.token = TokenRequest()
        return request
    }

    /// Registers through `connection` and returns the message of the database error it ends in.
    func failedRegistration(
        in database: FixtureDatabase, connection: DatabaseConnection
    ) throws -> (message: String, hash: String) {
        let config = database.config()
        let hash = try PasswordHasher(config: config).hash(Secret("correct horse"))
        let registrar = try Registrar(config: config, connection: connection, databaseName: "test")
        do {
            _ = try registrar.register(request(), passwordHash: hash)
        } catch RegistrationError.database(let error) {
            return (error.message, hash)
        }
        Issue.record("the registration was not refused")
        return ("", hash)
    }

    func expectNoValue(_ message: String, hash: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for value in [hash, String(hash.suffix(31)), "@leaky:", "Leaky Display Name", "syt_"] {
            #expect(!message.contains(value), "\(message) quotes \(value)", sourceLocation: sourceLocation)
        }
        #expect(!message.contains("\n"), sourceLocation: sourceLocation)
    }

    // MARK: - Constraint violations in a Synapse-made database

    @Test(arguments: engines)
    func aCheckViolationQuotesNoValue(_ engine: DatabaseEngine) throws {
        guard let database = try fixture(engine) else { return }
        let db = try database.connect()
        switch engine {
        case .sqlite:
            // SQLite cannot add a CHECK to a table; a trigger makes the insert break a NOT NULL constraint instead.
            try db.execute("""
                CREATE TRIGGER refuse AFTER INSERT ON access_tokens
                BEGIN INSERT INTO users (name, password_hash, admin) VALUES (NEW.token, NEW.token, NULL); END
                """, [])
        case .postgres:
            try db.execute("ALTER TABLE users ADD CONSTRAINT no_bcrypt CHECK (password_hash NOT LIKE '$2b$%')", [])
        }
        let (message, hash) = try failedRegistration(in: database, connection: try database.connect())
        switch engine {
        case .sqlite: #expect(message == "NOT NULL constraint failed: users.admin")
        case .postgres: #expect(message == #"ERROR: 23514: new row for relation "users" violates check constraint "no_bcrypt""#)
        }
        expectNoValue(message, hash: hash)
    }

    @Test func aNotNullViolationOnPostgresQuotesNoValue() throws {
        guard let database = try fixture(.postgres) else { return }
        let db = try database.connect()
        try db.execute("ALTER TABLE profiles ADD COLUMN required_by_test TEXT NOT NULL DEFAULT 'x'", [])
        try db.execute("ALTER TABLE profiles ALTER COLUMN required_by_test DROP DEFAULT", [])
        let (message, hash) = try failedRegistration(in: database, connection: try database.connect())
        #expect(message == #"ERROR: 23502: null value in column "required_by_test" of relation "profiles" violates not-null constraint"#)
        expectNoValue(message, hash: hash)
    }

    @Test func aTriggerQuotingTheRowIsRedacted() throws {
        guard let database = try fixture(.postgres) else { return }
        let db = try database.connect()
        try db.execute("""
            CREATE FUNCTION refuse() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'refused % with %', NEW.name, NEW.password_hash USING HINT = 'hash ' || NEW.password_hash; END
            $$ LANGUAGE plpgsql
            """, [])
        try db.execute("CREATE TRIGGER refuse BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse()", [])
        let (message, hash) = try failedRegistration(in: database, connection: try database.connect())
        #expect(message == "ERROR: P0001: refused … with …; HINT: hash …")
        expectNoValue(message, hash: hash)
    }

    @Test func aValueOfTheWrongTypeIsNotQuoted() throws {
        guard let database = try fixture(.postgres) else { return }
        let db = try database.connect()
        #expect {
            // Short enough to escape redaction: only the fixed text for class 22 keeps it out.
            try db.query("SELECT CAST(? AS integer)", [.text("1x")])
        } throws: { error in
            (error as? DatabaseError)?.message == "ERROR: 22P02: a value has the wrong form for its column's type"
        }
    }

    // MARK: - SQLite's file errors name the file

    @Test func aFullDatabaseNamesItsFile() throws {
        guard let database = try fixture(.sqlite), case .sqlite(let path) = database.location else { return }
        let db = try database.connect()
        let pages = try #require(try db.queryOne("PRAGMA page_count")?.first?.integer)
        try db.execute("PRAGMA max_page_count = \(pages + 1)", [])
        try db.execute("CREATE TABLE filler (label TEXT, body BLOB)", [])
        #expect {
            try db.execute("INSERT INTO filler VALUES (?, zeroblob(1000000))", [.text("secret filler label")])
        } throws: { error in
            (error as? DatabaseError)?.message == "\(path): database or disk is full; free space on the filesystem holding it (SQLite also needs room for a -wal or -journal file beside it), then run again"
        }
    }

    @Test func aReadOnlyDatabaseNamesItsFile() throws {
        guard let database = try fixture(.sqlite), case .sqlite(let path) = database.location else { return }
        let db = try database.connect()
        try db.execute("PRAGMA query_only = ON", [])
        #expect {
            try db.execute("DELETE FROM users", [])
        } throws: { error in
            guard let error = error as? DatabaseError else { return false }
            return error.kind == .unavailable && error.message.hasPrefix("\(path): attempt to write a readonly database; the user running this tool (")
        }
    }

    // MARK: - Message building

    @Test func postgresMessagesAreMadeOfFieldsThatNameThings() {
        let unique = PostgresDiagnostic(fields: [
            .severity: "ERROR", .sqlstate: "23505", .primary: #"duplicate key value violates unique constraint "users_pkey""#,
            .table: "users", .constraint: "users_pkey",
        ], libpqMessage: "ERROR:  duplicate key …; DETAIL:  Key (name)=(@alice:example.org) already exists.")
        #expect(unique.message == #"ERROR: 23505: duplicate key value violates unique constraint "users_pkey" (table "users")"#)

        let range = PostgresDiagnostic(fields: [
            .severity: "ERROR", .sqlstate: "22003", .primary: #"value "99999999999" is out of range for type integer"#,
            .column: "creation_ts", .hint: #"the value "99999999999""#,
        ])
        #expect(range.message == #"ERROR: 22003: a number is out of range for its column (column "creation_ts")"#)

        let raised = PostgresDiagnostic(fields: [
            .severity: "ERROR", .sqlstate: "P0001", .primary: "refused:\nnames must be short", .hint: "see\nthe docs",
        ])
        #expect(raised.message == "ERROR: P0001: refused: names must be short; HINT: see the docs")

        let lost = PostgresDiagnostic(fields: [:], libpqMessage: "server closed the connection unexpectedly")
        #expect(lost.message == "server closed the connection unexpectedly")
    }

    @Test func boundTextsAreCutOutOfMessages() {
        let error = DatabaseError(.failed, "refused @alice:example.org with $2b$04$abc, flag t, id 17")
        let redacted = error.redacting([.text("@alice:example.org"), .text("$2b$04$abc"), .text("t"), .integer(17), .null])
        #expect(redacted.message == "refused … with …, flag t, id 17")
        #expect(redacted.kind == .failed)
    }
}

/// The connection handshake this tool drives itself (so that no notice reaches stderr) keeps libpq's timeout.
@Suite struct PostgresConnectTests {
    @Test func aServerThatNeverAnswersTimesOut() throws {
        // A socket that listens but never accepts: the kernel completes the TCP handshake, nobody speaks.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)

        #expect {
            _ = try PostgresConnection(.conninfo("postgresql://nobody@127.0.0.1:\(port)/synapse?connect_timeout=2"))
        } throws: { error in
            (error as? DatabaseError)?.message == "cannot connect to PostgreSQL: no answer within 2 s (connect_timeout)"
        }
    }
}
