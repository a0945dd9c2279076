// The bulk file's rows and problems, and how its format is chosen. Pure Swift: no Foundation.

/// One account a bulk file asks for, as written in the file (not yet judged: the user ID, duplicates,
/// existence and the password are the judging pass's business).
package struct BulkRow: Sendable, Equatable {
    /// The 1-based physical line where the row starts (a CSV row with a quoted line break spans lines).
    package var line: Int
    /// The localpart or full user ID as given (CSV `id` column, JSON Lines `user` key). CSV trims the
    /// ASCII spaces and tabs around an unquoted value; anything inside quotes, and JSON strings, are kept
    /// exactly. Never empty.
    package var user: String
    /// The password; `nil` when absent or empty (a password will be generated).
    package var password: Secret?
    /// Server admin; `false` when absent or empty.
    package var admin: Bool
    /// The display name; `nil` when absent or empty (the localpart will be used, as Synapse does).
    package var displayName: String?
    /// The user type (`bot`, `support`, …); `nil` when absent or empty.
    package var userType: String?

    package init(line: Int, user: String, password: Secret? = nil, admin: Bool = false,
                 displayName: String? = nil, userType: String? = nil) {
        self.line = line
        self.user = user
        self.password = password
        self.admin = admin
        self.displayName = displayName
        self.userType = userType
    }
}

/// Something wrong in a bulk file, with where it is. The message never contains a password, and no
/// value at all from a row that has a password.
package struct BulkFileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based physical line.
    package var line: Int
    /// The column (the CSV header name as written) or the JSON key at fault, if one is.
    package var field: String?
    package var message: String

    package init(line: Int, field: String? = nil, _ message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    /// `line 12: column 'admin': 'maybe' is not a boolean (use 1/0, true/false, yes/no)`; a JSON Lines
    /// problem names the `key` instead of the column.
    package var description: String {
        "line \(line): " + message
    }
}

/// Something a reader noticed that is not a problem: values it was asked to ignore.
package struct BulkFileNote: Sendable, Equatable, CustomStringConvertible {
    package var line: Int
    package var field: String?
    package var message: String

    package init(line: Int, field: String? = nil, _ message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    package var description: String { "line \(line): " + message }
}

/// What a reader found: the rows without a problem of their own, every problem, and notes.
///
/// Use the rows only when `problems` is empty: a problem in the header (an unknown column) or a value
/// the tool cannot honour makes the whole file unusable, and the rows with a problem are left out.
package struct BulkFileContents: Sendable, Equatable {
    package var rows: [BulkRow] = []
    /// Sorted by line.
    package var problems: [BulkFileProblem] = []
    /// Ignored values worth a warning (a synapse-admin export's `avatar_url`), one per column.
    package var notes: [BulkFileNote] = []

    package init(rows: [BulkRow] = [], problems: [BulkFileProblem] = [], notes: [BulkFileNote] = []) {
        self.rows = rows
        self.problems = problems
        self.notes = notes
    }
}

/// The two formats of `--from-file`.
package enum BulkFormat: String, Sendable, Equatable, CaseIterable {
    /// synapse-admin's (Ketesa's) user import and export CSV: a header row, then one account a row.
    case csv
    /// One flat JSON object a line: `user`, `password`, `admin`, `display_name`, `user_type`.
    case jsonLines = "jsonl"

    /// `--format csv|jsonl` when given (`ndjson` also works, any case); else the file name's extension
    /// (`.csv`; `.jsonl`, `.ndjson`); else the first byte that is not a UTF-8 BOM or whitespace: `{`
    /// means JSON Lines, anything else (an empty file too) CSV.
    package static func detect(explicit: String?, path: String, firstBytes: some Sequence<UInt8>)
        throws(BulkFormatError) -> BulkFormat
    {
        if let explicit {
            switch asciiLowercased(explicit) {
            case "csv": return .csv
            case "jsonl", "ndjson", "jsonlines", "json-lines": return .jsonLines
            default: throw BulkFormatError(value: explicit)
            }
        }
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            switch asciiLowercased(String(name[name.index(after: dot)...])) {
            case "csv": return .csv
            case "jsonl", "ndjson": return .jsonLines
            default: break
            }
        }
        var position = 0
        var bomMatched = 0
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        for byte in firstBytes {
            defer { position += 1 }
            if position < 3, bomMatched == position {
                if byte == bom[position] {
                    bomMatched += 1
                    continue
                }
                if position > 0 { return .csv }  // the start of a BOM, then something else
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"): return .jsonLines
            default: return .csv
            }
        }
        return .csv
    }
}

/// An unknown `--format` value.
package struct BulkFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    package var value: String
    package var description: String {
        "unknown format '\(BulkText.shown(value))': use csv or jsonl"
    }
}

/// Reads a whole bulk file.
package enum BulkFileReader {
    /// Reads every row and collects every problem (with its line and field), not just the first.
    /// Never traps, whatever the bytes.
    package static func read(_ bytes: [UInt8], format: BulkFormat) -> BulkFileContents {
        var contents =
            switch format {
            case .csv: CSVUserReader.read(bytes)
            case .jsonLines: JSONLinesUserReader.read(bytes)
            }
        // The rows grew by doubling; a large file's are kept for the whole run, so without the slack.
        if contents.rows.capacity > contents.rows.count + contents.rows.count / 8 {
            contents.rows = contents.rows.withUnsafeBufferPointer { Array($0) }  // a copy of exactly count rows
        }
        return contents
    }
}

/// Small text helpers shared by the readers.
enum BulkText {
    /// A value as a message may show it: control characters escaped, at most 40 characters.
    static func shown(_ value: String) -> String {
        var result = ""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == 40 {
                result += "…"
                break
            }
            count += 1
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `1/0`, `true/false`, `yes/no` in any case; empty is `false`; anything else `nil`.
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch bytes.count {
        case 0: return false
        case 1:
            switch bytes[0] {
            case UInt8(ascii: "1"): return true
            case UInt8(ascii: "0"): return false
            default: return nil
            }
        case 2: return matches(bytes, "no") ? false : nil
        case 3: return matches(bytes, "yes") ? true : nil
        case 4: return matches(bytes, "true") ? true : nil
        case 5: return matches(bytes, "false") ? false : nil
        default: return nil
        }
    }

    /// Whether `bytes` spell the lower-case ASCII `word`, in any case.
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<bytes.count where bytes[i] | 0x20 != w[i] {
            return false
        }
        return true
    }
}

func asciiLowercased(_ string: String) -> String {
    var utf8 = Array(string.utf8)
    for i in utf8.indices where utf8[i] >= UInt8(ascii: "A") && utf8[i] <= UInt8(ascii: "Z") {
        utf8[i] |= 0x20
    }
    return String(decoding: utf8, as: UTF8.self)
}
