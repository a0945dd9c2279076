import Core
import Foundation
import Glibc
import Testing
@testable import TUI

/// A console that answers from a script and keeps everything written to it.
final class ScriptedLineConsole: LineConsole {
    var answers: [LineInput]
    var transcript = ""
    /// Whether each read was masked, in order.
    var maskedReads: [Bool] = []
    var signalDuringWrite: Int32?
    let width: Int

    init(_ answers: [LineInput], width: Int = 80) {
        self.answers = answers
        self.width = width
    }

    convenience init(lines: [String], width: Int = 80) {
        self.init(lines.map(LineInput.line), width: width)
    }

    func write(_ text: String) { transcript += text }

    func readLine(masked: Bool) -> LineInput {
        maskedReads.append(masked)
        guard !answers.isEmpty else { return .endOfInput }
        let answer = answers.removeFirst()
        if case .line(let text) = answer { transcript += (masked ? "" : text) + "\n" }
        return answer
    }

    func takeSignal() -> Int32? {
        defer { signalDuringWrite = nil }
        return signalDuringWrite
    }
}

/// Runs the prompts on a thread of their own, as the tool runs them on its main thread: they
/// wait for the backend's work, which needs the cooperative pool that a test runs on.
func prompts(
    _ backend: TestBackend = TestBackend(), prefill: WizardPrefill = WizardPrefill(), note: String? = nil,
    on console: ScriptedLineConsole
) async -> WizardResult {
    nonisolated(unsafe) let console = console
    return await withCheckedContinuation { continuation in
        Thread {
            continuation.resume(returning: LineApp.run(backend: backend, prefill: prefill, note: note, on: console))
        }.start()
    }
}

@Suite("The line-by-line prompts")
struct LinePromptsTests {
    static let strong = "plum orchard 1987 lantern"

    @Test func asksLikeSynapsesScriptAndWritesWhatWasAnswered() async {
        let console = ScriptedLineConsole(lines: ["bob", "Bob Builder", Self.strong, Self.strong, "", "y"])
        let result = await prompts(TestBackend(), on: console)
        guard case .created(let outcome) = result else {
            Issue.record("not created: \(result)\n\(console.transcript)")
            return
        }
        #expect(outcome.userID == "@bob:example.org")
        #expect(outcome.displayName == "Bob Builder")
        #expect(!outcome.admin)
        #expect(console.maskedReads == [false, false, true, true, false, false], "only the password is masked")
        let transcript = console.transcript
        #expect(!transcript.contains(Self.strong), "the password is never shown")
        #expect(!transcript.contains("\u{1B}"), "no escape sequence, ever")
        for line in ["User ID (a localpart such as alice, or @alice:example.org): bob", "@bob:example.org is free.",
                     "Password: \nConfirm password: \n", "Strength: 4/4 strong",
                     "Online: out of reach. From a stolen bcrypt hash: 25 hours.",
                     "Policy: at least 8 characters: met; a digit: met", "Make admin [no]: \n",
                     Wording.reviewHeading, "  User ID:      @bob:example.org  (free)",
                     "  Admin:        no", "Create this account? [y/N]: y"] {
            #expect(transcript.contains(line), "missing \(line.debugDescription) in:\n\(transcript)")
        }
        #expect(transcript.split(separator: "\n").allSatisfy { $0.count < 80 }, "every line fits the console")
    }

    @Test func aWeakPasswordIsUsedOnlyAfterAYes() async {
        // "short1" scores 1 with the test backend: weak, usable after a confirmation.
        let console = ScriptedLineConsole(lines: ["bob", "", "short1", "short1", "n", Self.strong, Self.strong, "n", "y"])
        let result = await prompts(TestBackend(), on: console)
        #expect(console.transcript.contains("This password scores 1/4 (weak); 3/4 (good) or more is advised."))
        #expect(console.transcript.contains("Use it anyway? [y/N]: n"))
        guard case .created(let outcome) = result else {
            Issue.record("not created: \(result)")
            return
        }
        #expect(outcome.userID == "@bob:example.org")
    }

    @Test func minStrengthRefusesWithoutOfferingToUseThePasswordAnyway() async {
        var backend = TestBackend()
        backend.passwordRequirements.minimumScore = 4
        let console = ScriptedLineConsole(lines: ["bob", "", "short123", "short123"])
        #expect(await prompts(backend, on: console) == .cancelled)
        #expect(console.transcript.contains("is below the 4/4 (strong) this server requires."))
        #expect(console.transcript.contains("(4/4 required)"))
        #expect(!console.transcript.contains("Use it anyway?"))
    }

