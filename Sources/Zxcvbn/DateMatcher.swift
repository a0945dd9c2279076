// MARK: - Dates

/// The earliest and latest years a date may have.
private let dateYears = 1000...2050

/// The ways zxcvbn splits a run of 4 to 8 digits into three numbers: the start of the second
/// and of the third number.
private let digitSplits: [Int: [(Int, Int)]] = [
    4: [(1, 2), (2, 3)],
    5: [(1, 3), (2, 3)],
    6: [(1, 2), (2, 4), (4, 5)],
    7: [(1, 3), (2, 3), (4, 5), (4, 6)],
    8: [(2, 4), (4, 6)],
]

extension PatternMatcher {
    /// Dates with a two- or four-digit year, as `13111991`, `1991-11-13` or `3.7.08`.
    ///
    /// Every substring of 4 to 8 digits, and of 6 to 10 characters with two equal separators,
    /// is read as day, month and year in each order zxcvbn allows; among a digit run's readings
    /// the year nearest the reference year wins. Dates inside a longer date are dropped.
    func dateMatches(_ text: PasswordText, into matches: inout [Match]) {
        let units = text.units
        var found: [Match] = []
        if units.count >= 4 {
            for i in 0...(units.count - 4) {
                for j in (i + 3)..<min(i + 8, units.count) {
                    guard let match = Self.undelimitedDate(units, i, j) else { continue }
                    found.append(match)
                }
            }
        }
        if units.count >= 6 {
            for i in 0...(units.count - 6) {
                for j in (i + 5)..<min(i + 10, units.count) {
                    guard let match = Self.delimitedDate(units, i, j) else { continue }
                    found.append(match)
                }
            }
        }
        let outermost = found.filter { match in
            !found.contains { other in
                (other.i != match.i || other.j != match.j) && other.i <= match.i && other.j >= match.j
            }
        }
        matches.append(contentsOf: outermost.stableSorted())
    }

    /// Reads `units[i...j]`, 4 to 8 digits, as a date in each of zxcvbn's splits for its length,
    /// keeping the reading whose year is nearest the reference year (the first of equals).
    private static func undelimitedDate(_ units: [UInt32], _ i: Int, _ j: Int) -> Match? {
        var digits: [Int] = []
        for unit in units[i...j] {
            guard let digit = unit.decimalDigitValue else { return nil }
            digits.append(digit)
        }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        var best: (year: Int, month: Int, day: Int)?
        for (second, third) in digitSplits[digits.count]! {
            let numbers = [number(0..<second), number(second..<third), number(third..<digits.count)]
            guard let date = dayMonthYear(numbers) else { continue }
            if best == nil || abs(date.year - referenceYear) < abs(best!.year - referenceYear) { best = date }
        }
        guard let best else { return nil }
        return Match(i: i, j: j, pattern: .date(year: best.year, month: best.month, day: best.day, separator: nil))
    }

    /// Reads `digits{1,4} sep digits{1,2} sep digits{1,4}` where both separators are the same one
    /// of whitespace, `/`, `\`, `_`, `.` or `-`.
    private static func delimitedDate(_ units: [UInt32], _ i: Int, _ j: Int) -> Match? {
        var numbers: [Int] = []
        var digitCounts: [Int] = []
        var separator: UInt32?
        var current: Int?
        var count = 0
        for unit in units[i...j] {
            if let digit = unit.decimalDigitValue {
                current = (current ?? 0) * 10 + digit
                count += 1
                continue
            }
            guard let value = current, unit.isPythonWhitespace || "/\\_.-".unicodeScalars.contains(where: { $0.value == unit }),
                separator == nil || separator == unit
            else { return nil }
            separator = unit
            numbers.append(value)
            digitCounts.append(count)
            current = nil
            count = 0
        }
        guard let last = current, let separator, numbers.count == 2 else { return nil }
        numbers.append(last)
        digitCounts.append(count)
        guard digitCounts[0] <= 4, digitCounts[1] <= 2, digitCounts[2] <= 4,
            let date = dayMonthYear(numbers)
        else { return nil }
        return Match(
            i: i, j: j, pattern: .date(year: date.year, month: date.month, day: date.day, separator: separator))
    }

    /// Maps three numbers to a day, month and year, or rejects them, following zxcvbn's rules.
    ///
    /// The middle number is never the year. A four-digit year at either end is taken first;
    /// otherwise a two-digit year at either end, read as 19xx above 50 and 20xx up to 50.
    static func dayMonthYear(_ numbers: [Int]) -> (year: Int, month: Int, day: Int)? {
        guard (1...31).contains(numbers[1]) else { return nil }
        var over12 = 0
        var over31 = 0
        var under1 = 0
        for number in numbers {
            if (100..<dateYears.lowerBound).contains(number) || number > dateYears.upperBound { return nil }
            if number > 31 { over31 += 1 }
            if number > 12 { over12 += 1 }
            if number <= 0 { under1 += 1 }
        }
        if over31 >= 2 || over12 == 3 || under1 >= 2 { return nil }

        let splits = [(numbers[2], numbers[0], numbers[1]), (numbers[0], numbers[1], numbers[2])]
        for (year, first, second) in splits where dateYears.contains(year) {
            guard let (day, month) = dayMonth(first, second) else { return nil }
            return (year, month, day)
        }
        for (year, first, second) in splits {
            guard let (day, month) = dayMonth(first, second) else { continue }
            return (year > 99 ? year : year > 50 ? year + 1900 : year + 2000, month, day)
        }
        return nil
    }

    /// Reads two numbers as day then month, or else month then day.
    private static func dayMonth(_ first: Int, _ second: Int) -> (day: Int, month: Int)? {
        for (day, month) in [(first, second), (second, first)]
        where (1...31).contains(day) && (1...12).contains(month) {
            return (day, month)
        }
        return nil
    }
}
