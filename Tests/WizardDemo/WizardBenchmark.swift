import Core
import TUI
import Glibc

/// Times a keystroke in the password field until the screen is drawn into its grid.
///
/// Each sample is one `.key` event through the reducer, the strength estimate and 72-byte check
/// it calls for (answered by the backend, as the runtime does), a full render at 80×24, and the
/// changed cells copied through ncurses and refreshed onto /dev/null (xterm-256color).
package enum WizardBenchmark {
    /// The timing for one password length.
    package struct Sample: Sendable {
        package var length: Int
        package var iterations: Int
        package var median: Duration
        package var p99: Duration
        package var worst: Duration
        /// False when ncurses could not be opened on /dev/null and only the grid was drawn.
        package var throughCurses: Bool
    }

    /// Measures passwords of `lengths` characters, typing the last character `iterations` times each.
    package static func measure(
        backend: some WizardBackend, lengths: [Int] = [8, 16, 32, 64], iterations: Int = 1_000
    ) -> [Sample] {
        let runner = EffectRunner(backend: backend)
        let clock = ContinuousClock()
        let output = fopen("/dev/null", "w")
        let input = fopen("/dev/null", "r")
        let terminal = output.flatMap { output in
            input.flatMap { try? CursesTerminal(testingType: "xterm-256color", output: output, input: $0) }
        }
        defer {
            terminal?.restore()
            output.map { _ = fclose($0) }
            input.map { _ = fclose($0) }
        }
        return lengths.map { length in
            var state = WizardState(
                configuration: WizardConfiguration(backend: backend),
                prefill: WizardPrefill(userID: "alice", password: Secret(samplePassword(length - 1))))
            state.step = .password
            state.focus = .password
            var loop = WizardLoop(state: state, runner: runner, ascii: false)
            loop.start()
            var screen = Screen(size: state.size)
            var timings: [Duration] = []
            timings.reserveCapacity(iterations)
            for iteration in 0..<iterations {
                var trial = loop
                let key = Key.character(Character(Unicode.Scalar(UInt8(97 + iteration % 26))))
                let elapsed = clock.measure {
                    trial.send(.key(key))
                    WizardView.render(trial.state, into: &screen)
                    terminal?.draw(screen)
                }
                timings.append(elapsed)
            }
            timings.sort()
            return Sample(
                length: length, iterations: iterations, median: timings[timings.count / 2],
                p99: timings[min(timings.count - 1, timings.count * 99 / 100)], worst: timings[timings.count - 1],
                throughCurses: terminal != nil)
        }
    }

    /// A table of the samples in milliseconds.
    package static func report(_ samples: [Sample]) -> String {
        let path = samples.allSatisfy(\.throughCurses) ? "reduce + strength + render + ncurses" : "reduce + strength + render"
        var lines = ["keystroke in the password field -> screen drawn (\(path), 80x24)",
            "length  iterations  median ms  p99 ms  worst ms"]
        for sample in samples {
            lines.append(
                pad(String(sample.length), 6) + "  " + pad(String(sample.iterations), 10) + "  "
                    + pad(milliseconds(sample.median), 9) + "  " + pad(milliseconds(sample.p99), 6) + "  "
                    + pad(milliseconds(sample.worst), 8))
        }
        return lines.joined(separator: "\n")
    }

    private static func samplePassword(_ length: Int) -> String {
        let pool = Array("correct horse battery staple 7&Q!zX")
        return String((0..<max(length, 0)).map { pool[$0 % pool.count] })
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let whole = micros / 1000
        let fraction = micros % 1000
        return "\(whole)." + String(String(fraction + 1000).dropFirst())
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(width - text.count, 0)) + text
    }
}
