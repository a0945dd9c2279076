/// Random passwords, for the form's "generate" action and for bulk rows that give none.
package enum PasswordGenerator {
    /// Letters and digits without the look-alikes (`0`/`O`, `1`/`l`/`I`), so a password read off
    /// the screen can be typed back.
    package static let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// Groups of five characters joined by hyphens, from the system's random generator: four
    /// groups (about 115 bits), more when the policy asks for a longer password.
    ///
    /// The hyphens are the policy's symbol; a draw that lacks a digit, a lower- or an upper-case
    /// letter the policy requires is drawn again, so a generated password always meets `policy`.
    package static func generate(meeting policy: PasswordPolicy = PasswordPolicy()) -> Secret {
        // g groups are 6g - 1 characters long (five each, a hyphen between two).
        let groups = max(4, (policy.minimumLength + 6) / 6)
        var generator = SystemRandomNumberGenerator()
        while true {
            let candidate = (0..<groups).map { _ in
                String((0..<5).map { _ in alphabet.randomElement(using: &generator)! })
            }.joined(separator: "-")
            // Each requirement fails a draw with probability under 1/20, so this ends at once.
            if policy.checks(for: candidate).allSatisfy(\.passed) { return Secret(candidate) }
        }
    }
}
