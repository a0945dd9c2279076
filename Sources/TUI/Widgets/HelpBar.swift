/// The help line: the keys of the focused control, from the same bindings that dispatch them.
struct HelpBar {
    var bindings: [KeyBinding]
    var ascii: Bool

    func render(into screen: inout Screen, row: Int) {
        var x = 1
        for binding in bindings where !binding.help.isEmpty {
            let label = ascii ? binding.asciiLabel : binding.label
            let needed = label.terminalWidth + 1 + binding.help.terminalWidth
            guard x + needed < screen.size.columns else { break }
            x = screen.put(label, column: x, row: row, style: Style(.accent, bold: true))
            x = screen.put(" " + binding.help, column: x, row: row, style: .plain) + 2
        }
    }
}
