// One flat JSON object a line, read as bytes by a small strict parser that never recurses.

/// Reads JSON Lines: one object a line with the keys `user` (required), `password`, `admin`,
/// `display_name` and `user_type`. Strings, `true`/`false` for `admin`, and `null` (= absent) are the
/// values; numbers, arrays and objects are refused (an array or object at once, without reading into it).
/// Blank lines are skipped. A line may end in CRLF; the file may start with a UTF-8 BOM.
enum JSONLinesUserReader {
    static func read(_ bytes: [UInt8]) -> BulkFileContents {
        bytes.withUnsafeBufferPointer { buffer in
            var contents = BulkFileContents()
            var parser = LineParser(buffer: buffer)
            var start = 0
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
            var line = 1
            while start < buffer.count {
                var end = start
                while end < buffer.count, buffer[end] != 0x0A { end += 1 }
                parser.read(line: line, start: start, end: end, into: &contents)
                start = end + 1
                line += 1
            }
            return contents
        }
    }

    static let keys: Set<String> = ["user", "password", "admin", "display_name", "user_type"]

    /// Unknown keys a user may well have meant as one of ours.
    static let likelyMeant: [String: String] = [
        "id": "user", "user_id": "user", "name": "user", "localpart": "user", "mxid": "user",
        "displayname": "display_name", "displayName": "display_name", "display-name": "display_name",
        "is_admin": "admin", "userType": "user_type", "usertype": "user_type", "user-type": "user_type",
        "type": "user_type",
    ]

    /// A JSON value, as far as this format needs one.
    enum Value {
        case string(String)
        case bool(Bool)
        case null
        case number

        var kind: String {
            switch self {
            case .string: "a string"
            case .bool: "a boolean"
            case .null: "null"
            case .number: "a number"
            }
        }
    }

    /// Why a line is not an object this format can read; `column` is 1-based, in bytes.
    struct SyntaxError: Error {
        var message: String
        var column: Int
        var key: String?
    }

    struct LineParser {
        let buffer: UnsafeBufferPointer<UInt8>
        var position = 0
        var lineStart = 0
        var lineEnd = 0
        var scratch: [UInt8] = []
        /// The members of the line being read.
        var members: [(key: String, value: Value)] = []

