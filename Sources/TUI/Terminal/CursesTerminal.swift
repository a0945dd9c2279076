internal import CCursesShim
internal import CNcursesw
import Glibc
import Synchronization

// MARK: - Process-wide state for signal handlers

/// The last terminating signal received, 0 when none. Signal handlers may only touch atomics.
private let pendingSignal = Atomic<Int32>(0)
/// Whether curses owns the terminal, so that an `exit()` from anywhere can restore it.
private let cursesActive = Atomic<Bool>(false)
private let exitHookInstalled = Atomic<Bool>(false)

/// The terminal, through ncursesw: the only code in the project that calls ncurses.
///
/// It runs in raw mode, so Ctrl-C arrives as a key, and installs its own handlers for SIGTERM,
/// SIGHUP, SIGQUIT and SIGINT before ncurses starts (ncurses then leaves them alone), unblocking
/// them and SIGWINCH in case the parent blocked them. The
/// handlers only record the signal; ``read(timeout:)`` reports it, and the caller restores the
/// terminal with ``restore()`` on its way out. An `atexit` hook restores it too, should anything
/// call `exit()` while curses is active.
package final class CursesTerminal: WizardTerminal {
    /// Why the terminal could not be opened.
    package enum Failure: Error, Equatable, CustomStringConvertible {
        case notATerminal
        case unknownTerminalType(String)

        package var description: String {
            switch self {
            case .notATerminal:
                "standard input and output must be a terminal to open the wizard"
            case .unknownTerminalType(let type):
                "the terminal type '\(type)' is unknown (no terminfo entry); set TERM, e.g. TERM=xterm-256color"
            }
        }
    }

    package let usesASCII: Bool
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let palette: Palette
    private var previous: Screen?
    private var savedHandlers: [Int32: sighandler_t?] = [:]
    private var isRestored = false
    private var lastInputFailure: ContinuousClock.Instant?
    private var quickFailures = 0

    private static let handledSignals: [Int32] = [SIGTERM, SIGHUP, SIGQUIT, SIGINT]

    /// Takes over the terminal. The corresponding C functions are `setlocale` and `newterm`.
    /// - Parameter colour: Whether to use colour when the terminal has it; pass false for `NO_COLOR`.
    package convenience init(colour: Bool = true) throws(Failure) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        try self.init(colour: colour) { ccurses_newterm_stdio(nil) }
    }

    /// Opens ncurses on other streams, e.g. /dev/null, so that tests and benchmarks can draw.
    package convenience init(
        testingType type: String, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>
    ) throws(Failure) {
        try self.init(colour: false) { newterm(type, output, input) }
    }

    private init(colour: Bool, open: () -> OpaquePointer?) throws(Failure) {
        setlocale(LC_ALL, "")
        usesASCII = ccurses_locale_is_utf8() == 0
        pendingSignal.store(0, ordering: .relaxed)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in Self.handledSignals + [SIGWINCH] { sigaddset(&unblocked, signal) }
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        for signal in Self.handledSignals {
            savedHandlers[signal] = Glibc.signal(signal) { pendingSignal.store($0, ordering: .relaxed) }
        }
        guard let screen = open(), let window = ccurses_stdscr() else {
            for (signal, handler) in savedHandlers { Glibc.signal(signal, handler) }
            throw .unknownTerminalType(getenv("TERM").map { String(cString: $0) } ?? "(unset)")
        }
        self.screen = screen
        self.window = window
        cursesActive.store(true, ordering: .relaxed)
        if !exitHookInstalled.exchange(true, ordering: .relaxed) {
            atexit { if cursesActive.exchange(false, ordering: .relaxed) { endwin() } }
        }
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        palette = Palette(colour: colour && has_colors())
        werase(window)
    }

    deinit { restore() }

    /// What terminfo knows of a terminal type, asked without taking over the terminal, so
    /// that a console the form cannot draw on is told apart before anything is drawn.
    /// The corresponding C functions are `setupterm` and `tigetstr`.
    /// - Parameter descriptor: The terminal the type is for (its size is read, nothing written).
    package static func support(forType type: String, descriptor: Int32 = STDOUT_FILENO) -> TerminalTypeSupport {
        switch ccurses_terminal_type_support(type, descriptor) {
        case 1: .addressable
        case 0: .lineOnly
        default: .unknown
        }
    }

    // MARK: - WizardTerminal

    package var size: Size { Size(columns: Int(ccurses_cols(window)), rows: Int(ccurses_lines(window))) }

    /// Reads one key, a resize or a signal. The corresponding C function is `wget_wch`.
    package func read(timeout milliseconds: Int32) -> TerminalInput? {
        if let signal = takeSignal() { return .signal(signal) }
        wtimeout(window, milliseconds)
        var value: wint_t = 0
        let started = ContinuousClock.now
        let status = wget_wch(window, &value)
        if let signal = takeSignal() { return .signal(signal) }
        switch status {
        case OK:
            quickFailures = 0
            return Self.decodeCharacter(value).map(TerminalInput.key)
        case KEY_CODE_YES:
            quickFailures = 0
            if Int32(value) == KEY_RESIZE {
                previous = nil
                return .resize(size)
            }
            return Self.decodeFunctionKey(Int32(value)).map(TerminalInput.key)
        default:
            // ERR is both "timed out" and "input is gone"; only the second returns early, again and again.
            let elapsed = ContinuousClock.now - started
            quickFailures = elapsed < .milliseconds(Int(milliseconds) / 2) ? quickFailures + 1 : 0
            return quickFailures > 20 ? .endOfInput : nil
        }
    }

    /// Copies the cells that changed since the last frame to the terminal, then refreshes it.
    package func draw(_ frame: Screen) {
        if previous?.size != frame.size {
            werase(window)
            previous = nil
        }
        for row in 0..<frame.size.rows {
            for column in 0..<frame.size.columns {
                let cell = frame[column, row]
                guard !cell.isContinuation, previous.map({ $0[column, row] != cell }) ?? true else { continue }
                put(cell, column: column, row: row)
            }
        }
        if let cursor = frame.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(window)
        previous = frame
    }

    /// Gives the terminal back: the screen as it was, echo and line mode on, signal handlers as
    /// they were. Safe to call more than once. The corresponding C function is `endwin`.
    package func restore() {
        guard !isRestored else { return }
        isRestored = true
        if cursesActive.exchange(false, ordering: .relaxed) { endwin() }
        delscreen(screen)
        for (signal, handler) in savedHandlers { Glibc.signal(signal, handler) }
        fflush(nil)
    }

    /// The screen as ncurses holds it, row by row, wide characters once: what the terminal shows.
    /// The corresponding C function is `mvwinnwstr`.
    func readBack() -> [String] {
        let size = self.size
        return (0..<size.rows).map { row in
            var buffer = [wchar_t](repeating: 0, count: size.columns + 1)
            _ = mvwinnwstr(window, Int32(row), 0, &buffer, Int32(size.columns))
            let scalars = buffer.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }
            var line = String(String.UnicodeScalarView(scalars))
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    // MARK: - Drawing a cell

    private func put(_ cell: Cell, column: Int, row: Int) {
        var characters = cell.character.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        characters.append(0)
        let attributes = palette.attributes(for: cell.style)
        if usesASCII, !cell.character.isASCII { characters = [wchar_t(UInt8(ascii: "?")), 0] }
        var value = cchar_t()
        setcchar(&value, characters, attributes.bits, attributes.pair, nil)
        _ = mvwadd_wch(window, Int32(row), Int32(column), &value)
    }

    // MARK: - Decoding keys

    private func takeSignal() -> Int32? {
        let signal = pendingSignal.exchange(0, ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// The key for a character `wget_wch` returned with `OK`; control characters the wizard does
    /// not use are dropped.
    static func decodeCharacter(_ value: wint_t) -> Key? {
        switch value {
        case 3: return .controlC
        case 21: return .controlU
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default: return Unicode.Scalar(UInt32(value)).map { .character(Character($0)) }
        }
    }

    /// The key for a code `wget_wch` returned with `KEY_CODE_YES`.
    static func decodeFunctionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        default: nil
        }
    }
}

