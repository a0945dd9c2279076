import Core
import Testing
import TestSupport

/// `--version` is what a bug report and a script quote: the release alone on the first line, then the
/// Synapse schemas this build writes, both from Core's constants.
@Suite struct VersionTests {
    @Test func versionNamesTheReleaseThenTheSchemas() throws {
        let result = try Command.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "register_new_matrix_user \(ToolVersion.number)")
        #expect(lines.last?.contains(
            "schema \(SynapseSchema.oldestSupportedVersion) to \(SynapseSchema.newestKnownVersion)") == true)
    }

    @Test func releaseIsThreeNumbers() {
        // scripts/package.sh takes it as the Debian version as it is.
        let parts = ToolVersion.number.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil })
    }
}
