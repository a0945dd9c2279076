import Core
import FoundationEssentials
import Glibc

/// Runs the wizard on the terminal: the one entry point the executable calls.
package enum WizardApp {
    /// Opens the wizard, runs it to the end, restores the terminal and says how it ended.
    ///
    /// Blocks the calling thread: call it from synchronous code (a `ParsableCommand.run()`); from
    /// async code, `await` the `async` overload, since the backend's work needs the cooperative pool.
    /// Nothing is printed; the caller reports the result after the terminal is back to normal.
    /// - Parameters:
    ///   - backend: The server's rules and the database.
    ///   - prefill: Values given as flags.
    ///   - colour: Whether colour may be used; it is off anyway when `NO_COLOR` is set and not empty.
    package static func run(
        backend: some WizardBackend, prefill: WizardPrefill = WizardPrefill(), colour: Bool = true
    ) -> WizardResult {
        let noColour = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(colour: colour && !noColour)
        } catch {
            return .terminalUnavailable(error.description)
        }
        defer { terminal.restore() }
        return run(backend: backend, prefill: prefill, on: terminal)
    }

    /// Opens the wizard from async code: the input loop runs on a thread of its own, so the
    /// cooperative pool stays free for the backend's work. Otherwise as the synchronous `run`.
    package static func run(
        backend: some WizardBackend, prefill: WizardPrefill = WizardPrefill(), colour: Bool = true
    ) async -> WizardResult {
        await withCheckedContinuation { continuation in
            startThread {
                let result: WizardResult = run(backend: backend, prefill: prefill, colour: colour)
                continuation.resume(returning: result)
            }
        }
    }

    /// Runs the wizard on any terminal; the tests' entry point.
    package static func run(
        backend: some WizardBackend, prefill: WizardPrefill = WizardPrefill(), on terminal: some WizardTerminal
    ) -> WizardResult {
        var loop = WizardLoop(
            state: WizardState(configuration: WizardConfiguration(backend: backend), prefill: prefill, size: terminal.size),
            runner: EffectRunner(backend: backend), ascii: terminal.usesASCII)
        return loop.run(on: terminal)
    }
}
