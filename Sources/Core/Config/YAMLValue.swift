/// A YAML node together with where it came from, its type resolved with PyYAML's rules.
///
/// Synapse reads its config with PyYAML's `safe_load`, so this reader follows it: a quoted scalar
/// is always a string, `yes`/`on` are booleans only when plain, integers are YAML 1.1's (`0x1F`,
/// `017`, `1:30`), and a key that appears twice takes its last value.
struct YAMLValue {
    let node: YAMLNode
    let file: String
    let keyPath: String

    // MARK: - Errors

    func error(_ message: String) -> ConfigError {
        ConfigError(
            file: file, line: node.line, column: node.column,
            key: keyPath.isEmpty ? nil : keyPath, message: message)
    }

    /// A short rendering of the value for messages, e.g. `'twelve'` or `a mapping`.
    var shapeDescription: String {
        switch node.content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            if isNull { return "null" }
            let text = scalar.text
            return text.count > 40 ? "'\(text.prefix(40))…'" : "'\(text)'"
        }
    }

    // MARK: - Scalars

    private var plainScalar: YAMLNode.Scalar? {
        guard case .scalar(let scalar) = node.content, scalar.isPlain else { return nil }
        return scalar
    }

    /// True for `~`, `null`, an empty value, and the other YAML 1.1 null spellings.
    var isNull: Bool {
        guard let scalar = plainScalar else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.text)
    }

    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node.content, !isNull else {
            throw error("expected a string, got \(shapeDescription)")
        }
        if plainBool != nil || plainInteger != nil {
            throw error("expected a string, got \(shapeDescription) (quote it to make it a string)")
        }
        return scalar.text
    }

    /// A scalar of any type as text, for values that are passed on as strings (libpq keywords).
    func scalarText() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node.content, !isNull else {
            throw error("expected a value, got \(shapeDescription)")
        }
        return scalar.text
    }

    func bool() throws(ConfigError) -> Bool {
        guard let value = plainBool else {
            throw error("expected true or false, got \(shapeDescription)")
        }
        return value
    }

    func int() throws(ConfigError) -> Int {
        switch plainInteger {
        case .value(let value): return value
        case .outOfRange: throw error("\(shapeDescription) is out of range")
        case nil: throw error("expected an integer, got \(shapeDescription)")
        }
    }

    /// An integer as PyYAML resolves one.
    enum PlainInteger: Equatable {
        case value(Int)
        /// An integer to PyYAML, whose integers have no bound, but not one that fits in `Int`.
        case outOfRange
    }

    /// This value as a boolean, spelt as PyYAML's YAML 1.1 resolver spells one.
    var plainBool: Bool? {
        switch plainScalar?.text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": false
        default: nil
        }
    }

    /// This value as an integer, or nil when PyYAML would not read it as one.
    ///
    /// Base 60 (`1:30` is 90) is read with PyYAML's pattern: a looser reading took
    /// `example.org:8448` for an integer.
    var plainInteger: PlainInteger? {
        guard let text = plainScalar?.text else { return nil }
        if text.contains(":") { return Self.sexagesimal(text) }
        return Self.integer(text)
    }

    /// PyYAML's other integer forms, `[-+]?` then `0b[01_]+`, `0x[0-9a-fA-F_]+`, `0[0-7_]+`
    /// (octal) or `0|[1-9][0-9_]*`; underscores are ignored in the value.
    static func integer(_ text: String) -> PlainInteger? {
        var rest = Substring(text)
        let negative = rest.first == "-"
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let radix: Int
        let allowed: (Character) -> Bool
        if rest.hasPrefix("0b") {
            (radix, allowed, rest) = (2, { $0 == "0" || $0 == "1" }, rest.dropFirst(2))
        } else if rest.hasPrefix("0x") {
            (radix, allowed, rest) = (16, { $0.isASCII && $0.isHexDigit }, rest.dropFirst(2))
        } else if rest.hasPrefix("0"), rest.count > 1 {
            (radix, allowed, rest) = (8, { ("0"..."7").contains($0) }, rest)
        } else {
            guard let lead = rest.first, lead.isASCII, lead.isNumber else { return nil }
            (radix, allowed) = (10, { $0.isASCII && $0.isNumber })
        }
        guard !rest.isEmpty, rest.allSatisfy({ allowed($0) || $0 == "_" }) else { return nil }
        let digits = rest.filter { $0 != "_" }
        // `0b_` matches PyYAML's pattern but has no digits; Python's int() refuses it.
        guard !digits.isEmpty else { return nil }
        guard let value = Int(negative ? "-" + digits : digits, radix: radix) else { return .outOfRange }
        return .value(value)
    }

    /// PyYAML's `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`, its value computed without overflow.
    static func sexagesimal(_ text: String) -> PlainInteger? {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ":", omittingEmptySubsequences: false)
        let isDigit = { (character: Character) in character.isASCII && character.isNumber }
        guard let first = parts.first, let lead = first.first, isDigit(lead), lead != "0",
            first.allSatisfy({ isDigit($0) || $0 == "_" }),
            parts.dropFirst().allSatisfy({ part in
                part.allSatisfy(isDigit) && (part.count == 1 || (part.count == 2 && part.first! <= "5"))
            })
        else { return nil }
        guard var value = Int(first.filter(isDigit)) else { return .outOfRange }
        for part in parts.dropFirst() {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 60)
            guard !overflow, let digit = Int(part), shifted <= Int.max - digit else { return .outOfRange }
            value = shifted + digit
        }
        return .value(negative ? -value : value)
    }

    /// A duration in Synapse's syntax: an integer of milliseconds, or a string such as `"30m"`
    /// with a suffix `s`, `m`, `h`, `d`, `w` or `y`, or digits alone meaning milliseconds.
    /// At most ``SynapseDuration/maximumMilliseconds``, so that adding it to the current time is safe.
    func durationMilliseconds() throws(ConfigError) -> Int64 {
        do throws(SynapseDuration.Problem) {
            switch plainInteger {
            case .value(let value): return try SynapseDuration.milliseconds(value)
            case .outOfRange: throw .tooLong
            case nil: break
            }
            guard case .scalar(let scalar) = node.content, !isNull else { throw .malformed }
            return try SynapseDuration.milliseconds(scalar.text)
        } catch .tooLong {
            throw error("\(shapeDescription) is longer than \(SynapseDuration.maximumDescription), the longest duration accepted")
        } catch {
            throw self.error("expected a duration such as 3600000, \"1h\" or \"30d\", got \(shapeDescription)")
        }
    }

    // MARK: - Collections

    func mapping() throws(ConfigError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let pairs) = node.content else {
            throw error("expected a mapping, got \(shapeDescription)")
        }
        var seen: [String: Int] = [:]
        var entries: [(key: String, value: YAMLValue)] = []
        // `<<: *anchor` merge keys: the merged entries come first, so explicit keys override them.
        for pair in pairs where Self.isMergeKey(pair.key) {
            let sources = if case .sequence(let list) = pair.value.content { list } else { [pair.value] }
            for source in sources {
                guard case .mapping = source.content else {
                    throw YAMLValue(node: source, file: file, keyPath: keyPath).error("'<<' merges only mappings")
                }
                for entry in try YAMLValue(node: source, file: file, keyPath: keyPath).mapping() where seen[entry.key] == nil {
                    seen[entry.key] = entries.count
                    entries.append(entry)
                }
            }
        }
        for pair in pairs where !Self.isMergeKey(pair.key) {
            // PyYAML refuses a list or mapping as a key too (it is unhashable in Python).
            guard let key = pair.key.text else {
                let keyValue = YAMLValue(node: pair.key, file: file, keyPath: keyPath)
                throw keyValue.error("a key must be a scalar, got \(keyValue.shapeDescription)")
            }
            let child = YAMLValue(node: pair.value, file: file, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)")
            if let index = seen[key] {
                entries[index] = (key, child)  // PyYAML: the last occurrence wins
            } else {
                seen[key] = entries.count
                entries.append((key, child))
            }
        }
        return entries
    }

    /// A plain `<<`, which PyYAML resolves as a merge key.
    private static func isMergeKey(_ key: YAMLNode) -> Bool {
        guard case .scalar(let scalar) = key.content else { return false }
        return scalar.isPlain && scalar.text == "<<"
    }

    func sequence() throws(ConfigError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node.content else {
            throw error("expected a list, got \(shapeDescription)")
        }
        return sequence.enumerated().map { index, element in
            YAMLValue(node: element, file: file, keyPath: "\(keyPath)[\(index)]")
        }
    }

    /// The value under `key` in this mapping, or nil when the key is absent or null.
    func child(_ key: String) throws(ConfigError) -> YAMLValue? {
        guard let value = try mapping().last(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    /// Whether the key is present at all, even with a null value.
    func has(_ key: String) throws(ConfigError) -> Bool {
        try mapping().contains { $0.key == key }
    }
}
