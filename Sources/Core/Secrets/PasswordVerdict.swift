import Zxcvbn

/// The account a password is judged for. Its own words — the localpart, the display name, the
/// server's name — are the first an attacker tries, so they count against the password.
package struct PasswordAccount: Sendable, Equatable {
    package var localpart: String
    package var displayName: String?
    package var serverName: String?

    package init(localpart: String, displayName: String? = nil, serverName: String? = nil) {
        self.localpart = localpart
        self.displayName = displayName
        self.serverName = serverName
    }

    /// The words the estimator treats as already known: the localpart, the display name and
    /// each of its words, the server name and each of its labels; empty strings dropped.
    ///
    /// For `@alice:example.org` named "Alice Wonderland" this gives `alice`, `Alice Wonderland`,
    /// `Alice`, `Wonderland`, `example.org`, `example` and `org`, so `wonderland2024` is weak for her.
    package var strengthWords: [String] {
        var words = [localpart]
        if let displayName {
            words.append(displayName)
            words += displayName.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        }
        if let serverName {
            words.append(serverName)
            words += serverName.split(separator: ".").map(String.init)
        }
        return words.filter { !$0.isEmpty }
    }
}

/// What a server and its admin ask of a new account's password.
package struct PasswordRequirements: Sendable, Equatable {
    /// `password_config.policy`.
    package var policy: PasswordPolicy
    /// Whether a password the policy refuses may still be used (`--ignore-password-policy`).
    package var ignoresPolicy: Bool
    /// The lowest strength score accepted at all (`--min-strength`), or nil for none.
    package var minimumScore: Int?
    /// `password_config.pepper`, which counts towards bcrypt's 72 bytes.
    package var pepper: Secret

    /// Below this score a password is weak: the form asks before using it, unless a minimum is set.
    package static let advisedScore = 3

    /// Whether a usable password with this score is worth a question before it is used.
    ///
    /// With `--min-strength` the admin has drawn the line: below it a password is refused, at or
    /// above it taken without a second opinion. Without one, scores below ``advisedScore`` ask.
    package func asksAbout(score: Int) -> Bool {
        minimumScore == nil && score < Self.advisedScore
    }

    package init(policy: PasswordPolicy = PasswordPolicy(), ignoresPolicy: Bool = false, minimumScore: Int? = nil,
                pepper: Secret = Secret("")) {
        self.policy = policy
        self.ignoresPolicy = ignoresPolicy
        self.minimumScore = minimumScore
        self.pepper = pepper
    }

    package init(config: HomeserverConfig, ignoresPolicy: Bool = false, minimumScore: Int? = nil) {
        self.init(policy: config.password.policy, ignoresPolicy: ignoresPolicy, minimumScore: minimumScore,
                  pepper: config.password.pepper)
    }
}

/// The strength part of a verdict: scored, not asked for, or impossible to score.
package enum StrengthEstimate: Sendable, Equatable {
    /// The caller did not ask for a score and no minimum needed one (flag mode keeps its start fast).
    case notScored
    case scored(PasswordStrength)
    /// The estimator's data is missing or damaged; the reason says where it was looked for.
    case unavailable(String)

    package var strength: PasswordStrength? {
        if case .scored(let strength) = self { strength } else { nil }
    }
}

/// Why a password cannot be used for the account.
package enum PasswordRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// What Synapse's registration refuses: empty, a NUL, longer than 512 characters.
    case invalid(PasswordError)
    /// `password_config.policy` refuses it, and the policy is not being ignored.
    case policy(failed: [PasswordPolicy.Check])
    /// The score is below the required minimum.
    case tooWeak(score: Int, label: String, minimum: Int, warning: String?)
    /// A minimum score was asked for, but the estimator cannot run.
    case strengthUnavailable(String)

    package var description: String {
        switch self {
        case .invalid(let error):
            error.message
        case .policy(let failed):
            "password_config.policy: " + failed.map(\.failureMessage).joined(separator: "; ")
        case .tooWeak(let score, let label, let minimum, let warning):
            "password strength \(score)/4 (\(label)) is below the required \(minimum)/4 (\(StrengthWording.word(for: minimum)))"
                + (warning.map { ": \($0)" } ?? "")
        case .strengthUnavailable(let reason):
            "the password's strength cannot be estimated: \(reason)"
        }
    }
}

