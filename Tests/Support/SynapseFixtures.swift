import Foundation
import Testing
import Core

/// Databases made by a real Synapse, prepared by the test command (scripts/test.sh):
///
/// - `SYNAPSE_SQLITE_FIXTURE`: a homeserver.db Synapse created (each test works on a copy);
/// - `TEST_PG_URL`: a superuser connection to the throwaway PostgreSQL server;
/// - `SYNAPSE_PG_FIXTURE_DB`: a database Synapse created there (each test clones it);
/// - the same two with `_OLD` for an older Synapse release, when the test command made them.
///
/// Outside CI a missing fixture skips the tests that need it; in CI it fails them.
package enum SynapseFixtures {
    package static let serverName = ProcessInfo.processInfo.environment["SYNAPSE_FIXTURE_SERVER_NAME"] ?? "example.org"

    /// A fixture generation: the current Synapse, or the older one.
    package enum Release: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case current = ""
        case old = "_OLD"
        package var testDescription: String { self == .current ? "current Synapse" : "older Synapse" }
    }

    package static func sqliteFixture(_ release: Release = .current) -> String? {
        ProcessInfo.processInfo.environment["SYNAPSE_SQLITE_FIXTURE\(release.rawValue)"]
    }

    package static func postgresFixture(_ release: Release = .current) -> String? {
        guard ProcessInfo.processInfo.environment["TEST_PG_URL"] != nil else { return nil }
        return ProcessInfo.processInfo.environment["SYNAPSE_PG_FIXTURE_DB\(release.rawValue)"]
    }

    package static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    package static func available(_ engine: DatabaseEngine, _ release: Release = .current) -> Bool {
        switch engine {
        case .sqlite: sqliteFixture(release) != nil
        case .postgres: postgresFixture(release) != nil
        }
    }
}

/// A private copy of a Synapse-made database, dropped when released.
package final class FixtureDatabase: Sendable {
    package let engine: DatabaseEngine
    package let location: DatabaseLocation
    private let directory = TemporaryDirectory()  // removed with the fixture
    private let dropName: String?

    package init(_ engine: DatabaseEngine, release: SynapseFixtures.Release = .current) throws {
        self.engine = engine
        switch engine {
        case .sqlite:
            guard let fixture = SynapseFixtures.sqliteFixture(release) else { throw FixtureMissing() }
            let copy = directory.path + "/homeserver.db"
            try FileManager.default.copyItem(atPath: fixture, toPath: copy)
            location = .sqlite(path: copy)
            dropName = nil
        case .postgres:
            guard let template = SynapseFixtures.postgresFixture(release),
                let admin = ProcessInfo.processInfo.environment["TEST_PG_URL"]
            else { throw FixtureMissing() }
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let server = try PostgresConnection(.conninfo(admin))
            try server.execute("CREATE DATABASE \(name) TEMPLATE \(template)", [])
            dropName = name
            location = .postgres(.conninfo(Self.replacingDatabase(in: admin, with: String(name))))
        }
    }

    deinit {
        if let dropName, let admin = ProcessInfo.processInfo.environment["TEST_PG_URL"],
            let server = try? PostgresConnection(.conninfo(admin))
        {
            _ = try? server.execute("DROP DATABASE IF EXISTS \(dropName) WITH (FORCE)", [])
        }
    }

    package func connect() throws -> DatabaseConnection {
        switch location {
        case .sqlite(let path): try SQLiteConnection(path: path)
        case .postgres(let target): try PostgresConnection(target)
        }
    }

    /// A config for this database, as homeserver.yaml would give it.
    package func config(_ adjust: (inout HomeserverConfig) -> Void = { _ in }) -> HomeserverConfig {
        var config = HomeserverConfig(serverName: SynapseFixtures.serverName, database: location)
        config.bcryptRounds = 4
        adjust(&config)
        return config
    }

    /// Every row of the tables a registration touches, for before-and-after comparisons.
    package func snapshot() throws -> [String: [[SQLValue]]] {
        let connection = try connect()
        var tables: [String: [[SQLValue]]] = [:]
        for table in ["users", "profiles", "user_stats_current", "user_directory", "devices", "access_tokens", "account_validity"] {
            tables[table] = try connection.query("SELECT * FROM \(table) ORDER BY 1", [])
        }
        tables["user_directory_search"] = try connection.query("SELECT user_id FROM user_directory_search ORDER BY 1", [])
        return tables
    }

    private static func replacingDatabase(in url: String, with name: String) -> String {
        guard let slash = url.range(of: "/", options: .backwards, range: url.range(of: "://")!.upperBound..<url.endIndex)
        else { return url + "/" + name }
        let query = url[slash.upperBound...].firstIndex(of: "?").map { String(url[$0...]) } ?? ""
        return String(url[..<slash.upperBound]) + name + query
    }
}

package struct FixtureMissing: Error, CustomStringConvertible {
    package var description: String { "Synapse fixture databases are not set up; run scripts/test.sh" }
}
