// libFuzzer target: the bytes of a --from-file, read as CSV and as JSON Lines.
@testable import Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: bytes, count: count))
    let lines = 1 + input.count { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    for format in [BulkFormat.csv, .jsonLines] {
        let contents = BulkFileReader.read(input, format: format)
        // Rows come in the file's order, each on a line the file has.
        let rowLines = contents.rows.map(\.line)
        invariant(rowLines == rowLines.sorted() && Set(rowLines).count == rowLines.count, "rows out of order")
        invariant(rowLines.allSatisfy { (1...lines).contains($0) }, "a row on a line the file lacks")
        invariant(contents.problems.map(\.line) == contents.problems.map(\.line).sorted(), "problems out of order")
        // No message shows a password the file gives: one long enough not to be a common word, and
        // not also a column name or key (which messages quote) or written in the header record.
        // A CSV column name is taken out of a message where the message quotes it ('name'), so a
        // password that is a column name and the quote after it is not taken for a leak.
        let (record, columns) = header(input, format: format)
        let vocabulary = String(decoding: record, as: UTF8.self)
            + " id displayname password admin user_type display_name user synapse-admin export"
        let passwords = contents.rows.compactMap { $0.password?.revealed }
            .filter { $0.count >= 8 && !vocabulary.contains($0) && !columns.contains($0) }
        for message in contents.problems.map(\.description) + contents.notes.map(\.description) {
            let text = columns.reduce(message) { text, name in text.replacing("'\(BulkText.shown(name))'", with: " | ") }
            invariant(!passwords.contains { text.contains($0) }, "a message shows a password")
        }
    }
    return 0
}

/// The file's first record, which a CSV file's messages quote as column names: the first record
/// with a field that is not empty (the reader trims spaces and tabs, and skips blank records), up
/// to the first line end outside a quoted field, since a quoted column name may span lines. A quote
/// opens a field only at its start; inside, `""` is a quote. A JSON Lines file's first record is
/// its first line that is not blank. For CSV also the record's column names, as the reader reads
/// them: quotes undone, spaces around trimmed.
func header(_ input: [UInt8], format: BulkFormat) -> (record: ArraySlice<UInt8>, columns: [String]) {
    let isLineEnd = { (byte: UInt8) in byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
    let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
    guard format == .csv else {
        var rest = input[...]
        while let end = rest.firstIndex(where: isLineEnd), rest[..<end].allSatisfy(isSpace) {
            rest = rest[(end + 1)...]
        }
        return (rest.prefix { !isLineEnd($0) }, [])
    }
    var position = 0
    while position < input.count {
        let recordStart = position
        var hasValue = false
        var columns: [String] = []
        record: while true {
            while position < input.count, isSpace(input[position]) { position += 1 }
            var quoted: String?
            if position < input.count, input[position] == UInt8(ascii: "\"") {
                position += 1
                let valueStart = position
                while position < input.count {
                    if input[position] == UInt8(ascii: "\"") {
                        if position + 1 < input.count, input[position + 1] == UInt8(ascii: "\"") {
                            position += 2
                            continue
                        }
                        break
                    }
                    position += 1
                }
                if position > valueStart { hasValue = true }
                let value = String(decoding: input[valueStart..<position], as: UTF8.self).replacing("\"\"", with: "\"")
                if position >= input.count {  // never closed: the rest of the file is in it
                    columns.append(value)
                    break record
                }
                quoted = value
                position += 1
            }
            let unquotedStart = position
            while position < input.count, input[position] != UInt8(ascii: ","), !isLineEnd(input[position]) {
                position += 1
            }
            let unquoted = input[unquotedStart..<min(position, input.count)]
            if unquoted.contains(where: { !isSpace($0) }) { hasValue = true }
            let trimmed = unquoted.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
            columns.append(quoted ?? String(decoding: Array(trimmed), as: UTF8.self))
            if position >= input.count { break record }
            if input[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            break record
        }
        let recordEnd = min(position, input.count)
        if hasValue { return (input[recordStart..<recordEnd], columns) }
        if position < input.count, input[position] == 0x0D, position + 1 < input.count, input[position + 1] == 0x0A {
            position += 1
        }
        position += 1
    }
    return ([], [])
}
