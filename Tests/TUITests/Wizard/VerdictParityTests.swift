import Core
import Foundation
import Testing
import TestSupport
@testable import TUI

/// One corpus through every front end: the form, flag mode and `--check-password` must reach the
/// same verdict on each password for the same account, because all three ask Core's judge.
@Suite("One verdict in every front end", .serialized)
struct VerdictParityTests {
    /// `@alice:example.org`, named "Alice Wonderland", on a server whose policy wants 8
    /// characters and a digit, run with `--min-strength 2`.
    static let displayName = "Alice Wonderland"
    static let minimum = 2
    static let policy = PasswordPolicy(enabled: true, minimumLength: 8, requireDigit: true)

    /// Passwords that the account's own words make weak, common ones, policy failures, strong
    /// ones, and the edges (72 bytes, NFKC, non-ASCII).
    static let corpus = [
        "wonderland2024", "alice2024", "Alice-Wonderland-1", "example.org2024", "examplealice9",
        "password1", "123456789", "qwertyuiop1", "Tr0ub4dour&3", "correct horse battery staple 1",
        "no digits here at all", "short1", "zorbulon-quixx-77", "Wonderland!Alice!2",
        "alicealicealice1", "gxR7-kq2M-vb9T-wz4P", "ÄpfelBäume2024", "ｗｏｎｄｅｒｌａｎｄ２０２４",
        String(repeating: "a1", count: 40), "1qaz2wsx3edc", "dragon2020", "iloveyou12",
    ]

    enum Outcome: Equatable, CustomStringConvertible {
        case refused, accepted
        var description: String { self == .refused ? "refused" : "accepted" }
    }

    struct Reading: Equatable, CustomStringConvertible {
        var outcome: Outcome
        var score: Int?
        var description: String { "\(outcome), score \(score.map(String.init) ?? "-")" }
    }

    let directory = TemporaryDirectory()

    var config: String {
        directory.write("homeserver.yaml", """
            server_name: example.org
            database: {name: sqlite3, args: {database: \(directory.path)/not-created.db}}
            password_config: {policy: {enabled: true, minimum_length: 8, require_digit: true}}
            """)
    }

    /// The form: the reducer with Core's judge, Enter on the password step.
    func form(_ password: String) -> Reading {
        var backend = TestBackend()
        backend.realJudge = PasswordJudge(requirements: PasswordRequirements(policy: Self.policy, minimumScore: Self.minimum))
        backend.passwordRequirements = backend.realJudge!.requirements
        var driver = WizardDriver(backend: backend)
        driver.type("alice")
        driver.press(.tab)
        driver.type(Self.displayName)
        driver.press(.enter)
        _ = driver.takeEffects()
        driver.send(.availability(userID: "@alice:example.org", .free))
        #expect(driver.state.step == .password)
        driver.completePassword(password)
        let score = driver.state.currentAnalysis?.strength?.score
        let advanced = driver.state.step == .options || driver.state.confirmation != nil
        return Reading(outcome: advanced ? .accepted : .refused, score: score)
    }

    /// Flag mode: the password is judged before the database is opened, so an accepted one
    /// ends at the database this config names but never created (69), a refused one at 68.
    func flagMode(_ password: String) throws -> Outcome {
        let result = try Command.run(
            ["-c", config, "-u", "alice", "--display-name", Self.displayName, "--password-file", "-", "--no-input",
             "--min-strength", String(Self.minimum)],
            stdin: password + "\n")
        #expect([68, 69].contains(result.status), "\(result.stderr)")
        return result.status == 68 ? .refused : .accepted
    }

    /// `--check-password` for the same account and config: the scores, in corpus order.
    func checkPassword() throws -> [Int] {
        let result = try Command.run(
            ["--check-password", "-c", config, "-u", "alice", "--display-name", Self.displayName],
            stdin: Self.corpus.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["score"] as? Int)
        }
    }

    @Test func everyFrontEndReachesTheSameVerdict() throws {
        let scores = try checkPassword()
        try #require(scores.count == Self.corpus.count)
        var outcomes: Set<String> = []
        for (password, score) in zip(Self.corpus, scores) {
            let form = form(password)
            let flags = try flagMode(password)
            #expect(form.score == score, "form and --check-password score \(password.debugDescription) differently")
            #expect(form.outcome == flags, "form: \(form), flag mode: \(flags) for \(password.debugDescription)")
            outcomes.insert("\(flags)")
        }
        // The corpus exercises both outcomes, or the comparison above proves little.
        #expect(outcomes == ["refused", "accepted"])
    }

    @Test func theAccountsOwnWordsCountInTheForm() {
        // The drift this suite guards against: "wonderland2024" is weak for Alice Wonderland.
        let reading = form("wonderland2024")
        #expect(reading.score.map { $0 < 2 } == true)
        #expect(reading.outcome == .refused)
    }
}
