/// The tool's version and what it can write, as `--version` prints them, the man page's footer
/// shows and `scripts/package.sh` names the Debian package. Bump `number` for a release; the
/// schema range follows ``SynapseSchema`` by itself.
package enum ToolVersion {
    /// The release, as `MAJOR.MINOR.PATCH`.
    package static let number = "1.0.0"

    /// `--version`: the release on the first line (`register_new_matrix_user 1.0.0`, for scripts),
    /// then the Synapse database schemas it writes, for bug reports.
    package static var description: String {
        """
        register_new_matrix_user \(number)
        writes Synapse database schema \(SynapseSchema.oldestSupportedVersion) to \(SynapseSchema.newestKnownVersion) \
        (Synapse \(SynapseSchema.releases.oldest) to \(SynapseSchema.releases.newest)), SQLite and PostgreSQL
        """
    }
}
