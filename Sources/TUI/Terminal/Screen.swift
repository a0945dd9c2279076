/// A position on the screen, in columns and rows from the top-left corner.
package struct Position: Sendable, Hashable {
    package var column: Int
    package var row: Int

    package init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }
}

/// The size of a screen in columns and rows.
package struct Size: Sendable, Hashable, CustomStringConvertible {
    package var columns: Int
    package var rows: Int

    package init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The classic terminal size the wizard is designed for.
    package static let standard = Size(columns: 80, rows: 24)

    package var description: String { "\(columns)x\(rows)" }
}

/// One cell of the grid: a character, its style, and whether it is the right half of a wide one.
package struct Cell: Sendable, Hashable {
    package var character: Character
    package var style: Style
    /// True for the second column of a double-width character; such a cell draws nothing itself.
    package var isContinuation: Bool

    package init(_ character: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    package static let blank = Cell()
}

/// A grid of cells that the renderer draws into and the terminal copies out of.
///
/// A plain value, like ratatui's `Buffer`: rendering is a pure function into a `Screen`, tests
/// compare ``lines``, and the terminal diffs two screens to draw only what changed.
package struct Screen: Sendable, Equatable {
    package let size: Size
    package private(set) var cells: [Cell]
    /// Where the terminal cursor should be, or `nil` to hide it.
    package var cursor: Position?

    package init(size: Size) {
        self.size = Size(columns: max(size.columns, 0), rows: max(size.rows, 0))
        self.cells = Array(repeating: .blank, count: self.size.columns * self.size.rows)
    }

    package subscript(column: Int, row: Int) -> Cell {
        get { cells[row * size.columns + column] }
        set { cells[row * size.columns + column] = newValue }
    }

    /// The rows as text, wide characters once, trailing blanks removed: the form snapshots take.
    package var lines: [String] {
        (0..<size.rows).map { row in
            var line = ""
            for column in 0..<size.columns where !self[column, row].isContinuation {
                line.append(self[column, row].character)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    // MARK: - Drawing

    /// Writes `text` starting at `column`, `row`, clipped to `limit` columns and to the screen.
    ///
    /// A wide character that would not fit whole is replaced by a blank, so a row never ends
    /// in half a glyph.
    /// - Returns: The column after the last one written.
    @discardableResult
    package mutating func put(
        _ text: some StringProtocol, column: Int, row: Int, style: Style = .plain, limit: Int? = nil
    ) -> Int {
        guard (0..<size.rows).contains(row) else { return column }
        let end = min(size.columns, limit.map { column + $0 } ?? size.columns)
        var x = column
        for character in text {
            let width = character.terminalWidth
            guard width > 0 else { continue }
            guard x + width <= end else {
                if x < end, x >= 0 { self[x, row] = Cell(" ", style: style) }
                return end
            }
            if x >= 0 {
                clearWideCharacter(at: x, row: row)
                self[x, row] = Cell(character, style: style)
                if width == 2 {
                    clearWideCharacter(at: x + 1, row: row)
                    self[x + 1, row] = Cell(" ", style: style, isContinuation: true)
                }
            }
            x += width
        }
        return x
    }

    /// Paints `count` cells of `row` from `column` with `character` in `style`.
    package mutating func fill(_ character: Character = " ", column: Int, row: Int, count: Int, style: Style = .plain) {
        guard (0..<size.rows).contains(row) else { return }
        for x in max(column, 0)..<min(column + count, size.columns) {
            clearWideCharacter(at: x, row: row)
            self[x, row] = Cell(character, style: style)
        }
    }

    /// Blanks a whole rectangle.
    package mutating func clear(column: Int = 0, row: Int = 0, columns: Int? = nil, rows: Int? = nil) {
        for y in row..<min(row + (rows ?? size.rows), size.rows) {
            fill(column: column, row: y, count: columns ?? size.columns)
        }
    }

    /// Keeps the grid consistent when one half of a wide character is overwritten.
    private mutating func clearWideCharacter(at column: Int, row: Int) {
        guard column < size.columns else { return }
        if self[column, row].isContinuation, column > 0 {
            self[column - 1, row] = Cell(" ", style: self[column - 1, row].style)
        } else if column + 1 < size.columns, self[column + 1, row].isContinuation {
            self[column + 1, row] = Cell(" ", style: self[column + 1, row].style)
        }
    }
}
