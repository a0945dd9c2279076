import Glibc

// MARK: - Feedback

/// Advice for a weak password: at most one warning and two suggestions, in zxcvbn's substance.
///
/// Given only when the score is 2 or less, and drawn from the longest match of the chosen
/// sequence. The cases are keys that a front end may localise; ``Warning/message`` and
/// ``Suggestion/message`` give the English text.
public struct StrengthFeedback: Sendable, Equatable {
    /// What makes the password guessable.
    public enum Warning: String, Sendable, CaseIterable {
        case topTenPassword = "top_10_password"
        case topHundredPassword = "top_100_password"
        case commonPassword = "common_password"
        case similarToCommonPassword = "similar_to_common_password"
        case wordByItself = "word_by_itself"
        case namesByThemselves = "names_by_themselves"
        case commonNames = "common_names"
        case straightRow = "straight_row"
        case keyboardPattern = "keyboard_pattern"
        case repeatedCharacter = "repeated_character"
        case repeatedPattern = "repeated_pattern"
        case sequence
        case recentYear = "recent_year"
        case date

        /// The warning in English.
        public var message: String {
            switch self {
            case .topTenPassword: "This is a top-10 common password."
            case .topHundredPassword: "This is a top-100 common password."
            case .commonPassword: "This is a very common password."
            case .similarToCommonPassword: "This is similar to a commonly used password."
            case .wordByItself: "A word by itself is easy to guess."
            case .namesByThemselves: "Names and surnames by themselves are easy to guess."
            case .commonNames: "Common names and surnames are easy to guess."
            case .straightRow: "Straight rows of keys are easy to guess."
            case .keyboardPattern: "Short keyboard patterns are easy to guess."
            case .repeatedCharacter: #"Repeats like "aaa" are easy to guess."#
            case .repeatedPattern: #"Repeats like "abcabcabc" are only slightly harder to guess than "abc"."#
            case .sequence: #"Sequences like "abc" or "6543" are easy to guess."#
            case .recentYear: "Recent years are easy to guess."
            case .date: "Dates are often easy to guess."
            }
        }
    }

    /// What would make the password stronger.
    public enum Suggestion: String, Sendable, CaseIterable {
        case useFewWords = "use_few_words"
        case noNeedForSymbols = "no_need_for_symbols"
        case addWord = "add_word"
        case capitalization
        case allUppercase = "all_uppercase"
        case reversedWords = "reversed_words"
        case l33t
        case longerKeyboardPattern = "longer_keyboard_pattern"
        case avoidRepeats = "avoid_repeats"
        case avoidSequences = "avoid_sequences"
        case avoidRecentYears = "avoid_recent_years"
        case avoidAssociatedYears = "avoid_associated_years"
        case avoidAssociatedDates = "avoid_associated_dates"

        /// The suggestion in English.
        public var message: String {
            switch self {
            case .useFewWords: "Use a few words, avoid common phrases."
            case .noNeedForSymbols: "No need for symbols, digits, or uppercase letters."
            case .addWord: "Add another word or two. Uncommon words are better."
            case .capitalization: "Capitalization doesn't help very much."
            case .allUppercase: "All-uppercase is almost as easy to guess as all-lowercase."
            case .reversedWords: "Reversed words aren't much harder to guess."
            case .l33t: "Predictable substitutions like '@' instead of 'a' don't help very much."
            case .longerKeyboardPattern: "Use a longer keyboard pattern with more turns."
            case .avoidRepeats: "Avoid repeated words and characters."
            case .avoidSequences: "Avoid sequences."
            case .avoidRecentYears: "Avoid recent years."
            case .avoidAssociatedYears: "Avoid years that are associated with you."
            case .avoidAssociatedDates: "Avoid dates and years that are associated with you."
            }
        }
    }

    /// The most relevant warning, if any.
    public let warning: Warning?
    /// Up to two suggestions, most general first.
    public let suggestions: [Suggestion]

    public init(warning: Warning?, suggestions: [Suggestion]) {
        self.warning = warning
        self.suggestions = Array(suggestions.prefix(2))
    }

    /// No advice: the password is strong enough.
    public static let none = StrengthFeedback(warning: nil, suggestions: [])
}

// MARK: - Choosing the feedback

extension StrengthFeedback {
    /// The feedback for a password of `score` whose chosen sequence is `sequence`.
    init(score: Int, sequence: [Match], text: PasswordText) {
        guard let first = sequence.first else {
            self.init(warning: nil, suggestions: [.useFewWords, .noNeedForSymbols])
            return
        }
        guard score <= 2 else {
            self = .none
            return
        }
        var longest = first
        for match in sequence.dropFirst() where match.length > longest.length { longest = match }
        let (warning, suggestions) = Self.advice(for: longest, isSoleMatch: sequence.count == 1, text: text)
        self.init(warning: warning, suggestions: [.addWord] + suggestions)
    }

    /// The warning and specific suggestions for the longest match of the sequence.
    private static func advice(
        for match: Match, isSoleMatch: Bool, text: PasswordText
    ) -> (Warning?, [Suggestion]) {
        switch match.pattern {
        case .dictionary(let word):
            return dictionaryAdvice(for: match, word, isSoleMatch: isSoleMatch, text: text)
        case .spatial(_, let turns, _):
            return (turns == 1 ? .straightRow : .keyboardPattern, [.longerKeyboardPattern])
        case .repetition(let repetition):
            return (repetition.base.count == 1 ? .repeatedCharacter : .repeatedPattern, [.avoidRepeats])
        case .sequence:
            return (.sequence, [.avoidSequences])
        case .recentYear:
            return (.recentYear, [.avoidRecentYears, .avoidAssociatedYears])
        case .date:
            return (.date, [.avoidAssociatedDates])
        case .bruteforce:
            return (nil, [])
        }
    }

    /// Dictionary advice: common passwords warn by rank when alone and unaltered, and only when
    /// cheap otherwise; plain words and names warn when alone; capitals, reversal and l33t each
    /// earn a suggestion.
    private static func dictionaryAdvice(
        for match: Match, _ word: DictionaryWord, isSoleMatch: Bool, text: PasswordText
    ) -> (Warning?, [Suggestion]) {
        var warning: Warning?
        switch word.dictionary {
        case .passwords:
            if isSoleMatch && !word.isL33t && !word.reversed {
                warning = word.rank <= 10 ? .topTenPassword : word.rank <= 100 ? .topHundredPassword : .commonPassword
            } else if log(match.guesses) / log(10) <= 4 {
                warning = .similarToCommonPassword
            }
        case .englishWikipedia:
            if isSoleMatch { warning = .wordByItself }
        case .surnames, .maleNames, .femaleNames:
            warning = isSoleMatch ? .namesByThemselves : .commonNames
        case .usTVAndFilm, .userInputs:
            warning = nil
        }

        var suggestions: [Suggestion] = []
        let token = text.units[match.i...match.j]
        if token.count > 1, token.first!.isASCIIUppercase, !token.dropFirst().contains(where: \.isASCIIUppercase) {
            suggestions.append(.capitalization)
        } else if !token.contains(where: \.isASCIILowercase), pythonLowercase(token) != Array(token) {
            suggestions.append(.allUppercase)
        }
        if word.reversed && match.length >= 4 { suggestions.append(.reversedWords) }
        if word.isL33t { suggestions.append(.l33t) }
        return (warning, suggestions)
    }
}
