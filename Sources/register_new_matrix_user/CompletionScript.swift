/// `--generate-completion-script SHELL`: the completion bash, zsh and fish load for this command,
/// written from ``CommandLineOptions/all``, so a new option is offered as soon as it is in the table.
/// scripts/package.sh installs each where its shell looks.
enum CompletionScript {
    static let shells = ["bash", "zsh", "fish"]

    static func script(for shell: String) -> String {
        let options = CommandLineOptions.shown
        switch shell {
        case "zsh": return zsh(options)
        case "fish": return fish(options)
        default: return bash(options)
        }
    }

    private static let name = CommandLineOptions.commandName
    private static let function = "_" + CommandLineOptions.commandName

    /// bash: every name after a `-`; after an option, its files or words, or nothing to offer.
    static func bash(_ options: [OptionSpec]) -> String {
        var cases: [String] = []
        for option in options where option.takesValue {
            let pattern = option.names.joined(separator: "|")
            switch option.completion {
            case .files:
                cases.append("        \(pattern))\n            compopt -o filenames 2>/dev/null\n            COMPREPLY=($(compgen -f -- \"$cur\")); return ;;")
            case .words(let words):
                cases.append("        \(pattern))\n            COMPREPLY=($(compgen -W '\(words.joined(separator: " "))' -- \"$cur\")); return ;;")
            case .none:
                cases.append("        \(pattern))\n            return ;;")
            }
        }
        let all = options.flatMap(\.names).joined(separator: " ")
        return """
            # bash completion for \(name)
            \(function)() {
                local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
                COMPREPLY=()
                case "$prev" in
            \(cases.joined(separator: "\n"))
                esac
                if [[ "$cur" == -* ]]; then
                    COMPREPLY=($(compgen -W '\(all)' -- "$cur"))
                fi
            }
            complete -F \(function) \(name)
            """
    }

    /// zsh: `_arguments` specifications, each option's help as its description.
    static func zsh(_ options: [OptionSpec]) -> String {
        let specs = options.map { option -> String in
            let spelled = option.names
            let names = spelled.count == 1 ? spelled[0] : "{\(spelled.joined(separator: ","))}"
            let repeats = option.repeats ? "*" : ""
            let description = zshEscaped(firstSentence(option.help))
            var spec = "'\(repeats)'\(names)'[\(description)]"
            if option.takesValue {
                let action = switch option.completion {
                case .files: "_files"
                case .words(let words): "(\(words.joined(separator: " ")))"
                case .none: " "
                }
                spec += ":\(option.valueName.lowercased()):\(action)"
            }
            return "    " + spec + "'"
        }
        return """
            #compdef \(name)

            _arguments -s \\
            \(specs.joined(separator: " \\\n")) \\
                '::server url:_urls'
            """
    }

    /// fish: one `complete` line per option.
    static func fish(_ options: [OptionSpec]) -> String {
        let lines = options.map { option -> String in
            var line = "complete -c \(name)"
            for short in option.shortNames { line += " -s \(short)" }
            for long in option.longNames { line += " -l \(long)" }
            if option.takesValue {
                switch option.completion {
                case .files: line += " -r -F"
                case .words(let words): line += " -x -a '\(words.joined(separator: " "))'"
                case .none: line += " -x"
                }
            }
            return line + " -d '\(fishEscaped(firstSentence(option.help)))'"
        }
        return "# fish completion for \(name)\n" + lines.joined(separator: "\n")
    }

    /// The help's first sentence: a description a shell shows beside the name.
    static func firstSentence(_ help: String) -> String {
        guard let end = help.firstRange(of: ". ") else { return help.hasSuffix(".") ? String(help.dropLast()) : help }
        return String(help[..<end.lowerBound])
    }

    /// Inside `'[…]'` of an `_arguments` spec: quotes closed and reopened, brackets and colons escaped.
    static func zshEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "'": result += "'\\''"
            case "[", "]", ":", "\\": result += "\\" + String(character)
            default: result.append(character)
            }
        }
        return result
    }

    static func fishEscaped(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("'", with: "\\'")
    }
}
