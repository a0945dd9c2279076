/// Durations written the way Synapse's config writes them (`parse_duration`), and the
/// `--token-validity` flag that borrows their units.
///
/// Every duration is bounded by ``maximumMilliseconds``, so that adding one to the current time
/// (a token's expiry, an account's validity) can never overflow a 64-bit millisecond timestamp.
package enum SynapseDuration {
    /// Why a text is not a duration this tool accepts.
    package enum Problem: Error, Sendable, Equatable {
        /// Not a number of milliseconds, nor a number with one of the units.
        case malformed
        /// Zero or negative where a lifetime must be positive (`--token-validity`).
        case notPositive
        /// Longer than ``maximumMilliseconds``.
        case tooLong
    }

    package static let second: Int64 = 1000
    package static let day: Int64 = 86_400_000
    /// A year is 365 days, as in Synapse.
    package static let year: Int64 = 365 * day

    /// 1000 years. Synapse sets no limit, but a longer lifetime means "never" in practice, and the
    /// bound keeps `now + duration` some 290 million years away from `Int64.max` milliseconds.
    package static let maximumMilliseconds: Int64 = 1000 * year
    /// The bound in days, for fields that take days.
    package static let maximumDays = Int(maximumMilliseconds / day)
    /// The bound as messages name it.
    package static let maximumDescription = "1000 years"

    /// Milliseconds for a string such as `"30m"`, with a unit `s`, `m`, `h`, `d`, `w` or `y`,
    /// or digits alone meaning milliseconds.
    package static func milliseconds(_ text: String) throws(Problem) -> Int64 {
        let units: [Character: Int64] = [
            "s": second, "m": 60 * second, "h": 3600 * second, "d": day, "w": 7 * day, "y": year,
        ]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = digits.last, let size = units[last] {
            unit = size
            digits = digits.dropLast()
        }
        guard let value = Int64(digits), value >= 0 else { throw .malformed }
        // Compared by division, so that no product is formed that could overflow.
        guard value <= maximumMilliseconds / unit else { throw .tooLong }
        return value * unit
    }

    /// An integer of milliseconds, as a YAML integer gives it.
    package static func milliseconds(_ value: Int) throws(Problem) -> Int64 {
        guard value >= 0 else { throw .malformed }
        guard value <= maximumMilliseconds else { throw .tooLong }
        return Int64(value)
    }

    /// A whole number of days (the wizard's field), from 1.
    package static func milliseconds(days: Int) throws(Problem) -> Int64 {
        guard days > 0 else { throw .notPositive }
        guard days <= maximumDays else { throw .tooLong }
        return Int64(days) * day
    }

    /// What ``tokenValidity(_:)`` accepts, as every message that refuses a lifetime names it.
    package static let tokenValidityForms =
        "a lifetime longer than zero: days (30, 0.5) or a number with a unit s, m, h, d, w or y (90m, 12h, 2w)"

    /// `--token-validity`: a bare number is days (`30`, `0.5`); a number with a unit is a
    /// duration as above (`12h`, `90m`, `2w`). The result is at least 1 ms.
    package static func tokenValidity(_ argument: String) throws(Problem) -> Int64 {
        let milliseconds: Int64
        if let days = Double(argument), days.isFinite {
            guard days > 0 else { throw .notPositive }
            guard days <= Double(maximumDays) else { throw .tooLong }
            milliseconds = Int64(days * Double(day))
        } else if let last = argument.last, last.isLetter {
            milliseconds = try Self.milliseconds(argument)
        } else {
            throw .malformed
        }
        // A fraction of a day so small that it rounds to nothing is no lifetime either.
        guard milliseconds > 0 else { throw .notPositive }
        return milliseconds
    }
}
