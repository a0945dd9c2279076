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
        let header = String(decoding: headerRecord(input, format: format), as: UTF8.self)
        let vocabulary = header + " id displayname password admin user_type display_name user synapse-admin export"
        let passwords = contents.rows.compactMap { $0.password?.revealed }
            .filter { $0.count >= 8 && !vocabulary.contains($0) }
        for text in contents.problems.map(\.description) + contents.notes.map(\.description) {
            invariant(!passwords.contains { text.contains($0) }, "a message shows a password")
        }
    }
    return 0
}

/// The file's first record, which a CSV file's messages quote as column names: after any blank
/// lines, up to the first line ending outside double quotes, since a quoted column name may span
/// lines. A JSON Lines file's first record is its first line.
func headerRecord(_ input: [UInt8], format: BulkFormat) -> ArraySlice<UInt8> {
    let isLineEnd = { (byte: UInt8) in byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
    let record = input.drop(while: isLineEnd)
    var quoted = false
    for index in record.indices {
        if record[index] == UInt8(ascii: "\"") && format == .csv { quoted.toggle() }
        if !quoted && isLineEnd(record[index]) { return record[..<index] }
    }
    return record
}
