// MARK: - Keyboard patterns

/// The characters typed with Shift on a US keyboard, which make a keyboard run's first key count
/// as shifted.
private let shiftedCharacters = Set(#"~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?"#.unicodeScalars.map(\.value))

extension PatternMatcher {
    /// Runs of three or more adjacent keys on each keyboard layout, such as `qwerty` or `zxcvfr`.
    func spatialMatches(_ text: PasswordText, into matches: inout [Match]) {
        var found: [Match] = []
        for graph in data.graphs {
            spatialMatches(text.units, on: graph, into: &found)
        }
        matches.append(contentsOf: found.stableSorted())
    }

    /// Walks `units` once on `graph`, recording each maximal run with its turns and shifted keys.
    ///
    /// A step's direction is the neighbour slot the next key sits in; every change of slot, and
    /// the first step, counts as a turn.
    private func spatialMatches(_ units: [UInt32], on graph: KeyboardGraph, into matches: inout [Match]) {
        var i = 0
        while i < units.count - 1 {
            var j = i + 1
            var lastDirection = -1
            var turns = 0
            var shiftedCount = graph.name.hasShift && shiftedCharacters.contains(units[i]) ? 1 : 0
            while true {
                var found = false
                if j < units.count {
                    let current = units[j]
                    for (direction, cap) in graph.neighbours(of: units[j - 1]).enumerated() {
                        guard let cap, current != 0, cap.unshifted == current || cap.shifted == current
                        else { continue }
                        found = true
                        if cap.unshifted != current { shiftedCount += 1 }
                        if lastDirection != direction {
                            turns += 1
                            lastDirection = direction
                        }
                        break
                    }
                }
                if found {
                    j += 1
                } else {
                    if j - i > 2 {
                        matches.append(Match(
                            i: i, j: j - 1,
                            pattern: .spatial(graph: graph.name, turns: turns, shiftedCount: shiftedCount)))
                    }
                    i = j
                    break
                }
            }
        }
    }
}
