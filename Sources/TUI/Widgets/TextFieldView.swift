/// Draws a ``TextField`` as `[text   ]`, masked if it is a password, scrolled to keep the cursor in view.
struct TextFieldView {
    var field: TextField
    var width = Layout.fieldWidth
    var focused: Bool
    /// Shown dimmed while the field is empty.
    var placeholder = ""
    var disabled = false
    var glyphs: Glyphs

    /// Draws the field.
    /// - Returns: Where the terminal cursor belongs when the field has the focus.
    @discardableResult
    func render(into screen: inout Screen, column: Int, row: Int) -> Position? {
        let inner = width - 2
        let bracket = focused ? Style(.accent, bold: true) : (disabled ? .muted : .plain)
        screen.put("[", column: column, row: row, style: bracket)
        screen.put("]", column: column + width - 1, row: row, style: bracket)
        let shown = field.isMasked ? Array(repeating: glyphs.mask, count: field.characters.count) : field.characters
        if shown.isEmpty {
            screen.put(placeholder, column: column + 1, row: row, style: .muted, limit: inner)
            return focused ? Position(column: column + 1, row: row) : nil
        }
        var offset = field.cursor
        var used = 1
        while offset > 0, used + shown[offset - 1].terminalWidth <= inner {
            offset -= 1
            used += shown[offset].terminalWidth
        }
        let text = String(shown[offset...])
        screen.put(text, column: column + 1, row: row, style: disabled ? .muted : .plain, limit: inner)
        guard focused else { return nil }
        let cursorColumn = shown[offset..<field.cursor].reduce(column + 1) { $0 + $1.terminalWidth }
        return Position(column: cursorColumn, row: row)
    }
}
