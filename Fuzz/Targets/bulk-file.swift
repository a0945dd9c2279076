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

/// The file's first record, which a CSV file's messages quote as column names, and for CSV those
/// names. The record is found by the reader's own record reader (``CSVUserReader/Reader``: the
/// first record with something in it, a quoted name spanning lines), so this target checks what
/// messages say about the header, not how the header is split. The names are the fields as text,
/// spaces around trimmed, as messages give them. A JSON Lines file's first record is its first
/// line that is not blank.
func header(_ input: [UInt8], format: BulkFormat) -> (record: ArraySlice<UInt8>, columns: [String]) {
    guard format == .csv else {
        let isLineEnd = { (byte: UInt8) in byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
        var rest = input[...]
        while let end = rest.firstIndex(where: isLineEnd), rest[..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            rest = rest[(end + 1)...]
        }
        return (rest.prefix { !isLineEnd($0) }, [])
    }
    return input.withUnsafeBufferPointer { buffer in
        var reader = CSVUserReader.Reader(buffer)
        var start = reader.position
        while let record = reader.nextRecord() {
            if case .none = record.trouble, reader.allEmpty() {
                start = reader.position
                continue
            }
            let fields = reader.fields
            let columns = fields.map { reader.text($0).map(CSVUserReader.trimmed) ?? "" }
            return (input[start..<reader.position], columns)
        }
        return ([], [])
    }
}
