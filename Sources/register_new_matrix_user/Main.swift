import ArgumentParser
import Core
import Foundation

/// Parses the command line, runs the registration and turns every outcome into one line on
/// stderr and an exit status.
@main
enum Main {
    static func main() {
        let command: RegisterCommand
        do {
            command = try RegisterCommand.parse()
        } catch {
            let code = RegisterCommand.exitCode(for: error)
            if code == .success {
                // --help and friends: argument-parser prints them.
                RegisterCommand.exit(withError: error)
            }
            Console.error("\(RegisterCommand.message(for: error)) (see --help)")
            exit(ExitStatus.usage.rawValue)
        }
        exit(command.run().rawValue)
    }
}

/// Writes the human side of the output. stdout is reserved for what scripts capture.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    static func output(_ line: String) {
        FileHandle.standardOutput.write(Data("\(line)\n".utf8))
    }
}
