/// Step 1: the user ID, checked as it is typed and against the database, and the display name.
struct AccountScreen {
    var state: WizardState
    var glyphs: Glyphs

    func render(into screen: inout Screen) {
        let top = Layout.contentTop + 1
        let server = state.configuration.serverName
        screen.label("User ID", row: top, focused: state.focus == .userID, glyphs: glyphs)
        let userIDCursor = TextFieldView(
            field: state.userID, focused: state.focus == .userID, placeholder: "alice or @alice:\(server)",
            glyphs: glyphs
        ).render(into: &screen, column: Layout.valueColumn, row: top)
        userIDStatus(into: &screen, row: top + 1)

        screen.label("Display name", row: top + 3, focused: state.focus == .displayName, glyphs: glyphs)
        let nameCursor = TextFieldView(
            field: state.displayName, focused: state.focus == .displayName,
            placeholder: state.localpart.map { "(default: \($0))" } ?? "",
            glyphs: glyphs
        ).render(into: &screen, column: Layout.valueColumn, row: top + 3)
        if let error = state.errors[.displayName] {
            screen.status(glyphs.fail, error, column: Layout.valueColumn, row: top + 4, style: .bad)
        } else {
            screen.put("Shown to other users. Empty: the localpart.", column: Layout.valueColumn, row: top + 4,
                style: .muted)
        }

        let notes = [
            "A localpart such as \"alice\", or a full ID ending in \":\(server)\".",
            "Allowed: a-z 0-9 and . _ = - / +, all lower case.",
        ]
        for (index, note) in notes.enumerated() {
            screen.put(note, column: Layout.labelColumn, row: top + 7 + index, style: .muted, limit: screen.size.columns - 4)
        }
        screen.cursor = userIDCursor ?? nameCursor
    }

    private func userIDStatus(into screen: inout Screen, row: Int) {
        let column = Layout.valueColumn
        let limit = screen.size.columns - column - 1
        if let error = state.errors[.userID] {
            screen.status(glyphs.fail, error, column: column, row: row, style: .bad, limit: limit)
            return
        }
        switch state.userIDValidation {
        case nil:
            return
        case .invalid(let message):
            screen.status(glyphs.fail, message, column: column, row: row, style: .bad, limit: limit)
        case .valid(let id):
            switch state.availability {
            case .free(id):
                screen.status(glyphs.pass, Wording.free(id), column: column, row: row, style: .good, limit: limit)
            case .taken(id):
                screen.status(glyphs.fail, "\(id) is already taken", column: column, row: row, style: .bad, limit: limit)
            case .checking(id):
                screen.put("\(id) \(glyphs.ellipsis) checking", column: column, row: row, style: .muted, limit: limit)
            case .atCreate(id, let checker):
                screen.status(glyphs.warning, "\(id): \(checker) checks it at Create", column: column, row: row,
                    style: .muted, limit: limit)
            case .failed(id, let message):
                screen.status(glyphs.warning, "\(id): not checked (\(message))", column: column, row: row,
                    style: .warning, limit: limit)
            default:
                screen.put(id, column: column, row: row, style: .plain, limit: limit)
            }
        }
    }
}
