
// MARK: - The cheapest sequence of matches

/// The extra guesses charged per pattern after the first, `10000^(l−1)`: an attacker tries
/// shorter pattern sequences before longer ones. Up to a length of 78; past it a double overflows.
private let growthPenalties: [Double] = (0...77).map { Double("1e\($0 * 4)")! }

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
        var table = SearchTable(length: n)

        for k in 0..<n {
            for index in byEnd[k] {
                let match = matches[index]
                if match.i > 0 {
                    for slot in 0..<table.lengthCount(end: match.i - 1) {
                        let length = table.length(end: match.i - 1, at: slot)
                        table.consider(index, start: match.i, end: k, guesses: match.guesses, length: length + 1)
                    }
                } else {
                    table.consider(index, start: 0, end: k, guesses: match.guesses, length: 1)
                }
            }
            table.consider(SearchTable.bruteforce, start: 0, end: k, guesses: bruteforcePartGuesses(0, k, n), length: 1)
            if k >= 1 {
                for i in 1...k {
                    let guesses = bruteforcePartGuesses(i, k, n)
                    for slot in 0..<table.lengthCount(end: i - 1) {
                        let length = table.length(end: i - 1, at: slot)
                        guard table.last(end: i - 1, length: length) != SearchTable.bruteforce else { continue }
                        table.consider(SearchTable.bruteforce, start: i, end: k, guesses: guesses, length: length + 1)
                    }
                }
            }
        }

        var bestLength = 0
        var bestTotal = Double.infinity
        for slot in 0..<table.lengthCount(end: n - 1) {
            let length = table.length(end: n - 1, at: slot)
            if table.total(end: n - 1, length: length) < bestTotal {
                bestLength = length
                bestTotal = table.total(end: n - 1, length: length)
            }
        }
        var sequence: [Match] = []
        var end = n - 1
        var length = bestLength
        while end >= 0 {
            let start = table.start(end: end, length: length)
            let last = table.last(end: end, length: length)
            if last == SearchTable.bruteforce {
                var match = Match(i: start, j: end, pattern: .bruteforce)
                match.guesses = bruteforcePartGuesses(start, end, n)
                sequence.append(match)
            } else {
                sequence.append(matches[last])
            }
            end = start - 1
            length -= 1
        }
        return Analysis(guesses: bestTotal, sequence: sequence.reversed())
    }

    private func bruteforcePartGuesses(_ i: Int, _ j: Int, _ n: Int) -> Double {
        let length = j - i + 1
        let minimum = length == n ? 1 : length == 1 ? 10.0 : 50.0
        return max(Self.bruteforceGuesses(length: length), minimum)
    }
}

/// The search's table: for each prefix end and sequence length, the best sequence found so far.
///
/// One flat array indexed by `end * width + length`, plus, per end, the lengths in the order
/// they were first stored: zxcvbn iterates them in that order, and ties are broken by it.
private struct SearchTable {
    /// The `last` value of a sequence ending in brute force.
    static let bruteforce = -1

    /// The best sequence of one length over one prefix.
    private struct Entry {
        /// `l! × product + 10000^(l−1)`.
        var total = 0.0
        /// The product of the sequence's guesses.
        var product = 0.0
        /// The index of the last match, ``SearchTable/bruteforce``, or `unset`.
        var last = Entry.unset
        /// Where the last match starts.
        var start: Int32 = 0

        static let unset = Int32.min
    }

    private let width: Int
    private var entries: [Entry]
    private var order: [Int32]
    private var orderCounts: [Int]

    init(length n: Int) {
        width = n + 1
        entries = Array(repeating: Entry(), count: n * width)
        order = Array(repeating: 0, count: n * width)
        orderCounts = Array(repeating: 0, count: n)
    }

    /// How many sequence lengths are stored for prefix `end`.
    func lengthCount(end: Int) -> Int { orderCounts[end] }

    /// The `index`-th sequence length stored for prefix `end`, in first-stored order.
    func length(end: Int, at index: Int) -> Int { Int(order[end * width + index]) }

    func total(end: Int, length: Int) -> Double { entries[end * width + length].total }
    /// The index of the last match, or ``bruteforce``.
    func last(end: Int, length: Int) -> Int { Int(entries[end * width + length].last) }
    /// Where the last match starts.
    func start(end: Int, length: Int) -> Int { Int(entries[end * width + length].start) }

    /// Stores the sequence of `length` ending in `last` (from `start` to `end`, costing
    /// `guesses`) unless a stored sequence as short or shorter over the same prefix is as cheap.
    @inline(__always)
    mutating func consider(_ last: Int, start: Int, end: Int, guesses: Double, length: Int) {
        var product = guesses
        if length > 1 { product *= entries[(start - 1) * width + length - 1].product }
        var total = length < factorials.count ? factorials[length] * product : .infinity
        total += length - 1 < growthPenalties.count ? growthPenalties[length - 1] : .infinity
        let base = end * width
        for index in 0..<orderCounts[end] {
            let competitor = Int(order[base + index])
            if competitor <= length && entries[base + competitor].total <= total { return }
        }
        let slot = base + length
        if entries[slot].last == Entry.unset {
            order[base + orderCounts[end]] = Int32(length)
            orderCounts[end] += 1
        }
        entries[slot] = Entry(total: total, product: product, last: Int32(last), start: Int32(start))
    }
}
