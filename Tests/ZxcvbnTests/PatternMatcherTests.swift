import Testing
@testable import Zxcvbn

extension StrengthTests {
    @Suite struct SpatialMatcherTests {
        @Test func countsTurnsAndShiftedKeys() {
            let matches = found("qwER43@!", by: { $0.spatialMatches })
            let described = matches.map { match -> String in
                guard case .spatial(let graph, let turns, let shifted) = match.pattern else { return "?" }
                return "\(match.span) \(graph.rawValue) turns=\(turns) shifted=\(shifted)"
            }
            #expect(described == ["0...7 qwerty turns=3 shifted=4", "4...7 dvorak turns=1 shifted=2"])
        }

        @Test func straightRowGuessesFollowTheAverageDegree() {
            // One turn, lengths 2 to 6: 5 × 94 starting keys × 4.5957… average qwerty degree.
            let match = found("zxcvbn", by: { $0.spatialMatches }).first { $0.span == 0...5 }
            let degree = estimator.data.graphs[0].averageDegree
            #expect(abs(degree - 4.595744680851064) < 1e-12)
            #expect(match.map { abs($0.guesses - 5 * 94 * degree) < 1e-6 } == true)
        }

        @Test func ignoresRunsShorterThanThree() {
            #expect(found("qw", by: { $0.spatialMatches }).isEmpty)
            #expect(found("qwz", by: { $0.spatialMatches }).allSatisfy { $0.span != 0...2 || $0.length < 3 })
        }
    }

    @Suite struct RepeatMatcherTests {
        @Test func findsShortestBasesLeftToRight() {
            let matches = found("aabaabaabaab!!!xyxy", by: { $0.repeatMatches })
            let described = matches.map { match -> String in
                guard case .repetition(let repetition) = match.pattern else { return "?" }
                return "\(match.span) \(PasswordText(repetition.base).string(0, repetition.base.count - 1))×\(Int(repetition.count))"
            }
            #expect(described == ["0...11 aab×4", "12...14 !×3", "15...18 xy×2"])
        }

        @Test func guessesTheBaseThenMultiplies() {
            // "abc" is a sequence worth 4 × 3 = 12 guesses alone, 13 with the sequence term; × 3 copies.
            let match = found("abcabcabc", by: { $0.repeatMatches }).first
            #expect(match?.guesses == 39)
            #expect(found("aaaaa", by: { $0.repeatMatches }).first?.guesses == 60)
        }
    }

    @Suite struct SequenceMatcherTests {
        @Test func splitsOnChangesOfStep() {
            let matches = found("abcdb975zy", by: { $0.sequenceMatches })
            let described = matches.map { match -> String in
                guard case .sequence(let name, let ascending) = match.pattern else { return "?" }
                return "\(match.span) \(name.rawValue) \(ascending ? "up" : "down")"
            }
            #expect(described == ["0...3 lower up", "5...7 digits down", "8...9 lower down"])
        }

        @Test func obviousStartsAreCheaper() {
            #expect(found("abcdef", by: { $0.sequenceMatches }).first?.guesses == 24)  // 4 × 6
            #expect(found("9753", by: { $0.sequenceMatches }).first?.guesses == 32)  // 4 × 2 (descending) × 4
            #expect(found("mnop", by: { $0.sequenceMatches }).first?.guesses == 104)  // 26 × 4
        }

        @Test func otherAlphabetsAreUnicodeSequences() {
            guard case .sequence(let name, _)? = found("αβγδ", by: { $0.sequenceMatches }).first?.pattern else {
                Issue.record("no sequence")
                return
            }
            #expect(name == .unicode)
        }
    }

    @Suite struct YearAndDateMatcherTests {
        @Test func recentYearsScoreByDistanceFromTheReferenceYear() {
            #expect(found("1987", by: { $0.recentYearMatches }).first?.guesses == 30)
            #expect(found("2016", by: { $0.recentYearMatches }).first?.guesses == 20)  // at least 20 years
            #expect(found("2020", by: { $0.recentYearMatches }).isEmpty)  // only 1900–2019 read as years
            #expect(found("x19991", by: { $0.recentYearMatches }).map(\.span) == [1...4])
        }

        @Test func datesWithSeparators() {
            let match = found("13/11/1991", by: { $0.dateMatches }).first
            guard case .date(let year, let month, let day, let separator)? = match?.pattern else {
                Issue.record("no date")
                return
            }
            #expect([year, month, day] == [1991, 11, 13])
            #expect(separator == 0x2F)
            #expect(match?.guesses == 37_960)  // 26 years from 2017 × 365 days × 4 separators
        }

        @Test func prefersTheYearNearestTheReferenceYear() {
            // 111504 could be 1-1-1504 or 11-15-04; 2004 is nearer 2017.
            guard case .date(let year, let month, let day, nil)? = found("111504", by: { $0.dateMatches }).first?.pattern
            else {
                Issue.record("no date")
                return
            }
            #expect([year, month, day] == [2004, 11, 15])
        }

        @Test func dropsDatesInsideLongerDates() {
            #expect(found("2015_06_04", by: { $0.dateMatches }).map(\.span) == [0...9])
        }

        static let dates: [([Int], String)] = [
            ([1, 1, 1991], "1991-1-1"), ([1991, 12, 31], "1991-12-31"), ([31, 12, 99], "1999-12-31"),
            ([5, 6, 7], "2007-6-5"), ([0, 0, 1991], "nil"), ([1, 40, 1991], "nil"), ([13, 13, 13], "nil"),
            ([1, 1, 2051], "nil"), ([1, 1, 150], "nil"), ([32, 1, 91], "nil"),
        ]

        @Test(arguments: dates)
        func mapsNumbersToDates(numbers: [Int], expected: String) {
            let date = PatternMatcher.dayMonthYear(numbers)
            #expect(date.map { "\($0.year)-\($0.month)-\($0.day)" } ?? "nil" == expected)
        }
    }
}
