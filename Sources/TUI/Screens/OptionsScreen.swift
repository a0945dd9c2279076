/// Step 3: admin, user type, the access token and the backup.
struct OptionsScreen {
    var state: WizardState
    var glyphs: Glyphs

    func render(into screen: inout Screen) {
        let top = Layout.contentTop + 1
        let column = Layout.valueColumn
        screen.label("Admin", row: top, focused: state.focus == .admin, glyphs: glyphs)
        ToggleView(isOn: state.admin, label: "Server admin", focused: state.focus == .admin, glyphs: glyphs,
            onStyle: .warning.bolded
        ).render(into: &screen, column: column, row: top)
        let width = screen.size.columns - column - 1
        if let error = state.errors[.admin] {
            screen.wrappedStatus(glyphs.fail, error, column: column, row: top + 1, width: width, style: .bad,
                maxLines: 2, glyphs: glyphs)
        } else if state.admin {
            screen.wrappedStatus(glyphs.warning, "Can manage every user and room on \(state.configuration.serverName).",
                column: column, row: top + 1, width: width, style: .warning, maxLines: 2, glyphs: glyphs)
        } else {
            screen.put("Off: an ordinary account.", column: column, row: top + 1, style: .muted)
        }

        screen.label("User type", row: top + 3, focused: state.focus == .userType, glyphs: glyphs)
        ChoiceView(options: ["none"] + state.configuration.userTypes, selected: state.userTypeIndex,
            focused: state.focus == .userType, glyphs: glyphs
        ).render(into: &screen, column: column, row: top + 3, width: screen.size.columns - column - 1)
        if let error = state.errors[.userType] {
            screen.status(glyphs.fail, error, column: column, row: top + 4, style: .bad, limit: width)
        }

        screen.label("Access token", row: top + 5, focused: state.focus == .issueToken, glyphs: glyphs)
        ToggleView(isOn: state.issueToken, label: "Issue an access token now", focused: state.focus == .issueToken,
            glyphs: glyphs
        ).render(into: &screen, column: column, row: top + 5)

        screen.label("Valid for", row: top + 6, focused: state.focus == .tokenValidity, glyphs: glyphs)
        let cursor = TextFieldView(
            field: state.tokenValidity, width: 10, focused: state.focus == .tokenValidity, disabled: !state.issueToken,
            glyphs: glyphs
        ).render(into: &screen, column: column, row: top + 6)
        let unit = state.issueToken ? "days, or 12h, 2w; empty: never expires" : "(with a token only)"
        screen.put(unit, column: column + 11, row: top + 6, style: .muted, limit: screen.size.columns - column - 12)
        if let error = state.errors[.tokenValidity] ?? state.errors[.issueToken] {
            screen.wrappedStatus(glyphs.fail, error, column: column, row: top + 7,
                width: screen.size.columns - column - 1, style: .bad, maxLines: 3, glyphs: glyphs)
        } else if state.issueToken {
            let note = state.tokenValidity.isEmpty
                ? "This token will never expire." : "The token is shown once, on the last screen."
            screen.put(note, column: column, row: top + 7, style: state.tokenValidity.isEmpty ? .warning : .muted)
        }

        screen.label("Backup", row: top + 10, focused: state.focus == .backup, glyphs: glyphs)
        ToggleView(isOn: state.backup, label: "Back up the database first", focused: state.focus == .backup,
            glyphs: glyphs
        ).render(into: &screen, column: column, row: top + 10)
        if let error = state.errors[.backup] {
            // A backup's error names its file, whose path is rarely short: up to three lines.
            let width = screen.size.columns - column - 3
            for (index, line) in error.wrapped(to: width).prefix(3).enumerated() {
                if index == 0 {
                    screen.status(glyphs.fail, line, column: column, row: top + 11, style: .bad)
                } else {
                    screen.put(line, column: column + 2, row: top + 11 + index, style: .bad)
                }
            }
        } else if !state.configuration.backupOffer.note.isEmpty {
            screen.wrappedStatus(nil, state.configuration.backupOffer.note, column: column, row: top + 11,
                width: width, style: .muted, maxLines: 3, glyphs: glyphs)
        }
        screen.cursor = cursor
    }
}
