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

    /// Writes text that starts with a status glyph and wraps to `width` columns, continuation
    /// lines under the text, so that nothing at the end of a message (the reason, the fix) is cut off.
    ///
    /// - Parameter maxLines: the most lines it may take; a longer text ends in an ellipsis.
    /// - Returns: The row after the last line written.
    @discardableResult
    mutating func wrappedStatus(
        _ glyph: String?, _ text: String, column: Int, row: Int, width: Int, style: Style, maxLines: Int = 3,
        glyphs: Glyphs
    ) -> Int {
        let ellipsis = glyphs.ellipsis
        let indent = glyph.map { $0.terminalWidth + 1 } ?? 0
        var lines = text.wrapped(to: max(width - indent, 1))
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            let last = lines[maxLines - 1]
            lines[maxLines - 1] = String(last.prefix(max(last.count - ellipsis.count, 0))) + ellipsis
        }
        if let glyph { put(glyph, column: column, row: row, style: style.bolded) }
        for (index, line) in lines.enumerated() {
            put(line, column: column + indent, row: row + index, style: style, limit: width - indent)
        }
        return row + max(lines.count, 1)
    }

    /// Writes a line that starts with a status glyph, e.g. "✓ @alice:example.org is free".
    @discardableResult
    mutating func status(_ glyph: String, _ text: String, column: Int, row: Int, style: Style, limit: Int? = nil) -> Int {
        let end = put(glyph, column: column, row: row, style: style.bolded)
        return put(" " + text, column: end, row: row, style: style, limit: limit.map { $0 - glyph.terminalWidth })
    }
}
