/// The terminal as the runtime sees it: a size, a way to read input, a way to draw a screen.
///
/// ``CursesTerminal`` is the real one; tests drive the runtime through a scripted one.
package protocol WizardTerminal: AnyObject {
    /// The current size in columns and rows.
    var size: Size { get }
    /// True when only ASCII can be shown (the locale is not UTF-8).
    var usesASCII: Bool { get }
    /// Waits up to `milliseconds` for input. `nil` means nothing arrived in time.
    func read(timeout milliseconds: Int32) -> TerminalInput?
    /// Shows `screen`.
    func draw(_ screen: Screen)
}
