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
        // A long message pushes what follows down rather than losing its end.
        let nameRow = max(userIDStatus(into: &screen, row: top + 1) + 1, top + 3)
        screen.label("Display name", row: nameRow, focused: state.focus == .displayName, glyphs: glyphs)
        let nameCursor = TextFieldView(
            field: state.displayName, focused: state.focus == .displayName,
            placeholder: state.localpart.map { "(default: \($0))" } ?? "",
            glyphs: glyphs
        ).render(into: &screen, column: Layout.valueColumn, row: nameRow)
        var notesRow = nameRow + 4
        if let error = state.errors[.displayName] {
            let end = screen.wrappedStatus(glyphs.fail, error, column: Layout.valueColumn, row: nameRow + 1,
                width: screen.size.columns - Layout.valueColumn - 1, style: .bad, maxLines: 2, glyphs: glyphs)
            notesRow = max(notesRow, end + 1)
        } else {
            screen.put("Shown to other users. Empty: the localpart.", column: Layout.valueColumn, row: nameRow + 1,
                style: .muted)
        }

        let notes = [
            "A localpart such as \"alice\", or a full ID ending in \":\(server)\".",
            "Allowed: a-z 0-9 and . _ = - / +, all lower case.",
        ]
        for (index, note) in notes.enumerated() {
            screen.put(note, column: Layout.labelColumn, row: notesRow + index, style: .muted, limit: screen.size.columns - 4)
        }
        screen.cursor = userIDCursor ?? nameCursor
    }

    /// The check's answer under the user ID, wrapped over up to four lines.
    /// - Returns: The row after the last one written.
    private func userIDStatus(into screen: inout Screen, row: Int) -> Int {
        func show(_ glyph: String?, _ text: String, _ style: Style) -> Int {
            screen.wrappedStatus(glyph, text, column: Layout.valueColumn, row: row,
                width: screen.size.columns - Layout.valueColumn - 1, style: style, maxLines: 4, glyphs: glyphs)
        }
        if let error = state.errors[.userID] { return show(glyphs.fail, error, .bad) }
        switch state.userIDValidation {
        case nil:
            return row
        case .invalid(let message):
            return show(glyphs.fail, message, .bad)
        case .valid(let id):
            switch state.availability {
            case .free(id): return show(glyphs.pass, Wording.free(id), .good)
            case .taken(id): return show(glyphs.fail, "\(id) is already taken", .bad)
            case .checking(id): return show(nil, "\(id) \(glyphs.ellipsis) checking", .muted)
            case .atCreate(id, let checker): return show(glyphs.warning, "\(id): \(checker) checks it at Create", .muted)
            case .failed(id, let message): return show(glyphs.warning, "\(id): not checked (\(message))", .warning)
            default: return show(nil, id, .plain)
            }
        }
    }
}
