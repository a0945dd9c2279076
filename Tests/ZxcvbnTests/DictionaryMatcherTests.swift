import Testing
@testable import Zxcvbn

extension StrengthTests {
    @Suite struct DictionaryMatcherTests {
        @Test func findsEveryListedSubstringInEachList() {
            let matches = found("password", by: { $0.dictionaryMatches })
            let whole = matches.filter { $0.span == 0...7 }
            #expect(whole.map { $0.word!.dictionary } == [.passwords])
            #expect(whole.first?.word?.rank == 2)
            #expect(whole.first?.guesses == 2)
            #expect(matches.contains { $0.span == 0...3 && $0.word?.rank == 61 })  // "pass"
            #expect(matches.contains { $0.span == 4...7 && $0.word?.dictionary == .usTVAndFilm })  // "word"
            #expect(matches.contains { $0.span == 1...2 && $0.word?.dictionary == .englishWikipedia && $0.word?.rank == 8 })  // "as"
        }

        @Test func ignoresCaseButCountsCapitalisations() {
            // "PassWord": 2 upper, 6 lower → C(8,1) + C(8,2) = 36 variations of rank 2.
            let match = found("PassWord", by: { $0.dictionaryMatches }).first { $0.span == 0...7 }
            #expect(match?.guesses == 72)
            #expect(PatternMatcher.uppercaseVariations(text("Password").units[...]) == 2)
            #expect(PatternMatcher.uppercaseVariations(text("PASSWORD").units[...]) == 2)
            #expect(PatternMatcher.uppercaseVariations(text("passworD").units[...]) == 2)
            #expect(PatternMatcher.uppercaseVariations(text("élan").units[...]) == 1)
        }

        @Test func reversedWordsCostTwiceAsMuch() {
            let match = found("drowssap", by: { $0.reversedDictionaryMatches }).first { $0.span == 0...7 }
            #expect(match?.word?.reversed == true)
            #expect(match?.word?.rank == 2)
            #expect(match?.guesses == 4)
        }

        @Test func callerWordsAreADictionaryRankedByPosition() {
            let matches = found("xAlice", userInputs: ["bob", "alice", "ALICE"], by: { $0.dictionaryMatches })
            let user = matches.filter { $0.word?.dictionary == .userInputs }
            #expect(user.map(\.span) == [1...5])
            #expect(user.first?.word?.rank == 3)  // a repeated word keeps its last position, as in zxcvbn
        }

        @Test func nonASCIICallerWordsMatchIgnoringCase() {
            let matches = found("ÉLODIE1", userInputs: ["Élodie"], by: { $0.dictionaryMatches })
            #expect(matches.contains { $0.span == 0...5 && $0.word?.dictionary == .userInputs })
        }
    }

    @Suite struct L33tMatcherTests {
        @Test func undoesSubstitutions() {
            // p4ssw0rd: rank 2, and each fully substituted letter doubles the guesses.
            let match = found("p4ssw0rd", by: { $0.l33tMatches }).first { $0.span == 0...7 && $0.word?.dictionary == .passwords }
            #expect(match?.word?.substitutions.map { [$0.substitute, $0.letter] } == [[0x34, 0x61], [0x30, 0x6F]])
            #expect(match?.guesses == 8)
        }

        @Test func mixedSubstitutionsCountLikeCapitals() {
            // "a4a": one of two a's substituted → C(3,1) = 3 variations.
            #expect(PatternMatcher.l33tVariations(text("4aa").lowered, [(0x34, 0x61)]) == 3)
        }

        @Test func ambiguousCharactersForkTheReadings() {
            let readings = PatternMatcher.l33tReadings(of: text("1|7").units).map { reading in
                reading.map { "\(Unicode.Scalar($0.substitute)!)\(Unicode.Scalar($0.letter)!)" }.sorted()
            }
            #expect(readings.count == 8)
            #expect(readings.first == ["1i", "7t"])
            #expect(readings.contains(["1l", "7t", "|i"]))
            #expect(PatternMatcher.l33tReadings(of: text("plain").units).isEmpty)
        }

        @Test func needsAnActualSubstitutionAndTwoCharacters() {
            let matches = found("password", by: { $0.l33tMatches })
            #expect(matches.isEmpty)
        }
    }
}
