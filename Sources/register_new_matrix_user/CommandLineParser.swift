/// Reads the arguments, as `getopt_long` and Python's argparse (which Synapse's script uses) read
/// them, against ``CommandLineOptions/all``:
///
/// - `--name VALUE` and `--name=VALUE`; `-u VALUE`, `-uVALUE` and `-u=VALUE`; short flags
///   together (`-ah`); `--` ends the options.
/// - An option's value is the next argument unless that one looks like an option (`-x`, `--x`);
///   `-` (stdin) and a negative number (`-5`, which the option's check then refuses with a reason)
///   are values. `-p` and `-k` take the next argument whatever it is: a password may start with `-`.
/// - `--backup [PATH]` and `--verify-login [URL]` take the next argument only when it is one.
/// - An option given twice keeps the last value; `-c` collects every one.
///
/// The command is then checked with ``RegisterCommand/validate()``. Nothing here reflects over
/// types or builds tables at run time: the whole parse is a few string comparisons per argument,
/// so it adds nothing to the tool's start-up time.
enum CommandLineParser {
    enum Parsed {
        /// `secrets`: where the values of `-p` and `-k` are, for ``Main/blankInProcessList(_:)``.
        case run(RegisterCommand, secrets: [SecretSpan])
        case request(CommandLineRequest)
    }

    /// A secret's place in the arguments: from byte `offset` of argument `argument` (counted
    /// without the program's name) to its end.
    struct SecretSpan: Equatable {
        let argument: Int
        let offset: Int
    }

    static func parse(_ arguments: [String], options: [OptionSpec] = CommandLineOptions.all) throws(UsageError) -> Parsed {
        var reader = Reader(arguments: arguments, options: options)
        return try reader.parse()
    }

    /// The shown long name a mistyped one most likely meant: two letters added, dropped, changed or
    /// swapped at most (`--pritn-token`, `--dispaly-name`), one in a name shorter than six, and only
    /// when no other name is as near.
    static func nearestName(to typed: String, in options: [OptionSpec]) -> String? {
        let typed = Array(typed.utf8)
        guard typed.count >= 3 else { return nil }
        let near = options.filter { !$0.hidden }.flatMap(\.longNames).map { ($0, editDistance(typed, Array($0.utf8))) }
        guard let best = near.min(by: { $0.1 < $1.1 }), best.1 <= (typed.count < 6 ? 1 : 2),
              near.filter({ $0.1 == best.1 }).count == 1 else { return nil }
        return best.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }

    private struct Reader {
        let arguments: [String]
        let options: [OptionSpec]
        var index = 0
        var command = RegisterCommand()
        var positionals: [String] = []
        var secrets: [SecretSpan] = []

        init(arguments: [String], options: [OptionSpec]) {
            self.arguments = arguments
            self.options = options
        }

        mutating func parse() throws(UsageError) -> Parsed {
            while index < arguments.count {
                let argument = arguments[index]
                index += 1
                if argument == "--" {
                    positionals += arguments[index...]
                    break
                }
                if argument == "-" || !argument.hasPrefix("-") {
                    positionals.append(argument)
                } else if argument.hasPrefix("--") {
                    let body = argument.dropFirst(2)
                    let name = body.prefix { $0 != "=" }
                    let attached = name.endIndex < body.endIndex ? String(body[body.index(after: name.endIndex)...]) : nil
                    guard let option = options.first(where: { $0.longNames.contains(where: { $0 == name }) }) else {
                        let guess = CommandLineParser.nearestName(to: String(name), in: options).map { "; did you mean '--\($0)'?" } ?? ""
                        throw UsageError("Unknown option '--\(name)'\(guess)")
                    }
                    if let request = try use(option, attached: attached) { return .request(request) }
                } else if let request = try readShortOptions(argument.dropFirst()) {
                    return .request(request)
                }
            }
            if positionals.count > 1 {
                throw UsageError("Unexpected argument '\(positionals[1])': only one \(CommandLineOptions.serverURLName) is taken")
            }
            command.serverURL = positionals.first
            try command.validate()
            return .run(command, secrets: secrets)
        }

        /// `-a`, `-ah`, `-u alice`, `-ualice`, `-u=alice`: flags up to the first option that takes
        /// a value, which takes the rest of the argument (or the next one).
        mutating func readShortOptions(_ letters: Substring) throws(UsageError) -> CommandLineRequest? {
            var rest = letters
            while let letter = rest.first {
                rest = rest.dropFirst()
                guard let option = options.first(where: { $0.shortNames.contains(letter) }) else {
                    throw UsageError("Unknown option '-\(letter)'")
                }
                if option.takesValue {
                    let attached = rest.isEmpty ? nil : String(rest.first == "=" ? rest.dropFirst() : rest)
                    return try use(option, attached: attached)
                }
                if let request = try use(option, attached: nil) { return request }
            }
            return nil
        }

        /// Applies one option, its value attached to its name (`--name=value`) or, where it takes
        /// one, the next argument.
        mutating func use(_ option: OptionSpec, attached: String?) throws(UsageError) -> CommandLineRequest? {
            switch option.kind {
            case .flag(let set):
                if attached != nil { throw UsageError("'\(option.quotedName)' takes no value") }
                set(&command)
            case .value(let set):
                let value = try requiredValue(of: option, attached: attached)
                do { try set(&command, value) } catch { throw Self.invalid(value, for: option, error) }
            case .optionalValue(let accepts, let set, let absent):
                if let value = attached ?? nextArgument(if: accepts) {
                    do { try set(&command, value) } catch { throw Self.invalid(value, for: option, error) }
                } else {
                    absent(&command)
                }
            case .valuedRequest(let request):
                let value = try requiredValue(of: option, attached: attached)
                do { return try request(value) } catch { throw Self.invalid(value, for: option, error) }
            case .request(let request):
                if attached != nil { throw UsageError("'\(option.quotedName)' takes no value") }
                return request
            }
            return nil
        }

        mutating func requiredValue(of option: OptionSpec, attached: String?) throws(UsageError) -> String {
            if let attached {
                if option.takesAnyValue {
                    secrets.append(SecretSpan(argument: index - 1, offset: arguments[index - 1].utf8.count - attached.utf8.count))
                }
                return attached
            }
            let looksLikeValue: (String) -> Bool = { next in
                option.takesAnyValue || next == "-" || !next.hasPrefix("-") || CommandLineOptions.isNegativeNumber(next)
            }
            guard let value = nextArgument(if: looksLikeValue) else {
                throw UsageError("Missing value for '\(option.quotedName)'")
            }
            if option.takesAnyValue { secrets.append(SecretSpan(argument: index - 1, offset: 0)) }
            return value
        }

        mutating func nextArgument(if accepted: (String) -> Bool) -> String? {
            guard index < arguments.count, accepted(arguments[index]) else { return nil }
            index += 1
            return arguments[index - 1]
        }

        /// An option's own check refused the value: its reason follows the value and the option.
        static func invalid(_ value: String, for option: OptionSpec, _ reason: UsageError) -> UsageError {
            UsageError("The value '\(value)' is invalid for '\(option.quotedName)': \(reason.message)")
        }
    }
}
