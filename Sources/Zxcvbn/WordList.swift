#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Sorted word lists

/// A list of distinct words sorted by code unit, walked by prefix to find every word that starts
/// a given position of a password.
///
/// The dictionary matcher runs one walk per start position instead of hashing every substring.
/// The caller's words use this generic walk; the bundled lists have a faster one of their own. A word's code
/// unit past its last character reads as `0`, which sorts before any real character.
protocol SortedWordList: Sendable {
    /// The number of words.
    var count: Int { get }

    /// The code unit of word `word` at `depth`, or `0` once `depth` reaches the word's length.
    func unit(of word: Int, at depth: Int) -> UInt32
}

extension SortedWordList {
    /// Calls `body(end, word)` for every word equal to `text[start..<end]`, shortest first.
    ///
    /// Each step narrows the range of words sharing the prefix read so far with two binary
    /// searches on the next code unit, so the walk stops as soon as no word continues.
    @inline(__always)
    func forEachWord(
        in text: UnsafeBufferPointer<UInt32>, from start: Int, _ body: (_ end: Int, _ word: Int) -> Void
    ) {
        var low = 0
        var high = count
        var depth = 0
        var position = start
        while position < text.count {
            let unit = text[position]
            if unit == 0 { return }
            low = firstWord(in: low..<high, at: depth) { $0 >= unit }
            high = firstWord(in: low..<high, at: depth) { $0 > unit }
            if low == high { return }
            depth += 1
            position += 1
            if self.unit(of: low, at: depth) == 0 { body(position, low) }
        }
    }

    /// The first word in `range` whose unit at `depth` satisfies the monotonic `predicate`.
    @inline(__always)
    private func firstWord(in range: Range<Int>, at depth: Int, where predicate: (UInt32) -> Bool) -> Int {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = (low &+ high) >> 1
            if predicate(unit(of: middle, at: depth)) { high = middle } else { low = middle &+ 1 }
        }
        return low
    }
}

// MARK: - The bundled frequency lists

/// The six zxcvbn frequency lists, merged into one sorted file: `ranked_words.tsv`.
///
/// Each line holds a word and, for each list that has it, a tab, the list's index in
/// ``RankedDictionary/bundled`` order, a tab and the word's rank there. Loading records where lines start and, for
/// each two-character prefix, where its lines begin, so a walk skips the two widest binary
/// searches; ranks are read from the bytes only when a word is actually matched.
struct RankedWordFile: Sendable {
    private let bytes: [UInt8]
    private let lineStarts: [Int32]
    /// For each prefix key (see ``prefixKey(_:_:)``), the first line whose key is at least it.
    private let firstLineByPrefix: [Int32]

