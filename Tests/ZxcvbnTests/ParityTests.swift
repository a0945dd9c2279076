import Foundation
import Testing
@testable import Zxcvbn

extension StrengthTests {
    /// Compares our estimates with the reference Python zxcvbn 4.5.0 on the committed corpus.
    ///
    /// The reference scores are read from `$ZXCVBN_REFERENCE` when set (the test command can
    /// regenerate them with `scripts/zxcvbn-reference.py`), else from the committed
    /// `Tests/Fixtures/strength/reference.jsonl`.
    @Suite struct ParityTests {
        /// One reference line: a password, the caller's words, and zxcvbn's verdict.
        struct Reference {
            let password: String
            let userInputs: [String]
            let score: Int
            let guessesLog10: Double
            let warning: String
            let suggestions: [String]
        }

        static let fixtures = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()  // Tests/
            .appendingPathComponent("Fixtures/strength")

        static func references() throws -> [Reference] {
            let environment = ProcessInfo.processInfo.environment["ZXCVBN_REFERENCE"]
            let path = environment.flatMap { $0.isEmpty ? nil : $0 }
                ?? fixtures.appendingPathComponent("reference.jsonl").path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try text.split(separator: "\n").map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return Reference(
                    password: try #require(object["password"] as? String),
                    userInputs: object["user_inputs"] as? [String] ?? [],
                    score: try #require(object["score"] as? Int),
                    guessesLog10: try #require((object["guesses_log10"] as? NSNumber)?.doubleValue),
                    warning: object["warning"] as? String ?? "",
                    suggestions: object["suggestions"] as? [String] ?? [])
            }
        }

        @Test func matchesReferenceZxcvbnOnTheCorpus() throws {
            let references = try Self.references()
            #expect(references.count >= 2_000)
            var sameScore = 0
            var closeGuesses = 0
            var sameFeedback = 0
            var disagreements: [String] = []
            for reference in references {
                let strength = estimator.estimate(reference.password, userInputs: reference.userInputs)
                let scoreMatches = strength.score.rawValue == reference.score
                let guessesMatch = abs(strength.guessesLog10 - reference.guessesLog10) <= 0.05
                let feedbackMatches = (strength.feedback.warning?.message ?? "") == reference.warning
                    && strength.feedback.suggestions.map(\.message) == Array(reference.suggestions.prefix(2))
                if scoreMatches { sameScore += 1 }
                if guessesMatch { closeGuesses += 1 }
                if feedbackMatches { sameFeedback += 1 }
                if !(scoreMatches && guessesMatch && feedbackMatches) {
                    disagreements.append(
                        "\(reference.password.debugDescription): score \(strength.score.rawValue) vs \(reference.score), "
                            + "log10 \(strength.guessesLog10) vs \(reference.guessesLog10)")
                }
            }
            let total = Double(references.count)
            let scoreShare = Double(sameScore) / total
            let guessShare = Double(closeGuesses) / total
            print("""
                zxcvbn parity on \(references.count) passwords: same score \(percent(scoreShare)), \
                guesses_log10 within 0.05 \(percent(guessShare)), same feedback \(percent(Double(sameFeedback) / total))
                """)
            for line in disagreements.prefix(20) { print("  differs: \(line)") }
            #expect(scoreShare >= 0.99, "same score on \(percent(scoreShare)) of the corpus, below 99%")
            #expect(guessShare >= 0.95, "guesses_log10 within 0.05 on \(percent(guessShare)), below 95%")
        }

        @Test func corpusIsVaried() throws {
            let corpus = try String(contentsOf: Self.fixtures.appendingPathComponent("corpus.jsonl"), encoding: .utf8)
            let kinds = Set(corpus.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["kind"] as? String
            })
            #expect(kinds.isSuperset(of: [
                "common", "variant", "l33t", "keyboard", "date", "repeat", "sequence", "passphrase", "name-year",
                "random", "unicode", "user-input", "long", "unicode-edge",
            ]))
        }

        private func percent(_ share: Double) -> String {
            String(format: "%.2f%%", share * 100)
        }
    }
}
