/// A framed question over the form, with Yes and No buttons.
struct DialogView {
    var title: String
    var message: [String]
    var yesTitle: String
    var noTitle: String
    var yesSelected: Bool
    var glyphs: Glyphs

    static let width = 60

    func render(into screen: inout Screen) {
        let inner = Self.width - 4
        let lines = message.flatMap { $0.isEmpty ? [""] : $0.wrapped(to: inner) }
        let height = lines.count + 5
        let left = max((screen.size.columns - Self.width) / 2, 0)
        let top = max((screen.size.rows - height) / 2, 0)
        let box = glyphs.box
        for y in top..<(top + height) {
            screen.fill(column: left, row: y, count: Self.width)
            screen.put(String(box.vertical), column: left, row: y, style: .accent)
            screen.put(String(box.vertical), column: left + Self.width - 1, row: y, style: .accent)
        }
        let horizontal = String(repeating: box.horizontal, count: Self.width - 2)
        screen.put(String(box.topLeft) + horizontal + String(box.topRight), column: left, row: top, style: .accent)
        screen.put(String(box.bottomLeft) + horizontal + String(box.bottomRight),
            column: left, row: top + height - 1, style: .accent)
        screen.put(" \(title) ", column: left + 2, row: top, style: Style(.accent, bold: true))
        for (index, line) in lines.enumerated() {
            screen.put(line, column: left + 2, row: top + 2 + index)
        }
        let yes = ButtonView(title: yesTitle, focused: yesSelected, glyphs: glyphs)
        let no = ButtonView(title: noTitle, focused: !yesSelected, glyphs: glyphs)
        let buttonsWidth = yes.width + 6 + no.width
        let buttonRow = top + height - 2
        let x = left + (Self.width - buttonsWidth) / 2
        yes.render(into: &screen, column: x, row: buttonRow)
        no.render(into: &screen, column: x + yes.width + 6, row: buttonRow)
    }
}
