import Core
import Foundation
import Glibc
import TestSupport
import Testing

/// The real `register_new_matrix_user` in tmux, writing into a copy of a database Synapse made.
@Suite("The real binary in tmux", .serialized, .enabled(if: TmuxSession.isAvailable))
struct RealWizardTmuxTests {
    static let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("register_new_matrix_user").path

    /// A fixture copy and its config, or nil (a failure in CI) without the fixture.
    static func server() throws -> (database: FixtureDatabase, config: String, directory: TemporaryDirectory)? {
        guard SynapseFixtures.available(.sqlite) else {
            if SynapseFixtures.isCI { Issue.record("SQLite fixture missing in CI") }
            return nil
        }
        let database = try FixtureDatabase(.sqlite)
        guard case .sqlite(let path) = database.location else { return nil }
        let directory = TemporaryDirectory()
        let config = directory.write("homeserver.yaml", """
            server_name: \(SynapseFixtures.serverName)
            database: {name: sqlite3, args: {database: \(path)}}
            bcrypt_rounds: 4
            """)
        return (database, config, directory)
    }

    /// Runs the tool with `arguments` in a pane; the pane then shows its exit status and terminal modes.
    static func session(_ arguments: String, environment: [String: String] = [:]) throws -> TmuxSession {
        let modes = "stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' '"
        return try TmuxSession(
            command: "\(binary) \(arguments); echo \"EXIT=$?\"; echo \"TTY: $(\(modes))\"; sleep 600",
            environment: environment)
    }

    static let password = "plum orchard 1987 lantern"

    /// Types the password and its confirmation on the password step, then moves on.
    static func enterPassword(in tmux: TmuxSession) throws {
        try tmux.waitFor("[2 Password]")
        try tmux.type(password)
        try tmux.press("Tab")
        try tmux.type(password)
        try tmux.waitFor("✓ matches")
        try tmux.press("Enter")
    }

    /// Enter moves field by field and on to the next step after the last one.
    static func pressEnter(until text: String, in tmux: TmuxSession) throws -> String {
        for _ in 0..<6 {
            try tmux.press("Enter")
            if let screen = try? tmux.waitFor(text, timeout: .milliseconds(500)) { return screen }
        }
        return try tmux.waitFor(text)
    }

