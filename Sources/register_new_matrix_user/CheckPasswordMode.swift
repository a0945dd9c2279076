import Core
import FoundationEssentials
import Glibc

extension RegisterCommand {
    /// `--check-password`: judges each line of stdin as a password for the account named by `-u`
    /// and `--display-name`, and prints one JSON object per line.
    ///
    /// No database is opened. With `-c`, the server's name, policy and pepper join the verdict.
    func checkPasswords() throws -> ExitStatus {
        let config = configPath.isEmpty ? nil : try ConfigLoader.load(paths: configPaths)
        let judge = passwordJudge(config: config, scoresAlways: true)
        let account = PasswordAccount(
            localpart: user.map(Self.localpart(of:)) ?? "", displayName: displayName, serverName: config?.serverName)
        while let line = readLine(strippingNewline: true) {
            let verdict = judge.judge(Secret(line), for: account)
            if case .unavailable(let reason) = verdict.strength {
                throw Failure(.internalError, kind: "internal", "the strength estimator cannot run: \(reason)")
            }
            Console.output(verdict.jsonLine(withPolicy: config != nil))
        }
        return .success
    }

    /// The localpart of `@localpart:server` or of a bare localpart, without judging it: a
    /// strength check needs the words, not a valid ID.
    private static func localpart(of input: String) -> String {
        input.hasPrefix("@") ? String(input.dropFirst().prefix { $0 != ":" }) : input
    }
}
