import Core
import Testing

@Suite struct PasswordGeneratorTests {
    @Test func generatedPasswordsMeetTheStrictestPolicy() {
        let policy = PasswordPolicy(
            enabled: true, minimumLength: 40, requireDigit: true, requireSymbol: true, requireUppercase: true,
            requireLowercase: true)
        let allowed = Set(PasswordGenerator.alphabet + ["-"])
        var seen = Set<String>()
        for _ in 0..<300 {
            let password = PasswordGenerator.generate(meeting: policy).revealed
            let failed = policy.checks(for: password).filter { !$0.passed }.map(\.code)
            #expect(failed.isEmpty)
            #expect(password.allSatisfy { allowed.contains($0) })
            seen.insert(password)
        }
        #expect(seen.count == 300)
    }

    /// A length one short of the policy's would be drawn again forever: 30 once hung every generation.
    @Test func everyMinimumLengthIsMet() {
        for length in 0...100 {
            let policy = PasswordPolicy(enabled: true, minimumLength: length)
            #expect(PasswordGenerator.generate(meeting: policy).revealed.count >= length, "minimum_length \(length)")
        }
    }

    @Test func theDefaultIsFourGroupsOfFive() {
        let parts = PasswordGenerator.generate().revealed.split(separator: "-")
        #expect(parts.map(\.count) == [5, 5, 5, 5])
    }
}
