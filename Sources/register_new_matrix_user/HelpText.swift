import ArgumentParser
import Foundation

/// `--help`: argument-parser's overview, usage and options, then the exit statuses and a few
/// examples, as a manual page orders them. Every paragraph is wrapped here, at the terminal's
/// width up to 80 columns, so no line is broken by hand and then again by the terminal.
enum HelpText {
    /// The widest help is printed: beyond 80 columns, lines get too long to read.
    static let maximumWidth = 80

    /// The whole help, wrapped to `columns` (at most ``maximumWidth``).
    static func render(columns: Int) -> String {
        let width = min(max(columns, 40), maximumWidth)
        var text = RegisterCommand.helpMessage(columns: width)
        while text.hasSuffix("\n") { text.removeLast() }
        return text + "\n\nEXIT STATUS\n" + ExitStatus.helpTable(width: width - 1) + "\n\nEXAMPLES\n" + examples + "\n"
    }

    /// The width `--help` is printed at: `COLUMNS`, else the terminal's, else 80.
    static var terminalColumns: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var window = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 { return Int(window.ws_col) }
        return maximumWidth
    }

    /// Whether argument-parser's error is a request for the help screen (`-h`, `--help`, `help`).
    static func isHelpRequest(_ error: any Error) -> Bool {
        // The error does not say which clean exit it is; only the help screen has a usage and options.
        guard RegisterCommand.exitCode(for: error) == .success else { return false }
        let message = RegisterCommand.fullMessage(for: error)
        return message.contains("USAGE:") && message.contains("OPTIONS:")
    }

    /// What a first-time admin, a script writer and an auditor each run; commands are kept as
    /// they are, at most 80 columns, with shell continuations.
    static let examples = """
          Open the form (the prompts, on a console the form cannot use):
            register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml

          Ask line by line, as Synapse's own script does:
            register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml --prompt

          Create an admin from a script, with the password in a file:
            register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml \\
              -u @alice:example.org --password-file /root/alice.pw -a --no-input

          A bot with a generated password and a token valid for 30 days:
            register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml \\
              -u bot1 -t bot --generate-password --no-input --print-token \\
              --token-validity 30

          Every account a synapse-admin CSV export lists, the report in a file:
            register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml \\
              --from-file users.csv --report users-report.jsonl

          The admins, new accounts and tokens that never expire:
            register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml \\
              --review-accounts
        """

    /// Wraps `text` greedily to `width`, the first line after `prefix` and the others indented
    /// as far: a hanging indent, as in a manual's tables.
    static func wrap(_ text: String, prefix: String, width: Int) -> String {
        let indent = String(repeating: " ", count: prefix.count)
        var lines: [String] = []
        var line = prefix
        var lineHasWord = false
        for word in text.split(separator: " ") {
            if lineHasWord, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
