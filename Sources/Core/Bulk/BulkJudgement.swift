/// Every row of a bulk file judged as a single account would be, before anything is written.
///
/// The rules are the single account's — user-ID rules and server name, the request's user type
/// and display name, the password verdict, existence (ignoring case, as Synapse compares) — plus
/// one of its own: a user may appear only once in a file.
package struct BulkJudgement: Sendable {
    /// The rows in the file's order, each with what it will become.
    package var entries: [BulkEntry]

    /// Every problem, in line order: nothing is written while there is one.
    package var problems: [BulkProblem] { entries.flatMap(\.problems) }

    /// The rows that will be created.
    package var toCreate: Int { entries.count { $0.status == .create } }
}

/// One row and what it will become.
package struct BulkEntry: Sendable {
    package enum Status: Sendable, Equatable {
        /// It will be created.
        case create
        /// It exists already (with `--exists-ok`): skipped.
        case exists(String)
        /// It cannot be created; ``BulkEntry/problems`` says why.
        case invalid
    }

    package let line: Int
    /// The row's user ID, parsed; nil when it does not parse.
    package let parsedUserID: UserID?
    /// The user ID as the row gives it.
    package let given: String
    /// The full user ID when the row's parses, else the row's text. Made when asked: a large
    /// file's entries are the run's largest value, and most IDs fit a small string only in parts.
    package var userID: String { parsedUserID?.description ?? given }
    package var status: Status
    package var problems: [BulkProblem]
    /// What a single account run would be asked, when the row is valid.
    package var request: RegistrationRequest?
    /// Whether the password was made here because the row gives none.
    package var passwordGenerated: Bool
}

/// What is wrong with one row, and where.
package struct BulkProblem: Error, Sendable, CustomStringConvertible {
    package let line: Int
    /// The column (CSV) or key (JSON Lines) at fault, as the file names it.
    package let field: String?
    /// The error a single account with the same fault would get.
    package let cause: any Error & Sendable

    package init(line: Int, field: String?, cause: any Error & Sendable) {
        self.line = line
        self.field = field
        self.cause = cause
    }

    /// `line 12: column 'admin': …`; never a password.
    package var description: String {
        let place = field.map { " \($0)" } ?? ""
        return "line \(line)\(place): \(cause)"
    }
}

/// Two rows of one file naming the same user.
package struct DuplicateRowError: Error, Sendable, CustomStringConvertible {
    package let userID: String
    package let firstLine: Int
    package var description: String { "\(userID) is already on line \(firstLine)" }
}

extension BulkFormat {
    /// What the file calls a field of the account: the CSV column (synapse-admin's names) or the
    /// JSON Lines key.
    package func name(of field: AccountField) -> String {
        let name: String =
            switch (self, field) {
            case (.csv, .userID): "id"
            case (.csv, .displayName): "displayname"
            case (.jsonLines, .userID): "user"
            case (.jsonLines, .displayName): "display_name"
            case (_, .password): "password"
            case (_, .userType): "user_type"
            case (_, .token): "token"
            }
        return self == .csv ? "column '\(name)'" : "key '\(name)'"
    }
}