    /// Indexes the file's lines, skipping comment lines, which start with `# ` (words have no spaces).
    init(bytes: [UInt8]) throws(StrengthDataError) {
        var starts: [Int32] = []
        starts.reserveCapacity(bytes.count / 16)
        var firstLines = [Int32](repeating: -1, count: 128 * 128 + 1)
        var lineStart = 0
        var previousKey = 0
        var sorted = true
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while lineStart < buffer.count,
                let newline = memchr(base + lineStart, 0x0A, buffer.count - lineStart)
            {
                let index = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                defer { lineStart = index + 1 }
                guard index > lineStart + 1, buffer[lineStart] != 0x23 || buffer[lineStart + 1] != 0x20 else {
                    continue
                }
                let key = Self.prefixKey(buffer[lineStart], buffer[lineStart + 1])
                if key < previousKey { sorted = false }
                if firstLines[key] < 0 { firstLines[key] = Int32(starts.count) }
                previousKey = key
                starts.append(Int32(lineStart))
            }
        }
        guard sorted, lineStart == bytes.count, !starts.isEmpty else {
            throw .malformed("ranked_words.tsv is not a sorted word list")
        }
        var next = Int32(starts.count)
        for key in firstLines.indices.reversed() {
            if firstLines[key] < 0 { firstLines[key] = next } else { next = firstLines[key] }
        }
        self.bytes = bytes
        self.lineStarts = starts
        self.firstLineByPrefix = firstLines
    }

    /// Orders two-character prefixes as the lines are ordered; a one-character word's line has
    /// a tab second, which maps to the lowest key for its first character.
    @inline(__always)
    private static func prefixKey(_ first: UInt8, _ second: UInt8) -> Int {
        Int(first & 0x7F) << 7 | Int(second == 0x09 ? 0 : second & 0x7F)
    }

    /// The number of distinct words.
    var count: Int { lineStarts.count }

    /// Calls `body(end, word)` for every word equal to `text[start..<end]`, shortest first.
    ///
    /// The same walk as ``SortedWordList/forEachWord(in:from:_:)``, but the first two characters select a range from the prefix table; each further character
    /// narrows it by binary search. Only ASCII can match: every listed word is ASCII.
    @inline(__always)
    func forEachWord(
        in text: UnsafeBufferPointer<UInt32>, from start: Int, _ body: (_ end: Int, _ word: Int) -> Void
    ) {
        guard start < text.count else { return }
        let first = text[start]
        guard first > 0x20, first < 0x80 else { return }
        let base = Int(first) << 7
        bytes.withUnsafeBufferPointer { bytes in
            lineStarts.withUnsafeBufferPointer { lines in
                firstLineByPrefix.withUnsafeBufferPointer { prefixes in
                    let singles = Int(prefixes[base])..<Int(prefixes[base + 1])
                    if !singles.isEmpty { body(start + 1, singles.lowerBound) }
                    guard start + 1 < text.count else { return }
                    let second = text[start + 1]
                    guard second > 0x20, second < 0x80 else { return }
                    var low = Int(prefixes[base | Int(second)])
                    var high = Int(prefixes[(base | Int(second)) + 1])
                    guard low < high else { return }
                    var depth = 2
                    if bytes[Int(lines[low]) + depth] == 0x09 { body(start + depth, low) }
                    while start + depth < text.count {
                        let unit = text[start + depth]
                        guard unit > 0x20, unit < 0x80 else { return }
                        let byte = UInt8(unit)
                        var l = low, h = high
                        while l < h {
                            let m = (l &+ h) >> 1
                            if bytes[Int(lines[m]) &+ depth] >= byte { h = m } else { l = m &+ 1 }
                        }
                        low = l
                        h = high
                        while l < h {
                            let m = (l &+ h) >> 1
                            if bytes[Int(lines[m]) &+ depth] > byte { h = m } else { l = m &+ 1 }
                        }
                        high = l
                        guard low < high else { return }
                        depth += 1
                        if bytes[Int(lines[low]) &+ depth] == 0x09 { body(start + depth, low) }
                    }
                }
            }
        }
    }

    /// Calls `body(dictionary, rank)` for each list that ranks `word`, in list order.
    func forEachRank(of word: Int, length: Int, _ body: (RankedDictionary, Int) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            var position = Int(lineStarts[word]) + length
            while position < buffer.count, buffer[position] == 0x09 {
                let list = Int(buffer[position + 1] &- 0x30)
                position += 3
                var rank = 0
                while position < buffer.count, buffer[position] != 0x09, buffer[position] != 0x0A {
                    rank = rank &* 10 &+ Int(buffer[position] &- 0x30)
                    position += 1
                }
                if list < RankedDictionary.bundled.count { body(RankedDictionary.bundled[list], rank) }
            }
        }
    }
}

// MARK: - The caller's words

/// The words a caller passes for one estimate (localpart, display name, server name labels),
/// ranked by their position as zxcvbn ranks `user_inputs`.
struct UserWordList: SortedWordList {
    private let words: [[UInt32]]
    private let ranks: [Int]

    /// Lowercases `inputs` and ranks each by its 1-based position; a repeated word keeps its last.
    init(_ inputs: [String]) {
        var rankByWord: [[UInt32]: Int] = [:]
        for (index, input) in inputs.enumerated() {
            rankByWord[pythonLowercase(input.unicodeScalars.lazy.map(\.value))] = index + 1
        }
        let sorted = rankByWord.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        self.words = sorted.map(\.key)
        self.ranks = sorted.map(\.value)
    }

    var count: Int { words.count }

    @inline(__always)
    func unit(of word: Int, at depth: Int) -> UInt32 {
        let characters = words[word]
        return depth < characters.count ? characters[depth] : 0
    }

    /// The rank of `word`.
    func rank(of word: Int) -> Int { ranks[word] }
}
