import Foundation
import Testing
import TestSupport
@testable import Core

/// What the PostgreSQL server says on the side (NOTICE, WARNING) never reaches stderr raw.
@Suite struct PostgresNoticeTests {
    @Test func aWarningAtLoginIsNotPrinted() throws {
        guard SynapseFixtures.available(.postgres) else {
            if SynapseFixtures.isCI { Issue.record("PostgreSQL fixture missing in CI") }
            return
        }
        let database = try FixtureDatabase(.postgres)
        guard case .postgres(.conninfo(let url)) = database.location else { return }
        // A collation version recorded for a database whose collation has none: the server warns at every login.
        try database.connect().execute(
            "UPDATE pg_database SET datcollversion = 'test' WHERE datname = current_database()", [])
        let directory = TemporaryDirectory()
        let config = directory.write("homeserver.yaml", "server_name: \(SynapseFixtures.serverName)\nbcrypt_rounds: 4\n")
        let password = directory.write("pw", "correct horse")
        chmod(password, 0o600)

        let result = try Command.run(["-c", config, "--database-url", url, "-u", "nora", "--password-file", password, "--no-input"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "Created @nora:\(SynapseFixtures.serverName).\n")
    }
}
