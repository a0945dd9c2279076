import Testing
import TestSupport
@testable import Core

/// Durations are bounded, so that `now + duration` can never overflow (it once trapped).
@Suite struct SynapseDurationTests {
    let directory = TemporaryDirectory()

    func message(_ yaml: String) -> String? { directory.configRefusal(ConfigLoaderTests.base + yaml) }

    @Test func parsesSynapseUnits() throws {
        #expect(try SynapseDuration.milliseconds("1500") == 1500)
        #expect(try SynapseDuration.milliseconds("30m") == 1_800_000)
        #expect(try SynapseDuration.milliseconds("2w") == 1_209_600_000)
        #expect(try SynapseDuration.milliseconds("1000y") == SynapseDuration.maximumMilliseconds)
        #expect(throws: SynapseDuration.Problem.malformed) { try SynapseDuration.milliseconds("-5m") }
        #expect(throws: SynapseDuration.Problem.malformed) { try SynapseDuration.milliseconds("5x") }
    }

    @Test(arguments: ["1001y", "2562047788014h", "9223372036854775s", "9223372036854775807", "31536000000001"])
    func refusesDurationsBeyondAThousandYears(_ text: String) {
        #expect(throws: SynapseDuration.Problem.tooLong) { try SynapseDuration.milliseconds(text) }
    }

    @Test func parsesTokenValidity() throws {
        #expect(try SynapseDuration.tokenValidity("30") == 30 * 86_400_000)
        #expect(try SynapseDuration.tokenValidity("0.5") == 43_200_000)
        #expect(try SynapseDuration.tokenValidity("12h") == 43_200_000)
        #expect(try SynapseDuration.tokenValidity("365000") == SynapseDuration.maximumMilliseconds)
    }

    @Test(arguments: [
        ("9223372036854775s", SynapseDuration.Problem.tooLong), ("2562047788014h", .tooLong), ("365001", .tooLong),
        ("1e300", .tooLong), ("0", .notPositive), ("-1", .notPositive), ("0s", .notPositive),
        ("1e-12", .notPositive), ("soon", .malformed), ("inf", .malformed), ("nan", .malformed), ("", .malformed),
    ])
    func refusesTokenValidity(_ text: String, _ problem: SynapseDuration.Problem) {
        #expect(throws: problem) { try SynapseDuration.tokenValidity(text) }
    }

    @Test func boundsTheWizardsDays() throws {
        #expect(try SynapseDuration.milliseconds(days: 365_000) == SynapseDuration.maximumMilliseconds)
        #expect(throws: SynapseDuration.Problem.tooLong) { try SynapseDuration.milliseconds(days: Int.max) }
        #expect(throws: SynapseDuration.Problem.notPositive) { try SynapseDuration.milliseconds(days: 0) }
    }

    @Test(arguments: ["session_lifetime", "nonrefreshable_access_token_lifetime"])
    func refusesConfigLifetimesThatWouldOverflow(_ key: String) {
        #expect(message("\(key): 2562047788014h") ==
            "homeserver.yaml:3:\(key.count + 3): \(key): '2562047788014h' is longer than 1000 years, the longest duration accepted")
        #expect(message("\(key): 9223372036854775807")?.hasSuffix("is longer than 1000 years, the longest duration accepted") == true)
    }

    @Test func refusesAnAccountValidityPeriodThatWouldOverflow() {
        #expect(message("account_validity: {enabled: true, period: 9223372036854775807}") ==
            "homeserver.yaml:3:43: account_validity.period: '9223372036854775807' is longer than 1000 years, the longest duration accepted")
    }

    @Test func refusesANegativeIntegerDuration() {
        #expect(message("session_lifetime: -1") ==
            "homeserver.yaml:3:19: session_lifetime: expected a duration such as 3600000, \"1h\" or \"30d\", got '-1'")
    }

    @Test func expirySaturatesForValuesSetInCode() {
        #expect(RegistrationPlan.later(1_000, by: .max) == .max)
        #expect(RegistrationPlan.later(-1_000, by: .min) == .min)
        #expect(RegistrationPlan.later(1_000, by: 500) == 1_500)
        var config = HomeserverConfig(serverName: "example.org")
        config.sessionLifetimeMs = .max
        config.nonrefreshableAccessTokenLifetimeMs = .max
        #expect(RegistrationPlan.expiry(TokenRequest(), config: config, nowMs: 1_000) == .max)
        #expect(RegistrationPlan.expiry(TokenRequest(validityMs: .max), config: config, nowMs: 1_000) == .max)
    }
}
