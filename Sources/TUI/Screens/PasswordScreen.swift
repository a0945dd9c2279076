import Core

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
        let strengthRow = max(messages(into: &screen, row: top + 3, width: width) + 1, top + 6)

        // The policy and the 72-byte note are laid out from the bottom up, so the meter knows its room.
        let bottom = screen.size.rows - 3
        let policy = policyLines(width: screen.size.columns - Layout.valueColumn - 1)
        let exceeds = state.currentAnalysis?.exceeds72Bytes == true
        let policyRow = bottom - policy.count - (exceeds ? 1 : 0)

        screen.label("Strength", row: strengthRow, focused: false, glyphs: glyphs)
        let meterEnd = StrengthMeter(
            analysis: state.currentAnalysis, passwordIsEmpty: state.password.isEmpty,
            minimumScore: state.configuration.minimumScore, glyphs: glyphs
        ).render(into: &screen, column: Layout.valueColumn, row: strengthRow, width: width, bottom: policyRow)

        var row = max(meterEnd, min(strengthRow + 5, policyRow))
        if !policy.isEmpty {
            screen.label("Policy", row: row, focused: false, glyphs: glyphs)
            for line in policy {
                var x = Layout.valueColumn
                for check in line {
                    x = screen.put("\(check.passed ? glyphs.pass : glyphs.fail) \(check.rule)", column: x, row: row,
                        style: check.passed ? .good : .bad) + 3
                }
                row += 1
            }
        }
        if exceeds {
            screen.status(glyphs.warning, Wording.bcryptTruncation,
                column: Layout.labelColumn, row: row, style: .warning)
        }
        screen.cursor = passwordCursor ?? confirmationCursor
    }

    /// The policy's checks, in lines of at most `width` columns.
    private func policyLines(width: Int) -> [[PasswordPolicy.Check]] {
        var lines: [[PasswordPolicy.Check]] = []
        var x = 0
        for check in state.policyChecks {
            let item = "\(glyphs.pass) \(check.rule)".terminalWidth
            if lines.isEmpty || x + item > width {
                lines.append([])
                x = 0
            }
            lines[lines.count - 1].append(check)
            x += item + 3
        }
        return lines
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
    /// - Returns: The row after the last one written.
    private func messages(into screen: inout Screen, row: Int, width: Int) -> Int {
        if let error = state.errors[.password] ?? state.errors[.confirmation] {
            return screen.wrappedStatus(glyphs.fail, error, column: Layout.valueColumn, row: row, width: width,
                style: .bad, maxLines: 3, glyphs: glyphs)
        } else if let generated = state.revealedPassword {
            screen.put("Generated; shown only this once, copy it now:", column: Layout.valueColumn, row: row,
                style: .warning)
            screen.put(generated.revealed, column: Layout.valueColumn, row: row + 1, style: .plain.bolded,
                limit: width)
            return row + 2
        }
        return row
    }
}
