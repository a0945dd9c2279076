import Core
import Zxcvbn
import Foundation
import Testing

@Suite struct PasswordVerdictTests {
    static let alice = PasswordAccount(localpart: "alice", displayName: "Alice Wonderland", serverName: "example.org")
    static let policy = PasswordPolicy(enabled: true, minimumLength: 12, requireDigit: true)

    func judge(_ requirements: PasswordRequirements = PasswordRequirements(), scoresAlways: Bool = true) -> PasswordJudge {
        PasswordJudge(requirements: requirements, scoresAlways: scoresAlways)
    }

    @Test func theAccountsWordsAreTriedFirst() {
        #expect(Self.alice.strengthWords == [
            "alice", "Alice Wonderland", "Alice", "Wonderland", "example.org", "example", "org",
        ])
        let known = judge().judge(Secret("wonderland2024"), for: Self.alice)
        let stranger = judge().judge(Secret("wonderland2024"), for: PasswordAccount(localpart: "bob"))
        let knownScore = try? #require(known.strength.strength?.score.rawValue)
        let strangerScore = try? #require(stranger.strength.strength?.score.rawValue)
        #expect(knownScore ?? 9 < strangerScore ?? 0)
        #expect(known.isWeak)
    }

    @Test func refusalsComeInSynapsesOrder() {
        let strict = judge(PasswordRequirements(policy: Self.policy, minimumScore: 4))
        #expect(strict.judge(Secret(""), for: Self.alice).refusal?.description == "the password is empty")
        guard case .policy(let failed)? = strict.judge(Secret("short"), for: Self.alice).refusal else {
            Issue.record("a policy failure is refused first")
            return
        }
        #expect(failed.map(\.code) == ["M_PASSWORD_TOO_SHORT", "M_PASSWORD_NO_DIGIT"])
        guard case .tooWeak(_, _, let minimum, _)? = strict.judge(Secret("wonderland2024alice"), for: Self.alice).refusal
        else {
            Issue.record("below the minimum is refused")
            return
        }
        #expect(minimum == 4)
        #expect(strict.judge(Secret("gxR7-kq2M-vb9T-wz4P-7"), for: Self.alice).isAccepted)
    }

    @Test func anIgnoredPolicyIsAcceptedAndSaysSo() {
        let verdict = judge(PasswordRequirements(policy: Self.policy, ignoresPolicy: true)).judge(Secret("short"), for: Self.alice)
        #expect(verdict.isAccepted)
        #expect(verdict.overridesPolicy)
        #expect(verdict.asksConfirmation)
        #expect(verdict.failedPolicyChecks.count == 2)
    }

    @Test func flagModeScoresOnlyForAMinimum() {
        let lazy = judge(scoresAlways: false)
        #expect(lazy.judge(Secret("password"), for: Self.alice).strength == .notScored)
        #expect(lazy.judge(Secret("password"), for: Self.alice).isAccepted)
        let minimum = judge(PasswordRequirements(minimumScore: 1), scoresAlways: false)
        #expect(minimum.judge(Secret("password"), for: Self.alice).strength.strength != nil)
    }

    @Test func aMissingEstimatorRefusesOnlyWhenAMinimumNeedsIt() {
        let broken: @Sendable () throws(StrengthDataError) -> PasswordStrengthEstimator = { () throws(StrengthDataError) in
            throw .notFound(searched: ["/x"])
        }
        let plain = PasswordJudge(requirements: PasswordRequirements(), estimator: broken).judge(Secret("pw"), for: Self.alice)
        #expect(plain.isAccepted)
        #expect(plain.isWeak, "an unscored password is never called strong")
        let needed = PasswordJudge(requirements: PasswordRequirements(minimumScore: 2), estimator: broken)
            .judge(Secret("pw"), for: Self.alice)
        guard case .strengthUnavailable? = needed.refusal else {
            Issue.record("a minimum that cannot be checked refuses")
            return
        }
    }

    @Test func bcryptLimitCountsNFKCBytesAndPepper() {
        func truncation(_ password: String, pepper: String = "") -> PasswordHasher.Truncation {
            judge(PasswordRequirements(pepper: Secret(pepper)), scoresAlways: false).judge(Secret(password), for: Self.alice).truncation
        }
        #expect(truncation(String(repeating: "a", count: 72)) == .none)
        #expect(truncation(String(repeating: "a", count: 73)) == .passwordCut(usedBytes: 72))
        #expect(truncation(String(repeating: "a", count: 70), pepper: "xyz") == .pepperCut)
        // "é" is two UTF-8 bytes; the ligature "ﬃ" is three bytes and NFKC makes it "ffi", also three.
        #expect(truncation(String(repeating: "é", count: 37)) != .none)
        #expect(truncation(String(repeating: "ﬃ", count: 24)) == .none)
        #expect(truncation(String(repeating: "½", count: 15)) != .none)  // NFKC "1⁄2": 5 bytes each
    }

    @Test func jsonLineHasTheDocumentedKeys() throws {
        let policy = PasswordPolicy(enabled: true, minimumLength: 8)
        let line = judge(PasswordRequirements(policy: policy)).judge(Secret("Tr0ub4dour&3"), for: PasswordAccount(localpart: ""))
            .jsonLine(withPolicy: true)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["score"] as? Int == 2)
        #expect(abs((object["guesses_log10"] as? Double ?? 0) - 7.280077) < 1e-6)
        let crack = try #require(object["crack_time"] as? [String: Any])
        #expect(crack["display"] as? String == "32 minutes")
        #expect(object["warning"] is NSNull)
        #expect(object["suggestions"] as? [String] == [
            "Add another word or two. Uncommon words are better.", "Capitalization doesn't help very much.",
        ])
        #expect(object["policy_passed"] as? Bool == true)
        #expect((object["policy"] as? [[String: Any]])?.first?["code"] as? String == "M_PASSWORD_TOO_SHORT")
        #expect(line.hasPrefix(#"{"score":2,"guesses":"#))
    }

    @Test func jsonLineOmitsPolicyWhenNoneIsGiven() {
        let line = judge().judge(Secret("x"), for: PasswordAccount(localpart: "")).jsonLine(withPolicy: false)
        #expect(!line.contains("policy"))
        #expect(line.contains(#""bcrypt_truncates":false"#))
    }
}

/// The words every front end shows for a score: none of them claims what the crack time denies.
@Suite("Strength wording")
struct StrengthWordingTests {
    @Test func eachScoreHasOnePlainWord() {
        #expect((0...4).map(StrengthWording.word(for:)) == ["very weak", "weak", "fair", "good", "strong"])
        #expect(StrengthWording.scoreText(2) == "2/4 (fair)")
    }

    @Test func theGuessingLineNamesBothAttacks() {
        #expect(StrengthWording.guessingLine(score: 3, crackTime: "3 hours")
            == "Online: out of reach. From a stolen bcrypt hash: 3 hours.")
        #expect(StrengthWording.guessingLine(score: 0, crackTime: "less than a second")
            == "Online: guessed in a few tries. From a stolen bcrypt hash: less than a second.")
    }

    @Test func aMinimumScoreReplacesTheAdvice() {
        let plain = PasswordRequirements()
        #expect(plain.asksAbout(score: 2))
        #expect(!plain.asksAbout(score: 3))
        let strict = PasswordRequirements(minimumScore: 2)
        #expect(!strict.asksAbout(score: 2), "at or above --min-strength a password is taken without a question")
    }
}
