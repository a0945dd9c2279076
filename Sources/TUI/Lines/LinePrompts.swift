import Core
import Dispatch
import Foundation
import Glibc

/// The line-by-line front end, for every console the full-screen form cannot serve: a screen
/// reader, a serial line, `TERM=dumb`, an unknown terminal type, a small window, or `--prompt`.
///
/// It asks what Synapse's own script asks, in its order (user ID, password and confirmation,
/// admin) plus the display name, then shows the form's review and asks once more before
/// writing. Every rule and sentence is the form's: the backend judges, ``Wording`` words, and
/// this type only decides the order of the lines. Nothing is written before the last answer.
package enum LineApp {
    /// Asks on the terminal, restores it and says how it ended. Blocks the calling thread:
    /// call it from synchronous code, as ``WizardApp/run(backend:prefill:colour:)``.
    /// - Parameter note: Why the form is not used, shown first.
    package static func run(backend: some WizardBackend, prefill: WizardPrefill = WizardPrefill(), note: String?)
        -> WizardResult
    {
        let console: TerminalLines
        do {
            console = try TerminalLines()
        } catch {
            return .terminalUnavailable(error.description)
        }
        defer { console.restore() }
        return run(backend: backend, prefill: prefill, note: note, on: console)
    }

    /// Asks on any console; the tests' entry point.
    package static func run(
        backend: some WizardBackend, prefill: WizardPrefill = WizardPrefill(), note: String? = nil,
        on console: some LineConsole
    ) -> WizardResult {
        LineSession(backend: backend, console: console, prefill: prefill).run(note: note)
    }
}

/// One run of the prompts: the answers so far, and the questions still to ask.
final class LineSession<Backend: WizardBackend, Console: LineConsole> {
    /// Why the questions stop before the account is written.
    enum Stop: Error {
        /// Ctrl-D, or "no" to the last question.
        case cancelled
        case signal(Int32)
    }

    let backend: Backend
    let console: Console
    let configuration: WizardConfiguration
    private var prefill: WizardPrefill

    private var userID = ""
    private var availability: String?
    private var displayName = ""
    private var password = Secret("")
    private var strength: StrengthSummary?
    private var passwordAccepted = false
    private var admin = false
    private var userType: String?
    private var backup = false

    init(backend: Backend, console: Console, prefill: WizardPrefill) {
        self.backend = backend
        self.console = console
        self.prefill = prefill
        self.configuration = WizardConfiguration(backend: backend)
        userType = prefill.userType
        backup = prefill.backup ?? configuration.backupOffer.isDefault
    }

    func run(note: String?) -> WizardResult {
        if let note { say(note) }
        say("New Matrix account on \(configuration.serverName). Ctrl-C stops at any question; nothing is written before the last one.")
        do {
            try askUserID()
            try askDisplayName()
            try askPassword()
            try askAdmin()
            return try reviewAndWrite()
        } catch {
            switch error {
            case .cancelled:
                return .cancelled
            case .signal(let signal):
                return signal == SIGINT ? .cancelled : .interrupted(signal: signal, written: nil)
            }
        }
    }

    // MARK: - The questions

    private func askUserID() throws(Stop) {
        var given = prefill.userID
        prefill.userID = nil
        while true {
            let input: String
            if let given {
                input = given
                say("User ID: \(input)")
            } else {
                input = try ask("User ID (a localpart such as alice, or @alice:\(configuration.serverName)): ")
            }
            given = nil
            guard !input.isEmpty else {
                say(Wording.userIDMissing)
                continue
            }
            switch backend.validateUserID(input) {
            case .invalid(let message):
                say(message)
            case .valid(let id):
                let backend = self.backend
                let answer = wait { () async -> Result<Bool, any Error> in
                    do { return .success(try await backend.isTaken(id)) } catch { return .failure(error) }
                }
                switch answer {
                case .success(true):
                    say(Wording.taken(id))
                    continue
                case .success(false):
                    say(Wording.free(id) + ".")
                    availability = "free"
                case .failure(let error):
                    say(Wording.availabilityUnknown(String(describing: error)))
                    availability = "availability not checked"
                }
                userID = id
                return
            }
        }
    }

