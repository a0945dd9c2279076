import Foundation
import Testing
import TestSupport
@testable import register_new_matrix_user

/// `--generate-completion-script`, loaded into the real shells: bash and fish complete from a
/// script's call, as they do at a prompt (zsh needs a terminal: TUITests' ZshCompletionTests).
@Suite struct CompletionScriptTests {
    static func script(_ shell: String) throws -> String {
        let result = try Command.run(["--generate-completion-script", shell])
        #expect(result.status == 0 && result.stderr.isEmpty)
        return result.stdout
    }

    /// Runs `shell` with the completion script written to a file, given as `$1`.
    static func run(_ shell: String, _ program: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnmu-completion-\(getpid())-\(shell)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("register_new_matrix_user").path
        try script(shell).write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = shell == "fish" ? ["fish", "-c", program, file] : ["bash", "-c", program, "bash", file]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "XDG_CONFIG_HOME": directory.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(shell) exited \(process.terminationStatus)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func bash(_ words: String) throws -> String {
        try run("bash", """
            source "$1"; COMP_WORDS=(register_new_matrix_user \(words)); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _register_new_matrix_user; echo "${COMPREPLY[*]}"
            """)
    }

    /// What fish offers for `line`: the candidates alone, without their descriptions.
    static func fish(_ line: String) throws -> [String] {
        try run("fish", "source $argv[1]; complete -C'\(line)'").split(separator: "\n")
            .map { String($0.prefix { $0 != "\t" }) }
    }

    @Test func bashCompletesNamesAndWords() throws {
        #expect(try Self.bash("--pri") == "--print-token")
        #expect(try Self.bash("--format ''") == "csv jsonl")
        #expect(try Self.bash("-t s") == "support")
        #expect(try Self.bash("--user ''") == "", "a user ID is not guessed")
        #expect(Set(try Self.bash("--no-input --re").split(separator: " ")) == ["--report", "--review-accounts"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/fish")))
    func fishCompletesNamesAndWords() throws {
        #expect(try Self.fish("register_new_matrix_user --pri") == ["--print-token"])
        #expect(try Self.fish("register_new_matrix_user --format ") == ["csv", "jsonl"])
        #expect(try Self.fish("register_new_matrix_user --user-type s") == ["support"])
        #expect(try Self.fish("register_new_matrix_user -c /usr/bin/en").contains("/usr/bin/env"), "a path after -c")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func everyCompletionNamesEveryShownOption(shell: String) throws {
        let script = try Self.script(shell)
        for option in CommandLineOptions.shown {
            for long in option.longNames {
                #expect(script.contains(shell == "fish" ? "-l \(long)" : "--\(long)"), "\(shell) lacks --\(long)")
            }
        }
        #expect(!script.contains("experimental-dump-help"))
    }
}
