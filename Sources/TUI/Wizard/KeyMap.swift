/// What a key means in the wizard, once the key map has looked it up.
package enum WizardAction: Sendable, Hashable {
    case nextControl, previousControl
    /// Enter: accept the control's value and go on.
    case confirm
    /// Esc: close the question, go back a step, or cancel on the first step.
    case back
    /// Ctrl-C: cancel the whole wizard.
    case cancel
    /// Space: flip a check box or press a button.
    case toggle
    case selectPrevious, selectNext
    case edit(TextEdit)
    /// Answer the open question.
    case answer(Bool)
    /// Move between the question's Yes and No.
    case switchAnswer
    /// Leave the result screen.
    case finish
    /// On the result screen: log the account in through Synapse.
    case testLogin
}

/// One binding: the keys, how the help line names them, and what they do.
package struct KeyBinding: Sendable, Equatable {
    package var keys: [Key]
    /// The keys as the help line shows them in UTF-8 terminals, e.g. "Tab/↓".
    package var label: String
    /// The same in ASCII, e.g. "Tab/Dn".
    package var asciiLabel: String
    /// What the keys do, for the help line; empty keeps the binding out of it.
    package var help: String
    package var action: WizardAction

    package init(_ keys: [Key], _ label: String, ascii: String? = nil, _ help: String, _ action: WizardAction) {
        self.keys = keys
        self.label = label
        self.asciiLabel = ascii ?? label
        self.help = help
        self.action = action
    }
}

/// The keys of each situation, as data: they drive both dispatch and the help line.
package enum KeyMap {
    /// The bindings in force for `state`, most useful first (the help line shows them in order).
    package static func bindings(for state: WizardState) -> [KeyBinding] {
        let quit = KeyBinding([.controlC], "^C", "quit", .cancel)
        if state.isTooSmall { return [quit] }
        if state.confirmation != nil {
            return [
                KeyBinding([.character("y"), .character("Y")], "y", "yes", .answer(true)),
                KeyBinding([.character("n"), .character("N")], "n", "no", .answer(false)),
                KeyBinding([.left, .right, .tab, .backTab], "←→", ascii: "Left/Right", "choose", .switchAnswer),
                KeyBinding([.enter, .space], "Enter", "answer", .confirm),
                KeyBinding([.escape], "Esc", "no", .answer(false)),
                quit,
            ]
        }
        switch state.step {
        case .working:
            return [KeyBinding([.controlC], "", "", .cancel)]
        case .done:
            return [
                KeyBinding([.character("t"), .character("T")], "t", "test login through Synapse", .testLogin),
                KeyBinding([.enter, .escape, .controlC, .character("q")], "Enter", "exit", .finish),
            ]
        case .account, .password, .options, .review:
            return movement(state) + controlBindings(for: state.focus) + [escape(state), quit]
        }
    }

    /// The action for `key` in `state`, if any: text input falls back to inserting the character.
    package static func action(for key: Key, in state: WizardState) -> WizardAction? {
        if let binding = bindings(for: state).first(where: { $0.keys.contains(key) }) {
            return binding.action
        }
        if case .character(let character) = key, state.confirmation == nil, !state.isTooSmall,
            state.focus.kind == .text, state.step < .working
        {
            return .edit(.insert(character))
        }
        return nil
    }

    // MARK: - Pieces

    private static func controlBindings(for control: WizardControl) -> [KeyBinding] {
        switch control.kind {
        case .text:
            return [
                KeyBinding([.left], "←", ascii: "Left", "", .edit(.moveLeft)),
                KeyBinding([.right], "→", ascii: "Right", "", .edit(.moveRight)),
                KeyBinding([.home], "Home", "", .edit(.moveToStart)),
                KeyBinding([.end], "End", "", .edit(.moveToEnd)),
                KeyBinding([.backspace], "Bksp", "", .edit(.deleteBackward)),
                KeyBinding([.delete], "Del", "", .edit(.deleteForward)),
                KeyBinding([.controlU], "^U", "clear", .edit(.deleteToStart)),
            ]
        case .toggle:
            return [KeyBinding([.space], "Space", "toggle", .toggle)]
        case .choice:
            return [
                KeyBinding([.left], "←", ascii: "Left", "", .selectPrevious),
                KeyBinding([.right, .space], "←→", ascii: "Left/Right", "choose", .selectNext),
            ]
        case .button:
            return [
                KeyBinding([.space], "Space", "", .toggle),
                KeyBinding([.left], "←", ascii: "Left", "", .previousControl),
                KeyBinding([.right], "→", ascii: "Right", "", .nextControl),
            ]
        }
    }

    private static func movement(_ state: WizardState) -> [KeyBinding] {
        let enterHelp: String
        switch state.focus {
        case .generate: enterHelp = "generate"
        case .create: enterHelp = "create"
        case .back: enterHelp = "go back"
        default:
            let rest = state.controls.drop { $0 != state.focus }.dropFirst()
            enterHelp = rest.contains { $0.kind != .button } ? "next" : "next step"
        }
        return [
            KeyBinding([.enter], "Enter", enterHelp, .confirm),
            KeyBinding([.tab, .down], "Tab/↓", ascii: "Tab", "next", .nextControl),
            KeyBinding([.backTab, .up], "⇧Tab/↑", ascii: "S-Tab", "previous", .previousControl),
        ]
    }

    private static func escape(_ state: WizardState) -> KeyBinding {
        KeyBinding([.escape], "Esc", state.step == .account ? "cancel" : "back", .back)
    }
}