    @Test func keysAloneCreateAnAccountWithTheTypedPassword() throws {
        guard let server = try Self.server() else { return }
        let tmux = try Self.session("-c \(server.config)")
        try tmux.waitFor("[1 Account]")
        try tmux.type("carol")
        try tmux.press("Enter")
        try tmux.waitFor("is free")
        try tmux.type("Carol Jones")
        try tmux.press("Enter")
        try Self.enterPassword(in: tmux)
        try tmux.waitFor("[3 Options]")
        let review = try Self.pressEnter(until: "[4 Review]", in: tmux)
        #expect(review.contains("@carol:\(SynapseFixtures.serverName)"))
        #expect(!review.contains(Self.password))
        // On SQLite the form backs the database up first unless told not to.
        #expect(review.contains("Backup         made first"))
        try tmux.press("Enter")
        let done = try tmux.waitFor("Created @carol")
        try tmux.press("Enter")
        let after = try tmux.waitFor("TTY: ")
        #expect(after.contains("EXIT=0"))
        #expect(after.contains("TTY: isig icanon echo"))

        guard case .sqlite(let path) = server.database.location else { return }
        let folder = (path as NSString).deletingLastPathComponent
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".backup-") }
        #expect(backups.count == 1)
        if let backup = backups.first {
            #expect(done.replacingOccurrences(of: "\n", with: "").contains(".backup-"), "the result screen names the backup")
            // The pane wraps the note at 80 columns.
            #expect(after.replacingOccurrences(of: "\n", with: "").contains("Backed up the database to \(folder)/\(backup)"))
            let copy = try SQLiteConnection(path: folder + "/" + backup)
            #expect(try copy.query("SELECT name FROM users WHERE name = ?", [.text("@carol:\(SynapseFixtures.serverName)")]).isEmpty,
                    "the copy is the database before the write")
        }

        let row = try server.database.connect().queryOne(
            "SELECT u.password_hash, p.displayname FROM users u JOIN profiles p ON p.full_user_id = u.name WHERE u.name = ?",
            [.text("@carol:\(SynapseFixtures.serverName)")])
        #expect(row?[1].text == "Carol Jones")
        #expect(PasswordHasher(rounds: 4, pepper: Secret("")).verify(Secret(Self.password), against: row?[0].text ?? ""))
    }

    @Test func aTokenLifetimeInHoursAndItsDeviceAreWrittenAndShown() throws {
        guard let server = try Self.server() else { return }
        let tmux = try Self.session("-c \(server.config) -u erin")
        try tmux.waitFor("[1 Account]")
        try tmux.press("Enter")
        try tmux.waitFor("is free")
        try tmux.press("Enter")
        try Self.enterPassword(in: tmux)
        try tmux.waitFor("[3 Options]")
        try tmux.press("Down", "Down", "Space", "Down")
        try tmux.type("12h")
        let review = try Self.pressEnter(until: "[4 Review]", in: tmux)
        #expect(review.contains("issued now, valid for 12h"))
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        try tmux.press("Enter")
        let done = try tmux.waitFor("Created @erin")
        let row = try server.database.connect().queryOne(
            "SELECT device_id, valid_until_ms FROM access_tokens WHERE user_id = ?",
            [.text("@erin:\(SynapseFixtures.serverName)")])
        let device = try #require(row?[0].text)
        #expect(done.contains("Device ID      \(device)"), "the result screen names the token's device")
        let expiry = try #require(row?[1].integer)
        #expect(abs(expiry - started - 12 * 3_600_000) < 60_000, "valid for twelve hours, as --token-validity 12h")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("TTY: ").contains("EXIT=0"))
    }

    @Test func minStrengthRefusesInTheFormAsInFlagMode() throws {
        guard let server = try Self.server() else { return }
        let before = try server.database.snapshot()
        let tmux = try Self.session("-c \(server.config) -u frank --min-strength 4")
        try tmux.waitFor("[1 Account]")
        try tmux.press("Enter")
        try tmux.waitFor("is free")
        try tmux.press("Enter")
        try tmux.waitFor("[2 Password]")
        try tmux.type("frank2024")
        try tmux.press("Tab")
        try tmux.type("frank2024")
        try tmux.waitFor("✓ matches")
        try tmux.press("Enter")
        let refused = try tmux.waitFor("is below the 4/4")
        // The message wraps at 80 columns: compare it without line breaks and indentation.
        let squeezed = refused.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(squeezed.contains("is below the 4/4 (strong) this server requires."))
        #expect(!refused.contains("Use it anyway"))
        #expect(refused.contains("[2 Password]"))
        try tmux.press("C-c")
        #expect(try tmux.waitFor("TTY: ").contains("EXIT=130"))
        #expect(try server.database.snapshot() == before)
    }

    @Test(arguments: [
        ("Esc on the first step", ["Escape"], "[1 Account]"),
        ("Ctrl-C on the options step", ["C-c"], "[3 Options]"),
    ])
    func cancellingWritesNothing(_ name: String, _ keys: [String], _ step: String) throws {
        guard let server = try Self.server() else { return }
        let before = try server.database.snapshot()
        // A user ID but no password: the form opens with the ID filled in.
        let tmux = try Self.session("-c \(server.config) -u dave")
        try tmux.waitFor("[1 Account]")
        if step == "[3 Options]" {
            try tmux.press("Enter")
            try tmux.waitFor("is free")
            try tmux.press("Enter")
            try Self.enterPassword(in: tmux)
            try tmux.waitFor(step)
        }
        for key in keys { try tmux.press(key) }
        let after = try tmux.waitFor("TTY: ")
        #expect(after.contains("EXIT=130"), "\(name):\n\(after)")
        #expect(after.contains("nothing was written"))
        #expect(after.contains("TTY: isig icanon echo"))
        #expect(try server.database.snapshot() == before)
    }

    @Test func aBulkReportWithSecretsNeverGoesToTheTerminal() throws {
        guard let server = try Self.server() else { return }
        let file = server.directory.write("users.csv", "id\ngen1\ngen2\n")
        let before = try server.database.snapshot()
        let tmux = try Self.session("-c \(server.config) --from-file \(file)")
        // The pane is 80 columns wide: the message wraps, so compare without spaces and line breaks.
        func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }
        let screen = squeezed(try tmux.waitFor("EXIT="))
        #expect(screen.contains(squeezed("error: the report holds generated passwords or tokens, which would stay on this terminal; redirect stdout or pass --report FILE")))
        #expect(screen.contains("EXIT=64"))
        #expect(try server.database.snapshot() == before)
    }
}
