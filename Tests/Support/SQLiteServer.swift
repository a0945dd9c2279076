import Foundation
import Testing

extension SynapseFixtures {
    /// A copy of the Synapse-made SQLite fixture in `directory`, with a homeserver.yaml for it at
    /// bcrypt cost 4 (plus `extra`, top-level YAML), for tests that run the built tool.
    ///
    /// - Returns: the config's and the database's paths, or nil without the fixture (a recorded
    ///   failure in CI, where the test command always makes it).
    package static func sqliteServer(in directory: TemporaryDirectory, extra: String = "")
        throws -> (config: String, database: String)?
    {
        guard let fixture = sqliteFixture() else {
            if isCI { Issue.record("SQLite fixture missing in CI") }
            return nil
        }
        let database = directory.path + "/homeserver.db"
        try? FileManager.default.removeItem(atPath: database)
        try FileManager.default.copyItem(atPath: fixture, toPath: database)
        let config = directory.write("homeserver.yaml", """
            server_name: \(serverName)
            database: {name: sqlite3, args: {database: \(database)}}
            bcrypt_rounds: 4
            \(extra)
            """)
        return (config, database)
    }
}
