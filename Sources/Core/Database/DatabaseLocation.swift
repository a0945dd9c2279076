import FoundationEssentials
import Glibc

/// Where Synapse's main database lives: a SQLite file or a PostgreSQL server.
package enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite database file.
    case sqlite(path: String)
    /// A PostgreSQL database, reached through libpq.
    case postgres(PostgresTarget)

    /// How to reach a PostgreSQL database.
    package enum PostgresTarget: Sendable, Equatable {
        /// libpq keywords, as homeserver.yaml's `database.args` gives them (after `database` is
        /// renamed `dbname` and the `cp_*` pool settings are dropped).
        case keywords([Keyword])
        /// A libpq connection string: a `postgresql://` URI or `key=value` pairs.
        case conninfo(String)
    }

    /// One libpq connection keyword and its value.
    package struct Keyword: Sendable, Equatable {
        package let name: String
        package let value: String
        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package var engineName: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// A rendering for messages that never includes a password.
    package var description: String {
        switch self {
        case .sqlite(let path):
            return "SQLite database \(path)"
        case .postgres(.keywords(let keywords)):
            let shown = keywords.filter { ["dbname", "host", "port", "user", "service"].contains($0.name) }
            let text = shown.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            return "PostgreSQL database (\(text.isEmpty ? "libpq defaults" : text))"
        case .postgres(.conninfo(let conninfo)):
            return "PostgreSQL database \(Self.redactingPassword(in: conninfo))"
        }
    }

    /// Parses the `--database-url` forms: `sqlite:///abs/path.db`, `sqlite:relative.db`,
    /// `postgresql://…` or `postgres://…` URIs, and libpq `key=value` strings.
    package static func parse(url text: String) -> DatabaseLocation? {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("///") {
                path.removeFirst(2)
            } else if path.hasPrefix("//") {
                return nil  // sqlite://name is ambiguous: a host part has no meaning for a file
            }
            return path.isEmpty || path == ":memory:" ? nil : .sqlite(path: path)
        }
        if uriPrefix(of: text) != nil {
            return .postgres(.conninfo(text))
        }
        if text.contains("=") && !text.unicodeScalars.contains("://".unicodeScalars) {
            return .postgres(.conninfo(text))
        }
        return nil
    }

    /// The scheme that makes libpq read a connection string as a URI, compared by unicode scalars
    /// as libpq compares bytes (a combining mark after `//` does not make it another scheme).
    static func uriPrefix(of text: String) -> String? {
        ["postgresql://", "postgres://"].first { text.unicodeScalars.starts(with: $0.unicodeScalars) }
    }

    /// Replaces the password in a URI (`user:pw@`, `password=` and `sslpassword=` parameters) or
    /// in `password=` and `sslpassword=` pairs (the client key's passphrase is as secret) with
    /// `***`; the audit trail keeps this text in the system log. It reads as libpq does: a URI only with libpq's prefixes, every occurrence
    /// (libpq takes the last of repeated keywords), percent-decoded parameter names, unicode
    /// scalars rather than characters (a combining mark after `/`, `@` or `=` must not hide it)
    /// and only ASCII spaces as separators.
    /// `%XX` escapes decoded as libpq decodes a URI's parameter names; nil when one is malformed
    /// or the bytes are not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var rest = text.utf8[...]
        while let byte = rest.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard rest.count >= 2, let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            rest = rest.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func redactingPassword(in conninfo: String) -> String {
        // Scalar by scalar, as libpq reads bytes: a combining mark after `=` must not hide the value.
        let passwordPair = /(ssl)?password[ \t\n\r\f\v]*=[ \t\n\r\f\v]*('([^'\\]|\\.)*'|[^ \t\n\r\f\v]*)/
            .matchingSemantics(.unicodeScalar)
        var scalars = conninfo.unicodeScalars
        guard let prefix = uriPrefix(of: conninfo) else {
            return conninfo.replacing(passwordPair) { match in (match.1 ?? "") + "password=***" }
        }
        let authority = scalars.index(scalars.startIndex, offsetBy: prefix.unicodeScalars.count)
        if let at = scalars[authority...].firstIndex(of: "@"), let colon = scalars[authority..<at].firstIndex(of: ":") {
            scalars.replaceSubrange(scalars.index(after: colon)..<at, with: "***".unicodeScalars)
        }
        guard let question = scalars.firstIndex(of: "?") else { return String(scalars) }
        let query: Substring.UnicodeScalarView = scalars[scalars.index(after: question)...]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false)
            .map { parameter in
                guard let equals = parameter.firstIndex(of: "="),
                    ["password", "sslpassword"].contains(
                        percentDecoded(String(String.UnicodeScalarView(parameter[..<equals]))))
                else { return String(String.UnicodeScalarView(parameter)) }
                return String(String.UnicodeScalarView(parameter[...equals])) + "***"
            }
        return String(String.UnicodeScalarView(scalars[...question])) + parameters.joined(separator: "&")
    }
}
