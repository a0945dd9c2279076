// MARK: - Dictionary words, forwards and reversed

extension PatternMatcher {
    /// Calls `body(i, j, dictionary, rank)` for every ranked word equal to `lowered[i...j]`,
    /// where `i` and `j` are below `length`, the length of the password `lowered` comes from.
    ///
    /// For one `(i, j)`, the bundled lists come in their order and the caller's words last,
    /// which is the order zxcvbn consults its dictionaries in.
    func forEachDictionaryWord(
        in lowered: [UInt32], length: Int, _ body: (_ i: Int, _ j: Int, RankedDictionary, _ rank: Int) -> Void
    ) {
        lowered.withUnsafeBufferPointer { whole in
            let text = UnsafeBufferPointer(rebasing: whole[0..<length])
            for i in text.indices {
                data.words.forEachWord(in: text, from: i) { end, word in
                    data.words.forEachRank(of: word, length: end - i) { dictionary, rank in
                        body(i, end - 1, dictionary, rank)
                    }
                }
                userWords.forEachWord(in: text, from: i) { end, word in
                    body(i, end - 1, .userInputs, userWords.rank(of: word))
                }
            }
        }
    }

    /// Every substring that is a dictionary word, ignoring case.
    func dictionaryMatches(_ text: PasswordText, into matches: inout [Match]) {
        forEachDictionaryWord(in: text.lowered, length: text.count) { i, j, dictionary, rank in
            let word = DictionaryWord(dictionary: dictionary, rank: rank, reversed: false, substitutions: [])
            matches.append(Match(i: i, j: j, pattern: .dictionary(word)))
        }
    }

    /// Every substring that is a dictionary word written backwards (`drowssap`).
    func reversedDictionaryMatches(_ text: PasswordText, into matches: inout [Match]) {
        let last = text.count - 1
        var found: [Match] = []
        let reversed = pythonLowercase(text.units.reversed())
        forEachDictionaryWord(in: reversed, length: text.count) { i, j, dictionary, rank in
            let word = DictionaryWord(dictionary: dictionary, rank: rank, reversed: true, substitutions: [])
            found.append(Match(i: last - j, j: last - i, pattern: .dictionary(word)))
        }
        matches.append(contentsOf: found.stableSorted())
    }
}

extension Array where Element == Match {
    /// The matches ordered by start, then end, keeping the given order among equals, as zxcvbn's
    /// stable sorts do; the search breaks ties by that order.
    func stableSorted() -> [Match] {
        enumerated()
            .sorted { ($0.element.i, $0.element.j, $0.offset) < ($1.element.i, $1.element.j, $1.offset) }
            .map(\.element)
    }
}
