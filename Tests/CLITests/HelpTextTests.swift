import Foundation
import Testing
import TestSupport
@testable import register_new_matrix_user

/// `--help` at 80 columns: the stored copy, and the rules that keep it readable whatever flags
/// are added. `SNAPSHOT_RECORD=1` rewrites the copy, after a flag or a wording changed.
@Suite struct HelpTextTests {
    static let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/help/help-80.txt")

    static func help(columns: Int = 80) throws -> String {
        let result = try Command.run(["--help"], environment: ["COLUMNS": String(columns)])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        return result.stdout
    }

    @Test func helpAt80ColumnsIsTheStoredCopy() throws {
        let help = try Self.help()
        if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
            try help.write(to: Self.snapshot, atomically: true, encoding: .utf8)
            return
        }
        let stored = try String(contentsOf: Self.snapshot, encoding: .utf8)
        guard stored != help else { return }
        let want = stored.split(separator: "\n", omittingEmptySubsequences: false)
        let got = help.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(want, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(want.count, got.count)
        Issue.record("""
            --help differs from Tests/Fixtures/help/help-80.txt from line \(first + 1) \
            (run with SNAPSHOT_RECORD=1 to rewrite it):
              stored  \(first < want.count ? String(want[first]) : "<none>")
              printed \(first < got.count ? String(got[first]) : "<none>")
            """)
    }

    /// Lines of running text: everything but the usage lines and the example commands, which
    /// are laid out by hand.
    static func prose(_ help: String) -> [(Int, Substring)] {
        var inUsage = false
        var result: [(Int, Substring)] = []
        for (number, line) in help.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("USAGE:") { inUsage = true }
            if line.isEmpty { inUsage = false }
            if line.hasPrefix("EXAMPLES") { break }
            if !inUsage { result.append((number + 1, line)) }
        }
        return result
    }

    @Test(arguments: [80, 72, 60])
    func everyLineFitsAndNoneIsAStub(columns: Int) throws {
        let help = try Self.help(columns: columns)
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            // At 80 columns everything fits; narrower, the commands laid out by hand may not.
            if columns == 80 { #expect(line.count <= columns, "line \(number + 1) is \(line.count) columns: \(line)") }
            #expect(!line.hasSuffix(" "), "line \(number + 1) ends in a space")
        }
        let prose = Self.prose(help)
        for (number, line) in prose {
            #expect(line.count <= columns, "line \(number) is \(line.count) columns: \(line)")
        }
        for ((number, line), (_, next)) in zip(prose, prose.dropFirst()) {
            // No run of spaces inside the text: only the indent, and the gap before an option's help.
            let body = line.drop { $0 == " " }
            let parts = body.components(separatedBy: "  ").filter { !$0.isEmpty }
            #expect(parts.count <= 2, "a run of spaces on line \(number): \(line)")
            // A line the next one continues was full: the next word would not have fitted.
            let indent = line.prefix { $0 == " " }.count
            let nextIndent = next.prefix { $0 == " " }.count
            // An option too long for the column has its help on the next line, as it should.
            let optionAlone = body.hasPrefix("-") && parts.count == 1
            guard !line.isEmpty, !next.isEmpty, !optionAlone, nextIndent == indent || (indent < 20 && nextIndent == 26),
                  let word = next.split(separator: " ").first,
                  !next.trimmingCharacters(in: .whitespaces).hasPrefix("-"),
                  Int(word) == nil, !line.hasSuffix(":") else { continue }
            // The last column is left free, in the tables too.
            #expect(line.count + 1 + word.count > columns - 1,
                    "line \(number) was broken early (\"\(word)\" fits after it): \(line)")
        }
    }

    @Test func valueNamesAreInOneStyle() throws {
        let help = try Self.help()
        let names = help.matches(of: /<([^>]+)>/).map { String($0.output.1) }
        #expect(!names.isEmpty)
        for name in names {
            #expect(name == name.uppercased() || name == "options", "<\(name)> is not in upper case")
        }
    }

    @Test func helpEndsWithExamplesThatFit() throws {
        let help = try Self.help()
        let examples = try #require(help.range(of: "\nEXAMPLES\n").map { help[$0.upperBound...] })
        #expect(examples.contains("register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml --prompt"))
        let options = try #require(help.range(of: "OPTIONS:"))
        let status = try #require(help.range(of: "\nEXIT STATUS\n"))
        #expect(options.lowerBound < status.lowerBound, "the statuses follow the options, as in a manual")
    }
}
