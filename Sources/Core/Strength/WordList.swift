// MARK: - Sorted word lists

/// A list of distinct words sorted by code unit, walked by prefix to find every word that starts
/// a given position of a password.
///
/// Both the bundled frequency lists and the caller's own words take this shape, so the dictionary
/// matcher runs one walk per start position instead of hashing every substring. A word's code
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
/// Each line holds a word and six tab-separated rank columns, one per ``RankedDictionary`` in
/// order, empty where the word is not in that list. Loading only records where lines start;
/// ranks are read from the bytes when a word is actually matched.
struct RankedWordFile: SortedWordList {
    private let bytes: [UInt8]
    private let lineStarts: [Int32]

    /// Indexes the file's lines, skipping `#` comment lines.
    init(bytes: [UInt8]) throws(StrengthDataError) {
        var starts: [Int32] = []
        starts.reserveCapacity(bytes.count / 16)
        var lineStart = 0
        var previous: UInt8 = 0
        bytes.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index] == 0x0A {
                if index > lineStart, buffer[lineStart] != 0x23 {
                    starts.append(Int32(lineStart))
                }
                lineStart = index + 1
            }
        }
        for start in starts {
            let word = Int(start)
            guard bytes[word] > 0x20, bytes[word] != 0x23 else { throw .malformed("ranked_words.tsv") }
            if previous > bytes[word] { throw .malformed("ranked_words.tsv: lines are not sorted") }
            previous = bytes[word]
        }
        guard lineStart == bytes.count, !starts.isEmpty else { throw .malformed("ranked_words.tsv") }
        self.bytes = bytes
        self.lineStarts = starts
    }

    var count: Int { lineStarts.count }

    @inline(__always)
    func unit(of word: Int, at depth: Int) -> UInt32 {
        let byte = bytes.withUnsafeBufferPointer { $0[Int(lineStarts[word]) &+ depth] }
        return byte == 0x09 ? 0 : UInt32(byte)
    }

    /// Calls `body(dictionary, rank)` for each list that ranks `word`, in list order.
    func forEachRank(of word: Int, length: Int, _ body: (RankedDictionary, Int) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            var position = Int(lineStarts[word]) + length + 1
            for dictionary in RankedDictionary.bundled {
                var rank = 0
                while position < buffer.count, buffer[position] != 0x09, buffer[position] != 0x0A {
                    rank = rank &* 10 &+ Int(buffer[position] &- 0x30)
                    position += 1
                }
                position += 1
                if rank > 0 { body(dictionary, rank) }
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
            rankByWord[input.unicodeScalars.map { lowercased($0).value }] = index + 1
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
