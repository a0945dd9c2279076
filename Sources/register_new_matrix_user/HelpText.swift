import FoundationEssentials
import Glibc

/// `--help`: the overview, usage and options ``CommandLineOptions`` holds, then the exit statuses
/// and a few examples, as a manual page orders them. Every paragraph is wrapped here, at the terminal's
/// width up to 80 columns, so no line is broken by hand and then again by the terminal.
enum HelpText {
    /// The widest help is printed: beyond 80 columns, lines get too long to read.
    static let maximumWidth = 80

    /// The whole help, wrapped to `columns` (at most ``maximumWidth``).
    static func render(columns: Int) -> String {
        let width = min(max(columns, 40), maximumWidth)
        return commandHelp(width: width) + "\n\nEXIT STATUS\n" + ExitStatus.helpTable(width: width - 1) + "\n\nEXAMPLES\n" + examples + "\n"
    }

    /// The width `--help` is printed at: `COLUMNS`, else the terminal's, else 80.
    static var terminalColumns: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var window = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 { return Int(window.ws_col) }
        return maximumWidth
    }

    /// The column an option's help starts in, after its names.
    static let helpColumn = 26

    /// Overview, description, usage, the argument and the options. Text leaves the last column
    /// free, but for a paragraph's last word, which has no space after it.
    static func commandHelp(width: Int) -> String {
        let limit = width - 1
        var sections = [wrap(CommandLineOptions.abstract, prefix: "OVERVIEW: ", indent: "", width: limit, lastWordSlack: 1)]
        sections += CommandLineOptions.discussion.split(separator: "\n\n").map {
            wrap(String($0), prefix: "", width: limit, lastWordSlack: 1)
        }
        let usage = CommandLineOptions.usage
        sections.append((["USAGE: " + usage[0]] + usage.dropFirst().map { "       " + $0 }).joined(separator: "\n"))
        sections.append("ARGUMENTS:\n" + entry("<\(CommandLineOptions.serverURLName)>", CommandLineOptions.serverURLHelp, width: limit))
        let options = CommandLineOptions.shown.map { option in
            entry(option.spelledNames + (option.takesValue ? " <\(option.valueName)>" : ""), option.help, width: limit)
        }
        sections.append("OPTIONS:\n" + options.joined(separator: "\n"))
        return sections.joined(separator: "\n\n")
    }

    /// `  -u, --user <USER_ID>    The user ID: …`: names too long for the column get a line of their own.
    static func entry(_ label: String, _ help: String, width: Int) -> String {
        let names = "  " + label
        let column = String(repeating: " ", count: helpColumn)
        if names.count < helpColumn {
            return wrap(help, prefix: names + String(repeating: " ", count: helpColumn - names.count), indent: column,
                        width: width, lastWordSlack: 1)
        }
        return names + "\n" + wrap(help, prefix: column, width: width, lastWordSlack: 1)
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

    /// Wraps `text` greedily to `width`, the first line after `prefix` and the others after
    /// `indent`: by default as far as the prefix, a hanging indent, as in a manual's tables.
    /// The last word may go `lastWordSlack` columns further, as it has no space after it.
    static func wrap(_ text: String, prefix: String, indent: String? = nil, width: Int, lastWordSlack: Int = 0) -> String {
        let indent = indent ?? String(repeating: " ", count: prefix.count)
        var lines: [String] = []
        var line = prefix
        var lineHasWord = false
        let words = text.split(separator: " ")
        for (number, word) in words.enumerated() {
            let limit = number == words.count - 1 ? width + lastWordSlack : width
            if lineHasWord, line.count + 1 + word.count > limit {
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
