import Core
import Foundation

extension RegisterCommand {
    /// Runs the mode the flags ask for and returns its exit status; every message has been
    /// written when it returns. Whatever fails is reported once, through ``Failure/init(_:)``.
    func run() -> ExitStatus {
        do {
            return try dispatch()
        } catch {
            let failure = Failure(error)
            Console.error(failure.message)
            if json { Console.output(ResultJSON.failure(failure).text) }
            return failure.status
        }
    }

    private func dispatch() throws -> ExitStatus {
        if password != nil {
            Console.warning("-p puts the password in the process list, where other users of this machine can read it; prefer --password-file")
        }
        if sharedSecret != nil {
            Console.warning("-k puts the shared secret in the process list, where other users of this machine can read it; prefer -c homeserver.yaml --via-synapse")
        }
        if let serverURL, !registersThroughSynapse {
            Console.warning("ignoring '\(serverURL)': without -k or --via-synapse this tool writes to the database directly and needs no server URL")
        }
        if checkPassword { return try checkPasswords() }
        try validatePromptTerminal()
        if registersThroughSynapse { return try registerThroughSynapse() }
        let config = try loadConfig()
        // The config's warnings are about creating accounts, which a review does not.
        if reviewAccounts { return try runReview(config: config) }
        for warning in config.warnings { Console.warning(warning.description) }
        if fromFile != nil { return try registerFromFile(config: config) }
        if let frontEnd {
            return try runInteractive(frontEnd, config: config, registrar: try openRegistrar(config: config))
        }
        return try registerFromFlags(config: config)
    }
}
