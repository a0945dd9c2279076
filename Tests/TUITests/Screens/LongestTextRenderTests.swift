import Core
import Testing
@testable import TUI

/// The longest text each place of the form can show, at 80×24: every word of it on screen.
///
/// Each test renders a state whose message is as long as Core makes it, records the snapshot,
/// and checks that the message can be read whole on the screen, wrapped but not cut.
@Suite("Rendering: the longest texts at 80x24")
struct LongestTextRenderTests {
    /// A backend whose user IDs and passwords are judged by Core, as the tool's form judges them.
    static func realBackend(minimumScore: Int? = nil) -> TestBackend {
        var backend = TestBackend()
        backend.realUserIDRules = UserIDRules(serverName: backend.serverName)
        let policy = PasswordPolicy(
            enabled: true, minimumLength: 12, requireDigit: true, requireSymbol: true, requireUppercase: true,
            requireLowercase: true)
        backend.passwordRequirements = PasswordRequirements(policy: policy, ignoresPolicy: true, minimumScore: minimumScore)
        backend.realJudge = PasswordJudge(requirements: backend.passwordRequirements)
        return backend
    }

    @Test func aUserIDErrorKeepsItsReason() {
        var driver = WizardDriver(backend: Self.realBackend())
        driver.type("bob smith")
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "account-space-80x24")
        expectShown("User ID can only contain characters a-z, 0-9, or '=_-./+' (found a space)", on: screen)
    }

    @Test func aUserIDTooLongSaysWhatTheLimitCounts() throws {
        var driver = WizardDriver(backend: Self.realBackend())
        driver.type(String(repeating: "a", count: 250))
        guard case .invalid(let message)? = driver.state.userIDValidation else {
            Issue.record("a 263-character user ID was accepted")
            return
        }
        #expect(message == "User ID is 263 characters, over Synapse's limit of 255, which counts '@' and ':example.org': the localpart may have at most 242 (it has 250)")
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "account-too-long-80x24")
        expectShown(message, on: screen)
    }

    @Test func aDisplayNameOverTheLimitIsAnErrorBesideIt() {
        var driver = WizardDriver(backend: Self.realBackend())
        driver.type("bob")
        driver.press(.tab)
        driver.type(String(repeating: "n", count: 300))
        #expect(driver.state.displayName.text.count == 300, "nothing is cut silently")
        #expect(driver.state.errors[.displayName] == "300 characters, over the 256 allowed.")
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "account-long-name-80x24")
        expectShown("300 characters, over the 256 allowed.", on: screen)
        driver.press(.enter)
        #expect(driver.state.step == .account, "the form does not go on with it")
        #expect(driver.state.focus == .displayName)
    }

    @Test func theStrengthWarningAndRefusalKeepTheirEnds() {
        var driver = WizardDriver(backend: Self.realBackend(minimumScore: 4))
        driver.completeAccount()
        driver.type("abcabcabcabc")
        driver.press(.tab)
        driver.type("abcabcabcabc")
        driver.press(.enter)
        #expect(driver.state.confirmation == nil, "--min-strength refuses; it never asks")
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "password-longest-80x24")
        let strength = driver.state.currentAnalysis?.strength
        expectShown(driver.state.errors[.password] ?? "(no refusal)", on: screen)
        expectShown(strength?.guessing ?? "(no estimate)", on: screen)
        expectShown(strength?.warning ?? "(no warning)", on: screen)
        for check in driver.state.policyChecks { expectShown(check.rule, on: screen) }
    }

    @Test func aTokenLifetimeErrorNamesEveryForm() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down, .down, .space, .down)
        driver.type("-5")
        driver.press(.enter, .enter)
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "options-token-error-80x24")
        expectShown("Enter \(SynapseDuration.tokenValidityForms); or leave it empty.", on: screen)
    }

    @Test func theReviewShowsThePostgresHostAndPort() {
        var backend = TestBackend()
        backend.databaseDescription = DatabaseLocation.postgres(.keywords([
            .init("dbname", "synapse"), .init("host", "db-primary.internal.example.org"),
            .init("port", "5432"), .init("user", "synapse_user"),
        ])).description
        var driver = WizardDriver(backend: backend)
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down, .down, .space)
        driver.completeOptions()
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "review-postgres-80x24")
        expectShown(backend.databaseDescription, on: screen)
    }

    @Test func aLongNoticeWraps() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.tab)
        let message = "could not connect to server: Connection refused; is the server running on host "
            + "\"db-primary.internal.example.org\" and accepting TCP/IP connections on port 5432?"
        driver.send(.availability(userID: "@bob:example.org", .unknown(message)))
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "account-notice-80x24")
        expectShown("Could not check availability: " + message, on: screen)
    }

    @Test func theResultShowsTheDeviceID() {
        var driver = WizardDriver()
        driver.createAccount()
        driver.send(.registered(.success(WizardOutcome(
            userID: "@bob:example.org", displayName: "bob", admin: false, token: TestBackend.token,
            deviceID: "QWERTYUIOP", tokenExpiry: "2030-01-01 00:00 UTC"))))
        let screen = WizardView.render(driver.state)
        expectShown("Device ID QWERTYUIOP", on: screen)
    }

    @Test func escapeOnTheFirstStepAsksFirst() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.escape)
        let screen = WizardView.render(driver.state)
        assertSnapshot(screen, named: "account-leave-question-80x24")
        expectShown("What was typed is thrown away, and no account is created.", on: screen)
    }
}

/// Checks that `text` can be read on the screen: its words appear in order, line breaks and
/// indentation aside.
func expectShown(_ text: String, on screen: Screen, sourceLocation: SourceLocation = #_sourceLocation) {
    let words = { (text: String) in
        text.split(whereSeparator: { $0.isWhitespace || $0 == "│" || $0 == "|" }).joined(separator: " ")
    }
    // Each row without the labels' column, so that a wrapped value reads on as one text; a
    // dialog's frame is not part of its text.
    let shown = words(screen.lines.map { line in
        line.count > Layout.valueColumn && line.prefix(Layout.valueColumn).allSatisfy(\.isWhitespace)
            ? String(line.dropFirst(Layout.valueColumn)) : line
    }.joined(separator: " "))
    #expect(shown.contains(words(text)), "not shown whole: \(text)\n\(screen.lines.joined(separator: "\n"))",
        sourceLocation: sourceLocation)
}
