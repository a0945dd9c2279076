import Foundation
@testable import TUI

/// A terminal that plays a script of inputs and keeps every frame it is asked to draw.
///
/// A `.waitFor` step holds the script until the last frame shows the text, so tests can wait
/// for the answers of background effects the way a person watches the screen. Unchecked
/// Sendable: it is handed to the wizard's thread and read again only after the wizard returns.
final class ScriptedTerminal: WizardTerminal, @unchecked Sendable {
    enum Step {
        case keys([Key])
        case text(String)
        case resize(Size)
        case signal(Int32)
        case waitFor(String)
    }

    private(set) var size: Size
    let usesASCII = false
    private var script: [Step]
    private(set) var frames: [Screen] = []
    /// Long enough for a background answer to arrive while the rest of the suite runs: tests that
    /// wait on processes hold the two cooperative threads of a 2-core machine for seconds at a time,
    /// and the wizard's availability check waits its turn behind them.
    private let deadline = ContinuousClock.now + .seconds(90)

    init(size: Size = .standard, script: [Step]) {
        self.size = size
        self.script = script
    }

    var lastFrame: String { frames.last?.lines.joined(separator: "\n") ?? "" }

    func draw(_ screen: Screen) { frames.append(screen) }

    func read(timeout milliseconds: Int32) -> TerminalInput? {
        guard ContinuousClock.now < deadline else { return .endOfInput }
        guard !script.isEmpty else {
            Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
            return nil
        }
        switch script[0] {
        case .keys(let keys):
            guard let key = keys.first else {
                script.removeFirst()
                return nil
            }
            script[0] = .keys(Array(keys.dropFirst()))
            return .key(key)
        case .text(let text):
            script[0] = .keys(text.map(Key.character))
            return nil
        case .resize(let newSize):
            script.removeFirst()
            size = newSize
            return .resize(newSize)
        case .signal(let signal):
            script.removeFirst()
            return .signal(signal)
        case .waitFor(let text):
            if lastFrame.contains(text) {
                script.removeFirst()
            } else {
                Thread.sleep(forTimeInterval: 0.005)
            }
            return nil
        }
    }
}

extension WizardApp {
    /// Runs the wizard on `terminal` on a thread of its own, as the async entry point does.
    static func run(
        backend: TestBackend, prefill: WizardPrefill = WizardPrefill(), scripted terminal: ScriptedTerminal
    ) async -> WizardResult {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: WizardApp.run(backend: backend, prefill: prefill, on: terminal))
            }.start()
        }
    }
}
