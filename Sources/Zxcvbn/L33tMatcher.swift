// MARK: - l33t substitutions

/// zxcvbn's substitution table: each letter and the characters written in its place.
let l33tTable: [(letter: UInt32, substitutes: [UInt32])] = [
    ("a", "4@"), ("b", "8"), ("c", "({[<"), ("e", "3"), ("g", "69"), ("i", "1!|"),
    ("l", "1|7"), ("o", "0"), ("s", "$5"), ("t", "+7"), ("x", "%"), ("z", "2"),
].map { letter, substitutes in
    (Unicode.Scalar(letter)!.value, substitutes.unicodeScalars.map(\.value))
}

/// One way of reading a password's l33t characters: each substitute mapped to a single letter.
typealias L33tReading = [(substitute: UInt32, letter: UInt32)]

extension PatternMatcher {
    /// Dictionary words written with substitutions, such as `p4ssw0rd`.
    ///
    /// A character such as `1` may stand for `i` or `l`, so the password is read once per
    /// combination of meanings and each reading is matched against the dictionaries. Only
    /// matches that use at least one substitution and span two or more characters count.
    func l33tMatches(_ text: PasswordText, into matches: inout [Match]) {
        var found: [Match] = []
        var seen = Set<L33tMatchKey>()
        for reading in Self.l33tReadings(of: text.units) {
            var translation = text.units
            for index in translation.indices {
                if let entry = reading.last(where: { $0.substitute == translation[index] }) {
                    translation[index] = entry.letter
                }
            }
            let lowered = pythonLowercase(translation)
            forEachDictionaryWord(in: lowered, length: text.count) { i, j, dictionary, rank in
                let token = text.units[i...j]
                guard j > i, pythonLowercase(token) != Array(lowered[i...j]) else { return }
                let inUse = reading.filter { token.contains($0.substitute) }
                guard seen.insert(L33tMatchKey(i: i, j: j, dictionary: dictionary, reading: inUse)).inserted
                else { return }
                let word = DictionaryWord(dictionary: dictionary, rank: rank, reversed: false, substitutions: inUse)
                found.append(Match(i: i, j: j, pattern: .dictionary(word)))
            }
        }
        matches.append(contentsOf: found.stableSorted())
    }

    /// The readings zxcvbn tries, in its order, for the substitutes present in `units`.
    ///
    /// Letters are taken in table order. A substitute already claimed by an earlier letter forks
    /// the readings: one keeps the earlier meaning, one gives it to the new letter. Two
    /// substitutes for the same letter are never used in the same reading.
    static func l33tReadings(of units: [UInt32]) -> [L33tReading] {
        let present = Set(units)
        var readings: [L33tReading] = [[]]
        for (letter, substitutes) in l33tTable {
            let relevant = substitutes.filter(present.contains)
            if relevant.isEmpty { continue }
            var next: [L33tReading] = []
            for substitute in relevant {
                for reading in readings {
                    if let claimed = reading.firstIndex(where: { $0.substitute == substitute }) {
                        var alternative = reading
                        alternative.remove(at: claimed)
                        alternative.append((substitute, letter))
                        next.append(reading)
                        next.append(alternative)
                    } else {
                        next.append(reading + [(substitute, letter)])
                    }
                }
            }
            var labels = Set<[UInt64]>()
            readings = next.filter { reading in
                labels.insert(reading.map { UInt64($0.letter) << 32 | UInt64($0.substitute) }.sorted()).inserted
            }
        }
        return readings.first?.isEmpty == true ? [] : readings
    }
}

/// Identifies an l33t match, so that readings agreeing on a token do not report it twice.
private struct L33tMatchKey: Hashable {
    let i: Int
    let j: Int
    let dictionary: RankedDictionary
    let substitutions: [UInt64]

    init(i: Int, j: Int, dictionary: RankedDictionary, reading: L33tReading) {
        self.i = i
        self.j = j
        self.dictionary = dictionary
        self.substitutions = reading.map { UInt64($0.letter) << 32 | UInt64($0.substitute) }
    }
}
