/// The account as written, and the access token, shown this once.
struct ResultScreen {
    var state: WizardState
    var glyphs: Glyphs

    func render(into screen: inout Screen) {
        guard let outcome = state.outcome else { return }
        let top = Layout.contentTop + 1
        let headline = "Created \(outcome.userID)" + (outcome.admin ? " (admin)" : "")
        screen.status(glyphs.pass, headline, column: Layout.labelColumn, row: top, style: Style(.good, bold: true))
        let width = screen.size.columns - Layout.valueColumn - 1
        var details = [
            ("Display name", outcome.displayName),
            ("Admin", outcome.admin ? "yes" : "no"),
            ("User type", outcome.userType ?? "none"),
        ].map { ($0.0, [$0.1]) }
        // A path can be longer than the line: it wraps, like the token.
        if let backup = outcome.backupPath { details.append(("Backup", backup.wrapped(to: width))) }
        var row = top + 2
        for (label, lines) in details {
            screen.put(label, column: Layout.labelColumn, row: row, style: .muted)
            for line in lines {
                screen.put(line, column: Layout.valueColumn, row: row)
                row += 1
            }
        }
        loginTest(into: &screen, row: screen.size.rows - 5)
        row += 1
        guard let token = outcome.token else {
            screen.put("No access token was issued; the user logs in with the password.",
                column: Layout.labelColumn, row: row, style: .muted)
            return
        }
        if let device = outcome.deviceID {
            screen.put("Device ID", column: Layout.labelColumn, row: row, style: .muted)
            screen.put(device, column: Layout.valueColumn, row: row, style: .plain, limit: width)
            row += 1
        }
        screen.put("Access token", column: Layout.labelColumn, row: row, style: .muted)
        let tokenLines = token.revealed.wrapped(to: width)
        for (index, line) in tokenLines.enumerated() {
            screen.put(line, column: Layout.valueColumn, row: row + index, style: .plain.bolded)
        }
        row += tokenLines.count
        screen.status(glyphs.warning, "Shown only this once: copy it now.",
            column: Layout.valueColumn, row: row, style: .warning, limit: width)
        row += 1
        screen.put(outcome.tokenExpiry.map { "Expires \($0)." } ?? "It never expires.",
            column: Layout.valueColumn, row: row, style: outcome.tokenExpiry == nil ? .warning : .muted)
    }

    /// The login test's line: the offer, the test running, or what it found.
    private func loginTest(into screen: inout Screen, row: Int) {
        let width = screen.size.columns - Layout.valueColumn - 1
        screen.put("Login", column: Layout.labelColumn, row: row, style: .muted)
        switch state.loginTest {
        case nil:
            screen.put("Press t to log in through the running Synapse and out again.",
                column: Layout.valueColumn, row: row, style: .muted, limit: width)
        case .some(nil):
            screen.put("Logging in through Synapse" + glyphs.ellipsis, column: Layout.valueColumn, row: row, style: .muted)
        case .some(let answer?):
            let (glyph, style): (String, Style) =
                switch answer.verdict {
                case .passed: (glyphs.pass, .good)
                case .failed: (glyphs.fail, .bad)
                case .unknown: (glyphs.warning, .warning)
                }
            screen.wrappedStatus(glyph, answer.message, column: Layout.valueColumn, row: row, width: width,
                style: style, maxLines: 2, glyphs: glyphs)
        }
    }
}
