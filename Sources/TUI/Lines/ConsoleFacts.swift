import Foundation
import Glibc

/// What terminfo knows of a terminal type.
package enum TerminalTypeSupport: Sendable, Equatable {
    /// No terminfo entry: nothing can be drawn.
    case unknown
    /// An entry that cannot move the cursor or clear the screen (`dumb`, a hardcopy terminal).
    case lineOnly
    /// The cursor can be put anywhere: the form can be drawn.
    case addressable
}

/// Why a console gets the line-by-line prompts instead of the full-screen form.
package enum LinesReason: Sendable, Equatable {
    /// `--prompt`.
    case asked
    /// A screen reader was named: how it was told.
    case screenReader(String)
    /// Standard output is not a terminal, so the prompts go to standard error.
    case outputRedirected
    /// `TERM` is unset or empty.
    case noTerminalType
    /// `TERM` names no terminfo entry.
    case unknownTerminalType(String)
    /// `TERM` names a terminal that cannot move its cursor, such as `dumb`.
    case lineOnlyTerminal(String)
    /// The terminal is a serial port.
    case serialLine(String)
    /// The terminal reports no size, as serial lines do.
    case unknownSize
    /// The window is smaller than the form's 80×24.
    case tooSmall(Size)

    /// One line saying why the prompts are asked line by line, or nil when it was asked for.
    package var note: String? {
        let lines = "asking line by line instead of opening the form (--prompt asks for this)."
        let minimum = "\(WizardState.minimumSize.columns)x\(WizardState.minimumSize.rows)"
        return switch self {
        case .asked: nil
        case .screenReader(let how): "\(how): \(lines)"
        case .outputRedirected: "Standard output is not a terminal: asking line by line on standard error."
        case .noTerminalType: "TERM is not set: \(lines)"
        case .unknownTerminalType(let type): "The terminal type '\(type)' is unknown (no terminfo entry): \(lines)"
        case .lineOnlyTerminal(let type): "The terminal type '\(type)' cannot move the cursor: \(lines)"
        case .serialLine(let device): "\(device) is a serial line: \(lines)"
        case .unknownSize: "The terminal reports no size: \(lines)"
        case .tooSmall(let size): "The window is \(size.columns)x\(size.rows), smaller than the form's \(minimum): \(lines)"
        }
    }
}

/// What decides between the form and the line-by-line prompts, gathered once as plain values
/// so that the decision itself is a pure function that tests can run on any combination.
package struct ConsoleFacts: Sendable, Equatable {
    /// `--prompt` was given.
    package var asked: Bool
    /// Whether standard output, where the form draws, is a terminal.
    package var outputIsTerminal: Bool
    /// `TERM`, nil when unset.
    package var terminalType: String?
    package var typeSupport: TerminalTypeSupport
    /// The window's size, nil when the terminal reports none (0×0).
    package var size: Size?
    /// The terminal's device, `/dev/pts/3`, `/dev/ttyS0`; nil when unknown.
    package var device: String?
    /// `ACCESSIBLE`, the variable screen-reader users set to ask programs for plain, linear output.
    package var accessible: String?
    /// The synthesizer speakup, the kernel's console screen reader, drives, if it is loaded.
    package var speakupSynth: String?

    package init(
        asked: Bool, outputIsTerminal: Bool = true, terminalType: String?, typeSupport: TerminalTypeSupport,
        size: Size?, device: String? = nil, accessible: String? = nil, speakupSynth: String? = nil
    ) {
        self.asked = asked
        self.outputIsTerminal = outputIsTerminal
        self.terminalType = terminalType
        self.typeSupport = typeSupport
        self.size = size
        self.device = device
        self.accessible = accessible
        self.speakupSynth = speakupSynth
    }

    /// The facts of this process's terminal.
    package static func current(asked: Bool) -> ConsoleFacts {
        let environment = ProcessInfo.processInfo.environment
        let type = environment["TERM"]
        let output = isatty(STDOUT_FILENO) == 1
        var window = winsize()
        let descriptor = output ? STDOUT_FILENO : STDIN_FILENO
        let measured = ioctl(descriptor, UInt(TIOCGWINSZ), &window) == 0 && window.ws_col > 0 && window.ws_row > 0
        let device = ttyname(STDIN_FILENO).map { String(cString: $0) }
        let synth = try? String(contentsOfFile: "/sys/accessibility/speakup/synth", encoding: .utf8)
        return ConsoleFacts(
            asked: asked, outputIsTerminal: output, terminalType: type,
            typeSupport: (type?.isEmpty ?? true) || !output ? .unknown : CursesTerminal.support(forType: type ?? ""),
            size: measured ? Size(columns: Int(window.ws_col), rows: Int(window.ws_row)) : nil,
            device: device, accessible: environment["ACCESSIBLE"],
            speakupSynth: synth?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Why the form cannot serve this console, or nil when it can.
    package var linesReason: LinesReason? {
        if asked { return .asked }
        if let accessible, !accessible.isEmpty, accessible != "0" { return .screenReader("ACCESSIBLE is set") }
        if let device, Self.isVirtualConsole(device), let synth = speakupSynth, !synth.isEmpty, synth != "none" {
            return .screenReader("speakup reads this console")
        }
        if !outputIsTerminal { return .outputRedirected }
        guard let type = terminalType, !type.isEmpty else { return .noTerminalType }
        switch typeSupport {
        case .unknown: return .unknownTerminalType(type)
        case .lineOnly: return .lineOnlyTerminal(type)
        case .addressable: break
        }
        if let device, Self.isSerialLine(device) { return .serialLine(device) }
        guard let size else { return .unknownSize }
        let minimum = WizardState.minimumSize
        if size.columns < minimum.columns || size.rows < minimum.rows { return .tooSmall(size) }
        return nil
    }

    /// `/dev/ttyS0`, `/dev/ttyUSB0`, `/dev/ttyAMA0`, `/dev/hvc0`: serial ports and hypervisor consoles.
    static func isSerialLine(_ device: String) -> Bool {
        let name = device.hasPrefix("/dev/") ? device.dropFirst(5) : Substring(device)
        for prefix in ["ttyS", "ttyUSB", "ttyACM", "ttyAMA", "ttymxc", "ttySAC", "ttyO", "ttyPS", "hvc"] {
            if name.hasPrefix(prefix), let rest = Optional(name.dropFirst(prefix.count)), !rest.isEmpty,
               rest.allSatisfy(\.isASCIIDigit) {
                return true
            }
        }
        return false
    }

    /// `/dev/tty1` to `/dev/tty63`: the Linux virtual consoles speakup reads.
    static func isVirtualConsole(_ device: String) -> Bool {
        guard device.hasPrefix("/dev/tty") else { return false }
        let rest = device.dropFirst("/dev/tty".count)
        return !rest.isEmpty && rest.allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
