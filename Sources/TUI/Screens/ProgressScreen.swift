/// Shown while the password is hashed and the account written.
struct ProgressScreen {
    var state: WizardState
    var glyphs: Glyphs

    func render(into screen: inout Screen) {
        let row = Layout.contentTop + 4
        let spinner = glyphs.spinner[state.frame % glyphs.spinner.count]
        let id = state.validUserID ?? state.userID.text
        let end = screen.put(spinner, column: Layout.labelColumn, row: row, style: Style(.accent, bold: true))
        screen.put(" Creating \(id)\(glyphs.ellipsis)", column: end, row: row, style: .plain.bolded)
        screen.put("Hashing the password with bcrypt and writing every row in one transaction.",
            column: Layout.labelColumn + 2, row: row + 2, style: .muted, limit: screen.size.columns - 6)
    }
}
