import Foundation

// MARK: - Report

/// Everything a front end shows under a password field: strength, the server's policy rules,
/// and whether bcrypt will silently ignore part of the password.
///
/// The CLI's `--check-password` prints it with ``jsonLine``; `--min-strength N` compares
/// ``strength`` with ``meets(minimumScore:)``.
public struct PasswordReport: Sendable, Equatable {
    /// The zxcvbn estimate.
    public let strength: PasswordStrength
    /// Each rule of the server's `password_config.policy`, passed or failed; empty when no
    /// policy is given or it is disabled.
    public let policyChecks: [PasswordPolicy.Check]
    /// Whether a policy was given, so that an empty ``policyChecks`` can be told apart.
    public let hasPolicy: Bool
    /// Whether bcrypt ignores part of the password (see ``PasswordReport/bcryptTruncates(_:pepper:)``).
    public let bcryptTruncates: Bool

    /// Estimates `password` and checks it against `policy`.
    ///
    /// - Parameters:
    ///   - userInputs: the account's own words, from
    ///     ``PasswordStrengthEstimator/userInputs(localpart:displayName:serverName:)``.
    ///   - policy: the server's `password_config.policy`, if one is configured.
    ///   - pepper: the server's `password_config.pepper`, empty when unset.
    public init(
        password: String, estimator: PasswordStrengthEstimator, userInputs: [String] = [],
        policy: PasswordPolicy? = nil, pepper: String = ""
    ) {
        strength = estimator.estimate(password, userInputs: userInputs)
        policyChecks = policy?.checks(for: password) ?? []
        hasPolicy = policy != nil
        bcryptTruncates = Self.bcryptTruncates(password, pepper: pepper)
    }

    /// Whether every policy rule passed (true when there is no policy).
    public var meetsPolicy: Bool { policyChecks.allSatisfy(\.passed) }

    /// Whether the score reaches `minimumScore` (0–4), as `--min-strength` asks.
    public func meets(minimumScore: Int) -> Bool { strength.score.rawValue >= minimumScore }

    /// Whether bcrypt sees only a prefix of what Synapse hashes: NFKC(password) + pepper, as UTF-8,
    /// is longer than 72 bytes.
    ///
    /// Synapse hashes `NFKC(password).utf8 + pepper.utf8` with bcrypt, which ignores every byte
    /// after the 72nd, so characters past that point add nothing, silently.
    public static func bcryptTruncates(_ password: String, pepper: String = "") -> Bool {
        password.precomposedStringWithCompatibilityMapping.utf8.count + pepper.utf8.count > 72
    }

    /// The report as one line of JSON with no trailing newline, for `--check-password`.
    ///
    /// Keys, in this order: `score` (0–4), `guesses`, `guesses_log10`, `crack_time`
    /// (`seconds` and `display`, for an offline attack on bcrypt at 10⁴ guesses/s), `warning`
    /// (a string, `null` when none), `suggestions` (strings), `truncated` (true when only the
    /// first 100 characters were scored), `bcrypt_truncates`; then, when a policy was given,
    /// `policy` (objects with `code`, `rule` and `passed`) and `policy_passed`.
    ///
    /// ```json
    /// {"score":0,"guesses":3,"guesses_log10":0.477,"crack_time":{"seconds":0.0003,"display":"less than a second"},…}
    /// ```
    public var jsonLine: String {
        var json = JSONLine()
        json.field("score", strength.score.rawValue)
        json.field("guesses", strength.guesses)
        json.field("guesses_log10", strength.guessesLog10)
        json.raw("crack_time", {
            var crack = JSONLine()
            crack.field("seconds", strength.crackTime.seconds)
            crack.field("display", strength.crackTime.display)
            return crack.text
        }())
        json.field("warning", strength.feedback.warning?.message)
        json.field("suggestions", strength.feedback.suggestions.map(\.message))
        json.field("truncated", strength.isTruncated)
        json.field("bcrypt_truncates", bcryptTruncates)
        if hasPolicy {
            let checks = policyChecks.map { check in
                var object = JSONLine()
                object.field("code", check.code)
                object.field("rule", check.rule)
                object.field("passed", check.passed)
                return object.text
            }
            json.raw("policy", "[" + checks.joined(separator: ",") + "]")
            json.field("policy_passed", meetsPolicy)
        }
        return json.text
    }
}

// MARK: - JSON writing

/// A JSON object written key by key, in order, on one line.
private struct JSONLine {
    private var members: [String] = []

    var text: String { "{" + members.joined(separator: ",") + "}" }

    mutating func raw(_ key: String, _ value: String) {
        members.append(Self.quoted(key) + ":" + value)
    }

    mutating func field(_ key: String, _ value: Int) { raw(key, String(value)) }
    mutating func field(_ key: String, _ value: Bool) { raw(key, value ? "true" : "false") }
    mutating func field(_ key: String, _ value: String?) { raw(key, value.map(Self.quoted) ?? "null") }
    mutating func field(_ key: String, _ value: [String]) {
        raw(key, "[" + value.map(Self.quoted).joined(separator: ",") + "]")
    }

    /// A finite number as JSON; an infinite one, which JSON lacks, as `null`.
    mutating func field(_ key: String, _ value: Double) {
        raw(key, value.isFinite ? "\(value)" : "null")
    }

    private static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