/// The whole judgement of one password for one account: usable or not, and what to tell the admin.
///
/// Every front end asks ``PasswordJudge`` for it and only presents it, so flag mode, the form,
/// `--check-password` and bulk files can never disagree about a password.
package struct PasswordVerdict: Sendable, Equatable {
    package let strength: StrengthEstimate
    /// Each rule of `password_config.policy`, passed or failed; empty when there is no policy.
    package let policyChecks: [PasswordPolicy.Check]
    /// What bcrypt's 72-byte limit does to NFKC(password) plus the pepper.
    package let truncation: PasswordHasher.Truncation
    /// Why the password cannot be used, or nil when it can.
    package let refusal: PasswordRefusal?
    /// Whether the password fails the policy but may be used because the policy is ignored.
    package let overridesPolicy: Bool
    /// Whether it is usable but worth a question first: below ``PasswordRequirements/advisedScore``
    /// when no minimum is set (see ``PasswordRequirements/asksAbout(score:)``), or not scored when asked.
    package let isWeak: Bool

    package var isAccepted: Bool { refusal == nil }
    package var meetsPolicy: Bool { policyChecks.allSatisfy(\.passed) }
    package var failedPolicyChecks: [PasswordPolicy.Check] { policyChecks.filter { !$0.passed } }
    /// Whether an interactive front end asks the admin to confirm before using it.
    package var asksConfirmation: Bool { isAccepted && (isWeak || overridesPolicy) }
}

/// Judges passwords against a server's requirements.
package struct PasswordJudge: Sendable {
    package let requirements: PasswordRequirements
    /// Whether to score every password, not only when a minimum needs it.
    package let scoresAlways: Bool
    private let estimator: @Sendable () throws(StrengthDataError) -> PasswordStrengthEstimator

    /// - Parameters:
    ///   - scoresAlways: score each password (the form, `--check-password`); when false only a
    ///     minimum score makes the judge load the estimator's data.
    ///   - estimator: where the estimator comes from; the shared one, loaded once, by default.
    package init(
        requirements: PasswordRequirements, scoresAlways: Bool = true,
        estimator: @escaping @Sendable () throws(StrengthDataError) -> PasswordStrengthEstimator = {
            () throws(StrengthDataError) in try PasswordStrengthEstimator.shared()
        }
    ) {
        self.requirements = requirements
        self.scoresAlways = scoresAlways
        self.estimator = estimator
    }

    package func judge(_ password: Secret, for account: PasswordAccount) -> PasswordVerdict {
        var invalid: PasswordError?
        do { try PasswordHasher.validate(password) } catch { invalid = error }

        let checks = requirements.policy.checks(for: password.revealed)
        let failsPolicy = checks.contains { !$0.passed }

        let minimum = requirements.minimumScore
        var strength = StrengthEstimate.notScored
        if scoresAlways || minimum != nil {
            do {
                strength = .scored(try estimator().estimate(password.revealed, userInputs: account.strengthWords))
            } catch {
                strength = .unavailable(error.description)
            }
        }
        let score = strength.strength?.score.rawValue

        let refusal: PasswordRefusal? =
            if let invalid { .invalid(invalid) }
            else if failsPolicy && !requirements.ignoresPolicy { .policy(failed: checks.filter { !$0.passed }) }
            else if minimum != nil, case .unavailable(let reason) = strength { .strengthUnavailable(reason) }
            else if let minimum, let scored = strength.strength, scored.score.rawValue < minimum {
                .tooWeak(score: scored.score.rawValue, label: scored.score.word, minimum: minimum,
                         warning: scored.feedback.warning?.message)
            } else { nil }

        let isWeak: Bool =
            switch strength {
            case .notScored: false
            case .unavailable: true
            case .scored: requirements.asksAbout(score: score ?? 0)
            }
        return PasswordVerdict(
            strength: strength, policyChecks: checks,
            truncation: PasswordHasher(rounds: 0, pepper: requirements.pepper).truncation(of: password),
            refusal: refusal, overridesPolicy: failsPolicy && requirements.ignoresPolicy, isWeak: isWeak)
    }
}

