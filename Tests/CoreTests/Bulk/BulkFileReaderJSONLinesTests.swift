import Testing
@testable import Core

@Suite struct BulkFileReaderJSONLinesTests {
    @Test func goodLines() {
        let file = bulkJSONLines(#"""
            {"user": "alice", "password": "s3cret", "admin": true, "display_name": "Alice", "user_type": "bot"}
            {"user":"@bob:example.org"}
            {"user": "carol", "password": null, "admin": null, "display_name": null, "user_type": null}
            {"user": "dave", "password": "", "admin": false, "display_name": "", "user_type": ""}
              { "display_name" : "Erin" , "user" : "erin" }  
            """#)
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 1, user: "alice", password: Secret("s3cret"), admin: true, displayName: "Alice", userType: "bot"),
            BulkRow(line: 2, user: "@bob:example.org"),
            BulkRow(line: 3, user: "carol"),
            BulkRow(line: 4, user: "dave"),
            BulkRow(line: 5, user: "erin", displayName: "Erin"),
        ])
    }

    @Test func blankLinesCRLFAndABOM() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"user\":\"a\"}\r\n\r\n   \t\n{\"user\":\"b\"}\r\n\n{\"user\":\"c\"}".utf8)
        let file = BulkFileReader.read(bytes, format: .jsonLines)
        #expect(file.problems == [])
        #expect(file.rows.map(\.line) == [1, 4, 6])
        #expect(file.rows.map(\.user) == ["a", "b", "c"])
    }

    @Test func anEmptyFileHasNoRows() {
        #expect(bulkJSONLines("") == BulkFileContents())
        #expect(bulkJSONLines("\n\n \n") == BulkFileContents())
    }

    @Test func escapes() {
        let file = bulkJSONLines(#"""
            {"user": "a\"b\\c\/d", "display_name": "\b\f\n\r\t"}
            {"user": "caf\u00e9", "display_name": "\u00C9t\u00e9 \ud83d\ude00 \u0041"}
            {"user": "x", "password": "p\u0000w", "display_name": "日本語 😀"}
            """#)
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 1, user: "a\"b\\c/d", displayName: "\u{8}\u{C}\n\r\t"),
            BulkRow(line: 2, user: "café", displayName: "Été 😀 A"),
            BulkRow(line: 3, user: "x", password: Secret("p\u{0}w"), displayName: "日本語 😀"),
        ])
    }

    @Test(arguments: [
        (#"{"user": "\ud83d"}"#, "line 1: key 'user': a \\u escape of a high surrogate must be followed by its low surrogate (column 11)"),
        (#"{"user": "\ud83dx"}"#, "line 1: key 'user': a \\u escape of a high surrogate must be followed by its low surrogate (column 11)"),
        (#"{"user": "\ud83d\u0041"}"#, "line 1: key 'user': a \\u escape of a high surrogate must be followed by its low surrogate (column 11)"),
        (#"{"user": "\ude00"}"#, "line 1: key 'user': a \\u escape of a low surrogate without a high one before it (column 11)"),
        (#"{"user": "\u12"}"#, "line 1: key 'user': an incomplete \\u escape (four hex digits) (column 11)"),
        (#"{"user": "\u12g4"}"#, "line 1: key 'user': an incomplete \\u escape (four hex digits) (column 11)"),
        (#"{"user": "\x"}"#, "line 1: key 'user': an unknown escape in a string (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX) (column 11)"),
        (#"{"user": "abc"#, "line 1: key 'user': a string is not closed on its line (column 14)"),
        (#"{"user": "abc\"#, "line 1: key 'user': a string is not closed on its line (column 14)"),
    ])
    func badEscapes(_ line: String, _ message: String) {
        let file = bulkJSONLines(line)
        #expect(problemLines(file.problems) == [message])
        #expect(file.rows == [])
    }

    @Test func aControlCharacterInAStringMustBeEscaped() {
        let file = bulkJSONLines("{\"user\": \"a\u{1}b\"}\n{\"user\": \"a\tb\"}\n")
        #expect(problemLines(file.problems) == [
            "line 1: key 'user': a control character inside a string must be escaped (column 12)",
            "line 2: key 'user': a control character inside a string must be escaped (column 12)",
        ])
    }

    @Test func invalidUTF8() {
        let bytes = Array("{\"user\": \"ok\"}\n{\"user\": \"b".utf8) + [0xC3, 0x28] + Array("\"}\n{\"us".utf8) + [0xFF]
            + Array("er\": \"x\"}\n".utf8)
        let file = BulkFileReader.read(bytes, format: .jsonLines)
        #expect(problemLines(file.problems) == [
            "line 2: key 'user': a string is not valid UTF-8 (column 11)",
            "line 3: a string is not valid UTF-8 (column 3)",
        ])
        #expect(file.rows.map(\.user) == ["ok"])
    }

    @Test func unknownKeysAreNamed() {
        let file = bulkJSONLines(#"""
            {"user": "alice", "email": "a@example.org"}
            {"user": "bob", "displayname": "Bob", "is_admin": true}
            {"id": "carol"}
            """#)
        #expect(problemLines(file.problems) == [
            "line 1: unknown key 'email': the keys are user, password, admin, display_name, user_type",
            "line 2: unknown key 'displayname' (did you mean 'display_name'?): the keys are user, password, admin, display_name, user_type",
            "line 2: unknown key 'is_admin' (did you mean 'admin'?): the keys are user, password, admin, display_name, user_type",
            "line 3: no 'user' key (the localpart or user ID of the account)",
            "line 3: unknown key 'id' (did you mean 'user'?): the keys are user, password, admin, display_name, user_type",
        ])
        #expect(file.problems.map(\.field) == ["email", "displayname", "is_admin", "user", "id"])
        #expect(file.rows == [])
    }

    @Test func aKeyTwice() {
        let file = bulkJSONLines(#"{"user": "alice", "user": "bob"}"#)
        #expect(problemLines(file.problems) == ["line 1: key 'user' appears twice"])
    }

    @Test func aLineWithManyKeys() {
        let keys = (0..<10_000).map { "\"k\($0)\": null" }.joined(separator: ", ")
        let file = bulkJSONLines("{\"user\": \"a\", \(keys), \"k5\": 1, \"user\": \"b\"}")
        #expect(file.problems.count == 10_002)
        #expect(file.problems.suffix(2).map(\.description) == ["line 1: key 'k5' appears twice", "line 1: key 'user' appears twice"])
        #expect(file.rows == [])
    }

    @Test func wrongTypes() {
        let file = bulkJSONLines(#"""
            {"user": "a", "admin": "yes"}
            {"user": "b", "admin": 1}
            {"user": 42}
            {"user": "d", "password": true}
            {"user": "e", "display_name": false, "user_type": -1.5e3}
            {"user": null}
            {"user": ""}
            {}
            """#)
        #expect(problemLines(file.problems) == [
            "line 1: key 'admin': must be true or false, not a string",
            "line 2: key 'admin': must be true or false, not a number",
            "line 3: key 'user': must be a string, not a number",
            "line 4: key 'password': must be a string, not a boolean",
            "line 5: key 'display_name': must be a string, not a boolean",
            "line 5: key 'user_type': must be a string, not a number",
            "line 6: no 'user' key (the localpart or user ID of the account)",
            "line 7: key 'user': empty",
            "line 8: no 'user' key (the localpart or user ID of the account)",
        ])
        #expect(file.rows == [])
    }

    @Test func aPasswordIsNeverShown() {
        let file = bulkJSONLines(#"""
            {"user": "a", "admin": "SECRET-1"}
            {"user": "b", "password": "SECRET-2", "admin": "SECRET-3"}
            {"user": "c", "password": "SECRET-4" "admin": true}
            {"user": "d", "password": "SECRET-5\q"}
            {"SECRET-6"}
            """#)
        #expect(file.problems.count == 5)
        for problem in file.problems {
            #expect(!problem.description.contains("SECRET"), "\(problem)")
        }
    }

    @Test(arguments: [
        (#""alice""#, "line 1: not a JSON object: a line must be one object, {\"user\": …} (column 1)"),
        ("42", "line 1: not a JSON object: a line must be one object, {\"user\": …} (column 1)"),
        ("user,password", "line 1: not a JSON object: a line must be one object, {\"user\": …} (column 1)"),
        (#"[{"user": "a"}]"#, "line 1: not a JSON object but an array: write one object a line (column 1)"),
        (#"{"user": "a"} {"user": "b"}"#, "line 1: text after the object (one object a line) (column 15)"),
        (#"{"user": "a",}"#, "line 1: expected a key in double quotes (column 14)"),
        (#"{"user": "a""#, "line 1: the object is not closed on its line (column 13)"),
        (#"{"user": "a" "admin": true}"#, "line 1: expected ',' or '}' (column 14)"),
        (#"{"user" "a"}"#, "line 1: expected ':' after a key (column 9)"),
        (#"{"user": }"#, "line 1: key 'user': expected a value (a string in double quotes, true, false or null) (column 10)"),
        (#"{"user": tru}"#, "line 1: key 'user': expected a value (a string in double quotes, true, false or null) (column 10)"),
        (#"{"user": nul"#, "line 1: key 'user': expected a value (column 10)"),
        (#"{"user": 'a'}"#, "line 1: key 'user': expected a value (a string in double quotes, true, false or null) (column 10)"),
        (#"{user: "a"}"#, "line 1: expected a key in double quotes (column 2)"),
        (#"{"admin": 01}"#, "line 1: key 'admin': not a valid number (column 11)"),
        (#"{"admin": 1.}"#, "line 1: key 'admin': not a valid number (column 11)"),
        (#"{"admin": -}"#, "line 1: key 'admin': not a valid number (column 11)"),
        (#"{"admin": 1e}"#, "line 1: key 'admin': not a valid number (column 11)"),
        ("{", "line 1: the object is not closed on its line (column 2)"),
        ("{\"user\": \"a\"\n}", "line 1: the object is not closed on its line (column 13)"),
    ])
    func notAnObject(_ text: String, _ message: String) {
        let file = bulkJSONLines(text)
        #expect(problemLines(file.problems).first == message)
        #expect(file.rows == [])
    }

    @Test func nestingIsRefusedAtOnce() {
        let deep = String(repeating: "[", count: 200_000)
        let file = bulkJSONLines("""
            {"user": "a", "display_name": ["A"]}
            {"user": {"name": "b"}}
            {"user": "c", "admin": \(deep)
            \(deep)
            {"user": "e"}
            """)
        #expect(problemLines(file.problems) == [
            "line 1: key 'display_name': nested arrays and objects are not accepted: the values are strings, true/false or null (column 31)",
            "line 2: key 'user': nested arrays and objects are not accepted: the values are strings, true/false or null (column 10)",
            "line 3: key 'admin': nested arrays and objects are not accepted: the values are strings, true/false or null (column 24)",
            "line 4: not a JSON object but an array: write one object a line (column 1)",
        ])
        #expect(file.rows.map(\.user) == ["e"])
    }

    @Test func everyLineWithAProblemIsListed() {
        let file = bulkJSONLines("""
            {"user": "a"}
            not json
            {"user": "b", "admin": "no"}

            {"user": "c"}
            {"user": "d", "colour": "blue", "admin": 0}
            """)
        #expect(problemLines(file.problems) == [
            "line 2: not a JSON object: a line must be one object, {\"user\": …} (column 1)",
            "line 3: key 'admin': must be true or false, not a string",
            "line 6: unknown key 'colour': the keys are user, password, admin, display_name, user_type",
            "line 6: key 'admin': must be true or false, not a number",
        ])
        #expect(file.rows.map(\.user) == ["a", "c"])
        #expect(file.rows.map(\.line) == [1, 5])
    }

    @Test func aHundredThousandLines() {
        var text = ""
        text.reserveCapacity(9_000_000)
        for i in 0..<100_000 {
            text += #"{"user": "user\#(i)", "password": "pw-\#(i)-abcdefghijklmnopqrstuvwxyz", "admin": \#(i % 10 == 0), "display_name": "User \u00e9 \#(i)"}"# + "\n"
        }
        let file = bulkJSONLines(text)
        #expect(file.problems == [])
        #expect(file.rows.count == 100_000)
        #expect(file.rows[99_999] == BulkRow(
            line: 100_000, user: "user99999", password: Secret("pw-99999-abcdefghijklmnopqrstuvwxyz"),
            admin: false, displayName: "User é 99999"))
        #expect(file.rows[50_000].admin)
    }
}

@Suite struct BulkFileReaderFormatTests {
    @Test(arguments: [
        ("csv", BulkFormat.csv), ("CSV", .csv), ("jsonl", .jsonLines), ("JSONL", .jsonLines), ("ndjson", .jsonLines),
    ])
    func explicitFormat(_ value: String, _ format: BulkFormat) throws {
        // The flag wins over the extension and the content.
        #expect(try BulkFormat.detect(explicit: value, path: "users.txt", firstBytes: Array("{".utf8)) == format)
    }

    @Test func anUnknownExplicitFormat() {
        #expect(throws: BulkFormatError(value: "xlsx")) {
            try BulkFormat.detect(explicit: "xlsx", path: "users.csv", firstBytes: [UInt8]())
        }
        #expect(BulkFormatError(value: "x\ny").description == "unknown format 'x\\ny': use csv or jsonl")
    }

    @Test(arguments: [
        ("users.csv", BulkFormat.csv), ("/tmp/USERS.CSV", .csv), ("a.b/users.jsonl", .jsonLines),
        ("users.ndjson", .jsonLines), ("Users.JsonL", .jsonLines),
    ])
    func byExtension(_ path: String, _ format: BulkFormat) throws {
        let opposite = format == .csv ? Array("{\"user\":\"a\"}".utf8) : Array("id\n".utf8)
        #expect(try BulkFormat.detect(explicit: nil, path: path, firstBytes: opposite) == format)
    }

    @Test(arguments: [
        ("{\"user\": \"a\"}", BulkFormat.jsonLines),
        ("\u{FEFF}{\"user\": \"a\"}", .jsonLines),
        ("\n\r\n \t {", .jsonLines),
        ("\u{FEFF}\n  {", .jsonLines),
        ("id,displayname", .csv),
        ("\u{FEFF}id", .csv),
        ("\"id\"", .csv),
        ("", .csv),
        ("   \n", .csv),
        ("[{\"user\": \"a\"}]", .csv),
    ])
    func byContent(_ start: String, _ format: BulkFormat) throws {
        for path in ["users", "users.txt", "-", "/dev/stdin", ".jsonl", "dir.csv/users"] {
            #expect(try BulkFormat.detect(explicit: nil, path: path, firstBytes: Array(start.utf8)) == format, "\(path)")
        }
    }

    @Test func aLoneBOMByteIsNotSkipped() throws {
        // Only the whole three-byte BOM is; 0xEF alone is a CSV byte.
        #expect(try BulkFormat.detect(explicit: nil, path: "-", firstBytes: [0xEF, 0x7B]) == .csv)
        #expect(try BulkFormat.detect(explicit: nil, path: "-", firstBytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x7B]) == .csv)
    }
}

@Suite struct BulkFileReaderRobustnessTests {
    /// A small deterministic generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Bytes biased towards the ones that matter to the parsers.
    static func noise(_ count: Int, _ generator: inout SplitMix) -> [UInt8] {
        let interesting: [UInt8] = Array("\",\r\n{}[]:\\u\"0123456789abcdefntrul-+.eE ".utf8) + [0x00, 0x80, 0xBF, 0xC3, 0xED, 0xEF, 0xF0, 0xFF]
        return (0..<count).map { _ in
            Bool.random(using: &generator) ? interesting.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
        }
    }

    @Test func anyBytesAreReadWithoutATrap() {
        var generator = SplitMix(state: 20_261_202)
        let prefixes: [[UInt8]] = [
            [], Array("id,password,admin,displayname,user_type,deactivated,threepids,avatar_url,\n".utf8),
            Array("{\"user\": \"".utf8), [0xEF, 0xBB, 0xBF],
        ]
        for round in 0..<3_000 {
            let bytes = prefixes[round % prefixes.count] + Self.noise(Int.random(in: 0...300, using: &generator), &generator)
            for format in BulkFormat.allCases {
                let file = BulkFileReader.read(bytes, format: format)
                for problem in file.problems { #expect(problem.line >= 1) }
                for row in file.rows { #expect(row.line >= 1 && !row.user.isEmpty) }
                _ = try? BulkFormat.detect(explicit: nil, path: "-", firstBytes: bytes)
            }
        }
    }

    @Test func truncatedValidFilesAreReadWithoutATrap() {
        let csv = Array(BulkFileReaderCSVTests.export.utf8)
        let jsonl = Array(#"{"user": "a\u00e9\ud83d\ude00", "admin": true, "password": "x\"y", "display_name": null, "user_type": -1.5e+3}"#.utf8)
        for cut in 0...csv.count {
            _ = BulkFileReader.read(Array(csv[..<cut]), format: .csv)
            _ = BulkFileReader.read(Array(csv[..<cut]), format: .jsonLines)
        }
        for cut in 1...jsonl.count {
            let file = BulkFileReader.read(Array(jsonl[..<cut]), format: .jsonLines)
            #expect(file.rows.isEmpty)
            #expect(file.problems.count == 1)
        }
    }
}
