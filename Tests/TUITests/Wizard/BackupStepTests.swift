import Core
import Testing
@testable import TUI

/// The Options step's backup toggle: its default comes from the backend, the request carries it,
/// and a backup that fails sends the admin back to it with nothing written.
@Suite("Reducer: the backup before the write")
struct BackupStepTests {
    static let sqliteOffer = WizardBackupOffer(isDefault: true, note: "A checked copy beside the database.")

    @Test func theToggleStartsAsTheBackendOffersAndAsTheFlagSays() {
        var on = TestBackend()
        on.backupOffer = Self.sqliteOffer
        #expect(WizardDriver(backend: on).state.backup)
        #expect(!WizardDriver(backend: TestBackend()).state.backup)
        #expect(WizardDriver(prefill: WizardPrefill(backup: true)).state.backup, "--backup turns it on")
        #expect(!WizardDriver(backend: on, prefill: WizardPrefill(backup: false)).state.backup)
    }

    @Test func itIsTheLastOptionAndSpaceTogglesIt() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        #expect(driver.state.controls == [.admin, .userType, .issueToken, .backup])
        driver.press(.down, .down, .space)
        #expect(driver.state.controls == [.admin, .userType, .issueToken, .tokenValidity, .backup])
        driver.press(.down, .down)
        #expect(driver.state.focus == .backup)
        driver.press(.space)
        #expect(driver.state.backup)
        driver.press(.space)
        #expect(!driver.state.backup)
    }

    @Test func theRequestCarriesTheChoice() {
        var backend = TestBackend()
        backend.backupOffer = Self.sqliteOffer
        var driver = WizardDriver(backend: backend)
        driver.createAccount()
        guard case .register(let request)? = driver.takeEffects().first else {
            Issue.record("no registration")
            return
        }
        #expect(request.backup)
    }

    @Test func aFailedBackupReturnsToTheToggleWithNothingWritten() {
        var driver = WizardDriver(prefill: WizardPrefill(backup: true))
        driver.createAccount()
        driver.send(.registered(.failure(WizardFailure(
            "/var/lib/matrix-synapse/homeserver.db.backup-20300101T000000Z: no space left on the filesystem holding it",
            field: .backup))))
        #expect(driver.state.step == .options)
        #expect(driver.state.focus == .backup)
        #expect(driver.state.errors[.backup]?.contains("no space left") == true)
        #expect(driver.state.notice?.text == "Nothing was written.")
        driver.press(.space)
        #expect(driver.state.errors[.backup] == nil)
        #expect(!driver.state.backup, "turning it off is the way on without a backup")
    }
}
