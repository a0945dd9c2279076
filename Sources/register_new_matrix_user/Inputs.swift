import Core
import Foundation

/// What every mode reads the same way: the config, the database, the password, the judge.
extension RegisterCommand {
    func loadConfig() throws -> HomeserverConfig {
        var override: DatabaseLocation?
        if let databaseURL {
            guard let location = DatabaseLocation.parse(url: databaseURL) else {
                throw Failure.usage("--database-url: expected sqlite:PATH, postgresql://… or libpq key=value pairs")
            }
            override = location
        }
        do {
            return try ConfigLoader.load(
                paths: configPaths, mode: noVerifyConfig ? .minimal : .verify, databaseOverride: override)
        } catch {
            throw Failure(.invalidConfig, kind: "invalid_config", error.description + configHint(for: error))
        }
    }

    /// Where a packaged Synapse keeps its config, when the default `homeserver.yaml` is missing.
    private func configHint(for error: ConfigError) -> String {
        guard configPath.isEmpty, error.file == "homeserver.yaml", error.line == nil else { return "" }
        let known = [
            ("/etc/matrix-synapse/homeserver.yaml", "-c /etc/matrix-synapse/homeserver.yaml -c /etc/matrix-synapse/conf.d"),
            ("/data/homeserver.yaml", "-c /data/homeserver.yaml"),
        ]
        guard let found = known.first(where: { FileManager.default.fileExists(atPath: $0.0) }) else { return "" }
        return "; this machine has \(found.0): try \(found.1)"
    }

    /// A value the run needs but was not given, said as what to pass.
    func missing(_ field: AccountField, what: String) -> Failure {
        let flag = Failure.flag(for: field)
        if noInput || json || dryRun {
            return .usage("no \(what) given; pass \(flag) (\(noInput ? "--no-input" : json ? "--json" : "--dry-run") never prompts)")
        }
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            return .usage("no \(what) given; pass \(flag)")
        }
        return .usage("no \(what) given and no terminal to ask on; pass \(flag)")
    }

    func readPassword() throws -> Secret {
        if let password { return Secret(password) }
        guard let path = passwordFile else { throw missing(.password, what: "password") }
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it" : "no such file"
                throw Failure.usage("--password-file \(path): \(reason)")
            }
            data = contents
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                Console.warning("--password-file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
            }
        }
        let source = path == "-" ? "--password-file - (stdin)" : "--password-file \(path)"
        do {
            let decoded = try PasswordFile.decode(data)
            if decoded.trimmedMore {
                Console.warning("\(source): whitespace around the password was removed, as Synapse's script removes it; check that the file holds the password you meant")
            }
            return decoded.password
        } catch {
            let reason = path == "-" && error == .empty
                ? "nothing came on stdin; pipe the password in, or give --password-file FILE" : error.description
            throw Failure(.passwordRefused, kind: "invalid_password", "\(source): \(reason)")
        }
    }

    /// The judge of passwords for this run: the server's policy and the flags' overrides.
    ///
    /// - Parameter scoresAlways: whether every password is scored; flag mode scores only for
    ///   `--min-strength`, so that a plain run never loads the estimator's data.
    func passwordJudge(config: HomeserverConfig?, scoresAlways: Bool) -> PasswordJudge {
        let requirements = config.map {
            PasswordRequirements(config: $0, ignoresPolicy: ignorePasswordPolicy, minimumScore: minStrength)
        } ?? PasswordRequirements(ignoresPolicy: ignorePasswordPolicy, minimumScore: minStrength)
        return PasswordJudge(requirements: requirements, scoresAlways: scoresAlways)
    }

    /// Opens the configured database and checks it is Synapse's and the config's server's.
    ///
    /// - Parameter readOnly: open it so that nothing can be written through the connection,
    ///   for the account review; the owner's identity is taken all the same, since SQLite may
    ///   create `-wal` and `-shm` files beside the database even to read it.
    func openRegistrar(config: HomeserverConfig, readOnly: Bool = false) throws -> Registrar {
        guard let location = config.database else {
            throw Failure(.invalidConfig, kind: "invalid_config", "no database configured; pass --database-url")
        }
        let connection: DatabaseConnection
        switch location {
        case .sqlite(let path):
            if !path.hasPrefix("/") {
                Console.warning("the database path '\(path)' is relative; it is read from \(FileManager.default.currentDirectoryPath), where Synapse's may differ")
            }
            let identity = try OwnerIdentity.adopt(ownerOf: path)
            if let identity {
                Console.note("\(readOnly ? "Reading" : "Writing") \(path) as its owner \(identity.name), so files SQLite adds beside it stay Synapse's.")
            }
            connection = try SQLiteConnection(path: path, identity: identity, readOnly: readOnly)
        case .postgres(let target):
            connection = try PostgresConnection(target, readOnly: readOnly)
        }
        return try Registrar(config: config, connection: connection, databaseName: location.description)
    }
}
