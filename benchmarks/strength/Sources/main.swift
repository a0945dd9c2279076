import Zxcvbn
import Foundation

/// Times the password strength estimator, or scores a corpus for comparison with zxcvbn.
///
///     strength-bench bench [--iterations N]   median and p99 per length, and data-load time
///     strength-bench score CORPUS.jsonl       one JSON line per password: score, guesses_log10
///
/// `benchmarks/strength/passwords.py` writes the passwords timed, so that the Python reference
/// (`reference.py`) times exactly the same strings; `run.sh` runs both.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// This thread's CPU time in nanoseconds: unlike wall time, it leaves out time the scheduler
/// gave to other processes, which dominates the tail on a shared machine.
func cpuNow() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func loadEstimator() -> (PasswordStrengthEstimator, Double) {
    let start = now()
    do {
        let data = try StrengthData.locateAndLoad()
        return (PasswordStrengthEstimator(data: data), Double(now() - start) / 1e6)
    } catch {
        fail("\(error)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "score":
    guard arguments.count == 2, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
        fail("usage: strength-bench score CORPUS.jsonl")
    }
    let (estimator, _) = loadEstimator()
    for line in text.split(separator: "\n") {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let password = object["password"] as? String
        else { fail("bad corpus line: \(line)") }
        let inputs = object["user_inputs"] as? [String] ?? []
        let strength = estimator.estimate(password, userInputs: inputs)
        let record: [String: Any] = [
            "password": password, "score": strength.score.rawValue,
            "guesses_log10": (strength.guessesLog10 * 1e6).rounded() / 1e6,
            "sequence": strength.sequence.map { "\($0.pattern)".prefix(while: { $0 != "(" }) }.map(String.init),
            "warning": strength.feedback.warning?.message ?? "",
            "suggestions": strength.feedback.suggestions.map(\.message),
        ]
        let data = try! JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }

case "bench":
    var iterations = 2000
    if let index = arguments.firstIndex(of: "--iterations"), index + 1 < arguments.count, let n = Int(arguments[index + 1]) {
        iterations = n
    }
    guard let passwordsPath = arguments.dropFirst().first(where: { !$0.hasPrefix("--") && Int($0) == nil }),
        let list = try? String(contentsOfFile: passwordsPath, encoding: .utf8)
    else { fail("usage: strength-bench bench PASSWORDS.txt [--iterations N]") }
    let (estimator, loadMilliseconds) = loadEstimator()
    var reloads: [Double] = []
    for _ in 0..<20 { reloads.append(loadEstimator().1) }
    reloads.sort()
    print(String(format: "data load: first %.2f ms, median of 20 reloads %.2f ms", loadMilliseconds, reloads[10]))
    let byLength = Dictionary(grouping: list.split(separator: "\n").map(String.init), by: { $0.unicodeScalars.count })
    print("length  passwords  median_us  p99_us  cpu_median_us  cpu_p99_us")
    for length in byLength.keys.sorted() {
        let passwords = byLength[length]!
        var samples: [Double] = []
        var cpuSamples: [Double] = []
        samples.reserveCapacity(iterations)
        cpuSamples.reserveCapacity(iterations)
        for warmup in passwords { _ = estimator.estimate(warmup) }
        for iteration in 0..<iterations {
            let password = passwords[iteration % passwords.count]
            let cpuStart = cpuNow()
            let start = now()
            let strength = estimator.estimate(password)
            let elapsed = now() - start
            let cpuElapsed = cpuNow() - cpuStart
            if strength.guesses < 0 { fail("impossible") }
            samples.append(Double(elapsed) / 1e3)
            cpuSamples.append(Double(cpuElapsed) / 1e3)
        }
        samples.sort()
        cpuSamples.sort()
        print(String(format: "%6d  %9d  %9.1f  %6.1f  %13.1f  %10.1f", length, passwords.count,
                     percentile(samples, 0.5), percentile(samples, 0.99),
                     percentile(cpuSamples, 0.5), percentile(cpuSamples, 0.99)))
    }

default:
    fail("usage: strength-bench (bench PASSWORDS.txt [--iterations N] | score CORPUS.jsonl)")
}
