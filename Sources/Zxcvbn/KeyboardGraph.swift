// MARK: - Keyboard graphs

/// A keyboard layout as a graph: for each key, its neighbours in a fixed order of directions.
///
/// A neighbour is a key cap of one or two characters, unshifted then shifted (`2@` on qwerty);
/// keypads have one. The direction of a step is the neighbour's position, so a run that keeps
/// the same position goes straight and a change of position is a turn.
struct KeyboardGraph: Sendable {
    /// The four layouts zxcvbn knows, in its matching order.
    enum Name: String, Sendable, CaseIterable {
        case qwerty, dvorak, keypad
        case macKeypad = "mac_keypad"

        /// Whether this layout has shifted characters (full keyboards do, keypads do not).
        var hasShift: Bool { self == .qwerty || self == .dvorak }
    }

    /// A key cap next to another key, with `0` for a missing shifted character.
    struct KeyCap: Sendable {
        let unshifted: UInt32
        let shifted: UInt32
    }

    let name: Name
    /// The neighbours of each ASCII key, by direction; `nil` where the key is not on the layout.
    private let neighbours: [[KeyCap?]?]
    /// How many keys the layout has: zxcvbn's number of starting positions.
    let keyCount: Int
    /// The mean number of neighbours per key.
    let averageDegree: Double

    /// Builds a graph from `adjacency_graphs.tsv` lines: a key, then its neighbours by direction.
    init(name: Name, lines: [Substring]) throws(StrengthDataError) {
        var table = [[KeyCap?]?](repeating: nil, count: 128)
        var degreeSum = 0
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let key = fields.first?.unicodeScalars.first, fields[0].unicodeScalars.count == 1,
                key.value < 128
            else { throw .malformed("adjacency_graphs.tsv: \(line)") }
            let caps: [KeyCap?] = fields.dropFirst().map { field in
                let scalars = Array(field.unicodeScalars)
                guard let first = scalars.first else { return nil }
                return KeyCap(unshifted: first.value, shifted: scalars.count > 1 ? scalars[1].value : 0)
            }
            degreeSum += caps.count { $0 != nil }
            table[Int(key.value)] = caps
        }
        guard !lines.isEmpty else { throw .malformed("adjacency_graphs.tsv: empty graph \(name.rawValue)") }
        self.name = name
        self.neighbours = table
        self.keyCount = lines.count
        self.averageDegree = Double(degreeSum) / Double(lines.count)
    }

    /// The neighbours of `key` by direction, empty when the key is not on this layout.
    @inline(__always)
    func neighbours(of key: UInt32) -> [KeyCap?] {
        key < 128 ? neighbours[Int(key)] ?? [] : []
    }
}