    private var localpart: String {
        String(userID.dropFirst().prefix { $0 != ":" })
    }

    private func askDisplayName() throws(Stop) {
        if let given = prefill.displayName {
            prefill.displayName = nil
            displayName = given
            say("Display name: \(given)")
            return
        }
        let answer = try ask("Display name [\(localpart)]: ")
        displayName = answer.isEmpty ? localpart : answer
    }

    private var account: PasswordAccount {
        PasswordAccount(
            localpart: localpart, displayName: displayName == localpart ? nil : displayName,
            serverName: configuration.serverName)
    }

    private func askPassword() throws(Stop) {
        var given = prefill.password
        prefill.password = nil
        passwordAccepted = false
        while true {
            let candidate: Secret
            if let secret = given {
                given = nil
                say("Password: set, not shown.")
                candidate = secret
            } else {
                let typed = try ask("Password: ", masked: true)
                guard !typed.isEmpty else {
                    say("Enter a password.")
                    continue
                }
                guard try ask("Confirm password: ", masked: true) == typed else {
                    say(Wording.passwordsDiffer)
                    continue
                }
                candidate = Secret(typed)
            }
            let assessment = backend.assess(candidate, for: account)
            show(assessment, for: candidate)
            if let refusal = assessment.refusal {
                say(refusal)
                continue
            }
            if assessment.asksConfirmation {
                let failed = assessment.policyChecks.filter { !$0.passed }.map(\.rule)
                for doubt in Wording.passwordDoubts(
                    weak: assessment.isWeak, strength: assessment.strength, failsPolicy: assessment.overridesPolicy,
                    failedRules: failed)
                {
                    say(doubt)
                }
                guard try confirm(Wording.passwordQuestion) else { continue }
                passwordAccepted = true
            }
            password = candidate
            strength = assessment.strength
            return
        }
    }

    /// The meter, line by line: score, crack time, warning, suggestions, the policy, bcrypt's limit.
    private func show(_ assessment: PasswordAssessment, for password: Secret) {
        if let strength = assessment.strength {
            let score = min(max(strength.score, 0), 4)
            let shortfall = Wording.strengthShortfall(score: score, minimum: configuration.minimumScore)
            say("Strength: " + Wording.strengthScore(strength) + (shortfall.map { " " + $0 } ?? ""))
            say(Wording.crackTime(strength))
            if let warning = strength.warning, !warning.isEmpty { say("Warning: " + warning) }
            for suggestion in strength.suggestions.prefix(2) { say("Suggestion: " + suggestion) }
        }
        let checks = assessment.policyChecks
        if !checks.isEmpty {
            say("Policy: " + checks.map { "\($0.rule): \($0.passed ? "met" : "not met")" }.joined(separator: "; "))
        }
        if assessment.exceeds72Bytes { say(Wording.bcryptTruncation) }
    }

    private func askAdmin() throws(Stop) {
        if let given = prefill.admin {
            prefill.admin = nil
            admin = given
            say("Admin: \(given ? "yes" : "no")")
            return
        }
        // Synapse's script asks exactly this; "yes" then gets the form's confirmation.
        admin = false
        guard try confirm("Make admin", hint: "[no]") else { return }
        say(Wording.adminConsequence(for: userID, server: configuration.serverName))
        admin = try confirm(Wording.adminQuestion)
    }

    private func askUserType() throws(Stop) {
        let choices = ["none"] + configuration.userTypes
        while true {
            let answer = try ask("User type (\(choices.joined(separator: ", "))) [none]: ")
            if answer.isEmpty || answer == "none" {
                userType = nil
                return
            }
            if configuration.userTypes.contains(answer) {
                userType = answer
                return
            }
            say("Answer one of: \(choices.joined(separator: ", ")).")
        }
    }

