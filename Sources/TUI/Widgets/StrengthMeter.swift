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

    /// Draws the meter starting at `row`, in at most `width` columns, above row `bottom`.
    ///
    /// The bar, the guessing line and the warning wrap rather than lose their ends; the
    /// suggestions follow while there is room for them.
    /// - Returns: The row after the last one drawn.
    @discardableResult
    func render(into screen: inout Screen, column: Int, row: Int, width: Int, bottom: Int) -> Int {
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
        var y = screen.wrappedStatus(nil, Wording.crackTime(strength), column: column, row: row + 1, width: width,
            style: .muted, maxLines: 2, glyphs: glyphs)
        if let warning = strength.warning, !warning.isEmpty {
            y = screen.wrappedStatus(glyphs.warning, warning, column: column, row: y, width: width, style: .warning,
                maxLines: max(min(2, bottom - y), 1), glyphs: glyphs)
        }
        for suggestion in strength.suggestions.prefix(2) {
            let lines = suggestion.wrapped(to: width - 2).count
            guard y + lines <= bottom else { break }
            y = screen.wrappedStatus(glyphs.bullet, suggestion, column: column, row: y, width: width, style: .plain,
                maxLines: lines, glyphs: glyphs)
        }
        return y
    }

    /// With a minimum: good at or above it, bad below. Without: good at the advised score, a
    /// warning at 2, bad below.
    static func style(for score: Int, minimum: Int?) -> Style {
        if let minimum { return score >= minimum ? .good : .bad }
        if score >= PasswordRequirements.advisedScore { return .good }
        return score >= 2 ? .warning : .bad
    }
}
