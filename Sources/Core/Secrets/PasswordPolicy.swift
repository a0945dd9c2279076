/// The server's password policy, `password_config.policy` in homeserver.yaml (MSC2000).
///
/// Synapse enforces it only on the client `/register` and `/account/password` endpoints; its admin
/// paths ignore it. This tool enforces it by default, because an admin who configured a policy
/// expects accounts to meet it, and offers an explicit override.
public struct PasswordPolicy: Sendable, Equatable {
    public var enabled = false
    public var minimumLength = 0
    public var requireDigit = false
    public var requireSymbol = false
    public var requireUppercase = false
    public var requireLowercase = false

    public init(
        enabled: Bool = false, minimumLength: Int = 0, requireDigit: Bool = false,
        requireSymbol: Bool = false, requireUppercase: Bool = false, requireLowercase: Bool = false
    ) {
        self.enabled = enabled
        self.minimumLength = minimumLength
        self.requireDigit = requireDigit
        self.requireSymbol = requireSymbol
        self.requireUppercase = requireUppercase
        self.requireLowercase = requireLowercase
    }

    /// One rule of the policy and whether a password meets it.
    public struct Check: Sendable, Equatable {
        /// Synapse's error code for the rule, e.g. `M_PASSWORD_TOO_SHORT`.
        public let code: String
        /// The rule as a checklist line: "at least 8 characters".
        public let rule: String
        /// Synapse's wording when the rule fails: "The password must be at least 8 characters long".
        public let failureMessage: String
        public let passed: Bool
    }

    /// Every configured rule, in Synapse's order, each passed or failed.
    ///
    /// Empty when the policy is disabled. Lengths count Unicode code points, as Python's `len`
    /// does; the character classes are ASCII, as in Synapse's regular expressions.
    public func checks(for password: String) -> [Check] {
        guard enabled else { return [] }
        var result: [Check] = []
        if minimumLength > 0 {
            result.append(Check(
                code: "M_PASSWORD_TOO_SHORT",
                rule: "at least \(minimumLength) characters",
                failureMessage: "The password must be at least \(minimumLength) characters long",
                passed: password.unicodeScalars.count >= minimumLength))
        }
        let scalars = password.unicodeScalars
        func has(_ test: (Unicode.Scalar) -> Bool) -> Bool { scalars.contains(where: test) }
        if requireDigit {
            result.append(Check(
                code: "M_PASSWORD_NO_DIGIT", rule: "a digit",
                failureMessage: "The password must include at least one digit",
                passed: has { ("0"..."9").contains($0) }))
        }
        if requireSymbol {
            result.append(Check(
                code: "M_PASSWORD_NO_SYMBOL", rule: "a symbol",
                failureMessage: "The password must include at least one symbol",
                passed: has { !(("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0)) }))
        }
        if requireUppercase {
            result.append(Check(
                code: "M_PASSWORD_NO_UPPERCASE", rule: "an uppercase letter",
                failureMessage: "The password must include at least one uppercase letter",
                passed: has { ("A"..."Z").contains($0) }))
        }
        if requireLowercase {
            result.append(Check(
                code: "M_PASSWORD_NO_LOWERCASE", rule: "a lowercase letter",
                failureMessage: "The password must include at least one lowercase letter",
                passed: has { ("a"..."z").contains($0) }))
        }
        return result
    }
}
