import Core
import Glibc
import Testing
@testable import TUI

@Suite("Reducer: account step")
struct AccountStepTests {
    @Test func typingValidatesEveryKeystroke() {
        var driver = WizardDriver()
        driver.type("Bob")
        #expect(driver.state.userID.text == "Bob")
        #expect(driver.state.userIDValidation == .valid("@bob:example.org"))
        #expect(driver.state.localpart == "bob")
        driver.type("!")
        #expect(driver.state.userIDValidation == .invalid("Use only a-z, 0-9 and . _ = - / +."))
        #expect(driver.takeEffects().isEmpty)
    }

    @Test func leavingTheFieldChecksAvailabilityOnce() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.tab)
        #expect(driver.state.focus == .displayName)
        #expect(driver.takeEffects() == [.checkAvailability("@bob:example.org")])
        #expect(driver.state.availability == .checking("@bob:example.org"))
        driver.press(.backTab, .tab)
        #expect(driver.takeEffects().isEmpty)
        driver.send(.availability(userID: "@bob:example.org", .free))
        #expect(driver.state.availability == .free("@bob:example.org"))
    }

    @Test func enterWaitsForTheCheckThenMovesOn() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.enter, .enter)
        #expect(driver.state.step == .account)
        #expect(driver.state.advanceWhenAvailable)
        #expect(driver.takeEffects() == [.checkAvailability("@bob:example.org")])
        driver.send(.availability(userID: "@bob:example.org", .free))
        #expect(driver.state.step == .password)
        #expect(driver.state.focus == .password)
    }

    @Test func aTakenIDStaysWithAnErrorBesideTheField() {
        var driver = WizardDriver()
        driver.type("alice")
        driver.press(.enter, .enter)
        driver.send(.availability(userID: "@alice:example.org", .taken))
        #expect(driver.state.step == .account)
        #expect(driver.state.focus == .userID)
        #expect(driver.state.errors[.userID] == "@alice:example.org is already taken.")
        driver.press(.backspace)
        #expect(driver.state.errors[.userID] == nil)
        #expect(driver.state.availability == .unknown)
    }

    @Test func anUnansweredCheckDoesNotBlock() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.enter, .enter)
        driver.send(.availability(userID: "@bob:example.org", .unknown("database is locked")))
        #expect(driver.state.step == .password)
        #expect(driver.state.notice == .init("Could not check availability: database is locked", tone: .error))
    }

    /// A backend that can only know at Create (registration through Synapse) says so beside the
    /// field, without the error notice an unanswered check gets, and does not block.
    @Test func availabilityKnownOnlyAtCreateIsSaidAndDoesNotBlock() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.enter, .enter)
        driver.send(.availability(userID: "@bob:example.org", .atCreate("Synapse")))
        #expect(driver.state.step == .password)
        #expect(driver.state.availability == .atCreate("@bob:example.org", by: "Synapse"))
        #expect(driver.state.notice == nil)
    }

    @Test func staleAnswersAreIgnored() {
        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.tab)
        driver.press(.backTab, .backspace)
        driver.send(.availability(userID: "@bob:example.org", .taken))
        #expect(driver.state.availability == .unknown)
        driver.send(.userIDValidated(input: "bob", .valid("@bob:example.org")))
        #expect(driver.state.userIDValidation == .valid("@bo:example.org"))
    }

    @Test func anEmptyIDCannotGoOn() {
        var driver = WizardDriver()
        driver.press(.tab, .enter)
        #expect(driver.state.step == .account)
        #expect(driver.state.errors[.userID] == "Enter a user ID.")
    }

    @Test func theDisplayNameDefaultsToTheLocalpart() {
        var driver = WizardDriver()
        driver.type("Bob")
        #expect(driver.state.effectiveDisplayName == "bob")
        driver.press(.tab)
        driver.type("Bob Smith")
        #expect(driver.state.effectiveDisplayName == "Bob Smith")
    }
}