extension Registrar {
    /// Judges every row: nothing is hashed and nothing is written.
    ///
    /// - Parameters:
    ///   - fileProblems: what the reader found wrong with the file itself, reported with the rest.
    ///   - existsOK: existing users are skipped rather than refused.
    ///   - token: a token for each account created.
    ///   - judge: the password verdict, as for a single account; rows without a password get a
    ///     generated one that meets the policy.
    package func judge(
        _ rows: [BulkRow], format: BulkFormat, fileProblems: [BulkFileProblem] = [], existsOK: Bool,
        token: TokenRequest?, judge: PasswordJudge
    ) throws -> BulkJudgement {
        var entries: [BulkEntry] = []
        entries.reserveCapacity(rows.count)
        var problemsByLine: [Int: [BulkFileProblem]] = Dictionary(grouping: fileProblems, by: \.line)

        for row in rows {
            var problems = (problemsByLine.removeValue(forKey: row.line) ?? []).map {
                BulkProblem(line: $0.line, field: nil, cause: $0)
            }
            func problem(_ field: AccountField?, _ cause: any Error & Sendable) {
                problems.append(BulkProblem(line: row.line, field: field.map(format.name(of:)), cause: cause))
            }
            var userID: UserID?
            do {
                userID = try rules.parse(row.user)
            } catch {
                problem(.userID, error)
            }
            let password = row.password ?? PasswordGenerator.generate(meeting: config.password.policy)
            let account = PasswordAccount(
                localpart: userID?.localpart ?? row.user, displayName: row.displayName, serverName: config.serverName)
            if let refusal = judge.judge(password, for: account).refusal { problem(.password, refusal) }

            var request: RegistrationRequest?
            if let userID {
                let candidate = RegistrationRequest(
                    userID: userID, password: password, admin: row.admin, userType: row.userType,
                    displayName: row.displayName, token: token)
                do {
                    try validate(candidate)
                    request = candidate
                } catch let RegistrationError.invalidRequest(field, message) {
                    problem(field, RegistrationError.invalidRequest(field: field, message: message))
                }
            }
            entries.append(BulkEntry(
                line: row.line, parsedUserID: userID, given: row.user, status: problems.isEmpty ? .create : .invalid,
                problems: problems, request: problems.isEmpty ? request : nil, passwordGenerated: row.password == nil))
        }
        markDuplicates(in: &entries, format: format)
        // Problems on lines that hold no row (a broken header, a line that is not a row at all),
        // sorted in among the rows in place: a large file's entries are the run's largest value.
        if !problemsByLine.isEmpty {
            entries.append(contentsOf: problemsByLine.values.joined().map {
                BulkEntry(line: $0.line, parsedUserID: nil, given: "", status: .invalid,
                          problems: [BulkProblem(line: $0.line, field: nil, cause: $0)], request: nil, passwordGenerated: false)
            })
            entries.sort { $0.line < $1.line }
        }

        let existing = try existingUsers(among: entries.compactMap { $0.status == .create ? $0.request?.userID : nil })
        for index in entries.indices {
            guard entries[index].status == .create, let id = entries[index].request?.userID,
                  let name = existing[id.description.lowercased()] else { continue }
            if existsOK {
                entries[index].status = .exists(name)
            } else {
                entries[index].status = .invalid
                entries[index].request = nil
                entries[index].problems.append(BulkProblem(
                    line: entries[index].line, field: format.name(of: .userID),
                    cause: RegistrationError.userExists(existing: name)))
            }
        }
        return BulkJudgement(entries: entries)
    }

    /// Marks every row naming a user an earlier row names. Parsed IDs are lower case already and
    /// all of this server, so equal localparts are the same user; found by sorting row numbers
    /// rather than with a dictionary of every ID, which would be a large file's largest part.
    private func markDuplicates(in entries: inout [BulkEntry], format: BulkFormat) {
        var order = entries.indices.filter { entries[$0].parsedUserID != nil }
        order.sort { a, b in
            let (x, y) = (entries[a].parsedUserID!.localpart, entries[b].parsedUserID!.localpart)
            return x != y ? x < y : entries[a].line < entries[b].line
        }
        var first = order.first
        for index in order.dropFirst() {
            guard let earlier = first else { break }
            let id = entries[index].parsedUserID!
            if id.localpart == entries[earlier].parsedUserID!.localpart {
                entries[index].problems.append(BulkProblem(
                    line: entries[index].line, field: format.name(of: .userID),
                    cause: DuplicateRowError(userID: id.description, firstLine: entries[earlier].line)))
                entries[index].status = .invalid
                entries[index].request = nil
            } else {
                first = index
            }
        }
    }

    /// The existing users among `ids`, compared ignoring case: lower-cased ID to the name stored.
    ///
    /// Asked in batches of a few thousand, so a large file costs a few scans of `users`, not one
    /// per row.
    package func existingUsers(among ids: [UserID]) throws -> [String: String] {
        var found: [String: String] = [:]
        let batch = 5_000
        var start = 0
        while start < ids.count {
            let slice = ids[start..<min(start + batch, ids.count)]
            let placeholders = Array(repeating: "?", count: slice.count).joined(separator: ", ")
            let rows = try wrap { () throws(DatabaseError) in
                try connection.query(
                    "SELECT name FROM users WHERE lower(name) IN (\(placeholders))",
                    slice.map { .text($0.description.lowercased()) })
            }
            for row in rows { if let name = row.first?.text { found[name.lowercased()] = name } }
            start += batch
        }
        return found
    }
}