        init(buffer: UnsafeBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        mutating func read(line: Int, start: Int, end: Int, into contents: inout BulkFileContents) {
            lineStart = start
            lineEnd = end
            if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            position = start
            skipSpace()
            guard position < lineEnd else { return }  // blank

            members.removeAll(keepingCapacity: true)
            var problems: [BulkFileProblem] = []
            do {
                try parseObject()
            } catch {
                let prefix = error.key.map { "key '\(BulkText.shown($0))': " } ?? ""
                problems.append(BulkFileProblem(
                    line: line, field: error.key, "\(prefix)\(error.message) (column \(error.column))"))
                contents.problems.append(contentsOf: problems)
                return
            }

            var row = BulkRow(line: line, user: "")
            var hasUser = false
            // A line's few keys are compared one by one; a line with many gets a set.
            let many = members.count > 8
            var seen: Set<String> = []
            for (index, (key, value)) in members.enumerated() {
                let repeated = many
                    ? !seen.insert(key).inserted
                    : members[..<index].contains(where: { $0.key == key })
                guard !repeated else {
                    problems.append(BulkFileProblem(line: line, field: key, "key '\(BulkText.shown(key))' appears twice"))
                    continue
                }
                guard JSONLinesUserReader.keys.contains(key) else {
                    let hint = JSONLinesUserReader.likelyMeant[key].map { " (did you mean '\($0)'?)" } ?? ""
                    problems.append(BulkFileProblem(
                        line: line, field: key,
                        "unknown key '\(BulkText.shown(key))'\(hint): the keys are user, password, admin, display_name, user_type"))
                    continue
                }
                switch (key, value) {
                case (_, .null):
                    continue
                case ("admin", .bool(let flag)):
                    row.admin = flag
                case ("admin", _):
                    problems.append(BulkFileProblem(
                        line: line, field: key, "key 'admin': must be true or false, not \(value.kind)"))
                case (_, .string(let text)):
                    switch key {
                    case "user":
                        hasUser = true
                        if text.isEmpty {
                            problems.append(BulkFileProblem(line: line, field: key, "key 'user': empty"))
                        }
                        row.user = text
                    case "password": row.password = text.isEmpty ? nil : Secret(text)
                    case "display_name": row.displayName = text.isEmpty ? nil : text
                    default: row.userType = text.isEmpty ? nil : text
                    }
                default:
                    problems.append(BulkFileProblem(
                        line: line, field: key, "key '\(key)': must be a string, not \(value.kind)"))
                }
            }
            if !hasUser, !problems.contains(where: { $0.field == "user" }) {
                problems.insert(BulkFileProblem(
                    line: line, field: "user", "no 'user' key (the localpart or user ID of the account)"), at: 0)
            }
            if problems.isEmpty {
                contents.rows.append(row)
            } else {
                contents.problems.append(contentsOf: problems)
            }
        }

        var column: Int { position - lineStart + 1 }

        mutating func skipSpace() {
            while position < lineEnd {
                switch buffer[position] {
                case 0x20, 0x09, 0x0D: position += 1
                default: return
                }
            }
        }

        func fail(_ message: String, key: String? = nil) -> SyntaxError {
            SyntaxError(message: message, column: column, key: key)
        }

        /// Reads the line's object into `members`.
        mutating func parseObject() throws(SyntaxError) {
            guard buffer[position] == UInt8(ascii: "{") else {
                switch buffer[position] {
                case UInt8(ascii: "["):
                    throw fail("not a JSON object but an array: write one object a line")
                default:
                    throw fail("not a JSON object: a line must be one object, {\"user\": …}")
                }
            }
            position += 1
            skipSpace()
            if position < lineEnd, buffer[position] == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    guard position < lineEnd, buffer[position] == 0x22 else {
                        throw fail(position < lineEnd ? "expected a key in double quotes" : "the object is not closed on its line")
                    }
                    let key = try parseString()
                    skipSpace()
                    guard position < lineEnd, buffer[position] == UInt8(ascii: ":") else {
                        // Not named: a string without a colon after it may be a value, a password even.
                        throw fail("expected ':' after a key")
                    }
                    position += 1
                    skipSpace()
                    let value = try parseValue(key: key)
                    members.append((key, value))
                    skipSpace()
                    guard position < lineEnd else { throw fail("the object is not closed on its line") }
                    if buffer[position] == UInt8(ascii: ",") {
                        position += 1
                        skipSpace()
                        continue
                    }
                    guard buffer[position] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                    position += 1
                    break
                }
            }
            skipSpace()
            guard position >= lineEnd else { throw fail("text after the object (one object a line)") }
        }

        mutating func parseValue(key: String) throws(SyntaxError) -> Value {
            guard position < lineEnd else { throw fail("expected a value", key: key) }
            switch buffer[position] {
            case 0x22:
                return .string(try parseString(key: key))
            case UInt8(ascii: "t"):
                try literal("true", key: key)
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false", key: key)
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null", key: key)
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number(key: key)
                return .number
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                throw fail("nested arrays and objects are not accepted: the values are strings, true/false or null", key: key)
            default:
                throw fail("expected a value (a string in double quotes, true, false or null)", key: key)
            }
        }

        mutating func literal(_ word: StaticString, key: String) throws(SyntaxError) {
            let count = word.utf8CodeUnitCount
            let bytes = word.utf8Start
            guard lineEnd - position >= count else { throw fail("expected a value", key: key) }
            for i in 0..<count where buffer[position + i] != bytes[i] {
                throw fail("expected a value (a string in double quotes, true, false or null)", key: key)
            }
            position += count
        }