    @Test func aPolicyFailureAsksOnlyWhenThePolicyMayBeIgnored() async {
        var backend = TestBackend()
        backend.passwordRequirements.ignoresPolicy = false
        let refused = ScriptedLineConsole(lines: ["bob", "", "no digits here at all", "no digits here at all"])
        #expect(await prompts(backend, on: refused) == .cancelled)
        #expect(refused.transcript.contains("The password does not meet the server's policy."))
        #expect(refused.transcript.contains("a digit: not met"))
        #expect(!refused.transcript.contains("Use it anyway?"))

        let overridden = ScriptedLineConsole(lines: ["bob", "", "no digits here at all", "no digits here at all", "y", "", "y"])
        guard case .created = await prompts(TestBackend(), on: overridden) else {
            Issue.record("not created:\n\(overridden.transcript)")
            return
        }
        #expect(overridden.transcript.contains("It does not meet the server's password policy: a digit."))
        #expect(overridden.transcript.contains("(accepted)"))
    }

    @Test func adminNeedsTheFormsSecondYes() async {
        let console = ScriptedLineConsole(lines: ["bob", "", Self.strong, Self.strong, "yes", "n", "y"])
        guard case .created(let outcome) = await prompts(TestBackend(), on: console) else {
            Issue.record("not created:\n\(console.transcript)")
            return
        }
        #expect(!outcome.admin, "no to the second question leaves an ordinary account")
        #expect(console.transcript.contains(Wording.adminConsequence(for: "@bob:example.org", server: "example.org")
            .prefix(40)))
        #expect(console.transcript.contains("Make it a server admin? [y/N]: n"))
    }

    @Test func prefilledValuesAreNotAskedAgain() async {
        let prefill = WizardPrefill(userID: "carol", displayName: "Carol", password: Secret(Self.strong), admin: true)
        let console = ScriptedLineConsole(lines: ["y"])
        guard case .created(let outcome) = await prompts(TestBackend(), prefill: prefill, on: console) else {
            Issue.record("not created:\n\(console.transcript)")
            return
        }
        #expect(outcome.admin)
        #expect(outcome.displayName == "Carol")
        #expect(console.maskedReads == [false], "only the final question is asked")
        #expect(console.transcript.contains("Password: set, not shown."))
    }

    @Test func aTakenOrInvalidUserIDIsAskedAgain() async {
        let console = ScriptedLineConsole(lines: ["", "Bob Smith", "alice", "bob", "", Self.strong, Self.strong, "", "y"])
        guard case .created(let outcome) = await prompts(TestBackend(), on: console) else {
            Issue.record("not created:\n\(console.transcript)")
            return
        }
        #expect(outcome.userID == "@bob:example.org")
        #expect(console.transcript.contains(Wording.userIDMissing))
        #expect(console.transcript.contains("Use only a-z, 0-9 and . _ = - / +."))
        #expect(console.transcript.contains("@alice:example.org is already taken."))
    }

    @Test func mismatchedPasswordsAreAskedAgain() async {
        let console = ScriptedLineConsole(lines: ["bob", "", Self.strong, "other", "", Self.strong, Self.strong, "", "y"])
        guard case .created = await prompts(TestBackend(), on: console) else {
            Issue.record("not created:\n\(console.transcript)")
            return
        }
        #expect(console.transcript.contains(Wording.passwordsDiffer))
        #expect(console.transcript.contains("Enter a password."))
    }

    @Test(arguments: [
        ("no to the last question", [LineInput.line("bob"), .line(""), .line(strong), .line(strong), .line(""), .line("n")],
         WizardResult.cancelled),
        ("Ctrl-D", [.line("bob"), .endOfInput], .cancelled),
        ("Ctrl-C at the password", [.line("bob"), .line(""), .signal(SIGINT)], .cancelled),
        ("SIGTERM", [.line("bob"), .signal(SIGTERM)], .interrupted(signal: SIGTERM, written: nil)),
    ])
    func stoppingWritesNothing(_ name: String, _ answers: [LineInput], _ expected: WizardResult) async {
        var backend = TestBackend()
        backend.failure = WizardFailure("the write was reached")
        let console = ScriptedLineConsole(answers)
        #expect(await prompts(backend, on: console) == expected, "\(name)")
        #expect(!console.transcript.contains("Creating"), "\(name)")
    }

    @Test func aSignalDuringTheWriteWaitsForItAndReportsTheAccount() async {
        let console = ScriptedLineConsole(lines: ["bob", "", Self.strong, Self.strong, "", "y"])
        console.signalDuringWrite = SIGTERM
        guard case .interrupted(SIGTERM, let written?) = await prompts(TestBackend(), on: console) else {
            Issue.record("the write was not reported:\n\(console.transcript)")
            return
        }
        #expect(written.userID == "@bob:example.org")
    }

    @Test func aFailedWriteSaysNothingWasWrittenAndAsksForTheFieldAgain() async {
        var backend = TestBackend()
        backend.failure = WizardFailure("@bob:example.org already exists", field: .userID)
        let console = ScriptedLineConsole(lines: ["bob", "", Self.strong, Self.strong, "", "y"])
        #expect(await prompts(backend, on: console) == .cancelled)
        #expect(console.transcript.contains("@bob:example.org already exists Nothing was written."))
        #expect(console.transcript.hasSuffix("User ID (a localpart such as alice, or @alice:example.org): \n"))
    }

    @Test func longMessagesWrapToTheConsolesWidth() async {
        let console = ScriptedLineConsole(lines: ["bob"], width: 40)
        _ = await prompts(TestBackend(), note: LinesReason.tooSmall(Size(columns: 40, rows: 20)).note, on: console)
        #expect(console.transcript.contains("The window is 40x20"))
        #expect(console.transcript.split(separator: "\n").filter { !$0.hasSuffix(": ") && !$0.contains("(a localpart") }
            .allSatisfy { $0.count < 40 })
    }
}

