import Foundation
import Testing
@testable import Zxcvbn

extension StrengthTests {
    @Suite struct StrengthDataTests {
        @Test func searchesBesideTheExecutableThenTheSourceTree() {
            let paths = StrengthData.searchPaths(executable: "/opt/tool/bin/register_new_matrix_user", environment: [:])
            #expect(paths.prefix(2) == [
                "/opt/tool/share/register_new_matrix_user/zxcvbn",
                "/opt/tool/bin/zxcvbn",
            ])
            #expect(paths.last?.hasSuffix("/assets/zxcvbn") == true)
        }

        @Test func environmentOverrideIsTheOnlyPlaceTried() {
            let environment = [StrengthData.environmentVariable: "/nonexistent/zxcvbn"]
            #expect(StrengthData.searchPaths(executable: "/opt/tool/bin/x", environment: environment) == ["/nonexistent/zxcvbn"])
            #expect(throws: StrengthDataError.notFound(searched: ["/nonexistent/zxcvbn"])) {
                try StrengthData.locateAndLoad(environment: environment)
            }
        }

        @Test func missingDataIsAnErrorNotAWeakerModel() throws {
            let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-zxcvbn-\(getpid())").path
            #expect(throws: StrengthDataError.self) { try StrengthData.load(from: empty) }
            let message = StrengthDataError.notFound(searched: ["/a", "/b"]).description
            #expect(message.contains(StrengthData.environmentVariable))
            #expect(message.contains("/a, /b"))
        }

        @Test func damagedDataIsRejected() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bad-zxcvbn-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try Data("zebra\t1\t\t\t\t\t\napple\t2\t\t\t\t\t\n".utf8).write(to: directory.appendingPathComponent("ranked_words.tsv"))
            try Data("# graph qwerty\n".utf8).write(to: directory.appendingPathComponent("adjacency_graphs.tsv"))
            #expect(throws: StrengthDataError.self) { try StrengthData.load(from: directory.path) }
        }

        @Test func loadsTheBundledLists() {
            #expect(estimator.data.words.count == 93_855)
            #expect(estimator.data.graphs.map(\.keyCount) == [94, 94, 15, 16])
        }
    }
}
