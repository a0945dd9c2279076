import Core

/// Step 4: everything that will be written, except the password itself.
struct ReviewScreen {
    var state: WizardState
    var glyphs: Glyphs

    func render(into screen: inout Screen) {
        let top = Layout.contentTop + 1
        screen.put("This is what will be written:", column: Layout.labelColumn, row: top, style: .plain.bolded)
        var row = top + 2
        // A value longer than its line wraps: the end of a database's description is its host and port.
        for (label, value, style) in rows() {
            screen.put(label, column: Layout.labelColumn, row: row, style: .muted)
            row = screen.wrappedStatus(nil, value, column: Layout.valueColumn, row: row,
                width: screen.size.columns - Layout.valueColumn - 1, style: style, maxLines: 3, glyphs: glyphs)
        }
        let create = ButtonView(title: "Create account", focused: state.focus == .create, glyphs: glyphs)
        let end = create.render(into: &screen, column: Layout.valueColumn, row: row + 1)
        ButtonView(title: "Back", focused: state.focus == .back, glyphs: glyphs)
            .render(into: &screen, column: end + 4, row: row + 1)
    }

    private func rows() -> [(String, String, Style)] {
        let id = state.validUserID ?? state.userID.text
        let availability: String
        switch state.availability {
        case .free(id): availability = "  (free)"
        case .failed(id, _): availability = "  (availability not checked)"
        default: availability = ""
        }
        var password = "set, not shown"
        if let strength = state.currentAnalysis?.strength {
            password += "; strength \(StrengthWording.scoreText(strength.score))"
        }
        if state.acceptedPassword?.revealed == state.password.text { password += " (accepted)" }
        let token: String
        switch (state.issueToken, state.tokenValidityMs) {
        case (false, _): token = "none"
        case (true, nil): token = "issued now, never expires"
        case (true, _?): token = "issued now, valid for \(state.tokenValidityDescription)"
        }
        var rows: [(String, String, Style)] = [
            ("User ID", id + availability, .plain.bolded),
            ("Display name", state.effectiveDisplayName, .plain),
            ("Password", password, .plain),
            ("Admin", state.admin ? "yes, server admin" : "no", state.admin ? .warning.bolded : .plain),
            ("User type", state.userType ?? "none", .plain),
            ("Access token", token, .plain),
            ("Backup", state.backup ? "made first; nothing is written if it fails" : "none", .plain),
        ]
        if !state.configuration.databaseDescription.isEmpty {
            rows.append(("Database", state.configuration.databaseDescription, .plain))
        }
        return rows
    }
}