@Suite("Which consoles get the prompts")
struct ConsoleFactsTests {
    static let fine = ConsoleFacts(
        asked: false, terminalType: "xterm-256color", typeSupport: .addressable, size: Size(columns: 80, rows: 24),
        device: "/dev/pts/3")

    @Test func aCapableTerminalGetsTheForm() async {
        #expect(Self.fine.linesReason == nil)
    }

    static func fine(_ change: (inout ConsoleFacts) -> Void) -> ConsoleFacts {
        var facts = fine
        change(&facts)
        return facts
    }

    @Test(arguments: [
        ("--prompt", fine { $0.asked = true }, LinesReason.asked),
        ("ACCESSIBLE", fine { $0.accessible = "1" }, .screenReader("ACCESSIBLE is set")),
        ("speakup on a virtual console", fine { $0.device = "/dev/tty2"; $0.speakupSynth = "soft" },
         .screenReader("speakup reads this console")),
        ("stdout redirected", fine { $0.outputIsTerminal = false }, .outputRedirected),
        ("TERM unset", fine { $0.terminalType = nil }, .noTerminalType),
        ("unknown TERM", fine { $0.terminalType = "vt9000"; $0.typeSupport = .unknown }, .unknownTerminalType("vt9000")),
        ("TERM=dumb", fine { $0.terminalType = "dumb"; $0.typeSupport = .lineOnly }, .lineOnlyTerminal("dumb")),
        ("a serial port", fine { $0.device = "/dev/ttyS0" }, .serialLine("/dev/ttyS0")),
        ("no size", fine { $0.size = nil }, .unknownSize),
        ("60x20", fine { $0.size = Size(columns: 60, rows: 20) }, .tooSmall(Size(columns: 60, rows: 20))),
        ("80x23", fine { $0.size = Size(columns: 80, rows: 23) }, .tooSmall(Size(columns: 80, rows: 23))),
    ])
    func everyOtherConsoleGetsThePrompts(_ name: String, _ facts: ConsoleFacts, _ reason: LinesReason) {
        #expect(facts.linesReason == reason, "\(name)")
    }

    @Test func accessibleSetToZeroOrEmptyAsksForNothing() async {
        for value in ["", "0"] {
            var facts = Self.fine
            facts.accessible = value
            #expect(facts.linesReason == nil)
        }
        var idle = Self.fine
        idle.device = "/dev/tty1"
        idle.speakupSynth = "none"
        #expect(idle.linesReason == nil)
    }

    @Test func terminfoTellsDumbFromCapable() async {
        #expect(CursesTerminal.support(forType: "dumb") == .lineOnly)
        #expect(CursesTerminal.support(forType: "xterm") == .addressable)
        #expect(CursesTerminal.support(forType: "no-such-terminal-type") == .unknown)
    }
}
