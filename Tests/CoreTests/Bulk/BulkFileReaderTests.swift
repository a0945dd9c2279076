import Testing
@testable import Core

/// The reading of a bulk file as bytes.
func bulkCSV(_ text: String) -> BulkFileContents {
    BulkFileReader.read(Array(text.utf8), format: .csv)
}

func bulkJSONLines(_ text: String) -> BulkFileContents {
    BulkFileReader.read(Array(text.utf8), format: .jsonLines)
}

/// Problems as their one-line descriptions, which is what a user sees.
func problemLines(_ problems: [BulkFileProblem]) -> [String] { problems.map(\.description) }

@Suite struct BulkFileReaderCSVTests {
    @Test func honouredColumns() {
        let file = bulkCSV("""
            id,displayname,password,admin,user_type
            alice,Alice Liddell,s3cret-pw,true,
            @bob:example.org,,,0,bot
            carol,Carol,,,

            """)
        #expect(file.problems == [])
        #expect(file.notes == [])
        #expect(file.rows == [
            BulkRow(line: 2, user: "alice", password: Secret("s3cret-pw"), admin: true, displayName: "Alice Liddell"),
            BulkRow(line: 3, user: "@bob:example.org", admin: false, userType: "bot"),
            BulkRow(line: 4, user: "carol", displayName: "Carol"),
        ])
    }

    @Test func headerNamesAreTrimmedAndComparedInAnyCase() {
        let file = bulkCSV(" ID ,DisplayName,\tPASSWORD ,Admin,User_Type\nalice,A,pw,YES,support\n")
        #expect(file.problems == [])
        #expect(file.rows == [BulkRow(line: 2, user: "alice", password: Secret("pw"), admin: true, displayName: "A", userType: "support")])
    }

    @Test func onlyIDIsRequired() {
        let file = bulkCSV("id\nalice\nbob")
        #expect(file.problems == [])
        #expect(file.rows.map(\.user) == ["alice", "bob"])
        #expect(file.rows.allSatisfy { $0.password == nil && !$0.admin && $0.displayName == nil && $0.userType == nil })
    }

    @Test func columnOrderIsFree() {
        let file = bulkCSV("admin,displayname,id\n1,Dee,dee\n")
        #expect(file.rows == [BulkRow(line: 2, user: "dee", admin: true, displayName: "Dee")])
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() {
        let file = bulkCSV("""
            id,displayname,password
            alice,"Liddell, Alice","pa,ss ""quoted""\"
            "bob","Bob
            the Builder",
            carol,"two\r\nlines",""
            dave,x,y
            """)
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 2, user: "alice", password: Secret("pa,ss \"quoted\""), displayName: "Liddell, Alice"),
            BulkRow(line: 3, user: "bob", displayName: "Bob\nthe Builder"),
            BulkRow(line: 5, user: "carol", displayName: "two\r\nlines"),
            BulkRow(line: 7, user: "dave", password: Secret("y"), displayName: "x"),
        ])
    }

    @Test func rowsSpanningLinesKeepPhysicalLineNumbers() {
        let file = bulkCSV("id,displayname\n\"a\",\"1\n2\n3\"\nb,\"x\r\ny\"\r\nc,z\n,bad\n")
        #expect(file.rows.map(\.line) == [2, 5, 7])
        #expect(problemLines(file.problems) == ["line 8: column 'id': empty"])
    }

    @Test func quotedValuesKeepTheirSpacesUnquotedLoseThem() {
        let file = bulkCSV("id,password,displayname\n  alice  ,\"  pw  \",\t Alice \t\n bob , pw2 , \" B \" \n")
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 2, user: "alice", password: Secret("  pw  "), displayName: "Alice"),
            BulkRow(line: 3, user: "bob", password: Secret("pw2"), displayName: " B "),
        ])
    }

    @Test func aQuoteInsideAnUnquotedValueIsKept() {
        let file = bulkCSV("id,displayname\nalice,The 6\" ruler\n")
        #expect(file.problems == [])
        #expect(file.rows.first?.displayName == "The 6\" ruler")
    }

    @Test func byteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,displayname\nalice,Älice\n".utf8)
        let file = BulkFileReader.read(bytes, format: .csv)
        #expect(file.problems == [])
        #expect(file.rows == [BulkRow(line: 2, user: "alice", displayName: "Älice")])
    }

    @Test(arguments: [
        "id,displayname\r\nalice,A\r\nbob,B\r\n",
        "id,displayname\r\nalice,A\r\nbob,B",
        "id,displayname\nalice,A\nbob,B",
        "id,displayname\nalice,A\r\nbob,B\n",
        "\"id\",\"displayname\"\r\n\"alice\",\"A\"\r\n\"bob\",\"B\"\r\n",
        "\"id\",\"displayname\"\r\n\"alice\",\"A\"\r\n\"bob\",\"B\"",
        "id,displayname\ralice,A\rbob,B\r",
        "\"id\",\"displayname\"\r\"alice\",\"A\" \rbob,\"B\"",
    ])
    func lineEndings(_ text: String) {
        let file = bulkCSV(text)
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 2, user: "alice", displayName: "A"),
            BulkRow(line: 3, user: "bob", displayName: "B"),
        ])
    }

    @Test func aLoneCRInAQuotedValueIsALineBreak() {
        let file = bulkCSV("id,displayname\r\"alice\",\"A\rB\"\rbob,\"x\r\ny\"\rcarol\r")
        #expect(file.problems == [])
        #expect(file.rows.map(\.line) == [2, 4, 6])
        #expect(file.rows.map(\.displayName) == ["A\rB", "x\r\ny", nil])
    }

    @Test func emptyLinesAndEmptyRowsAreSkipped() {
        let file = bulkCSV("\n\n  \nid,displayname,admin\n\nalice,A,\n   \n,,\n\r\n\"\",\"\",\nbob,B,\n\n\n")
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 6, user: "alice", displayName: "A"),
            BulkRow(line: 11, user: "bob", displayName: "B"),
        ])
    }

    @Test func fewerFieldsThanTheHeaderLeaveTheRestEmpty() {
        let file = bulkCSV("id,displayname,password,admin\nalice\nbob,Bob\ncarol,Carol,pw\n")
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 2, user: "alice"),
            BulkRow(line: 3, user: "bob", displayName: "Bob"),
            BulkRow(line: 4, user: "carol", password: Secret("pw"), displayName: "Carol"),
        ])
    }

    @Test func moreFieldsThanTheHeaderIsAProblem() {
        let file = bulkCSV("id,password,admin\nalice,pa,ss,true\nbob,pw,false\n")
        #expect(problemLines(file.problems) == [
            "line 2: 4 fields, but the header names 3 columns (a value with a comma needs double quotes)",
        ])
        #expect(file.rows.map(\.user) == ["bob"])
        #expect(!file.problems[0].description.contains("pa"))
    }

    @Test func emptyID() {
        let file = bulkCSV("displayname,ID\nAlice,\nBob,\"\"\nCarol\n")
        #expect(problemLines(file.problems) == [
            "line 2: column 'ID': empty",
            "line 3: column 'ID': empty",
            "line 4: column 'ID': empty",
        ])
        #expect(file.problems.allSatisfy { $0.field == "ID" })
        #expect(file.rows == [])
    }

    @Test func anIDIsNotJudgedHere() {
        // Control characters, spaces inside, upper case: the user-ID rules' business.
        let file = bulkCSV("id\n\"a\u{0}b\"\nA B\n\"x\ny\"\n")
        #expect(file.problems == [])
        #expect(file.rows.map(\.user) == ["a\u{0}b", "A B", "x\ny"])
    }

    // MARK: Booleans

    @Test(arguments: [
        ("1", true), ("0", false), ("true", true), ("false", false), ("TRUE", true), ("False", false),
        ("yes", true), ("no", false), ("YES", true), ("No", false), ("", false), (" true ", true),
        ("\"true\"", true), ("\"\"", false),
    ])
    func booleans(_ text: String, _ value: Bool) {
        let file = bulkCSV("id,admin\nalice,\(text)\n")
        #expect(file.problems == [])
        #expect(file.rows.first?.admin == value)
    }

    @Test func aBadBooleanNamesLineColumnAndValue() {
        let file = bulkCSV("id,Admin\nalice,1\nbob,maybe\ncarol,2\ndave,\"yes please\"\n")
        #expect(problemLines(file.problems) == [
            "line 3: column 'Admin': 'maybe' is not a boolean (use 1/0, true/false, yes/no)",
            "line 4: column 'Admin': '2' is not a boolean (use 1/0, true/false, yes/no)",
            "line 5: column 'Admin': 'yes please' is not a boolean (use 1/0, true/false, yes/no)",
        ])
        #expect(file.problems.allSatisfy { $0.field == "Admin" })
        #expect(file.rows.map(\.user) == ["alice"])
    }

    @Test func aBadBooleanInARowWithAPasswordIsNotShown() {
        // An unquoted comma in the password moves its end into the admin column.
        let file = bulkCSV("id,password,admin\nalice,hunter,2secret\n")
        #expect(problemLines(file.problems) == [
            "line 2: column 'admin': the value is not a boolean (use 1/0, true/false, yes/no)",
        ])
    }

    @Test func controlCharactersInAShownValueAreEscaped() {
        let file = bulkCSV("id,admin\nalice,\"ma\nybe\u{1B}\"\n")
        #expect(problemLines(file.problems) == [
            "line 2: column 'admin': 'ma\\nybe\\u{1b}' is not a boolean (use 1/0, true/false, yes/no)",
        ])
    }

    // MARK: Columns

    @Test func unknownColumnsAreOneProblemOnTheHeaderLine() {
        let file = bulkCSV("\nid,email,displayname,Phone\nalice,a@example.org,A,123\n")
        #expect(problemLines(file.problems) == [
            "line 2: unknown columns 'email', 'Phone': the columns are id, displayname, password, admin, user_type, and those of a synapse-admin export",
        ])
        #expect(file.problems.first?.field == "email")
    }

    @Test func oneUnknownColumn() {
        let file = bulkCSV("id,mail\nalice,a@example.org\n")
        #expect(problemLines(file.problems) == [
            "line 1: unknown column 'mail': the columns are id, displayname, password, admin, user_type, and those of a synapse-admin export",
        ])
    }

    @Test func unknownColumnsThatLookLikeKnownOnes() {
        let file = bulkCSV("id,Display_Name,type\nalice,A,bot\n")
        #expect(problemLines(file.problems) == [
            "line 1: unknown columns 'Display_Name' (did you mean 'displayname'?), 'type' (did you mean 'user_type'?): the columns are id, displayname, password, admin, user_type, and those of a synapse-admin export",
        ])
    }

    @Test func withoutAnIDColumnNoNameIsShown() {
        // A file without its header: the first row would be taken for names, a password among them.
        let file = bulkCSV("alice,hunter2,hunter2,true\nbob,pw,pw,false\n")
        #expect(problemLines(file.problems) == [
            "line 1: no 'id' column: the first row must name the columns (id, displayname, password, admin, user_type)",
        ])
        #expect(file.rows == [])
    }

    @Test func aRepeatedColumn() {
        let file = bulkCSV("id,admin,Admin\nalice,1,0\n")
        #expect(problemLines(file.problems) == [
            "line 1: column 'Admin' appears twice in the header (columns 2 and 3)",
        ])
        let unknown = bulkCSV("id,foo,FOO\nalice,1,2\n")
        #expect(problemLines(unknown.problems) == [
            "line 1: column 'FOO' appears twice in the header (columns 2 and 3)",
            "line 1: unknown column 'foo': the columns are id, displayname, password, admin, user_type, and those of a synapse-admin export",
        ])
    }

    @Test(arguments: ["", "\n\n", "\u{FEFF}", "  \r\n ,, \n"])
    func aFileWithoutAHeader(_ text: String) {
        let file = bulkCSV(text)
        #expect(problemLines(file.problems) == [
            "line 1: the file has no header row: the first row must name the columns (id, displayname, password, admin, user_type)",
        ])
    }

    @Test func aHeaderAloneHasNoRows() {
        let file = bulkCSV("id,displayname\n")
        #expect(file.problems == [])
        #expect(file.rows == [])
    }

    @Test func columnsThatCannotBeHonouredAreAcceptedWhileUnused() {
        let file = bulkCSV("""
            id,is_guest,deactivated,shadow_banned,locked,suspended,erased,approved,is_admin,threepids,external_ids,appservice_id,consent_version,consent_ts,consent_server_notice_sent
            alice,false,0,no,FALSE,,false,true,false,[],{},,,,
            bob,,,,,,,,,,,,,,
            carol,0,false,0,0,0,0,1,0, [ ] ,[],,,,
            """)
        #expect(file.problems == [])
        #expect(file.rows.map(\.user) == ["alice", "bob", "carol"])
    }

    @Test func aColumnThatCannotBeHonouredIsOneProblemAtItsFirstUse() {
        let file = bulkCSV("""
            id,deactivated,threepids,approved,is_guest,appservice_id
            alice,false,[],true,,
            bob,true,,,,
            carol,false,"email:carol@example.org",,,
            dave,1,"[{""medium"": ""email""}]",false,,
            erin,,,no,true,bridge
            frank,,,,,
            """)
        #expect(problemLines(file.problems) == [
            "line 3: column 'deactivated' is true here (and maybe on later lines): this tool cannot create deactivated accounts; leave those rows out",
            "line 4: column 'threepids' has a value here (and maybe on later lines): this tool cannot add email addresses or phone numbers; remove the column to create the accounts without them",
            "line 5: column 'approved' is false here (and maybe on later lines): this tool creates approved accounts only; leave those rows out",
            "line 6: column 'is_guest' is true here (and maybe on later lines): this tool cannot create guest accounts; leave those rows out",
            "line 6: column 'appservice_id' has a value here (and maybe on later lines): this tool cannot create application service users; leave those rows out",
        ])
        #expect(file.problems.map(\.field) == ["deactivated", "threepids", "approved", "is_guest", "appservice_id"])
        #expect(file.rows.map(\.user) == ["alice", "frank"])
    }

    @Test func aBadBooleanInAColumnThatCannotBeHonoured() {
        let file = bulkCSV("id,deactivated\nalice,perhaps\n")
        #expect(problemLines(file.problems) == [
            "line 2: column 'deactivated': 'perhaps' is not a boolean (use 1/0, true/false, yes/no)",
        ])
    }

    @Test func isAdminPointsToAdmin() {
        let file = bulkCSV("id,is_admin\nalice,true\n")
        #expect(problemLines(file.problems) == [
            "line 2: column 'is_admin' is true here (and maybe on later lines): synapse-admin ignores 'is_admin': use the 'admin' column, and leave this one empty or false",
        ])
    }

    @Test func informationalColumnsAreIgnored() {
        let file = bulkCSV("""
            id,name,creation_ts,creation_ts_ms,last_seen_ts,avatar_src
            @alice:example.org,@alice:example.org,1700000000000,1700000000000000,1732919539393,https://example.org/thumb
            bob,anything at all,not a number,,,
            """)
        #expect(file.problems == [])
        #expect(file.notes == [])
        #expect(file.rows.map(\.user) == ["@alice:example.org", "bob"])
    }

    @Test func avatarURLsAreIgnoredWithOneNote() {
        let file = bulkCSV("id,avatar_url\nalice,\nbob,mxc://example.org/abc\ncarol,mxc://example.org/def\n")
        #expect(file.problems == [])
        #expect(file.rows.map(\.user) == ["alice", "bob", "carol"])
        #expect(file.notes.map(\.description) == [
            "line 3: column 'avatar_url' is ignored (first used here): this tool does not set avatars",
        ])
        #expect(file.notes.first?.field == "avatar_url")
    }

    @Test func anUnnamedColumnIsAcceptedWhileEmpty() {
        // Spreadsheets add an empty column at the end.
        let good = bulkCSV("id,displayname,\nalice,A,\nbob,B\n")
        #expect(good.problems == [])
        #expect(good.rows.map(\.user) == ["alice", "bob"])

        let bad = bulkCSV("id,,displayname\nalice,,A\nbob,x,B\ncarol,y,C\n")
        #expect(problemLines(bad.problems) == [
            "line 3: column 2 has no name in the header, but has a value here (and maybe on later lines)",
        ])
        #expect(bad.problems.first?.field == nil)
        #expect(bad.rows.map(\.user) == ["alice"])
    }

    // MARK: Broken files

    @Test func anUnterminatedQuoteIsAProblemWhereTheFieldStarts() {
        let file = bulkCSV("id,displayname\nalice,A\nbob,\"Bob\ncarol,C\ndave,D\n")
        #expect(problemLines(file.problems) == [
            "line 3: column 'displayname': a quoted value starts here and is never closed",
        ])
        #expect(file.problems.first?.field == "displayname")
        #expect(file.rows.map(\.user) == ["alice"])
    }

    @Test func anUnterminatedQuoteOnALaterLineOfARow() {
        let file = bulkCSV("id,displayname,password\n\"alice\",\"A\nB\",\"pw\n")
        #expect(problemLines(file.problems) == [
            "line 3: column 'password': a quoted value starts here and is never closed",
        ])
    }

    @Test func anUnterminatedQuoteInTheHeader() {
        let file = bulkCSV("id,\"displayname\nalice,A\n")
        #expect(problemLines(file.problems) == ["line 1: the header has a quote that is never closed"])
    }

    @Test func textAfterAClosingQuote() {
        let file = bulkCSV("id,displayname\nalice,\"A\"x\nbob,\"B\" \r\ncarol,C\n")
        #expect(problemLines(file.problems) == [
            "line 2: column 'displayname': text after the closing quote (a quote inside a quoted value is written twice: \"\")",
        ])
        #expect(file.rows.map(\.user) == ["bob", "carol"])
        #expect(file.rows.first?.displayName == "B")
    }

    @Test func invalidUTF8IsAProblemWithItsLineAndColumn() {
        var bytes = Array("id,displayname,password\nalice,A,pw\nbob,".utf8)
        bytes += [0x42, 0xC3, 0x28]  // "B", then a broken two-byte sequence
        bytes += Array(",pw\n\"carol\",\"C\",\"".utf8) + [0xFF] + Array("\"\ndave,D,\n".utf8)
        let file = BulkFileReader.read(bytes, format: .csv)
        #expect(problemLines(file.problems) == [
            "line 3: column 'displayname': not valid UTF-8",
            "line 4: column 'password': not valid UTF-8",
        ])
        #expect(file.rows.map(\.user) == ["alice", "dave"])
    }

    @Test func invalidUTF8InTheHeader() {
        let bytes = Array("id,".utf8) + [0x80] + Array("\nalice,A\n".utf8)
        let file = BulkFileReader.read(bytes, format: .csv)
        #expect(problemLines(file.problems) == ["line 1: the header is not valid UTF-8"])
    }

    @Test func everyProblemIsListedInLineOrder() {
        let file = bulkCSV("""
            id,displayname,admin,deactivated,password
            alice,A,true,,
            ,B,,,
            carol,C,perhaps,,
            dave,D,,true,
            erin,"E
            continues",nope,,
            frank,F,,,pw,extra
            gina,G,,true,
            hank,"H,,,
            """)
        #expect(problemLines(file.problems) == [
            "line 3: column 'id': empty",
            "line 4: column 'admin': 'perhaps' is not a boolean (use 1/0, true/false, yes/no)",
            "line 5: column 'deactivated' is true here (and maybe on later lines): this tool cannot create deactivated accounts; leave those rows out",
            "line 6: column 'admin': 'nope' is not a boolean (use 1/0, true/false, yes/no)",
            "line 8: 6 fields, but the header names 5 columns (a value with a comma needs double quotes)",
            "line 10: column 'displayname': a quoted value starts here and is never closed",
        ])
        #expect(file.rows.map(\.user) == ["alice"])
    }

    @Test func passwordsNeverAppearInProblems() {
        let secret = "Zq9-SECRET-pw"
        let files = [
            "id,password,admin\nalice,\(secret),maybe\n",
            "id,password,admin\nalice,\(secret),extra,field\n",
            "id,password,admin\nalice,Zq9,-SECRET-pw\n",
            "alice,\(secret)\n",
            "id,password,admin\n,\(secret),\n",
            "id,password,admin\nalice,\"\(secret)\n",
            "id,password,admin\nalice,\"\(secret)\"x,1\n",
            "id,password,deactivated,threepids\nalice,\(secret),true,\(secret)\n",
        ]
        for text in files {
            let file = bulkCSV(text)
            #expect(!file.problems.isEmpty, "\(text)")
            for problem in file.problems {
                #expect(!problem.description.contains("SECRET"), "\(problem)")
            }
        }
    }

    // MARK: A synapse-admin export

    /// A user list exported by synapse-admin (Ketesa): react-admin's exporter writes every field of the
    /// admin API's user list as mapped by its data provider, in the order the fields first appear, with
    /// booleans as true/false, a missing value empty, quotes only where a value needs them, LF line ends.
    static let export = """
        name,user_type,is_guest,admin,deactivated,shadow_banned,displayname,avatar_url,creation_ts,approved,erased,last_seen_ts,locked,suspended,id,avatar_src,creation_ts_ms
        @admin:example.org,,false,true,false,false,Server Admin,mxc://example.org/AbCdEfGhIjKlMnOp,1700000000000,true,false,1732919539393,false,false,@admin:example.org,mxc://example.org/AbCdEfGhIjKlMnOp,1700000000000000
        @alice:example.org,,false,false,false,false,"Liddell, Alice",,1700000100000,true,false,,false,false,@alice:example.org,,1700000100000000
        @bot:example.org,bot,false,false,false,false,Build Bot,,1700000200000,true,false,1732919000000,false,false,@bot:example.org,,1700000200000000
        @nobody:example.org,,false,false,false,false,,,1700000300000,true,false,,false,false,@nobody:example.org,,1700000300000000

        """

    @Test func aSynapseAdminExportReadsAsIs() {
        let file = bulkCSV(Self.export)
        #expect(file.problems == [])
        #expect(file.rows == [
            BulkRow(line: 2, user: "@admin:example.org", admin: true, displayName: "Server Admin"),
            BulkRow(line: 3, user: "@alice:example.org", displayName: "Liddell, Alice"),
            BulkRow(line: 4, user: "@bot:example.org", displayName: "Build Bot", userType: "bot"),
            BulkRow(line: 5, user: "@nobody:example.org"),
        ])
        #expect(file.notes.map(\.description) == [
            "line 2: column 'avatar_url' is ignored (first used here): this tool does not set avatars",
        ])
    }

    @Test func anOlderSynapseAdminExportReadsAsIs() {
        // Awesome-Technologies' synapse-admin before the API had approved, locked, suspended:
        // shadow_banned as the API's 0/1, the avatar as a thumbnail URL.
        let file = bulkCSV("""
            name,is_guest,admin,user_type,deactivated,shadow_banned,displayname,avatar_url,creation_ts,id,avatar_src,creation_ts_ms
            @alice:example.org,false,false,,false,0,Alice,,1560432668000,@alice:example.org,,1560432668000000
            @bob:example.org,false,true,,false,0,Bob,,1560432669000,@bob:example.org,,1560432669000000
            """)
        #expect(file.problems == [])
        #expect(file.rows.map(\.user) == ["@alice:example.org", "@bob:example.org"])
        #expect(file.rows.map(\.admin) == [false, true])
    }

    @Test func synapseAdminsExampleFileReadsAsIs() {
        // The example.csv that synapse-admin's import page links to.
        let file = bulkCSV("""
            id,displayname,password,is_guest,admin,deactivated
            @testuser22:example.org,Jane Doe,secretpassword,false,true,false
            ,John Doe,,false,false,false

            """)
        #expect(file.rows == [
            BulkRow(line: 2, user: "@testuser22:example.org", password: Secret("secretpassword"), admin: true, displayName: "Jane Doe"),
        ])
        // synapse-admin makes up an ID for a row without one; this tool does not.
        #expect(problemLines(file.problems) == ["line 3: column 'id': empty"])
    }

    @Test func anExportWithADeactivatedOrGuestAccountIsRefused() {
        let text = Self.export.replacingFirst(
            "@nobody:example.org,,false,false,false,false", with: "@nobody:example.org,,true,false,true,false")
        let file = bulkCSV(text)
        #expect(file.problems.map(\.field) == ["is_guest", "deactivated"])
        #expect(file.problems.allSatisfy { $0.line == 5 })
        #expect(file.rows.count == 3)
    }

    // MARK: Size

    @Test func aHundredThousandRows() {
        var text = "id,displayname,password,admin,user_type\n"
        text.reserveCapacity(8_000_000)
        for i in 0..<100_000 {
            text += "user\(i),\"User \(i), the \(i % 7)th\",pw-\(i)-abcdefghijklmnopqrstuvwxyz-0123456789,\(i % 10 == 0 ? "true" : "false"),\(i % 3 == 0 ? "bot" : "")\r\n"
        }
        let file = bulkCSV(text)
        #expect(file.problems == [])
        #expect(file.rows.count == 100_000)
        for i in [0, 1, 49_999, 99_999] {
            #expect(file.rows[i] == BulkRow(
                line: i + 2, user: "user\(i)", password: Secret("pw-\(i)-abcdefghijklmnopqrstuvwxyz-0123456789"),
                admin: i % 10 == 0, displayName: "User \(i), the \(i % 7)th", userType: i % 3 == 0 ? "bot" : nil))
        }
    }
}

extension String {
    /// The string with the first `target` replaced (no Foundation).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) {
                let after = self.index(index, offsetBy: target.count)
                return String(self[..<index]) + replacement + String(self[after...])
            }
            index = self.index(after: index)
        }
        return self
    }
}
