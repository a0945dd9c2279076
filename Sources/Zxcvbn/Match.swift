// MARK: - Matches

/// One of the ranked dictionaries a word can come from, in zxcvbn's lookup order.
public enum RankedDictionary: String, Sendable, CaseIterable {
    case passwords
    case englishWikipedia = "english_wikipedia"
    case femaleNames = "female_names"
    case surnames
    case usTVAndFilm = "us_tv_and_film"
    case maleNames = "male_names"
    /// The words the caller passed for this estimate.
    case userInputs = "user_inputs"

    /// The six lists shipped in `ranked_words.tsv`, indexed as the file indexes them.
    static let bundled: [RankedDictionary] = [
        .passwords, .englishWikipedia, .femaleNames, .surnames, .usTVAndFilm, .maleNames,
    ]
}

/// A candidate pattern covering the password's characters `i...j`, with its guess estimate.
///
/// Matchers produce many overlapping candidates; the search keeps the cheapest sequence of them.
struct Match: Sendable {
    let i: Int
    let j: Int
    let pattern: Pattern
    /// The guesses an attacker needs for this part alone, already raised to zxcvbn's minimum
    /// for a part of a longer password.
    var guesses: Double = 0

    var length: Int { j - i + 1 }
}

/// What a match recognised, with the details its guess estimate and feedback need.
enum Pattern: Sendable {
    case dictionary(DictionaryWord)
    case spatial(graph: KeyboardGraph.Name, turns: Int, shiftedCount: Int)
    indirect case repetition(Repetition)
    case sequence(name: SequenceName, ascending: Bool)
    case recentYear(Int)
    case date(year: Int, month: Int, day: Int, separator: UInt32?)
    case bruteforce
}

/// A dictionary word as matched: forwards, reversed, or through l33t substitutions.
struct DictionaryWord: Sendable {
    let dictionary: RankedDictionary
    let rank: Int
    let reversed: Bool
    /// The substitutions in use, as (substitute, letter) pairs; empty unless l33t.
    let substitutions: [(substitute: UInt32, letter: UInt32)]

    var isL33t: Bool { !substitutions.isEmpty }
}

/// A repeated base, such as `abc` three times in `abcabcabc`.
struct Repetition: Sendable {
    let base: [UInt32]
    /// The guesses for the base alone, from a full estimate of it.
    let baseGuesses: Double
    /// The cheapest sequence found for the base.
    let baseSequence: [Match]
    let count: Double
}

/// The alphabet a sequence runs through.
public enum SequenceName: String, Sendable {
    case lower, upper, digits, unicode
}