        /// A number by JSON's grammar (its value is never needed).
        mutating func number(key: String) throws(SyntaxError) {
            func digits() -> Int {
                let start = position
                while position < lineEnd, buffer[position] >= 0x30, buffer[position] <= 0x39 { position += 1 }
                return position - start
            }
            let numberStart = position
            func invalid() -> SyntaxError {
                position = numberStart
                return fail("not a valid number", key: key)
            }
            if buffer[position] == UInt8(ascii: "-") { position += 1 }
            let start = position
            let integer = digits()
            guard integer > 0, integer == 1 || buffer[start] != 0x30 else { throw invalid() }
            if position < lineEnd, buffer[position] == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw invalid() }
            }
            if position < lineEnd, buffer[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < lineEnd, buffer[position] == UInt8(ascii: "+") || buffer[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digits() > 0 else { throw invalid() }
            }
        }

        /// A string at `position` (on its opening quote), escapes undone, checked to be UTF-8.
        mutating func parseString(key: String? = nil) throws(SyntaxError) -> String {
            position += 1
            let start = position
            var plain = true
            var ascii = true
            scratch.removeAll(keepingCapacity: true)
            while true {
                guard position < lineEnd else { throw fail("a string is not closed on its line", key: key) }
                let byte = buffer[position]
                if byte == 0x22 { break }
                if byte < 0x20 {
                    throw fail("a control character inside a string must be escaped", key: key)
                }
                if byte >= 0x80 { ascii = false }
                if byte != 0x5C {
                    if !plain { scratch.append(byte) }
                    position += 1
                    continue
                }
                if plain {
                    plain = false
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<position]))
                }
                guard position + 1 < lineEnd else { throw fail("a string is not closed on its line", key: key) }
                let escape = buffer[position + 1]
                position += 2
                switch escape {
                case 0x22, 0x5C, 0x2F: scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    position -= 2
                    let escapeStart = position
                    /// A problem with the escape, shown at its backslash.
                    func invalid(_ message: String) -> SyntaxError {
                        position = escapeStart
                        return fail(message, key: key)
                    }
                    let unit = try hex4(key: key)
                    var scalarValue = UInt32(unit)
                    if unit >= 0xD800, unit <= 0xDBFF {
                        guard position + 1 < lineEnd, buffer[position] == 0x5C, buffer[position + 1] == UInt8(ascii: "u") else {
                            throw invalid("a \\u escape of a high surrogate must be followed by its low surrogate")
                        }
                        let low = try hex4(key: key)
                        guard low >= 0xDC00, low <= 0xDFFF else {
                            throw invalid("a \\u escape of a high surrogate must be followed by its low surrogate")
                        }
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    } else if unit >= 0xDC00, unit <= 0xDFFF {
                        throw invalid("a \\u escape of a low surrogate without a high one before it")
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else {
                        throw invalid("an invalid \\u escape")
                    }
                    appendUTF8(scalar)
                default:
                    position -= 2
                    throw fail("an unknown escape in a string (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)", key: key)
                }
            }
            let end = position
            position += 1  // the closing quote
            if plain {
                let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
                if ascii { return String(decoding: bytes, as: UTF8.self) }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    position = start
                    throw fail("a string is not valid UTF-8", key: key)
                }
                return text
            }
            guard let text = String(validating: scratch, as: UTF8.self) else {
                position = start
                throw fail("a string is not valid UTF-8", key: key)
            }
            return text
        }

        mutating func appendUTF8(_ scalar: Unicode.Scalar) {
            let value = scalar.value
            switch value {
            case 0..<0x80:
                scratch.append(UInt8(value))
            case 0x80..<0x800:
                scratch.append(UInt8(0xC0 | value >> 6))
                scratch.append(UInt8(0x80 | value & 0x3F))
            case 0x800..<0x10000:
                scratch.append(UInt8(0xE0 | value >> 12))
                scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
                scratch.append(UInt8(0x80 | value & 0x3F))
            default:
                scratch.append(UInt8(0xF0 | value >> 18 & 0x07))
                scratch.append(UInt8(0x80 | value >> 12 & 0x3F))
                scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
                scratch.append(UInt8(0x80 | value & 0x3F))
            }
        }

        /// `\uXXXX` at `position`: its value, `position` after it.
        mutating func hex4(key: String?) throws(SyntaxError) -> UInt16 {
            guard lineEnd - position >= 6 else { throw fail("an incomplete \\u escape (four hex digits)", key: key) }
            var value: UInt16 = 0
            for i in 2..<6 {
                let byte = buffer[position + i]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: throw fail("an incomplete \\u escape (four hex digits)", key: key)
                }
                value = value << 4 | UInt16(digit)
            }
            position += 6
            return value
        }
    }
}