// MARK: - Strength as every front end words it

/// The words for a strength estimate, the same in the form, the line-by-line prompts and flag mode.
///
/// zxcvbn's own labels ("safely unguessable") describe online guessing only, so beside the time an
/// offline attack takes ("3 hours") they read as a contradiction. Here the score is one plain word
/// that claims nothing, and one line says what each attack would take.
package enum StrengthWording {
    /// "very weak", "weak", "fair", "good" or "strong", for a score from 0 to 4.
    package static func word(for score: Int) -> String {
        ["very weak", "weak", "fair", "good", "strong"][min(max(score, 0), 4)]
    }

    /// The score with its word, as the meter and messages show it: "2/4 (fair)".
    package static func scoreText(_ score: Int) -> String { "\(score)/4 (\(word(for: score)))" }

    /// What guessing the password takes, in one line: through the login, where Synapse's rate
    /// limits slow an attacker, and from a stolen bcrypt hash, at 10⁴ guesses a second.
    ///
    /// - Parameter crackTime: the offline time as zxcvbn displays it ("3 hours", "centuries").
    package static func guessingLine(score: Int, crackTime: String) -> String {
        let online =
            switch score {
            case ...0: "guessed in a few tries"
            case 1: "held off only by login rate limits"
            default: "out of reach"
            }
        return "Online: \(online). From a stolen bcrypt hash: \(crackTime)."
    }
}

extension StrengthScore {
    /// The score's word in ``StrengthWording``.
    package var word: String { StrengthWording.word(for: rawValue) }
}

extension PasswordStrength {
    /// ``StrengthWording/guessingLine(score:crackTime:)`` for this estimate.
    package var guessingLine: String {
        StrengthWording.guessingLine(score: score.rawValue, crackTime: crackTime.display)
    }
}

// MARK: - The --check-password line

extension PasswordVerdict {
    /// The verdict as one line of JSON, for `--check-password`.
    ///
    /// Keys, in this order: `score` (0–4), `guesses`, `guesses_log10`, `crack_time`
    /// (`seconds` and `display`, for an offline attack on bcrypt at 10⁴ guesses/s), `warning`
    /// (a string, `null` when none), `suggestions` (strings), `truncated` (true when only the
    /// first 100 characters were scored), `bcrypt_truncates`; then, when `withPolicy`, `policy`
    /// (objects with `code`, `rule` and `passed`) and `policy_passed`. The estimate must have been
    /// scored (a judge that ``PasswordJudge/scoresAlways``).
    package func jsonLine(withPolicy: Bool) -> String {
        var json = JSONObject()
        if let strength = strength.strength {
            json.field("score", strength.score.rawValue)
            json.field("guesses", strength.guesses)
            json.field("guesses_log10", strength.guessesLog10)
            var crack = JSONObject()
            crack.field("seconds", strength.crackTime.seconds)
            crack.field("display", strength.crackTime.display)
            json.field("crack_time", crack)
            json.field("warning", strength.feedback.warning?.message)
            json.field("suggestions", strength.feedback.suggestions.map(\.message))
            json.field("truncated", strength.isTruncated)
        }
        json.field("bcrypt_truncates", truncation != .none)
        if withPolicy {
            json.field("policy", policyChecks.map { check in
                var object = JSONObject()
                object.field("code", check.code)
                object.field("rule", check.rule)
                object.field("passed", check.passed)
                return object
            })
            json.field("policy_passed", meetsPolicy)
        }
        return json.text
    }
}
