import Testing
@testable import Zxcvbn

/// The estimator under test, over the data in the source tree's `assets/zxcvbn`.
let estimator: PasswordStrengthEstimator = {
    do {
        return try PasswordStrengthEstimator.shared()
    } catch {
        fatalError("strength data missing: \(error)")
    }
}()

/// A matcher with `userInputs`, for tests of single matchers.
func matcher(userInputs: [String] = []) -> PatternMatcher {
    PatternMatcher(data: estimator.data, userWords: UserWordList(userInputs))
}

/// `password` as the matchers read it.
func text(_ password: String) -> PasswordText {
    PasswordText(password.unicodeScalars.map(\.value))
}

/// The matches one matcher finds in `password`, with guesses filled in as the search sees them.
func found(
    _ password: String, userInputs: [String] = [],
    by run: (PatternMatcher) -> (PasswordText, inout [Match]) -> Void
) -> [Match] {
    let matcher = matcher(userInputs: userInputs)
    let text = text(password)
    var matches: [Match] = []
    run(matcher)(text, &matches)
    return matches.map { match in
        var match = match
        match.guesses = matcher.guesses(for: match, in: text)
        return match
    }
}

extension Match {
    /// The matched span, as `i...j`.
    var span: ClosedRange<Int> { i...j }

    /// The dictionary word, when this is a dictionary match.
    var word: DictionaryWord? {
        if case .dictionary(let word) = pattern { word } else { nil }
    }
}

/// Groups the strength suites, so that `swift test --filter Strength` runs them all.
@Suite enum StrengthTests {}