@Suite("Reducer: password step")
struct PasswordStepTests {
    @Test func theMeterFollowsEveryKeystroke() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type("abcd")
        #expect(driver.state.currentAnalysis?.strength?.score == 1)
        driver.type("efgh")
        #expect(driver.state.currentAnalysis?.strength?.score == 2)
        #expect(driver.state.currentAnalysis?.account == PasswordAccount(localpart: "bob", serverName: "example.org"))
    }

    @Test func mismatchedPasswordsStayWithAnError() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type("correct-horse-42")
        driver.press(.tab)
        driver.type("correct-horse-43")
        #expect(!driver.state.passwordsMatch)
        driver.press(.enter)
        #expect(driver.state.step == .password)
        #expect(driver.state.focus == .confirmation)
        #expect(driver.state.errors[.confirmation] == "The passwords do not match.")
    }

    @Test func aWeakPasswordNeedsASecondConfirmation() throws {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type("abc1")
        driver.press(.tab)
        driver.type("abc1")
        driver.press(.enter)
        let question = try #require(driver.state.confirmation)
        #expect(question.kind == .acceptPassword(weak: true, failsPolicy: true))
        #expect(!question.yesSelected)
        driver.press(.enter)
        #expect(driver.state.confirmation == nil)
        #expect(driver.state.step == .password)
        #expect(driver.state.focus == .password)

        driver.press(.tab, .enter, .character("y"))
        #expect(driver.state.step == .options)
        #expect(driver.state.acceptedPassword == Secret("abc1"))
        driver.press(.escape, .tab, .enter)
        #expect(driver.state.confirmation == nil)
        #expect(driver.state.step == .options)
    }

    @Test func aPolicyWithoutOverrideBlocks() {
        var backend = TestBackend()
        backend.passwordRequirements.ignoresPolicy = false
        var driver = WizardDriver(backend: backend)
        driver.completeAccount()
        driver.type("no-digits-here-at-all")
        driver.press(.tab)
        driver.type("no-digits-here-at-all")
        driver.press(.enter)
        #expect(driver.state.confirmation == nil)
        #expect(driver.state.errors[.password] == "The password does not meet the server's policy.")
        #expect(driver.state.step == .password)
    }

    @Test func belowTheMinimumScoreIsRefusedNotConfirmed() {
        var backend = TestBackend()
        backend.passwordRequirements.minimumScore = 4
        var driver = WizardDriver(backend: backend)
        driver.completeAccount()
        driver.type("digits-12345")  // 12 characters: 3/4 in the test backend, passes the policy
        driver.press(.tab)
        driver.type("digits-12345")
        driver.press(.enter)
        #expect(driver.state.confirmation == nil)
        #expect(driver.state.errors[.password] == "Strength 3/4 (good) is below the 4/4 (strong) this server requires.")
        #expect(driver.state.step == .password)
    }

    @Test func aStrongPasswordGoesStraightOn() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        #expect(driver.state.step == .options)
        #expect(driver.state.focus == .admin)
    }

    @Test func aGeneratedPasswordIsShownOnce() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.press(.tab, .tab, .enter)
        #expect(driver.state.password.text == TestBackend.generated.revealed)
        #expect(driver.state.passwordConfirmation.text == TestBackend.generated.revealed)
        #expect(driver.state.revealedPassword == TestBackend.generated)
        #expect(driver.state.focus == .confirmation)
        driver.press(.enter)
        #expect(driver.state.step == .options)
        #expect(driver.state.revealedPassword == nil)
    }

    @Test func editingHidesTheGeneratedPassword() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.press(.tab, .tab, .space)
        #expect(driver.state.revealedPassword != nil)
        driver.press(.backspace)
        #expect(driver.state.revealedPassword == nil)
    }

    @Test func theSeventyTwoByteNoteFollowsTheLength() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.type(String(repeating: "é", count: 36))
        #expect(driver.state.currentAnalysis?.exceeds72Bytes == false)
        driver.type("x")
        #expect(driver.state.currentAnalysis?.exceeds72Bytes == true)
    }
}

