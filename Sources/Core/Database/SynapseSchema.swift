/// What a Synapse database looks like: its schema versions and the columns of the tables a
/// registration writes.
///
/// Columns are read from the database itself rather than inferred from `schema_version`, which
/// records the highest version ever run, not the one running.
package struct SynapseSchema: Sendable {
    /// `schema_version.version`.
    package let version: Int
    /// `schema_compat_version.compat_version`: the oldest Synapse schema that may use this database.
    package let compatVersion: Int?
    /// Columns of each table the registration reads or writes; a missing table has none.
    package let columns: [String: Set<String>]
    /// Names of background updates still pending that rebuild the user directory.
    package let pendingDirectoryRebuilds: [String]

    /// The newest schema this tool knows: Synapse 1.151 and later (through 1.163) use 94.
    package static let newestKnownVersion = 94
    /// The oldest schema this tool writes (Synapse 1.13); older databases are refused, not guessed at.
    package static let oldestSupportedVersion = 58
    /// The Synapse releases that write those two schemas, for `--version`.
    package static let releases = (oldest: "1.13", newest: "1.163")
    /// Synapse 1.44 (schema 64) added every local user to the directory at registration.
    static let directoryForAllUsersSince = 64
    /// Synapse 1.79 (schema 74) began indexing display names lower-cased and NFKC-normalised.
    static let directoryTextFilterSince = 74

    static let tables = [
        "users", "profiles", "user_stats_current", "user_directory", "user_directory_search",
        "account_validity", "devices", "access_tokens", "current_state_delta_stream",
    ]

    package init(version: Int, compatVersion: Int?, columns: [String: Set<String>], pendingDirectoryRebuilds: [String] = []) {
        self.version = version
        self.compatVersion = compatVersion
        self.columns = columns
        self.pendingDirectoryRebuilds = pendingDirectoryRebuilds
    }

    package func has(_ table: String) -> Bool { !(columns[table]?.isEmpty ?? true) }
    package func has(_ table: String, _ column: String) -> Bool { columns[table]?.contains(column) ?? false }

    /// Reads and checks the schema of the database behind `connection`.
    ///
    /// Refuses a database that is not Synapse's, one whose compatibility version is newer than
    /// the newest schema this tool knows, and one older than the oldest it writes.
    package static func inspect(_ connection: DatabaseConnection, name: String) throws(DatabaseError) -> SynapseSchema {
        let versionColumns = try connection.columns(of: "schema_version")
        guard versionColumns.contains("version"), !(try connection.columns(of: "users").isEmpty) else {
            throw DatabaseError(.unsupportedSchema, "\(name) is not a Synapse database (it has no schema_version or users table)")
        }
        guard let version = try connection.queryOne("SELECT version FROM schema_version")?.first?.integer else {
            throw DatabaseError(.unsupportedSchema, "\(name) has an empty schema_version table; start Synapse once to set it up")
        }
        var compat: Int?
        if !(try connection.columns(of: "schema_compat_version").isEmpty) {
            compat = try connection.queryOne("SELECT compat_version FROM schema_compat_version")?.first?.integer.map(Int.init)
        }
        if let compat, compat > newestKnownVersion {
            throw DatabaseError(
                .unsupportedSchema,
                "\(name) has schema compat version \(compat), newer than schema \(newestKnownVersion), the newest this tool knows; use a newer register_new_matrix_user")
        }
        if version < oldestSupportedVersion {
            throw DatabaseError(
                .unsupportedSchema,
                "\(name) has schema version \(version), older than \(oldestSupportedVersion), the oldest this tool writes; upgrade Synapse first")
        }
        var columns: [String: Set<String>] = [:]
        for table in tables { columns[table] = try connection.columns(of: table) }

        var pending: [String] = []
        if !(try connection.columns(of: "background_updates").isEmpty) {
            pending = try connection.query(
                "SELECT update_name FROM background_updates WHERE update_name LIKE 'populate_user_directory%'", []
            ).compactMap { $0.first?.text }
        }
        return SynapseSchema(
            version: Int(version), compatVersion: compat, columns: columns, pendingDirectoryRebuilds: pending)
    }
}
