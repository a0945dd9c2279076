import Core
import Foundation
import TestSupport
import Testing

/// The form's audit line, read from a syslog socket the real binary sees at `/dev/log` while
/// it runs in tmux.
@Suite("The form's audit trail", .serialized, .enabled(if: TmuxSession.isAvailable))
struct RealWizardAuditTests {
    @Test func anAccountMadeInTheFormIsLoggedOnce() throws {
        guard let server = try RealWizardTmuxTests.server(),
            let syslog = try SyslogSandbox.make(in: server.directory)
        else { return }
        let command = syslog.shellCommand(["-c", server.config, "-u", "erin"], environment: ["SUDO_USER": "ops"])
        let tmux = try TmuxSession(command: command + "; echo \"EXIT=$?\"; sleep 600")
        try tmux.waitFor("[1 Account]")
        try tmux.press("Enter")
        try tmux.waitFor("is free")
        try tmux.press("Enter")
        try RealWizardTmuxTests.enterPassword(in: tmux)
        try tmux.waitFor("[3 Options]")
        _ = try RealWizardTmuxTests.pressEnter(until: "[4 Review]", in: tmux)
        try tmux.press("Enter")
        try tmux.waitFor("Created @erin")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("EXIT=").contains("EXIT=0"))

        let lines = syslog.received()
        try #require(lines.count == 1, "\(lines)")
        let userID = "@erin:\(SynapseFixtures.serverName)"
        #expect(lines[0].hasPrefix("<86>"))
        #expect(lines[0].contains("]: created user=\(userID) admin=no user_type=- mode=form database="))
        #expect(lines[0].contains(" sudo_user=ops outcome=created"))
        let hash = try server.database.connect()
            .queryOne("SELECT password_hash FROM users WHERE name = ?", [.text(userID)])?[0].text ?? ""
        #expect(!hash.isEmpty && !lines[0].contains(hash))
        #expect(!lines[0].contains(RealWizardTmuxTests.password))
    }

    @Test func anAccountMadeAtThePromptsIsLoggedWithItsMode() throws {
        guard let server = try RealWizardTmuxTests.server(),
            let syslog = try SyslogSandbox.make(in: server.directory)
        else { return }
        let command = syslog.shellCommand(["--prompt", "-c", server.config, "-u", "gina", "--no-admin"])
        let tmux = try TmuxSession(command: command + "; echo \"EXIT=$?\"; sleep 600")
        try tmux.waitFor("Display name [gina]:")
        try tmux.press("Enter")
        try tmux.waitFor("Password:")
        try tmux.type(RealWizardTmuxTests.password)
        try tmux.press("Enter")
        try tmux.waitFor("Confirm password:")
        try tmux.type(RealWizardTmuxTests.password)
        try tmux.press("Enter")
        try tmux.waitFor("Create this account? [y/N]:")
        try tmux.type("y")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("EXIT=", timeout: .seconds(30)).contains("EXIT=0"))

        let lines = syslog.received()
        try #require(lines.count == 1, "\(lines)")
        #expect(lines[0].contains("]: created user=@gina:\(SynapseFixtures.serverName) admin=no user_type=- mode=prompt database="))
        #expect(!lines[0].contains(RealWizardTmuxTests.password))
    }
}
