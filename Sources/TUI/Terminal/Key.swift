/// A key press, decoded from the terminal's input into what the wizard cares about.
package enum Key: Sendable, Hashable {
    case character(Character)
    case tab, backTab
    case up, down, left, right
    case home, end
    case backspace, delete
    case enter, escape
    /// Ctrl-C: arrives as a key because the terminal runs in raw mode.
    case controlC
    /// Ctrl-U: clears the field before the cursor.
    case controlU

    /// The space bar, which toggles check boxes and presses buttons.
    package static let space = Key.character(" ")
}

/// Something the terminal reports: a key, a new size, or a signal that asks the program to end.
package enum TerminalInput: Sendable, Equatable {
    case key(Key)
    case resize(Size)
    /// SIGTERM, SIGHUP, SIGQUIT or SIGINT arrived.
    case signal(Int32)
    /// Input has ended or keeps failing: stdin is gone.
    case endOfInput
}
