import Foundation

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
        if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") {
            return .postgres(.conninfo(text))
        }
        if text.contains("=") && !text.contains("://") {
            return .postgres(.conninfo(text))
        }
        return nil
    }

    /// Replaces the password in a URI (`user:pw@`) and every `password=` or `sslpassword=`
    /// pair (libpq takes the last of repeated keys; the client key's passphrase is as secret)
    /// with `***`. The audit trail keeps this text in the system log, so it errs on the side of
    /// hiding.
    static func redactingPassword(in conninfo: String) -> String {
        var text = conninfo
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        if text.contains("://") {
            return text.replacingOccurrences(
                of: #"([?&])(ssl)?password=[^&]*"#, with: "$1$2password=***", options: .regularExpression)
        }
        return text.replacingOccurrences(
            of: #"(ssl)?password\s*=\s*('([^'\\]|\\.)*'|\S*)"#, with: "$1password=***", options: .regularExpression)
    }
}
