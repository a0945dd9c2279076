/// A JSON object written member by member, in order, on one line: the keys of a line that
/// scripts parse stay where the documentation puts them.
package struct JSONObject: Sendable {
    private var members: [String] = []

    package init() {}

    /// The object, `{…}`, with no trailing newline.
    package var text: String { "{" + members.joined(separator: ",") + "}" }

    /// A member whose value is already JSON.
    package mutating func raw(_ key: String, _ json: String) {
        members.append(Self.quoted(key) + ":" + json)
    }

    package mutating func field(_ key: String, _ value: Int) { raw(key, String(value)) }
    package mutating func field(_ key: String, _ value: Int64) { raw(key, String(value)) }
    package mutating func field(_ key: String, _ value: Bool) { raw(key, value ? "true" : "false") }
    package mutating func field(_ key: String, _ value: String?) { raw(key, value.map(Self.quoted) ?? "null") }
    package mutating func field(_ key: String, _ value: [String]) {
        raw(key, "[" + value.map(Self.quoted).joined(separator: ",") + "]")
    }
    package mutating func field(_ key: String, _ value: JSONObject) { raw(key, value.text) }
    package mutating func field(_ key: String, _ values: [JSONObject]) {
        raw(key, "[" + values.map(\.text).joined(separator: ",") + "]")
    }

    /// A finite number as JSON; an infinite one, which JSON lacks, as `null`.
    package mutating func field(_ key: String, _ value: Double) {
        raw(key, value.isFinite ? "\(value)" : "null")
    }

    /// `string` as a JSON string: quotes, backslashes and control characters escaped, the rest as is.
    package static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
