internal import CYAML

/// Builds the ``YAMLNode`` tree of one YAML document from the system's libyaml, the parser PyYAML's
/// C loader uses, so a file is read with the same syntax rules as Synapse reads it.
///
/// The tree is built with a stack of open collections rather than by recursion, and
/// ``YAMLLimits`` sees every event first, so neither a deep file nor an alias bomb gets far.
enum YAMLComposer {
    /// The document's root node, or nil for an empty document; `file` names the text in errors.
    static func compose(_ text: String, file: String) throws(ConfigError) -> YAMLNode? {
        var text = text
        let result = text.withUTF8 { bytes in
            var parser = Parser()
            return Result { () throws(Failure) in try parser.compose(bytes) }
        }
        switch result {
        case .success(let root):
            return root
        case .failure(.limit(let problem)):
            throw ConfigError(file: file, line: problem.line, column: problem.column, message: problem.message)
        case .failure(.syntax(let message, let line, let column)):
            if message.contains("tab"), let line, let tab = ConfigLoader.indentingTab(in: text, upTo: line) {
                throw ConfigError(file: file, line: tab.line, column: tab.column,
                    message: "a tab character; YAML indents with spaces only: replace it with spaces")
            }
            throw ConfigError(file: file, line: line, column: column, message: "invalid YAML: \(message)")
        }
    }

    private enum Failure: Error {
        case limit(YAMLLimits.Problem)
        /// libyaml's own wording, which never quotes the text; a reader error (bad bytes) has no place.
        case syntax(String, line: Int?, column: Int?)
    }

    /// A mapping or list whose end has not been reached.
    private struct Open {
        let isMapping: Bool
        let anchor: String?
        let line: Int
        let column: Int
        var items: [YAMLNode] = []

        /// Keys and values alternate in a mapping's items.
        func node() -> YAMLNode {
            let content: YAMLNode.Content
            if isMapping {
                content = .mapping(stride(from: 0, to: items.count - 1, by: 2).map {
                    YAMLNode.Pair(key: items[$0], value: items[$0 + 1])
                })
            } else {
                content = .sequence(items)
            }
            return YAMLNode(content: content, line: line, column: column)
        }
    }

    private struct Parser {
        var open: [Open] = []
        var anchors: [String: YAMLNode] = [:]
        var budget = YAMLLimits.Budget()
        var root: YAMLNode?
        var documents = 0

        mutating func compose(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> YAMLNode? {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { throw .syntax("out of memory", line: nil, column: nil) }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.syntaxError(parser) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return root }
                try visit(event)
            }
        }

        private mutating func visit(_ event: yaml_event_t) throws(Failure) {
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                // PyYAML's safe_load, like Synapse, reads exactly one document.
                guard documents == 1 else {
                    throw .syntax(
                        "expected a single document in the stream but found another document",
                        line: line, column: column)
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let anchor = Self.string(scalar.anchor)
                budget.scalar(anchor: anchor)
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                // libyaml marks a plain scalar "implicit" when it has no tag or the tag `!`.
                let isPlain = (scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.plain_implicit == 1)
                    || Self.resolvableTags.contains(Self.string(scalar.tag) ?? "")
                finish(YAMLNode(content: .scalar(.init(text: text, isPlain: isPlain)), line: line, column: column),
                       anchor: anchor)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = Self.string(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                do { try budget.open(anchor: anchor, line: line, column: column) } catch { throw .limit(error) }
                open.append(Open(isMapping: isMapping, anchor: anchor, line: line, column: column))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = open.popLast() else { return }
                budget.close()
                finish(closed.node(), anchor: closed.anchor)
            case YAML_ALIAS_EVENT:
                guard let name = Self.string(event.data.alias.anchor), let node = anchors[name] else {
                    throw .syntax("found undefined alias", line: line, column: column)
                }
                do { try budget.alias(of: name, line: line, column: column) } catch { throw .limit(error) }
                finish(node, anchor: nil)
            default:
                break
            }
        }

        /// A complete node: remembered under its anchor, and placed in its collection.
        private mutating func finish(_ node: YAMLNode, anchor: String?) {
            if let anchor { anchors[anchor] = node }
            if open.isEmpty {
                root = node
            } else {
                open[open.count - 1].items.append(node)
            }
        }

        /// Core tags that name a type PyYAML resolves from the text, as it does for an untagged scalar.
        static let resolvableTags = Set(["int", "bool", "null", "float"].map { "tag:yaml.org,2002:" + $0 })

        private static func string(_ text: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            text.map { String(cString: $0) }
        }

        private static func syntaxError(_ parser: yaml_parser_t) -> Failure {
            var message = parser.problem.map { String(cString: $0) } ?? "the parser ran out of memory"
            if let context = parser.context { message += " " + String(cString: context) }
            guard parser.error != YAML_READER_ERROR else { return .syntax(message, line: nil, column: nil) }
            return .syntax(message, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        }
    }
}
