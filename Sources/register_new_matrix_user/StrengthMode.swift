import Core
import Foundation

extension RegisterCommand {
    /// `--check-password`: scores each line of stdin and prints one JSON object per line.
    ///
    /// No database is opened. With `-c`, the server's policy and pepper join the report.
    func checkPasswords() throws -> ExitStatus {
        let estimator = try loadEstimator()
        var policy: PasswordPolicy?
        var pepper = ""
        var serverName: String?
        if !configPath.isEmpty {
            let config: HomeserverConfig
            do {
                config = try ConfigLoader.load(paths: configPaths)
            } catch {
                throw Failure(.invalidConfig, error.description)
            }
            policy = config.password.policy
            pepper = config.password.pepper.revealed
            serverName = config.serverName
        }
        let inputs = user.map { userInput -> [String] in
            let localpart = userInput.hasPrefix("@") ? String(userInput.dropFirst().prefix { $0 != ":" }) : userInput
            return PasswordStrengthEstimator.userInputs(localpart: localpart, displayName: displayName, serverName: serverName)
        } ?? []
        while let line = readLine(strippingNewline: true) {
            let report = PasswordReport(
                password: line, estimator: estimator, userInputs: inputs, policy: policy, pepper: pepper)
            Console.output(report.jsonLine)
        }
        return .success
    }

    /// `--min-strength`: refuses a password scoring below `minimum` for this account.
    func requireStrength(_ minimum: Int, of password: Secret, for userID: UserID) throws {
        let strength = try loadEstimator().estimate(
            password.revealed,
            userInputs: PasswordStrengthEstimator.userInputs(
                localpart: userID.localpart, displayName: displayName, serverName: userID.serverName))
        guard strength.score.rawValue >= minimum else {
            let advice = strength.feedback.warning.map { ": \($0.message)" } ?? ""
            throw Failure(
                .passwordRefused,
                "password strength \(strength.score.rawValue)/4 (\(strength.score.label)) is below --min-strength \(minimum)\(advice)")
        }
    }

    private func loadEstimator() throws -> PasswordStrengthEstimator {
        do {
            return try PasswordStrengthEstimator.shared()
        } catch {
            throw Failure(.internalError, "the strength estimator cannot run: \(error)")
        }
    }
}
