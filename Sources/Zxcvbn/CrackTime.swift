// MARK: - Crack time

/// How long an offline attacker takes to reach a password's guess count on a slow hash.
///
/// zxcvbn's `offline_slow_hashing_1e4_per_second` scenario: 10,000 guesses per second, which
/// suits the bcrypt hashes Synapse stores.
public struct CrackTime: Sendable, Equatable {
    /// Guesses per second assumed for an offline attack on a slow hash.
    public static let guessesPerSecond = 1e4

    /// The time in seconds.
    public let seconds: Double

    /// Creates the crack time for `guesses`.
    public init(guesses: Double) {
        self.seconds = guesses / Self.guessesPerSecond
    }

    /// zxcvbn's wording: "less than a second", "3 hours", "1 month", "centuries".
    ///
    /// Months are 31 days and years 12 such months; a count is rounded half to even.
    public var display: String {
        let minute = 60.0, hour = minute * 60, day = hour * 24, month = day * 31
        let year = month * 12, century = year * 100
        let units: [(limit: Double, size: Double, name: String)] = [
            (minute, 1, "second"), (hour, minute, "minute"), (day, hour, "hour"),
            (month, day, "day"), (year, month, "month"), (century, year, "year"),
        ]
        if seconds < 1 { return "less than a second" }
        guard let unit = units.first(where: { seconds < $0.limit }) else { return "centuries" }
        let count = Int((seconds / unit.size).rounded(.toNearestOrEven))
        return "\(count) \(unit.name)\(count == 1 ? "" : "s")"
    }
}
