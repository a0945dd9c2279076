import Core

/// Draws a ``WizardState`` into a ``Screen``: a pure function of the state and the glyph set.
package enum WizardView {
    /// Renders the state onto a fresh screen of the state's size.
    package static func render(_ state: WizardState, ascii: Bool = false) -> Screen {
        var screen = Screen(size: state.size)
        render(state, into: &screen, ascii: ascii)
        return screen
    }

    /// Renders the state onto `screen`, which is cleared first.
    package static func render(_ state: WizardState, into screen: inout Screen, ascii: Bool = false) {
        let glyphs: Glyphs = ascii ? .ascii : .unicode
        screen.clear()
        screen.cursor = nil
        guard !state.isTooSmall else {
            TooSmallScreen(size: state.size).render(into: &screen)
            return
        }
        header(state, into: &screen, glyphs: glyphs)
        switch state.step {
        case .account: AccountScreen(state: state, glyphs: glyphs).render(into: &screen)
        case .password: PasswordScreen(state: state, glyphs: glyphs).render(into: &screen)
        case .options: OptionsScreen(state: state, glyphs: glyphs).render(into: &screen)
        case .review: ReviewScreen(state: state, glyphs: glyphs).render(into: &screen)
        case .working: ProgressScreen(state: state, glyphs: glyphs).render(into: &screen)
        case .done: ResultScreen(state: state, glyphs: glyphs).render(into: &screen)
        }
        footer(state, into: &screen, glyphs: glyphs, ascii: ascii)
        if let question = state.confirmation {
            screen.cursor = nil
            dialog(for: question, state: state, glyphs: glyphs).render(into: &screen)
        }
    }

    // MARK: - Frame

    private static func header(_ state: WizardState, into screen: inout Screen, glyphs: Glyphs) {
        let bar = Style(.accent, bold: true, reverse: true)
        screen.fill(column: 0, row: 0, count: screen.size.columns, style: bar)
        screen.put(" New Matrix account on \(state.configuration.serverName)", column: 0, row: 0, style: bar,
            limit: screen.size.columns - 14)
        if let index = WizardStep.form.firstIndex(of: state.step) {
            let counter = "Step \(index + 1) of \(WizardStep.form.count) "
            screen.put(counter, column: screen.size.columns - counter.count, row: 0, style: bar)
        }
        var x = 1
        for (index, step) in WizardStep.form.enumerated() {
            if index > 0 { x = screen.put(" \(glyphs.stepSeparator) ", column: x, row: 2, style: .muted) }
            let current = step == state.step
            let done = step < state.step
            let name = "\(index + 1) \(step.title)"
            let text = current ? "[\(name)]" : " \(name) "
            x = screen.put(text, column: x, row: 2, style: current ? Style(.accent, bold: true) : (done ? .plain : .muted))
        }
        if state.step >= .working {
            screen.put("  \(glyphs.stepSeparator) \(state.step.title)", column: x, row: 2, style: Style(.accent, bold: true))
        }
        screen.fill(glyphs.rule, column: 0, row: 3, count: screen.size.columns, style: .muted)
    }

    private static func footer(_ state: WizardState, into screen: inout Screen, glyphs: Glyphs, ascii: Bool) {
        let rows = screen.size.rows
        // A notice too long for its line grows upwards, up to three lines, and the rule with it.
        let width = screen.size.columns - 2
        let glyph = state.notice?.tone == .error ? glyphs.fail : nil
        let lines = min(state.notice?.text.wrapped(to: width - (glyph.map { $0.terminalWidth + 1 } ?? 0)).count ?? 1, 3)
        let top = rows - 1 - max(lines, 1)
        for row in top..<(rows - 2) { screen.fill(column: 0, row: row, count: screen.size.columns) }
        screen.fill(glyphs.rule, column: 0, row: top - 1, count: screen.size.columns, style: .muted)
        if let notice = state.notice {
            screen.wrappedStatus(glyph, notice.text, column: 1, row: top, width: width,
                style: notice.tone == .error ? .bad : .plain, maxLines: 3, glyphs: glyphs)
        }
        HelpBar(bindings: KeyMap.bindings(for: state), ascii: ascii).render(into: &screen, row: rows - 1)
    }

    private static func dialog(for question: Confirmation, state: WizardState, glyphs: Glyphs) -> DialogView {
        switch question.kind {
        case .makeAdmin:
            return DialogView(
                title: "Make a server admin?",
                message: [
                    Wording.adminConsequence(for: state.validUserID, server: state.configuration.serverName),
                    "",
                    Wording.adminQuestion,
                ],
                yesTitle: "Yes, admin", noTitle: "No", yesSelected: question.yesSelected, glyphs: glyphs)
        case .discard:
            return DialogView(
                title: "Leave the form?",
                message: ["What was typed is thrown away, and no account is created.", "", "Leave without creating it?"],
                yesTitle: "Leave", noTitle: "Stay", yesSelected: question.yesSelected, glyphs: glyphs)
        case .acceptPassword(let weak, let failsPolicy):
            let message = Wording.passwordDoubts(
                weak: weak, strength: state.currentAnalysis?.strength, failsPolicy: failsPolicy,
                failedRules: state.policyChecks.filter { !$0.passed }.map(\.rule)) + ["", Wording.passwordQuestion]
            return DialogView(
                title: "Use this password?", message: message,
                yesTitle: "Use it anyway", noTitle: "Change it", yesSelected: question.yesSelected, glyphs: glyphs)
        }
    }
}

/// What the wizard shows when the terminal is smaller than 80×24.
struct TooSmallScreen {
    var size: Size

    func render(into screen: inout Screen) {
        let text = [
            "The terminal is \(size.columns)x\(size.rows).",
            "This form needs at least \(WizardState.minimumSize.columns)x\(WizardState.minimumSize.rows).",
            "",
            "Enlarge the window to go on, or press Ctrl-C to cancel.",
        ]
        let lines = text.flatMap { $0.isEmpty ? [""] : $0.wrapped(to: max(size.columns - 2, 1)) }
        let top = max((size.rows - lines.count) / 2, 0)
        for (index, line) in lines.enumerated() {
            let column = max((size.columns - line.terminalWidth) / 2, 0)
            screen.put(line, column: column, row: top + index, style: index == 0 ? .warning.bolded : .plain)
        }
    }
}