    // MARK: - The review and the write

    private func reviewAndWrite() throws(Stop) -> WizardResult {
        while true {
            say("")
            say(Wording.reviewHeading)
            let review = Wording.Review(
                userID: userID, availability: availability, displayName: displayName, strength: strength,
                passwordAccepted: passwordAccepted, admin: admin, userType: userType, token: .none, backup: backup,
                database: configuration.databaseDescription)
            let rows = review.rows
            let labelWidth = (rows.map(\.label.count).max() ?? 0) + 2
            for row in rows {
                let label = (row.label + ":").padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                say(label + row.value, indent: 2)
            }
            if backup, !configuration.backupOffer.note.isEmpty { say(configuration.backupOffer.note, indent: 2) }
            guard try confirm("Create this account?") else { throw .cancelled }
            say("Creating \(userID)...")
            let request = WizardRequest(
                userID: userID, displayName: displayName, password: password, admin: admin, userType: userType,
                issueToken: false, tokenValidityMs: nil, backup: backup)
            let backend = self.backend
            let result = wait { () async -> Result<WizardOutcome, WizardFailure> in
                do {
                    return .success(try await backend.register(request))
                } catch let failure as WizardFailure {
                    return .failure(failure)
                } catch {
                    return .failure(WizardFailure(String(describing: error)))
                }
            }
            // A signal that came during the write waited for it; the write's outcome is reported.
            if let signal = console.takeSignal() {
                return .interrupted(signal: signal, written: try? result.get())
            }
            switch result {
            case .success(let outcome):
                return .created(outcome)
            case .failure(let failure):
                say(failure.message + " " + Wording.nothingWritten)
                try mend(failure.field)
            }
        }
    }

    /// Asks again for what a failed write names, before the review is shown again.
    private func mend(_ field: WizardField?) throws(Stop) {
        switch field {
        case .userID:
            try askUserID()
        case .displayName:
            try askDisplayName()
        case .password, .confirmation:
            try askPassword()
        case .userType:
            try askUserType()
        case .backup:
            guard try confirm("Go on without a backup?") else { throw .cancelled }
            backup = false
        case .admin, .issueToken, .tokenValidity, nil:
            guard try confirm("Try again?") else { throw .cancelled }
        }
    }

    // MARK: - Lines in, lines out

    /// Writes `text` wrapped to the console's width, every line indented by `indent`.
    private func say(_ text: String, indent: Int = 0) {
        let margin = String(repeating: " ", count: indent)
        let lines = text.isEmpty ? [""] : text.wrapped(to: max(console.width - 1 - indent, 20))
        console.write(lines.map { margin + $0 + "\n" }.joined())
    }

    /// Asks a question and returns the answer; answers that are not secret lose the spaces around them.
    private func ask(_ prompt: String, masked: Bool = false) throws(Stop) -> String {
        console.write(prompt)
        switch console.readLine(masked: masked) {
        case .line(let text): return masked ? text : text.trimmingCharacters(in: .whitespaces)
        case .endOfInput:
            console.write("\n")
            throw .cancelled
        case .signal(let signal): throw .signal(signal)
        }
    }

    /// A yes-or-no question whose answer is no unless yes is typed, as the form's dialogs
    /// select "No" first.
    private func confirm(_ question: String, hint: String = "[y/N]") throws(Stop) -> Bool {
        while true {
            switch try ask("\(question) \(hint): ").lowercased() {
            case "y", "yes": return true
            case "", "n", "no": return false
            default: say("Answer yes or no.")
            }
        }
    }

    /// Runs `work` on the cooperative pool and waits for it; the prompts run on a thread of their own.
    private func wait<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

/// A value handed from a task to the thread waiting on it; the semaphore orders the accesses.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
