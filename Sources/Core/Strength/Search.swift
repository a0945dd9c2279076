import Foundation

// MARK: - The cheapest sequence of matches

/// The extra guesses charged per pattern after the first: an attacker tries shorter pattern
/// sequences before longer ones.
private let sequenceGrowthPenalty = 10_000.0

/// `l!` for sequence lengths up to 170, past which a double overflows.
private let factorials: [Double] = (0...170).reduce(into: [1.0]) { table, n in
    if n > 0 { table.append(table[n - 1] * Double(n)) }
}

/// The best sequence found by ``PatternMatcher/cheapestSequence(_:matches:)``.
struct Analysis: Sendable {
    /// `l! × Π guesses + 10000^(l−1)` for the chosen sequence of `l` matches; 1 when empty.
    let guesses: Double
    /// Non-overlapping matches covering the password from start to end, gaps filled by brute force.
    let sequence: [Match]
}

extension PatternMatcher {
    /// The non-overlapping sequence of matches, brute force filling the gaps, that minimises
    /// `l! × Π guesses + 10000^(l−1)`, found by dynamic programming over prefixes.
    ///
    /// For each prefix end `k` and sequence length `l`, the table keeps the best last match; a
    /// candidate is kept only if no sequence of the same or shorter length covering the same
    /// prefix is at least as cheap. The factorial counts the orders an attacker tries the `l`
    /// patterns in. `matches` must be sorted by start, then end, in zxcvbn's tie order, and carry
    /// their guesses.
    func cheapestSequence(_ text: PasswordText, matches: [Match]) -> Analysis {
        let n = text.count
        guard n > 0 else { return Analysis(guesses: 1, sequence: []) }

        var byEnd = [[Int]](repeating: [], count: n)
        for (index, match) in matches.enumerated() { byEnd[match.j].append(index) }
        var table = [[Candidate]](repeating: [], count: n)

        func consider(_ last: Last, start: Int, end: Int, guesses: Double, length l: Int) {
            var product = guesses
            if l > 1 {
                guard let previous = table[start - 1].first(where: { $0.length == l - 1 }) else { return }
                product *= previous.product
            }
            var total = l < factorials.count ? factorials[l] * product : .infinity
            total += pow(sequenceGrowthPenalty, Double(l - 1))
            for competitor in table[end] where competitor.length <= l && competitor.total <= total { return }
            let candidate = Candidate(length: l, total: total, product: product, last: last, start: start)
            if let existing = table[end].firstIndex(where: { $0.length == l }) {
                table[end][existing] = candidate
            } else {
                table[end].append(candidate)
            }
        }

        for k in 0..<n {
            for index in byEnd[k] {
                let match = matches[index]
                if match.i > 0 {
                    for length in table[match.i - 1].map(\.length) {
                        consider(.match(index), start: match.i, end: k, guesses: match.guesses, length: length + 1)
                    }
                } else {
                    consider(.match(index), start: 0, end: k, guesses: match.guesses, length: 1)
                }
            }
            consider(.bruteforce, start: 0, end: k, guesses: bruteforcePartGuesses(0, k, n), length: 1)
            if k >= 1 {
                for i in 1...k {
                    let guesses = bruteforcePartGuesses(i, k, n)
                    for previous in table[i - 1] where previous.last != .bruteforce {
                        consider(.bruteforce, start: i, end: k, guesses: guesses, length: previous.length + 1)
                    }
                }
            }
        }

        var best = table[n - 1][0]
        for candidate in table[n - 1].dropFirst() where candidate.total < best.total { best = candidate }
        var sequence: [Match] = []
        var end = n - 1
        var length = best.length
        while end >= 0 {
            let candidate = table[end].first { $0.length == length }!
            switch candidate.last {
            case .match(let index):
                sequence.append(matches[index])
            case .bruteforce:
                var match = Match(i: candidate.start, j: end, pattern: .bruteforce)
                match.guesses = bruteforcePartGuesses(candidate.start, end, n)
                sequence.append(match)
            }
            end = candidate.start - 1
            length -= 1
        }
        return Analysis(guesses: best.total, sequence: sequence.reversed())
    }

    private func bruteforcePartGuesses(_ i: Int, _ j: Int, _ n: Int) -> Double {
        let length = j - i + 1
        let minimum = length == n ? 1 : length == 1 ? 10.0 : 50.0
        return max(Self.bruteforceGuesses(length: length), minimum)
    }
}

/// The best sequence of a given length found so far for one prefix.
private struct Candidate {
    let length: Int
    /// `l! × product + 10000^(l−1)`.
    let total: Double
    /// The product of the sequence's guesses.
    let product: Double
    let last: Last
    /// Where the last match starts.
    let start: Int
}

/// The last match of a candidate sequence: a matcher's, or brute force from `start` to the end.
private enum Last: Equatable {
    case match(Int)
    case bruteforce
}
