import Core

/// The strength meter: five segments, the score in words, the crack time, the warning and suggestions.
///
/// Every part is text as well as colour: the bar is filled with a glyph, the score is written
/// out, and the required score is named when the password falls short of it.
struct StrengthMeter {
    var analysis: PasswordAnalysis?
    var passwordIsEmpty: Bool
    /// The minimum score, when the server's admin set one (`--min-strength`).
    var minimumScore: Int?
    var glyphs: Glyphs

    /// Draws the meter starting at `row`, in at most `width` columns.
    /// - Returns: The row after the last one drawn.
    @discardableResult
    func render(into screen: inout Screen, column: Int, row: Int, width: Int) -> Int {
        guard let strength = analysis?.strength, !passwordIsEmpty else {
            screen.put("[" + String(repeating: glyphs.barEmpty, count: 5) + "]", column: column, row: row, style: .muted)
            screen.put(passwordIsEmpty ? "Type a password to see its strength." : glyphs.ellipsis,
                column: column + 8, row: row, style: .muted)
            return row + 1
        }
        let score = min(max(strength.score, 0), 4)
        let style = Self.style(for: score, minimum: minimumScore)
        var x = screen.put("[", column: column, row: row)
        x = screen.put(String(repeating: glyphs.barFilled, count: score + 1), column: x, row: row, style: style)
        x = screen.put(String(repeating: glyphs.barEmpty, count: 4 - score), column: x, row: row, style: .muted)
        x = screen.put("] ", column: x, row: row)
        x = screen.put(Wording.strengthScore(strength), column: x, row: row, style: style.bolded)
        if let shortfall = Wording.strengthShortfall(score: score, minimum: minimumScore) {
            let required = minimumScore.map { score < $0 } ?? false
            screen.put("  " + shortfall, column: x, row: row, style: required ? .bad : .warning)
        }
        var y = row + 1
        screen.put(Wording.crackTime(strength), column: column, row: y, style: .muted,
            limit: width)
        y += 1
        if let warning = strength.warning, !warning.isEmpty {
            screen.status(glyphs.warning, warning, column: column, row: y, style: .warning, limit: width)
            y += 1
        }
        for suggestion in strength.suggestions.prefix(2) {
            screen.status(glyphs.bullet, suggestion, column: column, row: y, style: .plain, limit: width)
            y += 1
        }
        return y
    }

    /// Good at the advised score (and the minimum), a warning at 2, bad below.
    static func style(for score: Int, minimum: Int?) -> Style {
        if score >= max(minimum ?? 0, PasswordRequirements.advisedScore) { return .good }
        return score >= 2 ? .warning : .bad
    }
}
