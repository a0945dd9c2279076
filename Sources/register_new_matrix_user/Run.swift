import Core
import FoundationEssentials
import Glibc

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
        if let serverURL {
            Console.warning("ignoring '\(serverURL)': this tool writes to the database directly and needs no server URL")
        }
        if checkPassword { return try checkPasswords() }
        let config = try loadConfig()
        // The config's warnings are about creating accounts, which a review does not.
        if reviewAccounts { return try runReview(config: config) }
        for warning in config.warnings { Console.warning(warning.description) }
        if fromFile != nil { return try registerFromFile(config: config) }
        if wantsWizard {
            return try runWizard(config: config, registrar: try openRegistrar(config: config))
        }
        return try registerFromFlags(config: config)
    }
}
