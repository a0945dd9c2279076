// MARK: - All matchers together

/// Finds every candidate pattern in a password and the cheapest way to cover it with them.
///
/// One value serves one estimate: it pairs the shared data with the caller's words.
struct PatternMatcher: Sendable {
    let data: StrengthData
    let userWords: UserWordList

    /// Every candidate match in `text`, with guesses, sorted by start then end in zxcvbn's order.
    func matches(in text: PasswordText) -> [Match] {
        var matches: [Match] = []
        dictionaryMatches(text, into: &matches)
        reversedDictionaryMatches(text, into: &matches)
        l33tMatches(text, into: &matches)
        spatialMatches(text, into: &matches)
        repeatMatches(text, into: &matches)
        sequenceMatches(text, into: &matches)
        recentYearMatches(text, into: &matches)
        dateMatches(text, into: &matches)
        for index in matches.indices {
            matches[index].guesses = guesses(for: matches[index], in: text)
        }
        return matches.stableSorted()
    }

    /// The cheapest sequence of matches covering `text`, and its guesses.
    func analyse(_ text: PasswordText) -> Analysis {
        cheapestSequence(text, matches: matches(in: text))
    }
}
