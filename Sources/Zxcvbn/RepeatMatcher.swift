// MARK: - Repeats

extension PatternMatcher {
    /// Repeated bases such as `aaaa` or `abcabcabc`, each scored by a full estimate of its base.
    ///
    /// This reproduces zxcvbn's two regular expressions, greedy `(.+)\1+` and lazy `(.+?)\1+`:
    /// from the left, the first position where any base repeats; there, the longer of the
    /// greedy match (longest base that repeats) and the lazy one (shortest base), each extended
    /// over as many whole copies as follow. A greedy match is then reduced to its shortest period,
    /// so `aabaabaabaab` has base `aab`. As in regular expressions, a base never holds a newline.
    func repeatMatches(_ text: PasswordText, into matches: inout [Match]) {
        let units = text.units
        var searchStart = 0
        while searchStart < units.count {
            guard let greedy = Self.firstRepeat(in: units, from: searchStart, longestBase: true),
                let lazy = Self.firstRepeat(in: units, from: searchStart, longestBase: false)
            else { break }
            let start = greedy.start
            let length: Int
            let baseLength: Int
            if greedy.baseLength * greedy.copies > lazy.baseLength * lazy.copies {
                length = greedy.baseLength * greedy.copies
                baseLength = Self.shortestPeriod(of: units[start..<start + length])
            } else {
                length = lazy.baseLength * lazy.copies
                baseLength = lazy.baseLength
            }
            let base = Array(units[start..<start + baseLength])
            let analysis = analyse(PasswordText(base))
            let repetition = Repetition(
                base: base, baseGuesses: analysis.guesses, baseSequence: analysis.sequence,
                count: Double(length) / Double(baseLength))
            matches.append(Match(i: start, j: start + length - 1, pattern: .repetition(repetition)))
            searchStart = start + length
        }
    }

    /// The leftmost position from `start` where a base repeats, with the longest or the shortest
    /// such base and the number of consecutive copies of it.
    static func firstRepeat(
        in units: [UInt32], from start: Int, longestBase: Bool
    ) -> (start: Int, baseLength: Int, copies: Int)? {
        var lineEnd = start
        for position in start..<units.count {
            if lineEnd <= position {
                lineEnd = units[position...].firstIndex(of: 0x0A) ?? units.count
            }
            let longest = min(lineEnd - position, (units.count - position) / 2)
            guard longest >= 1 else { continue }
            let lengths = longestBase ? stride(from: longest, through: 1, by: -1) : stride(from: 1, through: longest, by: 1)
            for baseLength in lengths where isCopy(units, position, baseLength, at: position + baseLength) {
                var copies = 2
                while position + (copies + 1) * baseLength <= units.count,
                    isCopy(units, position, baseLength, at: position + copies * baseLength)
                {
                    copies += 1
                }
                return (position, baseLength, copies)
            }
        }
        return nil
    }

    /// The length of the shortest base whose whole copies make up `units`.
    static func shortestPeriod(of units: ArraySlice<UInt32>) -> Int {
        let start = units.startIndex
        for period in 1...units.count / 2 where units.count % period == 0 {
            if stride(from: start + period, to: units.endIndex, by: period).allSatisfy({
                isCopy(units, start, period, at: $0)
            }) {
                return period
            }
        }
        return units.count
    }

    @inline(__always)
    private static func isCopy<C: RandomAccessCollection<UInt32>>(
        _ units: C, _ base: C.Index, _ length: Int, at other: C.Index
    ) -> Bool where C.Index == Int {
        for offset in 0..<length where units[base + offset] != units[other + offset] { return false }
        return true
    }
}
