import Testing
import TestSupport
@testable import Core

/// The vectors were computed with pyca bcrypt 5.0.0 and a fixed salt, preparing the password as
/// Synapse does (NFKC, pepper appended, cut to 72 bytes).
@Suite struct PasswordHasherTests {
    static let salt = "abcdefghijklmnopqrstuu"

    struct Vector: Sendable, CustomTestStringConvertible {
        let password: String
        let pepper: String
        let rounds: Int
        let hash: String
        var testDescription: String { "\(password.prefix(16)) + '\(pepper)' at \(rounds)" }
    }

    static let vectors: [Vector] = [
        .init(password: "correct horse", pepper: "", rounds: 4,
              hash: "$2b$04$abcdefghijklmnopqrstuujydOTSfIH/d5oUHpsygqV5X9xJLQc6e"),
        .init(password: "correct horse", pepper: "PEPPER", rounds: 4,
              hash: "$2b$04$abcdefghijklmnopqrstuucMort5/0PPOMpCdzuxgo.2/XDWUq1wS"),
        .init(password: "\u{FB01}sh", pepper: "", rounds: 4,
              hash: "$2b$04$abcdefghijklmnopqrstuuC/7ze8doKjXDCv/v.3BRzytBpn/bJlG"),
        .init(password: "fish", pepper: "", rounds: 4,
              hash: "$2b$04$abcdefghijklmnopqrstuuC/7ze8doKjXDCv/v.3BRzytBpn/bJlG"),
        .init(password: String(repeating: "A", count: 80), pepper: "", rounds: 4,
              hash: "$2b$04$abcdefghijklmnopqrstuusBdtCq5VHp1ZWh/QwIMafig7GoIpK9C"),
        .init(password: String(repeating: "A", count: 72), pepper: "XYZ", rounds: 4,
              hash: "$2b$04$abcdefghijklmnopqrstuusBdtCq5VHp1ZWh/QwIMafig7GoIpK9C"),
        .init(password: "correct horse", pepper: "", rounds: 12,
              hash: "$2b$12$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK2"),
    ]

    @Test(arguments: vectors)
    func matchesSynapseVectors(_ vector: Vector) throws {
        let hasher = PasswordHasher(rounds: vector.rounds, pepper: Secret(vector.pepper))
        let setting = String(format: "$2b$%02d$", vector.rounds) + Self.salt
        #expect(try hasher.hash(Secret(vector.password), setting: setting) == vector.hash)
        #expect(hasher.verify(Secret(vector.password), against: vector.hash))
    }

    @Test func freshHashesUseTheConfiguredCostAndVerify() throws {
        let hasher = PasswordHasher(rounds: 5, pepper: Secret("p"))
        let hash = try hasher.hash(Secret("s3cret pässword"))
        #expect(hash.hasPrefix("$2b$05$"))
        #expect(hash.count == 60)
        #expect(hasher.verify(Secret("s3cret pässword"), against: hash))
        #expect(!hasher.verify(Secret("s3cret password"), against: hash))
        #expect(!PasswordHasher(rounds: 5, pepper: Secret("")).verify(Secret("s3cret pässword"), against: hash))
        #expect(try hasher.hash(Secret("x")) != hasher.hash(Secret("x")), "every hash gets its own salt")
    }

    @Test func reportsWhatTheLimitCuts() {
        let hasher = PasswordHasher(rounds: 4, pepper: Secret("pepper"))
        #expect(hasher.truncation(of: Secret("short")) == .none)
        #expect(hasher.truncation(of: Secret(String(repeating: "é", count: 40))) == .passwordCut(usedBytes: 72))
        #expect(hasher.truncation(of: Secret(String(repeating: "a", count: 70))) == .pepperCut)
    }

    @Test(arguments: [
        ("", "the password is empty"),
        ("a\0b", "the password contains a NUL character"),
        (String(repeating: "x", count: 513), "the password is longer than 512 characters"),
    ])
    func refusesWhatSynapseRefuses(_ password: String, _ message: String) {
        #expect(throws: PasswordError(message: message)) { try PasswordHasher.validate(Secret(password)) }
    }

    @Test func acceptsTheLongestPasswordSynapseAccepts() throws {
        try PasswordHasher.validate(Secret(String(repeating: "ü", count: 512)))
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }
}
