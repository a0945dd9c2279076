import Foundation
import Testing
@testable import Core

extension StrengthTests {
    @Suite struct StrengthDataTests {
        @Test func searchesBesideTheExecutableThenTheSourceTree() {
            let paths = StrengthData.searchPaths(executable: "/opt/tool/bin/register_new_matrix_user", environment: [:])
            #expect(paths.prefix(3) == [
                "/opt/tool/share/register_new_matrix_user/zxcvbn",
                "/opt/tool/bin/zxcvbn",
                "/opt/tool/bin/register_new_matrix_user_Core.resources/zxcvbn",
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

    @Suite struct PasswordReportTests {
        @Test func bcryptLimitCountsNFKCBytesAndPepper() {
            #expect(!PasswordReport.bcryptTruncates(String(repeating: "a", count: 72)))
            #expect(PasswordReport.bcryptTruncates(String(repeating: "a", count: 73)))
            #expect(PasswordReport.bcryptTruncates(String(repeating: "a", count: 70), pepper: "xyz"))
            // "é" is two UTF-8 bytes; the ligature "ﬃ" is three bytes but NFKC makes it "ffi", also three.
            #expect(PasswordReport.bcryptTruncates(String(repeating: "é", count: 37)))
            #expect(!PasswordReport.bcryptTruncates(String(repeating: "ﬃ", count: 24)))
            // "㎒" (3 bytes) becomes "MHz" under NFKC: 3 bytes, but "㍱" (3 bytes) becomes "hPa"... and "ｱ" stays 3.
            #expect(PasswordReport.bcryptTruncates(String(repeating: "½", count: 15)))  // "1⁄2": 5 bytes each
        }

        @Test func combinesStrengthAndPolicy() {
            let policy = PasswordPolicy(enabled: true, minimumLength: 12, requireDigit: true)
            let report = PasswordReport(password: "password1", estimator: estimator, policy: policy)
            #expect(report.policyChecks.map(\.passed) == [false, true])
            #expect(!report.meetsPolicy)
            #expect(!report.meets(minimumScore: 3))
            #expect(report.meets(minimumScore: 0))
        }

        @Test func jsonLineHasTheDocumentedKeys() throws {
            let policy = PasswordPolicy(enabled: true, minimumLength: 8)
            let line = PasswordReport(password: "Tr0ub4dour&3", estimator: estimator, policy: policy).jsonLine
            #expect(!line.contains("\n"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["score"] as? Int == 2)
            #expect(abs((object["guesses_log10"] as? Double ?? 0) - 7.280077) < 1e-6)
            let crack = try #require(object["crack_time"] as? [String: Any])
            #expect(crack["display"] as? String == "32 minutes")
            #expect(object["warning"] is NSNull)
            #expect(object["suggestions"] as? [String] == [
                "Add another word or two. Uncommon words are better.", "Capitalization doesn't help very much.",
            ])
            #expect(object["policy_passed"] as? Bool == true)
            #expect((object["policy"] as? [[String: Any]])?.first?["code"] as? String == "M_PASSWORD_TOO_SHORT")
            #expect(line.hasPrefix(#"{"score":2,"guesses":"#))
        }

        @Test func jsonLineOmitsPolicyWhenNoneIsGiven() {
            let line = PasswordReport(password: "x", estimator: estimator).jsonLine
            #expect(!line.contains("policy"))
            #expect(line.contains(#""bcrypt_truncates":false"#))
        }
    }
}
