import Foundation
import Glibc
import Testing

/// The `wizard-demo` executable, built beside the test bundle.
enum DemoBinary {
    static let path: String = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("wizard-demo").path
    static var exists: Bool { FileManager.default.isExecutableFile(atPath: path) }
}

/// The demo binary in a real terminal (tmux): keys in, screens and exit status out, terminal sane after.
///
/// `RECORD_CAPTURES=1` also writes the screens of the first test to `assets/wizard-*.txt`.
@Suite("End to end in tmux", .serialized, .enabled(if: TmuxSession.isAvailable && DemoBinary.exists))
struct WizardTmuxTests {
    /// Runs the demo in a pane; afterwards the pane shows its exit status and the terminal's modes.
    static func session(_ arguments: String = "", environment: [String: String] = [:], prefix: String = "") throws
        -> TmuxSession
    {
        let modes = "stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' '"
        let command = "\(prefix)WIZARD_DEMO_PID_FILE=\"$E2E_PID_FILE\" \(DemoBinary.path) --fast \(arguments); "
            + "echo \"EXIT=$?\"; echo \"TTY: $(\(modes))\"; sleep 600"
        return try TmuxSession(command: command, environment: environment)
    }

    static func expectSaneTerminal(_ screen: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(screen.contains("TTY: isig icanon echo"), "terminal modes after exit:\n\(screen)",
            sourceLocation: sourceLocation)
        #expect(!screen.contains("New Matrix account"), "the wizard's screen was left behind",
            sourceLocation: sourceLocation)
    }

    static func record(_ screen: String, as name: String) {
        guard ProcessInfo.processInfo.environment["RECORD_CAPTURES"] == "1" else { return }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let trimmed = screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n")
        try? FileManager.default.createDirectory(at: root.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try? trimmed.write(to: root.appendingPathComponent("assets/wizard-\(name).txt"), atomically: true, encoding: .utf8)
    }

    // MARK: - Tests

    @Test func keysAloneCreateAnAdminWithAToken() throws {
        let tmux = try Self.session()
        Self.record(try tmux.waitFor("[1 Account]"), as: "1-account-empty")
        try tmux.type("bob")
        try tmux.press("Enter")
        Self.record(try tmux.waitFor("is free"), as: "1-account")
        try tmux.press("Enter")
        try tmux.waitFor("[2 Password]")
        try tmux.type("correct horse 42")
        try tmux.press("Tab")
        try tmux.type("correct horse 42")
        Self.record(try tmux.waitFor("✓ matches"), as: "2-password")
        try tmux.press("Enter")
        try tmux.waitFor("[3 Options]")
        try tmux.press("Space")
        Self.record(try tmux.waitFor("Make a server admin?"), as: "3-admin-question")
        try tmux.press("y", "Down", "Down", "Space", "Enter")
        try tmux.type("7")
        Self.record(try tmux.waitFor("[7"), as: "3-options")
        try tmux.press("Enter", "Enter")
        let review = try tmux.waitFor("[4 Review]")
        Self.record(review, as: "4-review")
        #expect(!review.contains("correct horse"))
        try tmux.press("Enter")
        let done = try tmux.waitFor("Created @bob:example.org (admin)")
        Self.record(done, as: "5-result")
        #expect(done.contains("syt_Ym9i_"))
        #expect(done.contains("Shown only this once"))
        try tmux.press("Enter")
        let after = try tmux.waitFor("TTY: ")
        #expect(after.contains("EXIT=0"))
        #expect(after.contains("Created @bob:example.org (admin)"))
        Self.expectSaneTerminal(after)
    }

    @Test(arguments: ["account", "password", "review"])
    func cancellingLeavesNothingWritten(at step: String) throws {
        let tmux = try Self.session("-u carol -p 'correct horse 42'")
        try tmux.waitFor("[1 Account]")
        switch step {
        case "account":
            try tmux.press("Escape")
        case "password":
            try tmux.press("Enter", "Enter")
            try tmux.waitFor("[2 Password]")
            try tmux.press("C-c")
        default:
            try tmux.press("Enter", "Enter")
            try tmux.waitFor("[2 Password]")
            try tmux.press("Enter", "Enter")
            try tmux.waitFor("[3 Options]")
            try tmux.press("Enter", "Enter", "Enter", "Enter")
            try tmux.waitFor("[4 Review]")
            try tmux.press("C-c")
        }
        let after = try tmux.waitFor("TTY: ")
        #expect(after.contains("Cancelled: nothing was written."))
        #expect(after.contains("EXIT=1"))
        Self.expectSaneTerminal(after)
    }

    @Test(arguments: [(SIGTERM, "EXIT=143"), (SIGHUP, "EXIT=129")])
    func signalsRestoreTheTerminal(_ signal: Int32, _ status: String) throws {
        let tmux = try Self.session()
        try tmux.waitFor("[1 Account]")
        try tmux.type("bob")
        try tmux.waitFor("[bob")
        kill(try tmux.commandPID(), signal)
        let after = try tmux.waitFor("TTY: ")
        #expect(after.contains(status))
        #expect(after.contains("nothing was written"))
        Self.expectSaneTerminal(after)
    }

    @Test func aResizeMidFormRedrawsAndKeepsTheValues() throws {
        let tmux = try Self.session()
        try tmux.waitFor("[1 Account]")
        try tmux.type("bob")
        try tmux.waitFor("[bob")
        try tmux.resize(columns: 60, rows: 20)
        Self.record(try tmux.waitFor("The terminal is 60x20."), as: "too-small")
        try tmux.resize(columns: 80, rows: 24)
        let restored = try tmux.waitFor("[1 Account]")
        #expect(restored.contains("[bob"))
        try tmux.press("Escape")
        try tmux.waitFor("Leave the form?")
        try tmux.press("y")
        Self.expectSaneTerminal(try tmux.waitFor("TTY: "))
    }

    @Test func aCLocaleGivesTheASCIILook() throws {
        let tmux = try Self.session("-u bob", environment: ["LANG": "C", "LC_ALL": "C"])
        try tmux.waitFor("[1 Account]")
        try tmux.press("Enter", "Enter")
        try tmux.waitFor("[2 Password]")
        try tmux.type("abc")
        let screen = try tmux.waitFor("[***")
        Self.record(screen, as: "ascii")
        #expect(screen.contains("-----"))
        #expect(screen.contains("> [2 Password] >"))
        #expect(!screen.contains("─"))
        #expect(!screen.contains("•"))
        try tmux.press("C-c")
        Self.expectSaneTerminal(try tmux.waitFor("TTY: "))
    }

    /// `swift test` itself sets `NO_COLOR=1`, which the pane inherits; an empty value counts as unset.
    @Test(arguments: [false, true])
    func colourUnlessNoColor(_ noColor: Bool) throws {
        let tmux = try Self.session("-u alice", environment: ["NO_COLOR": noColor ? "1" : ""])
        try tmux.press("Tab")
        try tmux.waitFor("already taken")
        let screen = try tmux.capture(escapes: true)
        let foreground = ["\u{1B}[31m", "\u{1B}[36m", "\u{1B}[32m", "\u{1B}[33m"]
        #expect(foreground.contains { screen.contains($0) } == !noColor)
        #expect(screen.contains("\u{1B}[1m"))
        try tmux.press("C-c")
        Self.expectSaneTerminal(try tmux.waitFor("TTY: "))
    }

    @Test func anUnknownTermGetsAMessage() throws {
        let tmux = try Self.session(prefix: "TERM=bogus-term ")
        let after = try tmux.waitFor("TTY: ")
        #expect(after.contains("the terminal type 'bogus-term' is unknown"))
        #expect(after.contains("EXIT=2"))
    }
}
