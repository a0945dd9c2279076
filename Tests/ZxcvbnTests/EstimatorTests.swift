import Foundation
import Testing
@testable import Zxcvbn

extension StrengthTests {
    @Suite struct SearchTests {
        @Test func singleMatchCostsItsGuessesPlusOne() {
            // l = 1: 1! × 2 + 10000⁰.
            #expect(estimator.estimate("password").guesses == 3)
        }

        @Test func picksTheCheapestSequence() {
            // 4! × 1140 × 701 × 2197 × 6467 + 10000³, the four words each cheaper than brute force.
            let strength = estimator.estimate("correcthorsebatterystaple")
            #expect(strength.sequence.map(\.token) == ["correct", "horse", "battery", "staple"])
            let expected = 24.0 * 1140 * 701 * 2197 * 6467 + 1e12
            #expect(abs(strength.guesses - expected) / expected < 1e-12)
            #expect(strength.score == .veryUnguessable)
        }

        @Test func fillsGapsWithBruteForce() {
            let strength = estimator.estimate("Tr0ub4dour&3")
            #expect(strength.sequence.map(\.token) == ["Tr0ub4dour", "&3"])
            #expect(strength.sequence.last?.pattern == .bruteforce)
            #expect(strength.sequence.last?.guesses == 100)
            #expect(abs(strength.guessesLog10 - 7.280077) < 1e-6)
        }

        @Test func emptyPasswordIsTooGuessable() {
            let strength = estimator.estimate("")
            #expect(strength.score == .tooGuessable)
            #expect(strength.guesses == 1)
            #expect(strength.sequence.isEmpty)
            #expect(strength.feedback.suggestions == [.useFewWords, .noNeedForSymbols])
        }

        @Test func scoresOnlyTheFirstHundredCharacters() {
            let long = String(repeating: "k9#Lm2$q", count: 20)
            let strength = estimator.estimate(long)
            #expect(strength.isTruncated)
            #expect(strength.scoredLength == 100)
            #expect(strength.sequence.last?.range.upperBound == 100)
            #expect(estimator.estimate(String(long.prefix(100))).guesses == strength.guesses)
        }

        @Test func callerWordsMakeAPasswordWeaker() {
            let inputs = ["zorbulon", "chat.example.org"]
            let alone = estimator.estimate("zorbulon2011")
            let known = estimator.estimate("zorbulon2011", userInputs: inputs)
            #expect(known.score < alone.score)
            guard case .dictionary(let dictionary, _, let word, _, _)? = known.sequence.first?.pattern else {
                Issue.record("no dictionary match")
                return
            }
            #expect(dictionary == .userInputs)
            #expect(word == "zorbulon")
        }
    }

    @Suite struct ScoreAndCrackTimeTests {
        static let thresholds: [(Double, Int)] = [
            (1004.9, 0), (1005, 1), (1e6 + 4, 1), (1e6 + 5, 2), (1e8, 2), (1e10 + 4, 3), (1e10 + 5, 4), (1e30, 4),
        ]

        @Test(arguments: thresholds)
        func scoreThresholdsCarryAMarginOfFive(guesses: Double, score: Int) {
            #expect(StrengthScore(guesses: guesses).rawValue == score)
        }

        static let displays: [(Double, String)] = [
            (0.5, "less than a second"), (1, "1 second"), (59, "59 seconds"), (90, "2 minutes"),
            (150, "2 minutes"), (3 * 3600, "3 hours"), (86400 * 2, "2 days"), (86400 * 31, "1 month"),
            (86400 * 31 * 12 * 5, "5 years"), (86400 * 31 * 12 * 100, "centuries"),
        ]

        @Test(arguments: displays)
        func displayRoundsHalfToEven(seconds: Double, display: String) {
            #expect(CrackTime(guesses: seconds * CrackTime.guessesPerSecond).display == display)
        }
    }

    @Suite struct FeedbackTests {
        @Test func commonPasswordWarnsByRank() {
            #expect(estimator.estimate("password").feedback.warning == .topTenPassword)
            #expect(estimator.estimate("zxcvbn").feedback.warning == .topHundredPassword)
            #expect(estimator.estimate("password").feedback.suggestions == [.addWord])
        }

        @Test func variantsOfCommonPasswordsSaySo() {
            let feedback = estimator.estimate("P4ssword").feedback
            #expect(feedback.warning == .similarToCommonPassword)
            #expect(feedback.suggestions == [.addWord, .capitalization])
        }

        @Test func patternsGiveTheirOwnAdvice() {
            #expect(estimator.estimate("aaaaaaa").feedback.warning == .repeatedCharacter)
            #expect(estimator.estimate("1987").feedback.suggestions == [.addWord, .avoidRecentYears])
            #expect(estimator.estimate("13/11/1991").feedback.warning == .date)
            #expect(estimator.estimate("mju76yhn").feedback.warning == .keyboardPattern)
        }

        @Test func strongPasswordsGetNone() {
            #expect(estimator.estimate("correcthorsebatterystaple").feedback == .none)
        }

        @Test func suggestionsAreCappedAtTwo() {
            // zxcvbn would add "Reversed words…" after capitalisation here.
            let feedback = estimator.estimate("Drowssap").feedback
            #expect(feedback.suggestions.count == 2)
        }
    }
}
