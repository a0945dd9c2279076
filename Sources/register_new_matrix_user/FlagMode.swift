import Core
import Foundation

/// A failure that ends the run: one line on stderr and an exit status.
struct Failure: Error {
    let status: ExitStatus
    let message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}

extension RegisterCommand {
    /// Runs the command and returns its exit status; every message has been written when it returns.
    func run() -> ExitStatus {
        do {
            return try register()
        } catch let failure as Failure {
            Console.error(failure.message)
            return failure.status
        } catch {
            Console.error("unexpected failure: \(error)")
            return .internalError
        }
    }

    private func register() throws -> ExitStatus {
        if password != nil {
            Console.warning("-p puts the password in the process list, where other users of this machine can read it; prefer --password-file")
        }
        if let serverURL {
            Console.warning("ignoring '\(serverURL)': this tool writes to the database directly and needs no server URL")
        }
        if checkPassword { return try checkPasswords() }
        let config = try loadConfig()
        for warning in config.warnings { Console.warning(warning.description) }
        if wantsWizard {
            return try runWizard(config: config, registrar: try openRegistrar(config: config))
        }

        guard let userInput = user else { throw missing("-u/--user", what: "user ID") }
        guard password != nil || passwordFile != nil else {
            throw missing("--password-file or -p", what: "password")
        }

        let rules = UserIDRules(config: config)
        let userID: UserID
        do {
            userID = try rules.parse(userInput)
        } catch {
            throw Failure(.invalidUserID, error.message)
        }

        let secret = try readPassword()
        // With --exists-ok an existing account ends the run before the password is judged, so a
        // provisioning script stays idempotent when the policy has changed since.
        var opened: Registrar?
        if existsOK {
            let registrar = try openRegistrar(config: config)
            if let existing = try existingUser(userID, in: registrar) { return try alreadyExists(existing) }
            opened = registrar
        }
        try enforcePasswordRules(secret, config: config)
        if let minStrength { try requireStrength(minStrength, of: secret, for: userID) }

        let registrar = try opened ?? openRegistrar(config: config)
        if !registrar.schema.pendingDirectoryRebuilds.isEmpty {
            Console.warning("Synapse is still rebuilding its user directory; the new user may be left out of directory search until it finishes")
        }
        var request = RegistrationRequest(
            userID: userID, password: secret, admin: admin, userType: userType, displayName: displayName)
        if printToken { request.token = TokenRequest(validityMs: tokenValidity?.milliseconds) }

        do {
            report(try registrar.create(request, hasher: PasswordHasher(config: config)))
            return .success
        } catch let error as RegistrationError {
            if case .userExists(let existing) = error { return try alreadyExists(existing) }
            throw Failure(Self.status(for: error), error.description)
        } catch let error as PasswordError {
            throw Failure(.passwordRefused, error.message)
        }
    }

    // MARK: - Steps

