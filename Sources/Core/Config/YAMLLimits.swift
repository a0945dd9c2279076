internal import CYaml

/// Bounds on the shape of a YAML text, checked on libyaml's event stream before Yams builds a node
/// tree from it.
///
/// Yams composes, and Swift later frees, a node tree by recursion, so a file nested a few
/// thousand levels deep (`a: [[[[…`) overflows the stack; and aliases that refer to anchors that
/// refer to anchors ("billion laughs") describe a tree exponentially larger than the file. libyaml's
/// parser keeps its own state on the heap, so reading its events is safe at any depth, and it stops
/// here at the first value past a limit.
///
/// An alias counts as the value it stands for, so the limits hold for the tree as the reader walks
/// it, not only for the text.
enum YAMLLimits {
    /// Mappings and lists inside one another. Synapse's own configs go about 10 deep.
    static let maximumDepth = 64
    /// Values added by expanding aliases. A config that uses anchors repeats a handful of small
    /// mappings; a hundred thousand is far beyond that, and still quick to walk.
    static let maximumAliasExpansion = 100_000

    /// Throws a ``ConfigError`` at the first value that breaks a limit. A syntax error ends the
    /// check silently: Yams reports it, with its own wording, when it parses the same text.
    static func check(_ text: String, file: String) throws(ConfigError) {
        var text = text
        let problem = text.withUTF8 { bytes in
            var scan = Scan(bytes)
            return scan.run()
        }
        if let problem {
            throw ConfigError(file: file, line: problem.line, column: problem.column, message: problem.message)
        }
    }

    private struct Problem {
        let line: Int
        let column: Int
        let message: String
    }

    /// One pass over the events of a text.
    private struct Scan {
        /// What an anchor stands for, for the aliases that repeat it.
        struct Extent {
            /// The values in it, counting itself (once its own aliases are expanded).
            var size: Int
            /// How many levels deep it goes, 1 for a scalar.
            var height: Int
        }

        /// A mapping or list whose end has not been reached.
        struct Open {
            let anchor: String?
            let valuesBefore: Int
            var childHeight = 0
        }

        let bytes: UnsafeBufferPointer<UInt8>
        var open: [Open] = []
        var anchors: [String: Extent] = [:]
        /// Every value so far, aliases counted at their expanded size.
        var values = 0
        var aliasExpansion = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func run() -> Problem? {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let problem = visit(event) { return problem }
            }
            return nil
        }

        private mutating func visit(_ event: yaml_event_t) -> Problem? {
            switch event.type {
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard open.count < YAMLLimits.maximumDepth else { return tooDeep(at: event.start_mark) }
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                open.append(Open(anchor: Self.name(anchor), valuesBefore: values))
                values += 1
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = open.popLast() else { return nil }
                let extent = Extent(size: values - closed.valuesBefore, height: closed.childHeight + 1)
                if let anchor = closed.anchor { anchors[anchor] = extent }
                add(extent)
            case YAML_SCALAR_EVENT:
                values += 1
                if let anchor = Self.name(event.data.scalar.anchor) { anchors[anchor] = Extent(size: 1, height: 1) }
                add(Extent(size: 1, height: 1))
            case YAML_ALIAS_EVENT:
                // An undefined alias is Yams's error to report.
                guard let name = Self.name(event.data.alias.anchor), let extent = anchors[name] else { return nil }
                guard open.count + extent.height <= YAMLLimits.maximumDepth else { return tooDeep(at: event.start_mark) }
                values += extent.size
                aliasExpansion += extent.size
                guard aliasExpansion <= YAMLLimits.maximumAliasExpansion else {
                    return Problem(
                        line: event.start_mark.line + 1, column: event.start_mark.column + 1,
                        message: "the aliases expand to more than \(YAMLLimits.maximumAliasExpansion) values "
                            + "(anchors that repeat anchors); refusing to expand them")
                }
                add(extent)
            default:
                break
            }
            return nil
        }

        /// Records a finished value in the collection that holds it.
        private mutating func add(_ child: Extent) {
            guard !open.isEmpty else { return }
            open[open.count - 1].childHeight = max(open[open.count - 1].childHeight, child.height)
        }

        private func tooDeep(at mark: yaml_mark_t) -> Problem {
            Problem(
                line: mark.line + 1, column: mark.column + 1,
                message: "mappings and lists are nested more than \(YAMLLimits.maximumDepth) levels deep "
                    + "(aliases included); Synapse's configs need about 10")
        }

        private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            anchor.map { String(cString: $0) }
        }
    }
}