@Suite("Reducer: options, review and the write")
struct OptionsStepTests {
    @Test func adminNeedsAConfirmationOnlyToTurnOn() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.space)
        #expect(driver.state.confirmation?.kind == .makeAdmin)
        driver.press(.enter)
        #expect(!driver.state.admin)
        driver.press(.space, .right, .enter)
        #expect(driver.state.admin)
        driver.press(.space)
        #expect(!driver.state.admin)
        #expect(driver.state.confirmation == nil)
    }

    @Test func userTypeCyclesThroughNoneAndTheConfiguredTypes() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down)
        #expect(driver.state.userType == nil)
        driver.press(.right)
        #expect(driver.state.userType == "bot")
        driver.press(.right, .right)
        #expect(driver.state.userType == nil)
        driver.press(.left)
        #expect(driver.state.userType == "support")
    }

    @Test(arguments: [("30", 30 * 86_400_000), ("0.5", 43_200_000), ("12h", 43_200_000), ("2w", 14 * 86_400_000)] as [(String, Int64)])
    func tokenValidityTakesWhatTheFlagTakes(_ text: String, _ milliseconds: Int64) {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down, .down, .space, .down)
        #expect(driver.state.focus == .tokenValidity)
        driver.type(text)
        #expect(driver.state.tokenValidityMs == milliseconds)
        driver.press(.enter, .enter)
        #expect(driver.state.step == .review)
        #expect(driver.state.errors[.tokenValidity] == nil)
    }

    @Test(arguments: ["0", "-5", "soon", "1.5x"])
    func tokenValidityRefusesWhatTheFlagRefuses(_ text: String) {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down, .down, .space, .down)
        driver.type(text)
        driver.press(.enter)
        #expect(driver.state.focus == .backup, "Enter goes on to the last control, the backup")
        driver.press(.enter)
        #expect(driver.state.focus == .tokenValidity)
        #expect(driver.state.errors[.tokenValidity] == "Enter \(SynapseDuration.tokenValidityForms); or leave it empty.")
        #expect(driver.state.step == .options)
    }

    @Test func tokenValidityOverTheLimitSaysTheLimit() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.down, .down, .space, .down)
        driver.type("1001y")
        driver.press(.enter, .enter)
        #expect(driver.state.errors[.tokenValidity] == "At most 1000 years, or leave it empty for no expiry.")
    }

    @Test func createSendsEverythingButShowsNoPassword() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.space, .character("y"), .down, .right, .down, .space, .down)
        driver.type("30")
        driver.press(.enter, .enter)
        #expect(driver.state.step == .review)
        #expect(driver.state.focus == .create)
        driver.press(.enter)
        #expect(driver.state.step == .working)
        let expected = WizardRequest(
            userID: "@bob:example.org", displayName: "bob", password: Secret("correct-horse-42"), admin: true,
            userType: "bot", issueToken: true, tokenValidityMs: 30 * 86_400_000)
        #expect(driver.takeEffects() == [.register(expected)])
        #expect(!String(describing: driver.state).contains("correct-horse-42"))
    }

    @Test func aFailureReturnsToItsFieldWithTheValuesKept() {
        var driver = WizardDriver()
        driver.createAccount()
        driver.send(.registered(.failure(WizardFailure("@bob:example.org already exists.", field: .userID))))
        #expect(driver.state.step == .account)
        #expect(driver.state.focus == .userID)
        #expect(driver.state.errors[.userID] == "@bob:example.org already exists.")
        #expect(driver.state.userID.text == "bob")
        #expect(driver.state.password.text == "correct-horse-42")
        #expect(driver.state.notice?.text == "Nothing was written.")
    }

    @Test func aFailureOfTheWholeWriteStaysOnReview() {
        var driver = WizardDriver()
        driver.createAccount()
        driver.send(.registered(.failure(WizardFailure("database is locked."))))
        #expect(driver.state.step == .review)
        #expect(driver.state.notice == .init("database is locked. Nothing was written.", tone: .error))
    }

    @Test func theResultScreenTestsTheLoginOnceAtATime() {
        var driver = WizardDriver()
        driver.createAccount()
        _ = driver.takeEffects()
        let outcome = WizardOutcome(userID: "@bob:example.org", displayName: "bob", admin: false)
        driver.send(.registered(.success(outcome)))
        driver.press(.character("t"))
        #expect(driver.takeEffects() == [.testLogin(userID: "@bob:example.org", password: Secret("correct-horse-42"))])
        #expect(driver.state.loginTest == .some(nil))
        driver.press(.character("t"))
        #expect(driver.takeEffects().isEmpty, "one test at a time")
        let answer = LoginTestAnswer(.failed, "Synapse refused the login.")
        driver.send(.loginTested(answer))
        #expect(driver.state.loginTest == .some(answer))
        #expect(!String(describing: driver.state).contains("correct-horse-42"))
        driver.press(.enter)
        #expect(driver.takeEffects().last == .exit(.created(outcome)))
    }

    @Test func theResultScreenExitsWithTheOutcome() {
        var driver = WizardDriver()
        driver.createAccount()
        let outcome = WizardOutcome(userID: "@bob:example.org", displayName: "bob", admin: false, token: TestBackend.token)
        driver.send(.registered(.success(outcome)))
        #expect(driver.state.step == .done)
        driver.press(.enter)
        #expect(driver.takeEffects().last == .exit(.created(outcome)))
    }
}

