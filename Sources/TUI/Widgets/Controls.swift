/// A check box: `[x] label`.
struct ToggleView {
    var isOn: Bool
    var label: String
    var focused: Bool
    var glyphs: Glyphs
    /// The style of the label when the box is ticked.
    var onStyle: Style = .plain

    func render(into screen: inout Screen, column: Int, row: Int) {
        let box = isOn ? glyphs.checked : glyphs.unchecked
        let end = screen.put(box, column: column, row: row, style: focused ? Style(.accent, bold: true, reverse: true) : .plain)
        screen.put(" " + label, column: end, row: row, style: isOn ? onStyle : .plain)
    }
}

/// A row of radio buttons: `(•) none  ( ) bot  ( ) support`.
struct ChoiceView {
    var options: [String]
    var selected: Int
    var focused: Bool
    var glyphs: Glyphs

    func render(into screen: inout Screen, column: Int, row: Int, width: Int) {
        var x = column
        for (index, option) in options.enumerated() {
            let isSelected = index == selected
            let mark = isSelected ? glyphs.selected : glyphs.unselected
            let style: Style = isSelected ? (focused ? Style(.accent, bold: true, reverse: true) : .plain.bolded) : .plain
            guard x + mark.terminalWidth + option.terminalWidth + 1 <= column + width else {
                screen.put(glyphs.ellipsis, column: x, row: row, style: .muted)
                return
            }
            x = screen.put(mark, column: x, row: row, style: style)
            x = screen.put(" " + option, column: x, row: row, style: isSelected ? .plain.bolded : .plain)
            x += 2
        }
    }
}

/// A button: `[ Create account ]`, reversed with a marker when it has the focus.
struct ButtonView {
    var title: String
    var focused: Bool
    var glyphs: Glyphs

    var width: Int { title.terminalWidth + 4 }

    @discardableResult
    func render(into screen: inout Screen, column: Int, row: Int) -> Int {
        if focused {
            screen.put(glyphs.focus, column: column - 2, row: row, style: Style(.accent, bold: true))
        }
        return screen.put("[ \(title) ]", column: column, row: row,
            style: focused ? Style(.accent, bold: true, reverse: true) : .plain)
    }
}
