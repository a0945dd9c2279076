import Foundation
import TUI

/// A rough strength estimate for the demo: character-class entropy with a few zxcvbn-style penalties.
enum DemoStrength {
    private static let common: Set<String> = [
        "password", "123456", "12345678", "qwerty", "letmein", "iloveyou", "admin", "welcome", "monkey",
        "dragon", "football", "hunter", "password1", "matrix", "synapse", "trustno1", "sunshine",
    ]
    private static let labels = ["too guessable", "very guessable", "somewhat guessable", "safely unguessable",
        "very unguessable"]

    static func estimate(_ password: String, userInputs: [String]) -> StrengthSummary {
        let lowered = password.lowercased()
        var pool = 0
        if password.contains(where: { $0.isLowercase }) { pool += 26 }
        if password.contains(where: { $0.isUppercase }) { pool += 26 }
        if password.contains(where: { $0.isNumber }) { pool += 10 }
        if password.contains(where: { !$0.isLetter && !$0.isNumber }) { pool += 33 }
        let distinct = Set(password).count
        var log10Guesses = 0.75 * Double(min(distinct * 2, password.count)) * log10(Double(max(pool, 1)))
        var warning: String?
        if common.contains(lowered) || common.contains(where: { lowered.hasPrefix($0) && lowered.count - $0.count <= 2 }) {
            log10Guesses = min(log10Guesses, 2)
            warning = "This is similar to a commonly used password."
        } else if userInputs.contains(where: { $0.count >= 3 && lowered.contains($0.lowercased()) }) {
            log10Guesses -= 4
            warning = "Avoid your name, user ID or server in the password."
        } else if distinct <= 2 {
            warning = "Repeats like \"aaa\" are easy to guess."
        }
        let score = switch log10Guesses {
        case ..<3: 0
        case ..<6: 1
        case ..<8: 2
        case ..<10: 3
        default: 4
        }
        let suggestions = score < 3 ? ["Add another word or two. Uncommon words are better."] : []
        return StrengthSummary(
            score: score, label: labels[score], crackTime: crackTime(seconds: pow(10, log10Guesses) / 10_000),
            warning: warning, suggestions: suggestions)
    }

    private static func crackTime(seconds: Double) -> String {
        let units: [(Double, String)] = [(31_536_000 * 100, "centuries"), (31_536_000, "years"), (2_592_000, "months"),
            (86_400, "days"), (3_600, "hours"), (60, "minutes"), (1, "seconds")]
        if seconds < 1 { return "less than a second" }
        if seconds >= units[0].0 { return "centuries" }
        for (size, name) in units.dropFirst() where seconds >= size {
            let count = Int(seconds / size)
            return count == 1 ? "1 \(name.dropLast())" : "\(count) \(name)"
        }
        return "less than a second"
    }
}
