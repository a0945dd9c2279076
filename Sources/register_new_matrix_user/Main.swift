import ArgumentParser
import Core
import FoundationEssentials
import Glibc

/// Parses the command line, runs the registration and turns every outcome into one line on
/// stderr and an exit status.
@main
enum Main {
    static func main() {
        answerVersionAtOnce()
        let command: RegisterCommand
        do {
            command = try RegisterCommand.parse(
                RegisterCommand.normalizingBackup(Self.withOptionalValues(Array(CommandLine.arguments.dropFirst()))))
        } catch {
            let code = RegisterCommand.exitCode(for: error)
            if HelpText.isHelpRequest(error) {
                Console.output(HelpText.render(columns: HelpText.terminalColumns))
                exit(0)
            }
            if code == .success {
                // --version and friends: argument-parser prints them.
                RegisterCommand.exit(withError: error)
            }
            let failure = Failure.usage("\(RegisterCommand.message(for: error)) (see --help)")
            Console.error(failure.message)
            // The flags did not parse, but a script that asked for JSON still gets its one object.
            if CommandLine.arguments.dropFirst().contains("--json") { Console.output(ResultJSON.failure(failure).text) }
            exit(failure.status.rawValue)
        }
        if command.password != nil { blankInProcessList(short: "-p", long: "--password") }
        if command.sharedSecret != nil { blankInProcessList(short: "-k", long: "--shared-secret") }
        exit(command.run().rawValue)
    }

    /// A lone `--version` is answered before argument-parser reflects over every option, which is
    /// most of the tool's start-up time: scripts and package checks ask for it often. The text is
    /// the one argument-parser would print.
    static func answerVersionAtOnce() {
        guard CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" else { return }
        Console.output(ToolVersion.description)
        exit(0)
    }

    /// `--verify-login [URL]`: the URL may be left out, which argument-parser cannot express, so a
    /// bare `--verify-login` (not followed by a URL) gets ``RegisterCommand/configuredURL``.
    static func withOptionalValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if ["-p", "--password", "-k", "--shared-secret"].contains(argument) {
                // A password or secret is passed on as it is, whatever it looks like.
                result += arguments[index..<min(index + 2, arguments.count)]
                index += 2
                continue
            }
            if Self.takesNegativeNumber.contains(argument), index + 1 < arguments.count,
                Self.isNegativeNumber(arguments[index + 1])
            {
                // argument-parser reads "-5" as a flag and would say the value is missing; joined,
                // the value reaches the flag's own check, which says what is accepted.
                result.append("\(argument)=\(arguments[index + 1])")
                index += 2
                continue
            }
            if argument == "--verify-login" {
                let next = index + 1 < arguments.count ? arguments[index + 1] : nil
                if let next, next.hasPrefix("http://") || next.hasPrefix("https://") {
                    result += [argument, next]
                    index += 2
                    continue
                }
                result += [argument, RegisterCommand.configuredURL]
            } else {
                result.append(argument)
            }
            index += 1
        }
        return result
    }

    /// The options whose value a script may get wrong as a negative number.
    static let takesNegativeNumber: Set<String> = ["--token-validity", "--since", "--min-strength", "--jobs"]

    /// `-5`, `-0.5`, `-.5`, `-2w`: a minus and then a digit or a point, never a flag's name.
    static func isNegativeNumber(_ argument: String) -> Bool {
        guard argument.hasPrefix("-"), let next = argument.dropFirst().first else { return false }
        return next.isASCII && (next.isNumber || next == ".")
    }

    /// Overwrites the value of a secret's flag (`-p`/`--password`, `-k`/`--shared-secret`) in
    /// this process's argument memory, which `ps` and `/proc/PID/cmdline` show, so that it stays
    /// readable there only for the moment between start-up and parsing.
    static func blankInProcessList(short: String, long: String) {
        let argv = CommandLine.unsafeArgv
        var index = 1
        while index < Int(CommandLine.argc), let argument = argv[index] {
            let text = String(cString: argument)
            var value: UnsafeMutablePointer<CChar>?
            if text == short || text == long {
                index += 1
                value = index < Int(CommandLine.argc) ? argv[index] : nil
            } else if let prefix = [long + "=", short + "="].first(where: text.hasPrefix) {
                value = argument + prefix.utf8.count
            } else if text.hasPrefix(short) && !text.hasPrefix("--") && text.count > 2 {
                value = argument + 2  // "-pSECRET"
            }
            if let value { memset(value, Int32(UInt8(ascii: "*")), strlen(value)) }
            index += 1
        }
    }
}
