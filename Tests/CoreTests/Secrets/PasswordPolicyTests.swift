import Testing
import TestSupport
@testable import Core

@Suite struct PasswordPolicyTests {
    @Test func disabledPolicyHasNoChecks() {
        #expect(PasswordPolicy(enabled: false, minimumLength: 10).checks(for: "x").isEmpty)
    }

    @Test func reportsEachRuleInSynapseOrder() {
        let policy = PasswordPolicy(
            enabled: true, minimumLength: 8, requireDigit: true, requireSymbol: true,
            requireUppercase: true, requireLowercase: true)
        let checks = policy.checks(for: "abc")
        #expect(checks.map(\.code) == [
            "M_PASSWORD_TOO_SHORT", "M_PASSWORD_NO_DIGIT", "M_PASSWORD_NO_SYMBOL",
            "M_PASSWORD_NO_UPPERCASE", "M_PASSWORD_NO_LOWERCASE",
        ])
        #expect(checks.map(\.passed) == [false, false, false, false, true])
        #expect(checks[0].failureMessage == "The password must be at least 8 characters long")
    }

    @Test func countsCodePointsNotBytes() {
        let policy = PasswordPolicy(enabled: true, minimumLength: 4)
        #expect(policy.checks(for: "äöüß").allSatisfy { $0.passed })
        // Non-ASCII letters are symbols to Synapse's [^a-zA-Z0-9].
        #expect(PasswordPolicy(enabled: true, requireSymbol: true).checks(for: "é")[0].passed)
    }
}
