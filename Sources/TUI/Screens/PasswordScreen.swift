/// Step 2: the password twice, a generator, the strength meter and the server's policy.
struct PasswordScreen {
    var state: WizardState
    var glyphs: Glyphs

    func render(into screen: inout Screen) {
        let top = Layout.contentTop + 1
        let width = screen.size.columns - Layout.valueColumn - 1
        screen.label("Password", row: top, focused: state.focus == .password, glyphs: glyphs)
        let passwordCursor = TextFieldView(field: state.password, focused: state.focus == .password, glyphs: glyphs)
            .render(into: &screen, column: Layout.valueColumn, row: top)

        screen.label("Confirm", row: top + 1, focused: state.focus == .confirmation, glyphs: glyphs)
        let confirmationCursor = TextFieldView(
            field: state.passwordConfirmation, focused: state.focus == .confirmation, glyphs: glyphs
        ).render(into: &screen, column: Layout.valueColumn, row: top + 1)
        matchIndicator(into: &screen, column: Layout.valueColumn + Layout.fieldWidth + 2, row: top + 1)

        ButtonView(title: "Generate a strong password", focused: state.focus == .generate, glyphs: glyphs)
            .render(into: &screen, column: Layout.valueColumn, row: top + 2)
        messages(into: &screen, row: top + 3, width: width)

        screen.label("Strength", row: top + 6, focused: false, glyphs: glyphs)
        StrengthMeter(
            analysis: state.currentAnalysis, passwordIsEmpty: state.password.isEmpty,
            minimumScore: state.configuration.minimumScore, glyphs: glyphs
        ).render(into: &screen, column: Layout.valueColumn, row: top + 6, width: width)

        var row = top + 11
        let checks = state.policyChecks
        if !checks.isEmpty {
            screen.label("Policy", row: row, focused: false, glyphs: glyphs)
            var x = Layout.valueColumn
            for check in checks {
                let item = "\(check.passed ? glyphs.pass : glyphs.fail) \(check.rule)"
                if x + item.terminalWidth > screen.size.columns - 1 {
                    row += 1
                    x = Layout.valueColumn
                }
                x = screen.put(item, column: x, row: row, style: check.passed ? .good : .bad) + 3
            }
            row += 1
        }
        if state.currentAnalysis?.exceeds72Bytes == true {
            screen.status(glyphs.warning, Wording.bcryptTruncation,
                column: Layout.labelColumn, row: row, style: .warning)
        }
        screen.cursor = passwordCursor ?? confirmationCursor
    }

    private func matchIndicator(into screen: inout Screen, column: Int, row: Int) {
        guard !state.passwordConfirmation.isEmpty else { return }
        if state.passwordsMatch {
            screen.status(glyphs.pass, "matches", column: column, row: row, style: .good)
        } else {
            screen.status(glyphs.fail, "does not match", column: column, row: row, style: .bad)
        }
    }

    /// Errors of both fields, or the generated password, shown this once.
    private func messages(into screen: inout Screen, row: Int, width: Int) {
        if let error = state.errors[.password] ?? state.errors[.confirmation] {
            screen.status(glyphs.fail, error, column: Layout.valueColumn, row: row, style: .bad, limit: width)
        } else if let generated = state.revealedPassword {
            screen.put("Generated; shown only this once, copy it now:", column: Layout.valueColumn, row: row,
                style: .warning)
            screen.put(generated.revealed, column: Layout.valueColumn, row: row + 1, style: .plain.bolded,
                limit: width)
        }
    }
}
