/// The server's password policy, `password_config.policy` in homeserver.yaml (MSC2000).
///
/// Synapse enforces it only on the client `/register` and `/account/password` endpoints; its admin
/// paths ignore it. This tool enforces it by default, because an admin who configured a policy
/// expects accounts to meet it, and offers an explicit override.
package struct PasswordPolicy: Sendable, Equatable {
    package var enabled = false
    package var minimumLength = 0
    package var requireDigit = false
    package var requireSymbol = false
    package var requireUppercase = false
    package var requireLowercase = false

    package init(
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
    package struct Check: Sendable, Equatable {
        /// Synapse's error code for the rule, e.g. `M_PASSWORD_TOO_SHORT`.
        package let code: String
        /// The rule as a checklist line: "at least 8 characters".
        package let rule: String
        /// Synapse's wording when the rule fails: "The password must be at least 8 characters long".
        package let failureMessage: String
        package let passed: Bool
    }

    /// Every configured rule, in Synapse's order, each passed or failed.
    ///
    /// Empty when the policy is disabled. Lengths count Unicode code points, as Python's `len`
    /// does; the character classes are ASCII, as in Synapse's regular expressions.
    package func checks(for password: String) -> [Check] {
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
