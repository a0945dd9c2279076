import Foundation
import Testing
import TestSupport

/// The zsh completion in an interactive zsh in tmux, as an admin presses Tab: zsh completes only
/// at a terminal prompt, through compinit.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh")))
struct ZshCompletionTests {
    @Test func tabCompletesOptionsWordsAndPaths() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("rnmu-zsh-\(getpid())").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let script = try Command.run(["--generate-completion-script", "zsh"])
        #expect(script.status == 0)
        try script.stdout.write(toFile: home + "/_register_new_matrix_user", atomically: true, encoding: .utf8)
        try """
            fpath=(\(home) $fpath)
            autoload -U compinit && compinit -u -d \(home)/.zcompdump
            register_new_matrix_user() { :; }
            PS1='ready> '
            """.write(toFile: home + "/.zshrc", atomically: true, encoding: .utf8)
        try "".write(toFile: home + "/homeserver.yaml", atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: "ZDOTDIR=\(home) zsh -i", columns: 120, rows: 20)
        try session.waitFor("ready>")
        try session.type("register_new_matrix_user --pri")
        try session.press("Tab")
        try session.waitFor("--print-token")
        try session.type(" --format j")
        try session.press("Tab")
        try session.waitFor("--format jsonl")
        try session.type(" -c \(home)/homeserver.y")
        try session.press("Tab")
        try session.waitFor("\(home)/homeserver.yaml")
    }
}
