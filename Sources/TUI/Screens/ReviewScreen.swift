import Core

/// Step 4: everything that will be written, except the password itself.
struct ReviewScreen {
    var state: WizardState
    var glyphs: Glyphs

    func render(into screen: inout Screen) {
        let top = Layout.contentTop + 1
        screen.put(Wording.reviewHeading, column: Layout.labelColumn, row: top, style: .plain.bolded)
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
        let availability: String?
        switch state.availability {
        case .free(id): availability = "free"
        case .failed(id, _): availability = "availability not checked"
        case .atCreate(id, let checker): availability = "\(checker) checks availability at Create"
        default: availability = nil
        }
        let token: Wording.Review.Token =
            switch (state.issueToken, state.tokenValidityMs) {
            case (false, _): .none
            case (true, nil): .neverExpires
            case (true, _?): .validFor(state.tokenValidityDescription)
            }
        let review = Wording.Review(
            userID: id, availability: availability, displayName: state.effectiveDisplayName,
            strength: state.currentAnalysis?.strength,
            passwordAccepted: state.acceptedPassword?.revealed == state.password.text, admin: state.admin,
            userType: state.userType, token: token, backup: state.backup,
            database: state.configuration.databaseDescription)
        return review.rows.map { row in
            let style: Style =
                switch row.emphasis {
                case .plain: .plain
                case .strong: .plain.bolded
                case .warning: .warning.bolded
                }
            return (row.label, row.value, style)
        }
    }
}
