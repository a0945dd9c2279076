import Foundation
// Placeholder for the readers' types until they land (replaced by BulkFileReader.swift).

/// One account a bulk file asks for, as written in the file (not yet judged).
package struct BulkRow: Sendable, Equatable {
    package var line: Int
    package var user: String
    package var password: Secret?
    package var admin: Bool
    package var displayName: String?
    package var userType: String?

    package init(line: Int, user: String, password: Secret? = nil, admin: Bool = false, displayName: String? = nil,
                 userType: String? = nil) {
        self.line = line
        self.user = user
        self.password = password
        self.admin = admin
        self.displayName = displayName
        self.userType = userType
    }
}

package struct BulkFileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    package var line: Int
    package var field: String?
    package var message: String
    package var description: String { "line \(line): " + (field.map { "column '\($0)': " } ?? "") + message }
}

package enum BulkFormat: Sendable { case csv, jsonLines }

extension BulkFormat {
    package static func detect(explicit: String?, path: String, firstBytes: some Sequence<UInt8>) -> BulkFormat? {
        if explicit == "csv" { return .csv }
        if explicit == "jsonl" { return .jsonLines }
        if path.hasSuffix(".csv") { return .csv }
        if path.hasSuffix(".jsonl") { return .jsonLines }
        return firstBytes.first(where: { $0 != 32 }) == UInt8(ascii: "{") ? .jsonLines : .csv
    }
}

package enum BulkFileReader {
    package static func read(_ bytes: [UInt8], format: BulkFormat) -> (rows: [BulkRow], problems: [BulkFileProblem]) {
        let lines = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false)
        var rows: [BulkRow] = []
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map({ $0.lowercased() }) else { return ([], []) }
        for (number, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func cell(_ name: String) -> String? {
                header.firstIndex(of: name).flatMap { $0 < cells.count && !cells[$0].isEmpty ? cells[$0] : nil }
            }
            rows.append(BulkRow(line: number + 1, user: cell("id") ?? "", password: cell("password").map(Secret.init),
                                admin: cell("admin") == "true", displayName: cell("displayname"), userType: cell("user_type")))
        }
        return (rows, [])
    }
}
