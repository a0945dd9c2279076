import Yams

/// A YAML node together with where it came from, read with PyYAML's rules.
///
/// Synapse reads its config with PyYAML's `safe_load`, so this reader follows it where Yams would
/// differ: a quoted scalar is always a string, `yes`/`on` are booleans only when plain, and a key
/// that appears twice takes its last value.
struct YAMLValue {
    let node: Node
    let file: String
    let keyPath: String

    // MARK: - Errors

    func error(_ message: String) -> ConfigError {
        ConfigError(
            file: file, line: node.mark?.line, column: node.mark?.column,
            key: keyPath.isEmpty ? nil : keyPath, message: message)
    }

    /// A short rendering of the value for messages, e.g. `'twelve'` or `a mapping`.
    var shapeDescription: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            if isNull { return "null" }
            let text = scalar.string
            return text.count > 40 ? "'\(text.prefix(40))…'" : "'\(text)'"
        }
    }

    // MARK: - Scalars

    private var plainScalar: Node.Scalar? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return nil }
        return scalar
    }

    /// True for `~`, `null`, an empty value, and the other YAML 1.1 null spellings.
    var isNull: Bool {
        guard let scalar = plainScalar else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected a string, got \(shapeDescription)")
        }
        if plainScalar != nil, Bool.construct(from: scalar) != nil || Int.construct(from: scalar) != nil {
            throw error("expected a string, got \(shapeDescription) (quote it to make it a string)")
        }
        return scalar.string
    }

    /// A scalar of any type as text, for values that are passed on as strings (libpq keywords).
    func scalarText() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected a value, got \(shapeDescription)")
        }
        return scalar.string
    }

    func bool() throws(ConfigError) -> Bool {
        guard let scalar = plainScalar, let value = Bool.construct(from: scalar) else {
            throw error("expected true or false, got \(shapeDescription)")
        }
        return value
    }

    func int() throws(ConfigError) -> Int {
        guard let scalar = plainScalar, Bool.construct(from: scalar) == nil,
            let value = Int.construct(from: scalar)
        else {
            throw error("expected an integer, got \(shapeDescription)")
        }
        return value
    }

    /// A duration in Synapse's syntax: an integer of milliseconds, or a string such as `"30m"`
    /// with a suffix `s`, `m`, `h`, `d`, `w` or `y`, or digits alone meaning milliseconds.
    /// At most ``SynapseDuration/maximumMilliseconds``, so that adding it to the current time is safe.
    func durationMilliseconds() throws(ConfigError) -> Int64 {
        do throws(SynapseDuration.Problem) {
            if let scalar = plainScalar, Bool.construct(from: scalar) == nil, let value = Int.construct(from: scalar) {
                return try SynapseDuration.milliseconds(value)
            }
            guard case .scalar(let scalar) = node, !isNull else { throw .malformed }
            return try SynapseDuration.milliseconds(scalar.string)
        } catch .tooLong {
            throw error("\(shapeDescription) is longer than \(SynapseDuration.maximumDescription), the longest duration accepted")
        } catch {
            throw self.error("expected a duration such as 3600000, \"1h\" or \"30d\", got \(shapeDescription)")
        }
    }

    // MARK: - Collections

    func mapping() throws(ConfigError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping, got \(shapeDescription)")
        }
        var seen: [String: Int] = [:]
        var entries: [(key: String, value: YAMLValue)] = []
        // `<<: *anchor` merge keys: the merged entries come first, so explicit keys override them.
        for (keyNode, valueNode) in mapping where keyNode.scalar?.string == "<<" && keyNode.scalar?.style == .plain {
            let sources = valueNode.sequence.map { Array($0) } ?? [valueNode]
            for source in sources {
                guard case .mapping = source else {
                    throw YAMLValue(node: source, file: file, keyPath: keyPath).error("'<<' merges only mappings")
                }
                for entry in try YAMLValue(node: source, file: file, keyPath: keyPath).mapping() where seen[entry.key] == nil {
                    seen[entry.key] = entries.count
                    entries.append(entry)
                }
            }
        }
        for (keyNode, valueNode) in mapping {
            // PyYAML refuses a list or mapping as a key too (it is unhashable in Python).
            guard let key = keyNode.scalar?.string else {
                throw YAMLValue(node: keyNode, file: file, keyPath: keyPath).error(
                    "a key must be a scalar, got \(YAMLValue(node: keyNode, file: file, keyPath: keyPath).shapeDescription)")
            }
            if key == "<<" && keyNode.scalar?.style == .plain { continue }
            let child = YAMLValue(node: valueNode, file: file, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)")
            if let index = seen[key] {
                entries[index] = (key, child)  // PyYAML: the last occurrence wins
            } else {
                seen[key] = entries.count
                entries.append((key, child))
            }
        }
        return entries
    }

    func sequence() throws(ConfigError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else {
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
