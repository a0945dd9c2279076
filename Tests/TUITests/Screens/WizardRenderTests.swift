import Core
import Testing
@testable import TUI

/// Every screen of the wizard at 80×24, plus other sizes and the ASCII look, against text snapshots.
@Suite("Rendering")
struct WizardRenderTests {
    @Test func accountEmpty() {
        assertSnapshot(WizardView.render(WizardDriver().state), named: "account-empty-80x24")
    }

    @Test func accountFree() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.tab)
        driver.send(.availability(userID: "@bob:example.org", .free))
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "account-free-80x24")
        #expect(screen.cursor == Position(column: 19, row: 8))
    }

    @Test func accountTakenAndInvalid() {
        var driver = WizardDriver()
        driver.type("alice")
        driver.press(.tab)
        driver.send(.availability(userID: "@alice:example.org", .taken))
        assertSnapshot(WizardView.render(driver.state), named: "account-taken-80x24")
        driver.type("Bob Smith")
        driver.press(.backTab)
        driver.type("!")
        assertSnapshot(WizardView.render(driver.state), named: "account-invalid-80x24")
    }

    @Test func passwordWeak() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type("abcdefg")
        driver.press(.tab)
        driver.type("abcdef")
        assertSnapshot(WizardView.render(driver.state), named: "password-weak-80x24")
    }

    @Test func passwordStrongAndLong() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type(String(repeating: "correct-horse-42 ", count: 5))
        driver.press(.tab)
        driver.type(String(repeating: "correct-horse-42 ", count: 5))
        assertSnapshot(WizardView.render(driver.state), named: "password-strong-80x24")
    }

    @Test func passwordGenerated() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.press(.tab, .tab, .enter)
        assertSnapshot(WizardView.render(driver.state), named: "password-generated-80x24")
    }

    @Test func passwordConfirmationQuestion() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type("abc1")
        driver.press(.tab)
        driver.type("abc1")
        driver.press(.enter)
        assertSnapshot(WizardView.render(driver.state), named: "password-question-80x24")
    }

    @Test func optionsWithAdminAndToken() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.space)
        assertSnapshot(WizardView.render(driver.state), named: "options-admin-question-80x24")
        driver.press(.character("y"), .down, .right, .down, .space, .down)
        driver.type("30")
        assertSnapshot(WizardView.render(driver.state), named: "options-admin-token-80x24")
    }

    @Test func review() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down, .down, .space)
        driver.completeOptions()
        assertSnapshot(WizardView.render(driver.state), named: "review-80x24")
    }

    @Test func progressAndResult() {
        var driver = WizardDriver()
        driver.createAccount()
        assertSnapshot(WizardView.render(driver.state), named: "working-80x24")
        driver.send(.registered(.success(WizardOutcome(
            userID: "@bob:example.org", displayName: "bob", admin: true, token: TestBackend.token,
            deviceID: "ABCDEFGHIJ", tokenExpiry: "2030-01-01 00:00 UTC"))))
        assertSnapshot(WizardView.render(driver.state), named: "done-token-80x24")
        driver.press(.character("t"))
        driver.send(.loginTested(LoginTestAnswer(.passed, "Logged in at http://127.0.0.1:8008, and out again.")))
        assertSnapshot(WizardView.render(driver.state), named: "done-login-80x24")
    }

    @Test func resultNamesTheBackup() {
        var driver = WizardDriver(prefill: WizardPrefill(backup: true))
        driver.createAccount()
        driver.send(.registered(.success(WizardOutcome(
            userID: "@bob:example.org", displayName: "bob", admin: false,
            backupPath: "/var/lib/matrix-synapse/homeserver.db.backup-20300101T000000Z"))))
        assertSnapshot(WizardView.render(driver.state), named: "done-backup-80x24")
    }

    @Test func aBackupFailureShowsBesideTheToggle() {
        var backend = TestBackend()
        backend.backupOffer = WizardBackupOffer(isDefault: true, note: "A checked copy beside the database.")
        var driver = WizardDriver(backend: backend)
        driver.createAccount()
        driver.send(.registered(.failure(WizardFailure(
            "/var/lib/matrix-synapse/homeserver.db.backup-20300101T000000Z: no space left on the filesystem holding it",
            field: .backup))))
        assertSnapshot(WizardView.render(driver.state), named: "options-backup-error-80x24")
    }

    @Test func writeFailure() {
        var driver = WizardDriver()
        driver.createAccount()
        driver.send(.registered(.failure(WizardFailure("database is locked."))))
        assertSnapshot(WizardView.render(driver.state), named: "review-failure-80x24")
    }

    @Test func anOptionErrorShowsBesideItsControl() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down, .right)
        driver.completeOptions()
        driver.press(.enter)
        driver.send(.registered(.failure(WizardFailure("Synapse does not know the user type 'bot'.", field: .userType))))
        #expect(driver.state.step == .options)
        assertSnapshot(WizardView.render(driver.state), named: "options-error-80x24")
        driver.press(.right)
        #expect(driver.state.errors[.userType] == nil)
    }

    @Test func tooSmallThenLarger() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.send(.resize(Size(columns: 60, rows: 20)))
        assertSnapshot(WizardView.render(driver.state), named: "too-small-60x20")
        driver.send(.resize(Size(columns: 100, rows: 30)))
        assertSnapshot(WizardView.render(driver.state), named: "account-100x30")
    }

    @Test func asciiLook() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type("abcdefg1")
        driver.press(.tab)
        driver.type("abcdefg1")
        assertSnapshot(WizardView.render(driver.state, ascii: true), named: "password-ascii-80x24")
        driver.press(.enter)
        assertSnapshot(WizardView.render(driver.state, ascii: true), named: "password-question-ascii-80x24")
    }

    @Test func aPasswordNeverReachesTheScreen() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword("Sekrit-Value-99")
        driver.completeOptions()
        for step in 0..<3 {
            let text = WizardView.render(driver.state).lines.joined(separator: "\n")
            #expect(!text.contains("Sekrit"), "step \(step)")
            driver.press(.escape)
        }
    }
}