@Suite("Reducer: leaving, resizing, prefill")
struct NavigationTests {
    @Test func escapeGoesBackThenCancels() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.escape)
        #expect(driver.state.step == .password)
        driver.press(.escape)
        #expect(driver.state.step == .account)
        #expect(driver.takeEffects().isEmpty)
        driver.press(.escape)
        #expect(driver.state.confirmation == Confirmation(.discard), "what was typed is not thrown away unasked")
        #expect(driver.takeEffects().isEmpty)
        driver.press(.escape)
        #expect(driver.state.confirmation == nil, "Esc answers no")
        #expect(driver.state.step == .account)
        driver.press(.escape, .character("y"))
        #expect(driver.takeEffects() == [.exit(.cancelled)])
    }

    @Test func escapeLeavesAtOnceWhenNothingWasTyped() {
        var driver = WizardDriver(prefill: WizardPrefill(userID: "carol"))
        driver.press(.escape)
        #expect(driver.state.confirmation == nil)
        #expect(driver.takeEffects() == [.exit(.cancelled)])
    }

    @Test(arguments: [0, 1, 2, 3])
    func controlCCancelsOnEveryStep(_ steps: Int) {
        var driver = WizardDriver()
        if steps > 0 { driver.completeAccount() }
        if steps > 1 { driver.completePassword() }
        if steps > 2 { driver.completeOptions() }
        #expect(driver.state.step == WizardStep.form[steps])
        _ = driver.takeEffects()
        driver.press(.controlC)
        #expect(driver.takeEffects() == [.exit(.cancelled)])
    }

    @Test func controlCNeverAbandonsAWriteInFlight() {
        var driver = WizardDriver()
        driver.createAccount()
        _ = driver.takeEffects()
        for _ in 0..<3 {
            driver.press(.controlC)
            #expect(driver.takeEffects().isEmpty)
            #expect(driver.state.notice == WizardState.writingNotice)
            #expect(driver.state.step == .working)
        }
    }

    @Test func escapeClosesAQuestionAsNo() {
        var driver = WizardDriver()
        driver.completeAccount()
        driver.completePassword()
        driver.press(.space, .left, .escape)
        #expect(driver.state.confirmation == nil)
        #expect(!driver.state.admin)
    }

    @Test func aSmallTerminalIgnoresKeysUntilEnlarged() {
        var driver = WizardDriver()
        driver.send(.resize(Size(columns: 60, rows: 20)))
        #expect(driver.state.isTooSmall)
        driver.type("bob")
        driver.press(.escape)
        #expect(driver.state.userID.isEmpty)
        #expect(driver.takeEffects().isEmpty)
        driver.send(.resize(Size(columns: 100, rows: 30)))
        driver.type("bob")
        #expect(driver.state.userID.text == "bob")
        driver.send(.resize(Size(columns: 79, rows: 24)))
        driver.press(.controlC)
        #expect(driver.takeEffects() == [.exit(.cancelled)])
    }

    @Test func prefillFillsTheFieldsAndChecksThem() {
        let driver = WizardDriver(prefill: WizardPrefill(
            userID: "@Carol:example.org", displayName: "Carol", password: Secret("correct-horse-42"), admin: true,
            userType: "support", tokenValidity: "7"))
        #expect(driver.state.validUserID == "@carol:example.org")
        #expect(driver.state.displayName.text == "Carol")
        #expect(driver.state.passwordConfirmation.text == "correct-horse-42")
        #expect(driver.state.currentAnalysis?.strength?.score == 4)
        #expect(driver.state.admin)
        #expect(driver.state.userType == "support")
        #expect(driver.state.issueToken)
        #expect(driver.state.tokenValidityMs == Int64(7) * 86_400_000)
    }
}

@Suite("Reducer: focus stays where the admin is typing")
struct FocusTests {
    @Test func aLateTakenAnswerDoesNotMoveTheFocus() {
        var driver = WizardDriver()
        driver.type("alice")
        driver.press(.tab)
        driver.type("Ali")
        driver.send(.availability(userID: "@alice:example.org", .taken))
        #expect(driver.state.focus == .displayName)
        #expect(driver.state.displayName.text == "Ali")
        #expect(driver.state.errors[.userID] == "@alice:example.org is already taken.")
    }
}
