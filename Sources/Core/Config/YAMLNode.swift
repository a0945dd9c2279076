/// One node of a YAML document, as libyaml's parser reports it: text and structure, no types yet.
///
/// Types are resolved later, by ``YAMLValue``, with PyYAML's rules, when the reader knows what a
/// key should hold; so `12` is kept as the text `12` until it is asked for as a string or an integer.
struct YAMLNode: Sendable {
    enum Content: Sendable {
        case scalar(Scalar)
        case sequence([YAMLNode])
        /// Pairs in the order written, repeated keys included: ``YAMLValue/mapping()`` applies
        /// PyYAML's "the last one wins".
        case mapping([Pair])
    }

    struct Scalar: Sendable {
        let text: String
        /// Whether PyYAML would resolve the type from the text: a plain scalar without a tag (or
        /// tagged `!`), or any scalar tagged with a core type other than a string (`!!int "12"`).
        /// Quoted and block scalars, and those tagged `!!str`, are always strings.
        let isPlain: Bool
    }

    struct Pair: Sendable {
        let key: YAMLNode
        let value: YAMLNode
    }

    let content: Content
    /// Where the node starts, counted from 1, for messages.
    let line: Int
    let column: Int

    /// The text of a scalar, nil for a list or mapping.
    var text: String? {
        if case .scalar(let scalar) = content { return scalar.text }
        return nil
    }
}
