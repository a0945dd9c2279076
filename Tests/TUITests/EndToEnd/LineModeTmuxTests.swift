import Core
import Foundation
import Glibc
import TestSupport
import Testing

/// The real binary's line-by-line prompts in tmux, on each console the form cannot serve,
/// writing into a copy of a database Synapse made.
@Suite("The line-by-line prompts in tmux", .serialized, .enabled(if: TmuxSession.isAvailable))
struct LineModeTmuxTests {
    /// A console and what it is: the variables before the command, the flags, the window.
    struct Console: CustomTestStringConvertible, Sendable {
        var name: String
        var environment: String
        var flags: String
        var columns = 80
        var rows = 24
        /// What the first line says, if anything.
        var note: String?

        var testDescription: String { name }
    }

    static let consoles = [
        Console(name: "TERM=dumb", environment: "TERM=dumb", flags: "", note: "The terminal type 'dumb' cannot move the cursor"),
        Console(name: "an unknown TERM", environment: "TERM=vt9000-unknown", flags: "",
                note: "The terminal type 'vt9000-unknown' is unknown (no terminfo entry)"),
        Console(name: "a 60x20 window", environment: "", flags: "", columns: 60, rows: 20,
                note: "The window is 60x20, smaller than the form's 80x24"),
        Console(name: "--prompt", environment: "", flags: "--prompt", note: nil),
    ]

    static func session(_ console: Console, _ arguments: String) throws -> TmuxSession {
        let modes = "stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' '"
        return try TmuxSession(
            command: "\(console.environment) \(RealWizardTmuxTests.binary) \(console.flags) \(arguments); "
                + "echo \"EXIT=$?\"; echo \"TTY: $(\(modes))\"; sleep 600",
            columns: console.columns, rows: console.rows)
    }

    /// Every printable character the pane shows, as one string: lines wrap at the window's edge.
    static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    @Test(arguments: consoles)
    func keysAloneCreateAnAccountWithTheTypedPassword(_ console: Console) throws {
        guard let server = try RealWizardTmuxTests.server() else { return }
        let password = RealWizardTmuxTests.password
        let tmux = try Self.session(console, "-c \(server.config) --no-audit")
        let first = try tmux.waitFor("User ID (")
        if let note = console.note {
            #expect(Self.squeezed(first).contains(Self.squeezed(note)), "\(console.name):\n\(first)")
        }
        #expect(!first.contains("[1 Account]"), "the form did not open")
        try tmux.type("erin")
        try tmux.press("Enter")
        try tmux.waitFor("Display name [erin]:")
        try tmux.type("Erin Example")
        try tmux.press("Enter")
        try tmux.waitFor("Password:")
        try tmux.type(password)
        try tmux.press("Enter")
        try tmux.waitFor("Confirm password:")
        try tmux.type(password)
        try tmux.press("Enter")
        let judged = try tmux.waitFor("Make admin [no]:")
        #expect(judged.contains("Strength: "))
        #expect(judged.contains("From a stolen bcrypt hash: "))
        try tmux.press("Enter")
        let review = try tmux.waitFor("Create this account? [y/N]:")
        #expect(Self.squeezed(review).contains(Self.squeezed("User ID: @erin:\(SynapseFixtures.serverName) (free)")))
        try tmux.type("y")
        try tmux.press("Enter")
        let after = try tmux.waitFor("TTY: ", timeout: .seconds(30))
        #expect(after.contains("EXIT=0"), "\(console.name):\n\(after)")
        #expect(after.contains("TTY: isig icanon echo"))
        #expect(Self.squeezed(after).contains(Self.squeezed("Created @erin:\(SynapseFixtures.serverName).")))
        #expect(!after.contains(password), "the password was never shown")
        let screen = try tmux.capture(escapes: true)
        #expect(!screen.contains("\u{1B}"), "no escape sequence reached the pane")

        let row = try server.database.connect().queryOne(
            "SELECT u.password_hash, p.displayname FROM users u JOIN profiles p ON p.full_user_id = u.name WHERE u.name = ?",
            [.text("@erin:\(SynapseFixtures.serverName)")])
        #expect(row?[1].text == "Erin Example")
        #expect(PasswordHasher(rounds: 4, pepper: Secret("")).verify(Secret(password), against: row?[0].text ?? ""))
    }

    @Test(arguments: consoles)
    func ctrlCAtThePasswordWritesNothingAndGivesEchoBack(_ console: Console) throws {
        guard let server = try RealWizardTmuxTests.server() else { return }
        let before = try server.database.snapshot()
        let tmux = try Self.session(console, "-c \(server.config) --no-audit -u frank")
        try tmux.waitFor("Display name [frank]:")
        try tmux.press("Enter")
        try tmux.waitFor("Password:")
        // Half a password, then Ctrl-C while echo is off.
        try tmux.type("half a pass")
        try tmux.press("C-c")
        let after = try tmux.waitFor("TTY: ")
        #expect(after.contains("EXIT=130"), "\(console.name):\n\(after)")
        #expect(after.contains("Cancelled; nothing was written."))
        #expect(after.contains("TTY: isig icanon echo"), "echo is back on")
        #expect(!after.contains("half a pass"))
        #expect(try server.database.snapshot() == before)
    }

    @Test func promptNeedsATerminalOnStdin() throws {
        guard let server = try RealWizardTmuxTests.server() else { return }
        let tmux = try TmuxSession(
            command: "\(RealWizardTmuxTests.binary) --prompt -c \(server.config) < /dev/null; echo \"EXIT=$?\"; sleep 600")
        let screen = Self.squeezed(try tmux.waitFor("EXIT="))
        #expect(screen.contains(Self.squeezed("error: --prompt reads the answers from a terminal, and stdin is not one")))
        #expect(screen.contains("EXIT=64"))
    }

    @Test func aRedirectedStdoutGetsThePromptsOnStderrAndKeepsStdoutEmpty() throws {
        guard let server = try RealWizardTmuxTests.server() else { return }
        let output = server.directory.path + "/stdout.txt"
        let tmux = try TmuxSession(
            command: "\(RealWizardTmuxTests.binary) -c \(server.config) --no-audit -u hank > \(output); "
                + "echo \"EXIT=$?\"; sleep 600")
        let first = try tmux.waitFor("Display name [hank]:")
        #expect(first.contains("Standard output is not a terminal: asking line by line on standard error."))
        try tmux.press("C-c")
        #expect(try tmux.waitFor("EXIT=").contains("EXIT=130"))
        #expect(try String(contentsOfFile: output, encoding: .utf8).isEmpty)
    }
}
