import Core
import Foundation

/// Times the password strength estimator, or scores a corpus for comparison with zxcvbn.
///
///     strength-bench bench [--iterations N]   median and p99 per length, and data-load time
///     strength-bench score CORPUS.jsonl       one JSON line per password: score, guesses_log10
///
/// The passwords timed are the ones `passwords.txt` beside this tool's sources lists, so the
/// Python reference times exactly the same strings.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

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
    print(String(format: "data load: %.2f ms", loadMilliseconds))
    let byLength = Dictionary(grouping: list.split(separator: "\n").map(String.init), by: { $0.unicodeScalars.count })
    print("length  passwords  median_us  p99_us")
    for length in byLength.keys.sorted() {
        let passwords = byLength[length]!
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for warmup in passwords { _ = estimator.estimate(warmup) }
        for iteration in 0..<iterations {
            let password = passwords[iteration % passwords.count]
            let start = now()
            let strength = estimator.estimate(password)
            let elapsed = now() - start
            if strength.guesses < 0 { fail("impossible") }
            samples.append(Double(elapsed) / 1e3)
        }
        samples.sort()
        print(String(format: "%6d  %9d  %9.1f  %6.1f", length, passwords.count,
                     percentile(samples, 0.5), percentile(samples, 0.99)))
    }

default:
    fail("usage: strength-bench (bench PASSWORDS.txt [--iterations N] | score CORPUS.jsonl)")
}
