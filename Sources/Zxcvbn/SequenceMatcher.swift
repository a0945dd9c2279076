// MARK: - Sequences

/// The largest step between code points that still reads as a sequence (`aceg`, `9753`).
private let maximumSequenceStep = 5

extension PatternMatcher {
    /// Runs of characters whose code points move by a constant step of 1 to 5, either way, such
    /// as `abcd`, `9753` or `ZYX`; two characters suffice when the step is exactly 1.
    func sequenceMatches(_ text: PasswordText, into matches: inout [Match]) {
        let units = text.units
        guard units.count > 1 else { return }

        func record(_ i: Int, _ j: Int, _ step: Int) {
            guard j - i > 1 || abs(step) == 1, (1...maximumSequenceStep).contains(abs(step)) else { return }
            let token = units[i...j]
            let name: SequenceName =
                if token.allSatisfy(\.isASCIILowercase) { .lower }
                else if token.allSatisfy(\.isASCIIUppercase) { .upper }
                else if token.allSatisfy({ $0.decimalDigitValue != nil }) { .digits }
                else { .unicode }
            matches.append(Match(i: i, j: j, pattern: .sequence(name: name, ascending: step > 0)))
        }

        var i = 0
        var lastStep = Int(units[1]) - Int(units[0])
        for k in 1..<units.count {
            let step = Int(units[k]) - Int(units[k - 1])
            if step == lastStep { continue }
            record(i, k - 1, lastStep)
            i = k - 1
            lastStep = step
        }
        record(i, units.count - 1, lastStep)
    }
}

// MARK: - Recent years

extension PatternMatcher {
    /// Years from 1900 to 2019 (`19\d\d|200\d|201\d`), left to right without overlap.
    func recentYearMatches(_ text: PasswordText, into matches: inout [Match]) {
        let units = text.units
        var i = 0
        while i + 4 <= units.count {
            if let year = Self.recentYear(units[i..<i + 4]) {
                matches.append(Match(i: i, j: i + 3, pattern: .recentYear(year)))
                i += 4
            } else {
                i += 1
            }
        }
    }

    /// The year in `token` if it reads `19\d\d`, `200\d` or `201\d`: the leading digits are
    /// ASCII, as in the pattern, while `\d` takes a decimal digit of any script.
    private static func recentYear(_ token: ArraySlice<UInt32>) -> Int? {
        let units = Array(token)
        guard let third = units[2].decimalDigitValue, let fourth = units[3].decimalDigitValue else { return nil }
        switch (units[0], units[1], units[2]) {
        case (0x31, 0x39, _): return 1900 + third * 10 + fourth
        case (0x32, 0x30, 0x30), (0x32, 0x30, 0x31): return 2000 + third * 10 + fourth
        default: return nil
        }
    }
}
