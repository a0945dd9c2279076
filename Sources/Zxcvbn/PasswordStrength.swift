import Glibc

// MARK: - Estimator

/// Estimates how many guesses a password takes, the way zxcvbn does, and rates it 0 to 4.
///
/// The model is zxcvbn 4.5's: ranked dictionaries (with the caller's own words), reversed and
/// l33t words, keyboard runs, repeats, sequences, recent years, dates and brute force, combined
/// into the cheapest sequence. A score means what it means in the Matrix Authentication Service,
/// whose `minimum_complexity` gates on the same scale.
///
/// ```swift
/// let estimator = try PasswordStrengthEstimator.shared()
/// let strength = estimator.estimate("alice2024", userInputs: ["alice"])
/// strength.score            // .tooGuessable
/// strength.feedback.warning // .recentYear?
/// ```
///
/// An estimate takes well under a millisecond for typical passwords, so a front end can call it
/// on every keystroke.
public struct PasswordStrengthEstimator: Sendable {
    /// Only this many leading Unicode scalars are scored, as zxcvbn-rs does: matching grows faster
    /// than linearly with length, and a longer password is strong anyway.
    public static let maximumScoredLength = 100

    /// The dictionaries and keyboard graphs.
    public let data: StrengthData

    /// An estimator over `data`.
    public init(data: StrengthData) {
        self.data = data
    }

    /// The process-wide estimator, whose data is located and loaded on first use.
    ///
    /// Throws ``StrengthDataError`` if the data cannot be found or read; it never falls back to a
    /// model without dictionaries, which would overrate common passwords.
    public static func shared() throws(StrengthDataError) -> PasswordStrengthEstimator {
        try sharedEstimator.get()
    }

    private static let sharedEstimator = Result { () throws(StrengthDataError) in
        PasswordStrengthEstimator(data: try StrengthData.locateAndLoad())
    }

    /// Estimates the strength of `password`, with `userInputs` as one more ranked dictionary.
    ///
    /// Pass the words an attacker would try first for this account (its name, its server's
    /// name); they are compared ignoring case.
    public func estimate(_ password: String, userInputs: [String] = []) -> PasswordStrength {
        let scalars = password.unicodeScalars
        let units = scalars.prefix(Self.maximumScoredLength).map(\.value)
        let text = PasswordText(units)
        let matcher = PatternMatcher(data: data, userWords: UserWordList(userInputs))
        let analysis = matcher.analyse(text)
        let score = StrengthScore(guesses: analysis.guesses)
        return PasswordStrength(
            score: score,
            guesses: analysis.guesses,
            crackTime: CrackTime(guesses: analysis.guesses),
            sequence: analysis.sequence.map { StrengthMatch($0, in: text) },
            feedback: StrengthFeedback(score: score.rawValue, sequence: analysis.sequence, text: text),
            scoredLength: units.count,
            isTruncated: units.count < scalars.count)
    }
}

// MARK: - Result

/// How strong a password is: the score, the guess estimate, the crack time and the advice.
public struct PasswordStrength: Sendable, Equatable {
    /// The score from 0 to 4.
    public let score: StrengthScore
    /// The estimated number of guesses to find the password.
    public let guesses: Double
    /// How long an offline attack on the bcrypt hash takes, at 10,000 guesses per second.
    public let crackTime: CrackTime
    /// The patterns the estimate rests on, in order, covering the scored characters.
    public let sequence: [StrengthMatch]
    /// A warning and suggestions when the score is 2 or less.
    public let feedback: StrengthFeedback
    /// How many Unicode scalars were scored (at most ``PasswordStrengthEstimator/maximumScoredLength``).
    public let scoredLength: Int
    /// Whether the password was longer than what was scored.
    public let isTruncated: Bool

    /// `log10(guesses)`.
    public var guessesLog10: Double { log10(guesses) }
}

