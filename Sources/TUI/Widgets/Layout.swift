/// The grid the form screens are laid out on, made for 80 columns.
enum Layout {
    /// Where the focus marker goes.
    static let markerColumn = 1
    /// Where field labels start.
    static let labelColumn = 3
    /// Where fields and values start.
    static let valueColumn = 18
    /// The width of a text field, brackets included.
    static let fieldWidth = 40
    /// The first row below the header.
    static let contentTop = 4
}

extension String {
    /// Splits the text into lines of at most `width` columns, breaking at spaces where it can.
    func wrapped(to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if candidate.terminalWidth <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = String(word)
            while line.terminalWidth > width {
                var head = ""
                for character in line where head.terminalWidth + character.terminalWidth <= width {
                    head.append(character)
                }
                lines.append(head)
                line.removeFirst(head.count)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

extension Screen {
    /// Draws a field label, bold with a focus marker when its control has the focus.
    mutating func label(_ text: String, row: Int, focused: Bool, glyphs: Glyphs) {
        if focused { put(glyphs.focus, column: Layout.markerColumn, row: row, style: Style(.accent, bold: true)) }
        put(text, column: Layout.labelColumn, row: row, style: focused ? Style(.accent, bold: true) : .plain)
    }

    /// Writes a line that starts with a status glyph, e.g. "✓ @alice:example.org is free".
    @discardableResult
    mutating func status(_ glyph: String, _ text: String, column: Int, row: Int, style: Style, limit: Int? = nil) -> Int {
        let end = put(glyph, column: column, row: row, style: style.bolded)
        return put(" " + text, column: end, row: row, style: style, limit: limit.map { $0 - glyph.terminalWidth })
    }
}
