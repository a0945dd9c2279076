import Core
import Glibc
import Testing
@testable import TUI

/// The whole runtime, with background effects, over a scripted terminal and the test backend.
@Suite("Runtime")
struct WizardAppTests {
    @Test func keysAloneCreateAnAccount() async {
        let terminal = ScriptedTerminal(script: [
            .text("bob"), .keys([.enter, .enter]),
            .waitFor("[2 Password]"),
            .text("correct-horse-42"), .keys([.tab]), .text("correct-horse-42"), .keys([.enter]),
            .keys([.space]), .waitFor("Make a server admin?"), .keys([.character("y"), .down, .down, .space, .enter, .enter, .enter]),
            .waitFor("[4 Review]"), .keys([.enter]),
            .waitFor("Created @bob:example.org"), .keys([.enter]),
        ])
        let result = await WizardApp.run(backend: TestBackend(), scripted: terminal)
        #expect(result == .created(WizardOutcome(
            userID: "@bob:example.org", displayName: "bob", admin: true, token: TestBackend.token,
            deviceID: "ABCDEFGHIJ")))
        #expect(terminal.lastFrame.contains("syt_Ym9i_abcdefghijklmnopqrst_1a2B3c"))
        #expect(terminal.frames.allSatisfy { !$0.lines.joined().contains("correct-horse-42") })
    }

    @Test func aTakenUserIDIsReportedFromTheBackground() async {
        let terminal = ScriptedTerminal(script: [
            .text("alice"), .keys([.tab]), .waitFor("already taken"), .keys([.controlC]),
        ])
        #expect(await WizardApp.run(backend: TestBackend(), scripted: terminal) == .cancelled)
        #expect(terminal.lastFrame.contains("✗ @alice:example.org is already taken"))
    }

    @Test func aSignalEndsTheLoop() async {
        let terminal = ScriptedTerminal(script: [.text("bob"), .signal(SIGTERM)])
        #expect(await WizardApp.run(backend: TestBackend(), scripted: terminal) == .interrupted(signal: SIGTERM, written: nil))
    }

    @Test func aResizeRedrawsAndRecovers() async {
        let terminal = ScriptedTerminal(script: [
            .text("bob"), .resize(Size(columns: 70, rows: 20)), .waitFor("The terminal is 70x20."),
            .resize(.standard), .waitFor("[bob"), .keys([.escape]), .waitFor("Leave the form?"),
            .keys([.character("y")]),
        ])
        #expect(await WizardApp.run(backend: TestBackend(), scripted: terminal) == .cancelled)
        #expect(terminal.frames.contains { $0.size == Size(columns: 70, rows: 20) })
    }

    @Test func prefilledValuesAreCheckedAtOnce() async {
        let terminal = ScriptedTerminal(script: [.waitFor("@carol:example.org"), .keys([.escape])])
        let result = await WizardApp.run(
            backend: TestBackend(), prefill: WizardPrefill(userID: "carol"), scripted: terminal)
        #expect(result == .cancelled)
        #expect(terminal.frames.first?.lines[5].contains("[carol") == true)
    }
}
