import Testing
@testable import Core

/// The audit line's syntax: what a reader greps and a parser splits must be what was recorded.
@Suite struct AuditRecordTests {
    @Test func plainValuesStayBareAndFieldsKeepTheirOrder() {
        var record = AuditRecord(.created)
        record.add("user", "@alice:example.org")
        record.add("admin", false)
        record.add("device", nil as String?)
        record.add("database", "SQLite database /var/lib/matrix-synapse/homeserver.db")
        record.add("outcome", "created")
        #expect(record.line == #"created user=@alice:example.org admin=no database="SQLite database /var/lib/matrix-synapse/homeserver.db" outcome=created"#)
    }

    @Test(arguments: [
        ("a b", #""a b""#),
        ("", #""""#),
        ("x outcome=created", #""x outcome=created""#),
        ("line\nuser=@root:x", #""line\nuser=@root:x""#),
        ("q\"uote\\", #""q\"uote\\""#),
        ("tab\tcr\r", #""tab\tcr\r""#),
        ("\u{1B}[31mred", #""\u{1B}[31mred""#),
        ("bidi\u{202E}txt.exe", #""bidi\u{202E}txt.exe""#),
        ("/srv/mätrix", #""/srv/m\u{E4}trix""#),
        ("a=b", #""a=b""#),
    ])
    func valuesThatCouldForgeAFieldAreQuoted(_ value: String, _ expected: String) {
        #expect(AuditRecord.quoted(value) == expected)
    }

    @Test func aLineIsOneLineOfPrintableASCII() {
        var record = AuditRecord(.refused)
        record.add("user", "evil\n<86>Dec  2 00:00:00 register_new_matrix_user[1]: created user=@root:x")
        record.add("outcome", "invalid_user_id")
        let line = record.line
        #expect(line.unicodeScalars.allSatisfy { (" "..."~").contains($0) })
        #expect(line.hasSuffix(" outcome=invalid_user_id"))
    }

    @Test func longValuesAreCut() {
        let quoted = AuditRecord.quoted(String(repeating: "a", count: 2_000))
        #expect(quoted == "\"" + String(repeating: "a", count: AuditRecord.maximumValueLength) + "...\"")
    }

    @Test func invokerTakesTheClientAddressAndIgnoresEmptyValues() {
        var record = AuditRecord(.created)
        AuditInvoker(uid: 0, loginUID: 1000, environment: [
            "SUDO_USER": "bob", "SSH_CONNECTION": "2001:db8::7 50022 2001:db8::1 22", "SSH_CLIENT": "192.0.2.9 1 22",
        ]).add(to: &record)
        #expect(record.line == "created uid=0 login_uid=1000 sudo_user=bob ssh_client=2001:db8::7")

        record = AuditRecord(.created)
        AuditInvoker(uid: 1000, loginUID: UInt32.max, environment: ["SUDO_USER": "", "SSH_CLIENT": "192.0.2.9 1 22"])
            .add(to: &record)
        #expect(record.line == "created uid=1000 ssh_client=192.0.2.9", "an unset login uid and an empty SUDO_USER are left out")
    }

    /// The `database` field is ``DatabaseLocation/description``, which the log keeps for years.
    @Test(arguments: [
        ("postgresql://u:s3cret@db/synapse?password=s3cret&sslpassword=s3cret&password=s3cret",
         "PostgreSQL database postgresql://u:***@db/synapse?password=***&sslpassword=***&password=***"),
        ("host=db password=s3cret sslpassword = 's3 cret' password=s3cret dbname=s",
         "PostgreSQL database host=db password=*** sslpassword=*** password=*** dbname=s"),
    ])
    func databaseDescriptionsHideEveryPassword(_ url: String, _ expected: String) throws {
        let location = try #require(DatabaseLocation.parse(url: url))
        #expect(location.description == expected)
        #expect(!location.description.contains("s3"))
    }
}
