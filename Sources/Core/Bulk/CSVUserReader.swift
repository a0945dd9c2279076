// synapse-admin's (Ketesa's) user CSV, read as bytes. RFC 4180 quoting; see DECISIONS.md, "Bulk files".

/// Reads the user import format of synapse-admin and Ketesa, and a file their user list exports.
///
/// - A header row is required; names are trimmed and compared in any case; `id` is required.
/// - `id`, `displayname`, `password`, `admin`, `user_type` are honoured.
/// - The other columns of the format are accepted while they ask for nothing this tool cannot do (empty,
///   or the value a new account has anyway); a column that asks for more is one problem, at the first
///   line that uses it. Columns that only describe an exported account (`name`, `creation_ts`,
///   `last_seen_ts`, …) are ignored, and `avatar_url` too, with a note.
/// - Unquoted values lose the ASCII spaces and tabs around them; quoted values are kept exactly.
/// - A row with fewer fields than the header has the missing ones empty; one with more is a problem.
/// - Lines end in LF, CRLF or a lone CR; empty lines, and rows whose fields are all empty, are skipped.
enum CSVUserReader {
    static func read(_ bytes: [UInt8]) -> BulkFileContents {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer)
            reader.run()
            return reader.finish()
        }
    }

    /// What the tool does with a column.
    enum Column: Equatable {
        case id, displayName, password, admin, userType
        /// Describes an exported account; nothing to honour.
        case ignored
        /// Ignored, with a note naming the first line that has a value.
        case ignoredWithNote(String)
        /// A boolean accepted while it is `accepted` (or empty); the other value is refused.
        case refusedBoolean(accepted: Bool, reason: String)
        /// Text accepted while empty (or `[]`/`{}` when `emptyJSON`).
        case refusedText(reason: String, emptyJSON: Bool)
        /// A column without a name in the header: accepted while empty.
        case unnamed
        /// Not a column of the format.
        case unknown
    }

    /// The columns of synapse-admin's import format and of its user export (the admin API's user list
    /// as react-admin writes it: `name` … `locked`, then `id`, `avatar_src`, `creation_ts_ms`), plus the
    /// fields of the admin API's user that the import passes on.
    static let columns: [String: Column] = [
        "id": .id,
        "displayname": .displayName,
        "password": .password,
        "admin": .admin,
        "user_type": .userType,
        // The exported account's own facts.
        "name": .ignored,
        "creation_ts": .ignored,
        "creation_ts_ms": .ignored,
        "last_seen_ts": .ignored,
        "avatar_src": .ignored,
        "avatar_url": .ignoredWithNote("this tool does not set avatars"),
        // States a new account cannot be created in.
        "is_guest": .refusedBoolean(accepted: false, reason: "this tool cannot create guest accounts; leave those rows out"),
        "deactivated": .refusedBoolean(accepted: false, reason: "this tool cannot create deactivated accounts; leave those rows out"),
        "shadow_banned": .refusedBoolean(accepted: false, reason: "this tool cannot create shadow-banned accounts; leave those rows out"),
        "locked": .refusedBoolean(accepted: false, reason: "this tool cannot create locked accounts; leave those rows out"),
        "suspended": .refusedBoolean(accepted: false, reason: "this tool cannot create suspended accounts; leave those rows out"),
        "erased": .refusedBoolean(accepted: false, reason: "this tool cannot create erased accounts; leave those rows out"),
        "approved": .refusedBoolean(accepted: true, reason: "this tool creates approved accounts only; leave those rows out"),
        "is_admin": .refusedBoolean(accepted: false, reason: "synapse-admin ignores 'is_admin': use the 'admin' column, and leave this one empty or false"),
        "threepids": .refusedText(reason: "this tool cannot add email addresses or phone numbers; remove the column to create the accounts without them", emptyJSON: true),
        "external_ids": .refusedText(reason: "this tool cannot link single sign-on identities; remove the column to create the accounts without them", emptyJSON: true),
        "appservice_id": .refusedText(reason: "this tool cannot create application service users; leave those rows out", emptyJSON: false),
        "consent_version": .refusedText(reason: "this tool cannot record consent to the privacy policy; remove the column to create the accounts without it", emptyJSON: false),
        "consent_ts": .refusedText(reason: "this tool cannot record consent to the privacy policy; remove the column to create the accounts without it", emptyJSON: false),
        "consent_server_notice_sent": .refusedText(reason: "this tool cannot record consent to the privacy policy; remove the column to create the accounts without it", emptyJSON: false),
    ]

    static let honouredList = "id, displayname, password, admin, user_type"

    /// Unknown names a user may well have meant as one of the format's.
    static let likelyMeant: [String: String] = [
        "display_name": "displayname", "display name": "displayname", "display-name": "displayname",
        "user": "id", "user_id": "id", "userid": "id", "localpart": "id", "mxid": "id", "username": "id",
        "usertype": "user_type", "type": "user_type", "user type": "user_type",
    ]

    /// A field's content: `start..<end` in the buffer, without its quotes; `escaped` when it holds
    /// doubled quotes to undo.
    struct Field {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    struct Reader {
        let buffer: UnsafeBufferPointer<UInt8>
        var position = 0
        /// The physical line `position` is on.
        var line = 1
        var contents = BulkFileContents()
        var problems: [BulkFileProblem] = []

        // The header.
        var kinds: [Column] = []
        var names: [String] = []
        var headerLine = 0
        var idColumn: Int?
        var passwordColumn: Int?
        /// The first line where each refused or noted column is used.
        var firstUse: [Int: Int] = [:]

        var fields: [Field] = []
        var scratch: [UInt8] = []

        init(_ buffer: UnsafeBufferPointer<UInt8>) {
            self.buffer = buffer
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                position = 3
            }
        }

        // MARK: Records

        /// What ended a record besides its line end.
        enum Trouble {
            case none
            /// Text after a closing quote, in field `index`, on `line`.
            case afterQuote(index: Int, line: Int)
            /// A quote opened on `line` in field `index` and never closed: the rest of the file is in it.
            case unterminated(index: Int, line: Int)
        }

        /// Reads the next record into `fields`; `nil` at the end of the input.
        mutating func nextRecord() -> (line: Int, trouble: Trouble)? {
            let n = buffer.count
            guard position < n else { return nil }
            let startLine = line
            var trouble = Trouble.none
            fields.removeAll(keepingCapacity: true)
            while true {
                while position < n, buffer[position] == 0x20 || buffer[position] == 0x09 { position += 1 }
                if position < n, buffer[position] == 0x22 {
                    let fieldLine = line
                    position += 1
                    let start = position
                    var escaped = false
                    var closed = false
                    while position < n {
                        let byte = buffer[position]
                        if byte == 0x22 {
                            if position + 1 < n, buffer[position + 1] == 0x22 {
                                escaped = true
                                position += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        // A line break inside the value: LF, CRLF (counted at its LF) or a lone CR.
                        if byte == 0x0A || byte == 0x0D && (position + 1 == n || buffer[position + 1] != 0x0A) {
                            line += 1
                        }
                        position += 1
                    }
                    guard closed else {
                        fields.append(Field(start: start, end: n, escaped: escaped))
                        return (startLine, .unterminated(index: fields.count - 1, line: fieldLine))
                    }
                    let end = position
                    position += 1
                    while position < n, buffer[position] == 0x20 || buffer[position] == 0x09 { position += 1 }
                    if position < n, !Self.endsField(buffer[position]) {
                        if case .none = trouble { trouble = .afterQuote(index: fields.count, line: line) }
                        while position < n, !Self.endsField(buffer[position]) { position += 1 }
                    }
                    fields.append(Field(start: start, end: end, escaped: escaped))
                } else {
                    let start = position
                    while position < n, !Self.endsField(buffer[position]) { position += 1 }
                    var end = position
                    while end > start, buffer[end - 1] == 0x20 || buffer[end - 1] == 0x09 { end -= 1 }
                    fields.append(Field(start: start, end: end, escaped: false))
                }
                if position >= n { return (startLine, trouble) }
                if buffer[position] == 0x2C {
                    position += 1
                    continue
                }
                // The line end: LF, CRLF, or a lone CR (Excel's "CSV (Macintosh)").
                if buffer[position] == 0x0D, position + 1 < n, buffer[position + 1] == 0x0A { position += 1 }
                position += 1
                line += 1
                return (startLine, trouble)
            }
        }

        /// A comma or a line end (LF, or the CR of CRLF or of a lone CR).
        static func endsField(_ byte: UInt8) -> Bool {
            byte == 0x2C || byte == 0x0A || byte == 0x0D
        }

        /// The bytes of a field, quotes undone; valid until the next call.
        mutating func withBytes<R>(_ field: Field, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            let slice = UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
            guard field.escaped else { return body(slice) }
            scratch.removeAll(keepingCapacity: true)
            var i = 0
            while i < slice.count {
                scratch.append(slice[i])
                i += slice[i] == 0x22 && i + 1 < slice.count && slice[i + 1] == 0x22 ? 2 : 1
            }
            return scratch.withUnsafeBufferPointer(body)
        }

        /// The field as text; `nil` when it is not valid UTF-8.
        mutating func text(_ field: Field) -> String? {
            withBytes(field) { bytes in
                var ascii = true
                for byte in bytes where byte >= 0x80 {
                    ascii = false
                    break
                }
                if ascii { return String(decoding: bytes, as: UTF8.self) }
                return String(validating: bytes, as: UTF8.self)
            }
        }

        func isEmpty(_ field: Field) -> Bool { field.start >= field.end }

        func allEmpty() -> Bool {
            for field in fields where !isEmpty(field) { return false }
            return true
        }

        /// The name of column `index` as messages give it.
        func columnName(_ index: Int) -> String {
            if index < names.count, !names[index].isEmpty { return "column '\(BulkText.shown(names[index]))'" }
            return "column \(index + 1)"
        }

        func fieldName(_ index: Int) -> String? {
            index < names.count && !names[index].isEmpty ? names[index] : nil
        }

        // MARK: The file

        mutating func run() {
            // The header: the first record with something in it.
            var header: (line: Int, trouble: Trouble)?
            while let record = nextRecord() {
                if case .none = record.trouble, allEmpty() { continue }
                header = record
                break
            }
            guard let header else {
                problems.append(BulkFileProblem(
                    line: 1, "the file has no header row: the first row must name the columns (\(CSVUserReader.honouredList))"))
                return
            }
            headerLine = header.line
            switch header.trouble {
            case .none: break
            case .afterQuote(_, let line):
                problems.append(BulkFileProblem(line: line, "the header has text after a closing quote"))
                return
            case .unterminated(_, let line):
                problems.append(BulkFileProblem(line: line, "the header has a quote that is never closed"))
                return
            }
            guard readHeader() else { return }

            while let record = nextRecord() {
                switch record.trouble {
                case .none:
                    if allEmpty() { continue }
                    readRow(line: record.line)
                case .afterQuote(let index, let line):
                    problems.append(BulkFileProblem(
                        line: line, field: fieldName(index),
                        "\(columnName(index)): text after the closing quote (a quote inside a quoted value is written twice: \"\")"))
                case .unterminated(let index, let line):
                    problems.append(BulkFileProblem(
                        line: line, field: fieldName(index),
                        "\(columnName(index)): a quoted value starts here and is never closed"))
                }
            }
        }

        /// Reads the names in `fields`; `false` when the rows cannot be read.
        mutating func readHeader() -> Bool {
            var unknown: [String] = []
            var repeated: [BulkFileProblem] = []
            var seen: [String: Int] = [:]
            for index in fields.indices {
                guard let raw = text(fields[index]) else {
                    problems.append(BulkFileProblem(line: headerLine, "the header is not valid UTF-8"))
                    return false
                }
                let name = trimmed(raw)
                let key = asciiLowercased(name)
                names.append(name)
                var kind: Column
                if key.isEmpty {
                    kind = .unnamed
                } else if let known = CSVUserReader.columns[key] {
                    kind = known
                } else {
                    kind = .unknown
                    unknown.append(name)
                }
                if !key.isEmpty {
                    if let earlier = seen[key] {
                        repeated.append(BulkFileProblem(
                            line: headerLine, field: name,
                            "column '\(BulkText.shown(name))' appears twice in the header (columns \(earlier + 1) and \(index + 1))"))
                        if kind == .unknown { unknown.removeLast() }
                        kind = .ignored
                    } else {
                        seen[key] = index
                    }
                }
                if kind == .id { idColumn = index }
                if kind == .password { passwordColumn = index }
                kinds.append(kind)
            }
            guard idColumn != nil else {
                // Unknown names are not listed: a file without its header would show a row's values.
                problems.append(BulkFileProblem(
                    line: headerLine,
                    "no 'id' column: the first row must name the columns (\(CSVUserReader.honouredList))"))
                return false
            }
            problems += repeated
            if !unknown.isEmpty {
                let list = unknown.map { name in
                    let hint = CSVUserReader.likelyMeant[asciiLowercased(name)].map { " (did you mean '\($0)'?)" } ?? ""
                    return "'\(BulkText.shown(name))'\(hint)"
                }.joined(separator: ", ")
                problems.append(BulkFileProblem(
                    line: headerLine, field: unknown[0],
                    "unknown column\(unknown.count == 1 ? "" : "s") \(list): the columns are \(CSVUserReader.honouredList), and those of a synapse-admin export"))
            }
            return true
        }

        mutating func readRow(line: Int) {
            guard fields.count <= kinds.count else {
                problems.append(BulkFileProblem(
                    line: line,
                    "\(fields.count) fields, but the header names \(kinds.count) columns (a value with a comma needs double quotes)"))
                return
            }
            var row = BulkRow(line: line, user: "")
            var good = true
            // No value of a row with a password is shown: a comma in an unquoted password moves the
            // rest of it into the next columns.
            let hasPassword = passwordColumn.map { $0 < fields.count && !isEmpty(fields[$0]) } ?? false
            if let idColumn, idColumn >= fields.count || isEmpty(fields[idColumn]) {
                problems.append(BulkFileProblem(line: line, field: fieldName(idColumn), "\(columnName(idColumn)): empty"))
                good = false
            }
            for index in fields.indices {
                let field = fields[index]
                switch kinds[index] {
                case .id, .displayName, .password, .userType:
                    guard !isEmpty(field) else { continue }
                    guard let value = text(field) else {
                        problems.append(BulkFileProblem(
                            line: line, field: fieldName(index), "\(columnName(index)): not valid UTF-8"))
                        good = false
                        continue
                    }
                    switch kinds[index] {
                    case .id: row.user = value
                    case .displayName: row.displayName = value
                    case .password: row.password = Secret(value)
                    default: row.userType = value
                    }
                case .admin:
                    if let value = boolean(index, line: line, hasPassword: hasPassword) {
                        row.admin = value
                    } else {
                        good = false
                    }
                case .refusedBoolean(let accepted, _):
                    guard let value = boolean(index, line: line, hasPassword: hasPassword) else {
                        good = false
                        continue
                    }
                    if !isEmpty(field), value != accepted {
                        use(index, line: line)
                        good = false
                    }
                case .refusedText(_, let emptyJSON):
                    guard !isEmpty(field) else { continue }
                    if emptyJSON, withBytes(field, { isEmptyJSON($0) }) { continue }
                    use(index, line: line)
                    good = false
                case .unnamed:
                    guard !isEmpty(field) else { continue }
                    use(index, line: line)
                    good = false
                case .ignoredWithNote:
                    if !isEmpty(field) { use(index, line: line) }
                case .ignored, .unknown:
                    continue
                }
            }
            if good { contents.rows.append(row) }
        }

        mutating func use(_ index: Int, line: Int) {
            if firstUse[index] == nil { firstUse[index] = line }
        }

        /// Field `index` as a boolean, or `nil` after recording the problem.
        mutating func boolean(_ index: Int, line: Int, hasPassword: Bool) -> Bool? {
            let field = fields[index]
            if let value = withBytes(field, { BulkText.boolean($0) }) { return value }
            let shown: String
            if hasPassword {
                shown = "the value"
            } else if let value = text(field) {
                shown = "'\(BulkText.shown(value))'"
            } else {
                shown = "the value (not valid UTF-8)"
            }
            problems.append(BulkFileProblem(
                line: line, field: fieldName(index),
                "\(columnName(index)): \(shown) is not a boolean (use 1/0, true/false, yes/no)"))
            return nil
        }

        /// The rows, every problem by line, and the notes.
        mutating func finish() -> BulkFileContents {
            for (index, line) in firstUse.sorted(by: { $0.key < $1.key }) {
                let name = columnName(index)
                switch kinds[index] {
                case .ignoredWithNote(let reason):
                    contents.notes.append(BulkFileNote(
                        line: line, field: fieldName(index), "\(name) is ignored (first used here): \(reason)"))
                case .refusedBoolean(let accepted, let reason):
                    problems.append(BulkFileProblem(
                        line: line, field: fieldName(index),
                        "\(name) is \(accepted ? "false" : "true") here (and maybe on later lines): \(reason)"))
                case .refusedText(let reason, _):
                    problems.append(BulkFileProblem(
                        line: line, field: fieldName(index),
                        "\(name) has a value here (and maybe on later lines): \(reason)"))
                case .unnamed:
                    problems.append(BulkFileProblem(
                        line: line, "\(name) has no name in the header, but has a value here (and maybe on later lines)"))
                default:
                    break
                }
            }
            contents.notes.sort { $0.line < $1.line }
            contents.problems = problems.enumerated()
                .sorted { $0.element.line != $1.element.line ? $0.element.line < $1.element.line : $0.offset < $1.offset }
                .map(\.element)
            return contents
        }
    }

    /// `[]` or `{}`, with spaces anywhere: what an export writes for an account without any.
    static func isEmptyJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var significant: [UInt8] = []
        for byte in bytes where byte != 0x20 && byte != 0x09 {
            significant.append(byte)
            if significant.count > 2 { return false }
        }
        return significant == [0x5B, 0x5D] || significant == [0x7B, 0x7D]
    }

    /// `text` without ASCII spaces and tabs around it.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(text[first...last])
    }
}

extension CSVUserReader.Reader {
    func trimmed(_ text: String) -> String { CSVUserReader.trimmed(text) }
}
