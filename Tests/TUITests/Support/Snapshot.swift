import Foundation
import Testing
@testable import TUI

/// Compares a rendered screen with `Snapshots/<name>.txt`; `SNAPSHOT_RECORD=1` rewrites the file.
///
/// The file holds the screen's ``Screen/lines``, one per row, trailing blanks removed, with a
/// `|` after each line so that the right edge of the screen is visible in diffs.
func assertSnapshot(_ screen: Screen, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent("\(name).txt")
    let width = screen.size.columns
    let actual = screen.lines.map { $0 + String(repeating: " ", count: max(width - $0.terminalWidth, 0)) + "|" }
        .joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("No snapshot \(name).txt; run with SNAPSHOT_RECORD=1 to record it.", sourceLocation: sourceLocation)
        return
    }
    guard expected != actual else { return }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var differences: [String] = []
    for row in 0..<max(expectedLines.count, actualLines.count) {
        let want = row < expectedLines.count ? String(expectedLines[row]) : "<none>"
        let got = row < actualLines.count ? String(actualLines[row]) : "<none>"
        if want != got { differences.append("row \(row):\n  expected \(want)\n  actual   \(got)") }
    }
    let report = "Snapshot \(name) differs:\n" + differences.joined(separator: "\n")
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
}
