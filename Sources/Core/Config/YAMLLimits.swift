/// Bounds on the shape of a YAML text, checked event by event while ``YAMLComposer`` reads it.
///
/// A tree nested a few thousand levels deep (`a: [[[[…`) would overflow the stack when Swift frees
/// it, and aliases that refer to anchors that refer to anchors ("billion laughs") describe a tree
/// exponentially larger than the file, which the reader would walk key by key. The composer keeps
/// its own state on the heap, so it is safe at any depth, and it stops at the first value past a
/// limit.
///
/// An alias counts as the value it stands for, so the limits hold for the tree as the reader walks
/// it, not only for the text.
enum YAMLLimits {
    /// Mappings and lists inside one another. Synapse's own configs go about 10 deep.
    static let maximumDepth = 64
    /// Values added by expanding aliases. A config that uses anchors repeats a handful of small
    /// mappings; a hundred thousand is far beyond that, and still quick to walk.
    static let maximumAliasExpansion = 100_000

    /// A limit broken at a line and column (counted from 1).
    struct Problem: Error {
        let line: Int
        let column: Int
        let message: String
    }

    /// The running count for one document; the composer reports each event to it, in order.
    struct Budget {
        /// What an anchor stands for, for the aliases that repeat it.
        private struct Extent {
            /// The values in it, counting itself (once its own aliases are expanded).
            var size: Int
            /// How many levels deep it goes, 1 for a scalar.
            var height: Int
        }

        /// A mapping or list whose end has not been reached.
        private struct Open {
            let anchor: String?
            let valuesBefore: Int
            var childHeight = 0
        }

        private var open: [Open] = []
        private var anchors: [String: Extent] = [:]
        /// Every value so far, aliases counted at their expanded size.
        private var values = 0
        private var aliasExpansion = 0

        /// A mapping or list begins at `line`, `column`.
        mutating func open(anchor: String?, line: Int, column: Int) throws(Problem) {
            guard open.count < YAMLLimits.maximumDepth else { throw Self.tooDeep(line: line, column: column) }
            open.append(Open(anchor: anchor, valuesBefore: values))
            values += 1
        }

        /// The innermost open mapping or list ends.
        mutating func close() {
            guard let closed = open.popLast() else { return }
            let extent = Extent(size: values - closed.valuesBefore, height: closed.childHeight + 1)
            if let anchor = closed.anchor { anchors[anchor] = extent }
            add(extent)
        }

        mutating func scalar(anchor: String?) {
            values += 1
            if let anchor { anchors[anchor] = Extent(size: 1, height: 1) }
            add(Extent(size: 1, height: 1))
        }

        /// An alias of an anchor already seen (the composer refuses any other).
        mutating func alias(of anchor: String, line: Int, column: Int) throws(Problem) {
            guard let extent = anchors[anchor] else { return }
            guard open.count + extent.height <= YAMLLimits.maximumDepth else {
                throw Self.tooDeep(line: line, column: column)
            }
            values += extent.size
            aliasExpansion += extent.size
            guard aliasExpansion <= YAMLLimits.maximumAliasExpansion else {
                throw Problem(
                    line: line, column: column,
                    message: "the aliases expand to more than \(YAMLLimits.maximumAliasExpansion) values "
                        + "(anchors that repeat anchors); refusing to expand them")
            }
            add(extent)
        }

        /// Records a finished value in the collection that holds it.
        private mutating func add(_ child: Extent) {
            guard !open.isEmpty else { return }
            open[open.count - 1].childHeight = max(open[open.count - 1].childHeight, child.height)
        }

        private static func tooDeep(line: Int, column: Int) -> Problem {
            Problem(
                line: line, column: column,
                message: "mappings and lists are nested more than \(YAMLLimits.maximumDepth) levels deep "
                    + "(aliases included); Synapse's configs need about 10")
        }
    }
}
