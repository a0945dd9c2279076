import Glibc
import Synchronization

/// What a read of one answer brought.
package enum LineInput: Sendable, Equatable {
    /// The line typed, without its line ending.
    case line(String)
    /// Ctrl-D on an empty line, or the terminal gone.
    case endOfInput
    /// A terminating signal: Ctrl-C, a hang-up, SIGTERM, SIGQUIT.
    case signal(Int32)
}

/// The console as the line-by-line prompts see it: text out, one line in at a time.
///
/// ``TerminalLines`` is the real one; tests drive the prompts through a scripted one.
package protocol LineConsole: AnyObject {
    /// How many columns a line may take before it wraps.
    var width: Int { get }
    /// Writes text as it is: no escape sequence is ever added.
    func write(_ text: String)
    /// Reads one line; with `masked`, nothing typed is shown.
    func readLine(masked: Bool) -> LineInput
    /// A signal that arrived since the last read, if any (one that came during the write).
    func takeSignal() -> Int32?
}

// MARK: - The real terminal

/// The last terminating signal received, 0 when none. Signal handlers may only touch atomics.
private let pendingSignal = Atomic<Int32>(0)
/// The terminal's modes as they were, for an `exit()` from anywhere while echo is off.
private let echoIsOff = Atomic<Bool>(false)
private let exitHookInstalled = Atomic<Bool>(false)
nonisolated(unsafe) private var savedModes = termios()

/// Standard input read a line at a time by the terminal's own line discipline (so editing
/// works on every console, a serial line included), prompts on standard error, and nothing
/// else: no escape sequence, no cursor movement, no colour.
///
/// Answers are masked as `getpass` masks them, by turning echo off for the one read and back
/// on after it. SIGINT, SIGTERM, SIGHUP and SIGQUIT are caught for the whole run, without
/// `SA_RESTART`, so a read they interrupt ends at once with echo back on, and one that comes
/// while the account is written is reported after the write instead of cutting it off.
package final class TerminalLines: LineConsole {
    /// Why the terminal cannot be used.
    package enum Failure: Error, Equatable, CustomStringConvertible {
        case notATerminal

        package var description: String {
            "standard input and standard error must be a terminal to ask for the values"
        }
    }

    private static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    private var previousHandlers: [Int32: sigaction] = [:]
    private var isRestored = false

    package init() throws(Failure) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 else { throw .notATerminal }
        pendingSignal.store(0, ordering: .relaxed)
        tcgetattr(STDIN_FILENO, &savedModes)
        if !exitHookInstalled.exchange(true, ordering: .relaxed) {
            atexit { if echoIsOff.exchange(false, ordering: .relaxed) { tcsetattr(STDIN_FILENO, TCSANOW, &savedModes) } }
        }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in Self.handledSignals { sigaddset(&unblocked, signal) }
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        for signal in Self.handledSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                _ = pendingSignal.compareExchange(expected: 0, desired: number, ordering: .relaxed)
            }
            action.sa_flags = 0
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            previousHandlers[signal] = old
        }
        // A terminal left in raw mode by a program that crashed would neither show nor edit answers.
        var modes = savedModes
        modes.c_lflag |= tcflag_t(ICANON | ECHO | ISIG)
        modes.c_iflag |= tcflag_t(ICRNL)
        tcsetattr(STDIN_FILENO, TCSANOW, &modes)
    }

    deinit { restore() }

    /// Gives the terminal back as it was and the signal handlers too. Safe to call more than once.
    package func restore() {
        guard !isRestored else { return }
        isRestored = true
        tcsetattr(STDIN_FILENO, TCSANOW, &savedModes)
        echoIsOff.store(false, ordering: .relaxed)
        for (signal, old) in previousHandlers {
            var old = old
            sigaction(signal, &old, nil)
        }
    }

    package var width: Int {
        var window = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 else { return 80 }
        return Int(window.ws_col)
    }

    package func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    package func takeSignal() -> Int32? {
        let signal = pendingSignal.exchange(0, ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    package func readLine(masked: Bool) -> LineInput {
        if let signal = takeSignal() { return .signal(signal) }
        if masked { setEcho(false) }
        let input = readBytes()
        if masked {
            setEcho(true)
            // Enter was not echoed either.
            if case .line = input { write("\n") }
        }
        if case .signal = input { write("\n") }
        return input
    }

    /// Reads up to a line ending. The line discipline hands over a whole line per read; a
    /// signal ends the wait (`poll` is never restarted), and the handler has recorded it.
    private func readBytes() -> LineInput {
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            if let signal = takeSignal() { return .signal(signal) }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 250)
            if ready < 0 {
                if errno == EINTR { continue }
                return .endOfInput
            }
            if ready == 0 { continue }
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .endOfInput
            }
            if count == 0 {
                // Ctrl-D: on an empty line it means "no more"; after text, the text so far.
                return line.isEmpty ? .endOfInput : .line(String(decoding: line, as: UTF8.self))
            }
            line += buffer[0..<count]
            if let end = line.firstIndex(of: UInt8(ascii: "\n")) {
                var answer = line[..<end]
                if answer.last == UInt8(ascii: "\r") { answer = answer.dropLast() }
                return .line(String(decoding: answer, as: UTF8.self))
            }
        }
    }

    private func setEcho(_ on: Bool) {
        var modes = termios()
        tcgetattr(STDIN_FILENO, &modes)
        let echoes = tcflag_t(ECHO | ECHOE | ECHOK | ECHONL)
        if on {
            modes.c_lflag |= (savedModes.c_lflag & echoes) | tcflag_t(ECHO)
        } else {
            modes.c_lflag &= ~echoes
        }
        // TCSANOW: an answer typed ahead of the prompt is kept, not thrown away.
        tcsetattr(STDIN_FILENO, TCSANOW, &modes)
        echoIsOff.store(!on, ordering: .relaxed)
    }
}