// MARK: - Colours

/// Maps roles to colour pairs, or to attributes alone on a terminal without colour.
private struct Palette {
    struct Attributes {
        var bits: attr_t
        var pair: Int16
    }

    let colour: Bool

    init(colour: Bool) {
        self.colour = colour
        guard colour else { return }
        start_color()
        use_default_colors()
        for (role, foreground) in Self.colours {
            init_pair(Int16(role.rawValue), foreground, -1)
        }
    }

    private static let colours: [(Role, Int16)] = [
        (.accent, Int16(COLOR_CYAN)), (.good, Int16(COLOR_GREEN)), (.warning, Int16(COLOR_YELLOW)),
        (.bad, Int16(COLOR_RED)),
    ]

    /// The attribute bits and colour pair that draw `style`.
    func attributes(for style: Style) -> Attributes {
        var bits: attr_t = 0
        if style.bold { bits |= attr_t(ccurses_attr_bold()) }
        if style.reverse { bits |= attr_t(ccurses_attr_reverse()) }
        if style.underline { bits |= attr_t(ccurses_attr_underline()) }
        if style.role == .muted { bits |= attr_t(ccurses_attr_dim()) }
        guard colour else {
            if style.role == .bad || style.role == .warning { bits |= attr_t(ccurses_attr_bold()) }
            return Attributes(bits: bits, pair: 0)
        }
        let hasPair = Self.colours.contains { $0.0 == style.role }
        return Attributes(bits: bits, pair: hasPair ? Int16(style.role.rawValue) : 0)
    }
}
