import Glibc

// MARK: - Constants

/// The year zxcvbn measures year distances from.
let referenceYear = 2017
/// The fewest years a year or date guess ranges over, however near the reference year.
private let minimumYearSpace = 20
/// `10^n` for brute force over `n` characters, each with 10 guesses, as exact as a double gets.
private let powersOfTen: [Double] = (0...308).map { Double("1e\($0)")! }
/// The least a one-character part of a longer password may cost.
private let minimumSingleCharacterGuesses = 10.0
/// The least a longer part of a longer password may cost.
private let minimumMultiCharacterGuesses = 50.0

// MARK: - Guess estimates

extension PatternMatcher {
    /// The guesses for `match` as part of `text`, raised to zxcvbn's minimum for a part.
    ///
    /// The minimum keeps a short match inside a longer password from being nearly free, which
    /// would otherwise let the search split the password into many tiny matches.
    func guesses(for match: Match, in text: PasswordText) -> Double {
        var minimum = 1.0
        if match.length < text.count {
            minimum = match.length == 1 ? minimumSingleCharacterGuesses : minimumMultiCharacterGuesses
        }
        return max(baseGuesses(for: match, in: text), minimum)
    }

    private func baseGuesses(for match: Match, in text: PasswordText) -> Double {
        switch match.pattern {
        case .bruteforce:
            return Self.bruteforceGuesses(length: match.length)
        case .dictionary(let word):
            return Double(word.rank)
                * Self.uppercaseVariations(text.units[match.i...match.j])
                * (word.isL33t ? Self.l33tVariations(pythonLowercase(text.units[match.i...match.j]), word.substitutions) : 1)
                * (word.reversed ? 2 : 1)
        case .spatial(let graph, let turns, let shiftedCount):
            return spatialGuesses(graph: graph, length: match.length, turns: turns, shiftedCount: shiftedCount)
        case .repetition(let repetition):
            return repetition.baseGuesses * repetition.count
        case .sequence(_, let ascending):
            let first = text.units[match.i]
            var base: Double
            if "aAzZ019".unicodeScalars.contains(where: { $0.value == first }) {
                base = 4
            } else if first.decimalDigitValue != nil {
                base = 10
            } else {
                base = 26
            }
            if !ascending { base *= 2 }
            return base * Double(match.length)
        case .recentYear(let year):
            return Double(max(abs(year - referenceYear), minimumYearSpace))
        case .date(let year, _, _, let separator):
            let guesses = Double(max(abs(year - referenceYear), minimumYearSpace) * 365)
            return separator == nil ? guesses : guesses * 4
        }
    }

    /// `10^length`, but at least one more than the minimum for a part, so that any other match
    /// over the same characters wins a tie.
    static func bruteforceGuesses(length: Int) -> Double {
        let guesses = length < powersOfTen.count ? powersOfTen[length] : .infinity
        return max(guesses, (length == 1 ? minimumSingleCharacterGuesses : minimumMultiCharacterGuesses) + 1)
    }

    /// How many capitalisations an attacker tries for a word written like `token`.
    ///
    /// No ASCII capital costs nothing extra; a capital first or last letter, or no ASCII
    /// lowercase letter, doubles the guesses; otherwise every way of placing up to the smaller of
    /// the upper- and lowercase counts (any script) is counted.
    static func uppercaseVariations(_ token: ArraySlice<UInt32>) -> Double {
        if !token.contains(where: \.isASCIIUppercase) { return 1 }
        let first = token.first!, last = token.last!
        if token.count > 1 {
            if first.isASCIIUppercase && !token.dropFirst().contains(where: \.isASCIIUppercase) { return 2 }
            if last.isASCIIUppercase && !token.dropLast().contains(where: \.isASCIIUppercase) { return 2 }
        }
        if !token.contains(where: \.isASCIILowercase) { return 2 }
        let upper = token.count(where: \.isUppercaseLetter)
        let lower = token.count(where: \.isLowercaseLetter)
        return variations(upper, lower)
    }

    /// How many substitution patterns an attacker tries for a word with `substitutions`.
    static func l33tVariations(_ lowered: [UInt32], _ substitutions: L33tReading) -> Double {
        var result = 1.0
        for (substitute, letter) in substitutions {
            let substituted = lowered.count { $0 == substitute }
            let plain = lowered.count { $0 == letter }
            result *= substituted == 0 || plain == 0 ? 2 : variations(substituted, plain)
        }
        return result
    }

    /// The sum of C(a + b, k) for k from 1 to min(a, b).
    private static func variations(_ a: Int, _ b: Int) -> Double {
        var total = 0.0
        if min(a, b) >= 1 {
            for k in 1...min(a, b) { total += binomial(a + b, k) }
        }
        return total
    }

    /// The guesses for a keyboard run: every run up to this length with up to this many turns,
    /// from any key, times the ways to place its shifted keys.
    private func spatialGuesses(graph: KeyboardGraph.Name, length: Int, turns: Int, shiftedCount: Int) -> Double {
        let reference = graph.hasShift ? data.graphs[0] : data.graphs[2]
        let starts = Double(reference.keyCount)
        let degree = reference.averageDegree
        var guesses = 0.0
        if length >= 2 {
            for runLength in 2...length {
                let possibleTurns = min(turns, runLength - 1)
                if possibleTurns >= 1 {
                    for turnCount in 1...possibleTurns {
                        guesses += Self.binomial(runLength - 1, turnCount - 1) * starts * pow(degree, Double(turnCount))
                    }
                }
            }
        }
        if shiftedCount > 0 {
            let unshifted = length - shiftedCount
            guesses *= unshifted == 0 ? 2 : Self.variations(shiftedCount, unshifted)
        }
        return guesses
    }

    /// n choose k, computed in floating point in the same order as zxcvbn, so results agree to
    /// the last bit.
    static func binomial(_ n: Int, _ k: Int) -> Double {
        if k > n { return 0 }
        if k == 0 { return 1 }
        var result = 1.0
        var n = Double(n)
        for d in 1...k {
            result *= n
            result /= Double(d)
            n -= 1
        }
        return result
    }
}
