import Foundation
import Testing
import TestSupport
@testable import register_new_matrix_user

/// The exit statuses exist once, in ``ExitStatus``; `--help` prints that table and the README
/// copies it. Both must list exactly what the code can return, with the same meaning.
@Suite struct ExitStatusTableTests {
    static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    @Test func helpListsEveryStatus() throws {
        let result = try Command.run(["--help"])
        #expect(result.status == 0)
        let help = result.stdout
        let section = try #require(help.range(of: "EXIT STATUS").map { help[$0.upperBound...] })
        // Each status starts a line; its meaning may wrap onto indented lines below it.
        var listed: [Int32: String] = [:]
        var current: Int32?
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || (!line.hasPrefix("  ") && current != nil) { if current != nil { break } else { continue } }
            let words = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            if let number = Int32(words[0]), words.count == 2, line.hasPrefix("  ") && !line.hasPrefix("       ") {
                current = number
                listed[number] = words[1].trimmingCharacters(in: .whitespaces)
            } else if let current {
                listed[current, default: ""] += " " + trimmed
            }
        }
        #expect(listed == Dictionary(uniqueKeysWithValues: ExitStatus.allCases.map { ($0.rawValue, $0.meaning) }))
    }

    @Test func readmeListsEveryStatus() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let section = try #require(text.range(of: "### Exit status").map { text[$0.upperBound...] })
        var listed: [Int32: String] = [:]
        for line in section.split(separator: "\n").prefix(while: { !$0.hasPrefix("## ") }) {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let number = Int32(cells[0]) else { continue }
            listed[number] = cells[1].replacingOccurrences(of: "`", with: "")
        }
        let expected = ExitStatus.allCases.map { status in
            (status.rawValue, status.meaning.prefix(1).uppercased() + status.meaning.dropFirst() + ".")
        }
        #expect(listed == Dictionary(uniqueKeysWithValues: expected))
    }
}