/// zxcvbn's score: which attack a password withstands.
public enum StrengthScore: Int, Sendable, Comparable, CaseIterable {
    /// Under 10³ guesses: too guessable, risky.
    case tooGuessable = 0
    /// Under 10⁶ guesses: protects against throttled online attacks only.
    case veryGuessable = 1
    /// Under 10⁸ guesses: protects against unthrottled online attacks.
    case somewhatGuessable = 2
    /// Under 10¹⁰ guesses: moderate protection against an offline attack on a slow hash.
    case safelyUnguessable = 3
    /// 10¹⁰ guesses or more: strong protection against an offline attack on a slow hash.
    case veryUnguessable = 4

    /// The score for `guesses`; each limit carries zxcvbn's margin of 5 guesses.
    public init(guesses: Double) {
        let limits = [1e3, 1e6, 1e8, 1e10]
        self = StrengthScore(rawValue: limits.firstIndex { guesses < $0 + 5 } ?? 4)!
    }

    /// zxcvbn's label: "too guessable", "very guessable", "somewhat guessable",
    /// "safely unguessable", "very unguessable".
    public var label: String {
        switch self {
        case .tooGuessable: "too guessable"
        case .veryGuessable: "very guessable"
        case .somewhatGuessable: "somewhat guessable"
        case .safelyUnguessable: "safely unguessable"
        case .veryUnguessable: "very unguessable"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

// MARK: - Matches

/// One pattern of the sequence an estimate rests on.
public struct StrengthMatch: Sendable, Equatable {
    /// What was recognised.
    public enum Pattern: Sendable, Equatable {
        /// A ranked word, possibly reversed or with l33t substitutions (`"4" -> "a"`).
        case dictionary(RankedDictionary, rank: Int, word: String, reversed: Bool, substitutions: [String: String])
        /// A run of adjacent keys on `graph` (`qwerty`, `dvorak`, `keypad`, `mac_keypad`).
        case spatial(graph: String, turns: Int, shiftedCount: Int)
        /// `base` written `count` times.
        case repetition(base: String, count: Int)
        /// A run with a constant code-point step.
        case sequence(SequenceName, ascending: Bool)
        /// A year from 1900 to 2019.
        case recentYear(Int)
        /// A date; `separator` is empty when the digits run together.
        case date(year: Int, month: Int, day: Int, separator: String)
        /// Characters no other pattern covers cheaper.
        case bruteforce
    }

    /// The matched Unicode scalars, as offsets into the password.
    public let range: Range<Int>
    /// The matched text.
    public let token: String
    /// The guesses for this part alone.
    public let guesses: Double
    public let pattern: Pattern

    init(_ match: Match, in text: PasswordText) {
        range = match.i..<(match.j + 1)
        token = text.string(match.i, match.j)
        guesses = match.guesses
        pattern = switch match.pattern {
        case .dictionary(let word):
            .dictionary(
                word.dictionary, rank: word.rank,
                word: Self.listedWord(word, text.lowered[match.i...match.j]),
                reversed: word.reversed,
                substitutions: Dictionary(
                    word.substitutions.map { (String(Unicode.Scalar($0.substitute)!), String(Unicode.Scalar($0.letter)!)) },
                    uniquingKeysWith: { _, last in last }))
        case .spatial(let graph, let turns, let shiftedCount):
            .spatial(graph: graph.rawValue, turns: turns, shiftedCount: shiftedCount)
        case .repetition(let repetition):
            .repetition(base: PasswordText(repetition.base).string(0, repetition.base.count - 1),
                        count: Int(repetition.count))
        case .sequence(let name, let ascending):
            .sequence(name, ascending: ascending)
        case .recentYear(let year):
            .recentYear(year)
        case .date(let year, let month, let day, let separator):
            .date(year: year, month: month, day: day,
                  separator: separator.map { String(Unicode.Scalar($0)!) } ?? "")
        case .bruteforce:
            .bruteforce
        }
    }

    /// The word as it appears in its list: lowercase, unreversed, substitutions undone.
    private static func listedWord(_ word: DictionaryWord, _ lowered: ArraySlice<UInt32>) -> String {
        var units = lowered.map { unit in word.substitutions.last { $0.substitute == unit }?.letter ?? unit }
        if word.reversed { units.reverse() }
        return PasswordText(units).string(0, units.count - 1)
    }
}
