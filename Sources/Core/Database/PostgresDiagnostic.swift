/// A PostgreSQL error report, told from the fields that name things rather than from the
/// server's full message, which can quote the values of the failing rows.
///
/// The full text (`PQresultErrorMessage`) ends with `DETAIL`, which for a constraint violation
/// quotes the row or key: `Failing row contains (@alice:example.org, $2b$12$…, …)`,
/// `Key (name)=(@alice:example.org) already exists.` — the password hash and the token among
/// them. `CONTEXT` and the internal query can quote a statement a function built from values.
/// So a message is made of:
///
/// - the severity, the SQLSTATE, the primary message and the hint;
/// - the table, column, data type and constraint names, where the primary message does not
///   already quote them;
///
/// and never of DETAIL, CONTEXT, the internal query, the positions or the raw text. This holds
/// for every statement, not only those with bound values: a `COMMIT` that checks a deferred
/// constraint reports, in its DETAIL, values bound by earlier statements.
///
/// The primary message of PostgreSQL's own errors names objects, not values, except in class 22
/// (data exception): `invalid input syntax for type integer: "…"`, `value "…" is out of range for
/// type integer`, `invalid byte sequence for encoding "UTF8": 0x…`. For that class a fixed text per
/// SQLSTATE replaces it and the hint. A trigger's `RAISE` (class P0, or any SQLSTATE it picks) writes its own
/// text and hint, which may interpolate `NEW`'s columns; that text is kept, because it is the
/// only explanation of the refusal, and ``DatabaseError/redacting(_:)`` then cuts out every bound
/// value it quotes.
struct PostgresDiagnostic: Sendable, Equatable {
    /// The error fields of `postgres_ext.h` (`PG_DIAG_*`, character-literal macros Swift cannot
    /// import) that this type may show.
    enum Field: Character, CaseIterable, Sendable {
        case severity = "S"
        case sqlstate = "C"
        case primary = "M"
        case hint = "H"
        case table = "t"
        case column = "c"
        case dataType = "d"
        case constraint = "n"
    }

    let fields: [Field: String]
    /// The whole message, used only when the report has no primary message: libpq's own errors
    /// (a lost connection, out of memory) have no fields and quote no value.
    let libpqMessage: String

    init(fields: [Field: String], libpqMessage: String = "") {
        self.fields = fields
        self.libpqMessage = libpqMessage
    }

    var sqlstate: String { fields[.sqlstate] ?? "" }

    /// One line: `ERROR: 23502: null value in column "password_hash" of relation "users" violates not-null constraint`.
    var message: String {
        guard let primary = fields[.primary] else {
            return libpqMessage.isEmpty ? "PostgreSQL reported an error without a message" : libpqMessage
        }
        let isDataException = sqlstate.hasPrefix("22")
        let text = isDataException ? Self.dataException(sqlstate) : primary
        let names: [(String, Field)] = [("table", .table), ("column", .column), ("type", .dataType), ("constraint", .constraint)]
        let shown = names.compactMap { label, field -> String? in
            guard let name = fields[field], !name.isEmpty, !text.contains("\"\(name)\"") else { return nil }
            return "\(label) \"\(name)\""
        }
        var line = [fields[.severity], sqlstate.isEmpty ? nil : sqlstate, text].compactMap { $0 }.joined(separator: ": ")
        if !shown.isEmpty { line += " (\(shown.joined(separator: ", ")))" }
        if let hint = fields[.hint], !hint.isEmpty, !isDataException { line += "; HINT: \(hint)" }
        // A trigger's text may span lines; a failure is one line on stderr.
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// What a data exception means, without the value the server quotes.
    private static func dataException(_ sqlstate: String) -> String {
        switch sqlstate {
        case "22001": "a value is too long for its column"
        case "22003": "a number is out of range for its column"
        case "22007", "22008": "a date or time value is not valid"
        case "22021", "22P05": "a value has a character the database's encoding cannot hold"
        case "22P02": "a value has the wrong form for its column's type"
        default: "a value was refused (data exception)"
        }
    }
}
