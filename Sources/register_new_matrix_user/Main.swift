import Core
import FoundationEssentials
import Glibc

/// Reads the command line, runs what it asks for and turns every outcome into one line on
/// stderr and an exit status.
@main
enum Main {
    static func main() {
        let parsed: CommandLineParser.Parsed
        do {
            parsed = try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            let failure = Failure.usage("\(error.message) (see --help)")
            Console.error(failure.message)
            // The flags did not parse, but a script that asked for JSON still gets its one object.
            if CommandLine.arguments.dropFirst().contains("--json") { Console.output(ResultJSON.failure(failure).text) }
            exit(failure.status.rawValue)
        }
        switch parsed {
        case .request(.version): Console.output(ToolVersion.description)
        case .request(.help): Console.output(HelpText.render(columns: HelpText.terminalColumns))
        case .request(.completionScript(let shell)): Console.output(CompletionScript.script(for: shell))
        case .request(.dumpHelp): Console.output(OptionsDump.json)
        case .run(let command, let secrets):
            blankInProcessList(secrets)
            exit(command.run().rawValue)
        }
        exit(0)
    }

    /// Overwrites the values of `-p`/`--password` and `-k`/`--shared-secret` in this process's
    /// argument memory, which `ps` and `/proc/PID/cmdline` show, so that they stay readable there
    /// only for the moment between start-up and parsing. The parser says where each value is.
    static func blankInProcessList(_ secrets: [CommandLineParser.SecretSpan]) {
        let argv = CommandLine.unsafeArgv
        for secret in secrets where secret.argument + 1 < Int(CommandLine.argc) {
            guard let argument = argv[secret.argument + 1] else { continue }
            let value = argument + secret.offset
            memset(value, Int32(UInt8(ascii: "*")), strlen(value))
        }
    }
}