    private func loadConfig() throws -> HomeserverConfig {
        var override: DatabaseLocation?
        if let databaseURL {
            guard let location = DatabaseLocation.parse(url: databaseURL) else {
                throw Failure(.usage, "--database-url: expected sqlite:PATH, postgresql://… or libpq key=value pairs")
            }
            override = location
        }
        do {
            return try ConfigLoader.load(
                paths: configPaths, mode: noVerifyConfig ? .minimal : .verify, databaseOverride: override)
        } catch {
            throw Failure(.invalidConfig, error.description + configHint(for: error))
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

    private func missing(_ flag: String, what: String) -> Failure {
        if noInput {
            return Failure(.usage, "no \(what) given; pass \(flag) (--no-input never prompts)")
        }
        if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            return Failure(.usage, "no \(what) given; pass \(flag)")
        }
        return Failure(.usage, "no \(what) given and no terminal to ask on; pass \(flag)")
    }

    func readPassword() throws -> Secret {
        if let password { return Secret(password) }
        guard let path = passwordFile else { throw missing("--password-file or -p", what: "password") }
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it" : "no such file"
                throw Failure(.usage, "--password-file \(path): \(reason)")
            }
            data = contents
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                Console.warning("--password-file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
            }
        }
        do {
            return try PasswordFile.decode(data)
        } catch {
            throw Failure(.passwordRefused, "--password-file: \(error)")
        }
    }

    private func enforcePasswordRules(_ secret: Secret, config: HomeserverConfig) throws {
        do {
            try PasswordHasher.validate(secret)
        } catch {
            throw Failure(.passwordRefused, error.message)
        }
        let failed = config.password.policy.checks(for: secret.revealed).filter { !$0.passed }
        if let first = failed.first {
            if ignorePasswordPolicy {
                Console.warning("password_config.policy: \(failed.map(\.failureMessage).joined(separator: "; ")) (accepted: --ignore-password-policy)")
            } else {
                let more = failed.count > 1 ? " (and \(failed.count - 1) more rule(s))" : ""
                throw Failure(.passwordRefused, "password_config.policy: \(first.failureMessage)\(more); --ignore-password-policy accepts it anyway")
            }
        }
        switch PasswordHasher(config: config).truncation(of: secret) {
        case .none: break
        case .passwordCut(let used):
            Console.warning("bcrypt uses only the first \(used) bytes of the password; the rest adds no strength")
        case .pepperCut:
            Console.warning("the password and password_config.pepper together pass bcrypt's 72-byte limit, so part of the pepper is not used")
        }
    }

    func openRegistrar(config: HomeserverConfig) throws -> Registrar {
        guard let location = config.database else {
            throw Failure(.invalidConfig, "no database configured; pass --database-url")
        }
        do {
            let connection: DatabaseConnection
            switch location {
            case .sqlite(let path):
                if !path.hasPrefix("/") {
                    Console.warning("the database path '\(path)' is relative; it is read from \(FileManager.default.currentDirectoryPath), where Synapse's may differ")
                }
                if let owner = try SQLiteConnection.adoptOwner(of: path) {
                    Console.note("Writing \(path) as its owner \(owner.name), so files SQLite adds beside it stay Synapse's.")
                }
                connection = try SQLiteConnection(path: path)
            case .postgres(let target):
                connection = try PostgresConnection(target)
            }
            return try Registrar(config: config, connection: connection, databaseName: location.description)
        } catch let error as DatabaseError {
            throw Failure(.databaseUnavailable, error.message)
        } catch let error as RegistrationError {
            throw Failure(Self.status(for: error), error.description)
        }
    }

    private func existingUser(_ userID: UserID, in registrar: Registrar) throws -> String? {
        do {
            return try registrar.existingUser(userID)
        } catch let error as RegistrationError {
            throw Failure(Self.status(for: error), error.description)
        }
    }

    private func alreadyExists(_ existing: String) throws -> ExitStatus {
        guard existsOK else {
            throw Failure(.userExists, "user \(existing) already exists (--exists-ok accepts that)")
        }
        Console.note("User \(existing) already exists; nothing changed.")
        return .success
    }

    private func report(_ result: RegistrationResult) {
        var details: [String] = []
        if result.admin { details.append("admin") }
        if let type = result.userType { details.append(type) }
        if let device = result.deviceID { details.append("device \(device)") }
        if let expiry = result.tokenExpiresAtMs {
            let date = Date(timeIntervalSince1970: Double(expiry) / 1000)
            details.append("token valid until \(date.formatted(.iso8601))")
        } else if result.accessToken != nil {
            Console.warning("the access token never expires; --token-validity limits it")
        }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        Console.note("Created \(result.userID)\(suffix).")
        if let token = result.accessToken { Console.output(token.revealed) }
    }

    static func status(for error: RegistrationError) -> ExitStatus {
        switch error {
        case .userExists: .userExists
        case .serverNameMismatch: .invalidConfig
        case .invalidRequest: .usage
        case .database: .databaseUnavailable
        }
    }
}
