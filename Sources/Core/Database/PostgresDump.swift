import Foundation

/// A PostgreSQL backup made by `pg_dump --format=custom`, over the parameters the tool's own
/// connection used.
///
/// `pg_dump` is the one tool that gives PostgreSQL a consistent dump while Synapse writes (it
/// reads in one repeatable-read snapshot) and that `pg_restore` reads back; reimplementing it
/// is out of the question. It must be at least as new as the server: an older `pg_dump`
/// refuses a newer server, so the tool says so itself before anything is run.
///
/// The password never appears in `pg_dump`'s arguments (which `ps` shows): the connection
/// string passed with `--dbname` has every option libpq settled on except the password, which
/// goes in `PGPASSWORD` in the child's environment only.
package struct PostgresDump {
    let connection: PostgresConnection

    package init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The `pg_dump` found on `PATH` and its major version.
    struct Client {
        let executable: String
        let major: Int
    }

    /// Finds `pg_dump` and checks that it can dump this server.
    func client() throws(BackupError) -> Client {
        let server = serverMajor()
        guard let executable = Self.find("pg_dump") else {
            throw BackupError(path: "", .toolMissing(serverMajor: server))
        }
        let version = Self.run(executable, ["--version"], environment: ProcessInfo.processInfo.environment)
        guard version.status == 0, let major = Self.major(fromVersionLine: version.output) else {
            throw BackupError(path: "", .toolFailed("\(executable) --version did not give a version"))
        }
        if let server, major < server {
            throw BackupError(path: "", .toolTooOld(client: major, server: server))
        }
        return Client(executable: executable, major: major)
    }

    /// Dumps the database to a new file at `path` (mode 0600, never over an existing file).
    package func dump(to path: String) throws(BackupError) -> BackupResult {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let tool: Client
        do {
            tool = try client()
        } catch {
            throw BackupError(path: absolute, error.cause)
        }
        try DatabaseBackup.createFile(absolute)
        let (keywords, password) = connection.connectionParameters
        // application_name is left to pg_dump ("pg_dump"), so the server's activity view tells them apart.
        let conninfo = keywords.filter { $0.name != "application_name" }
            .map { "\($0.name)=\(Self.quoted($0.value))" }.joined(separator: " ")
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password.revealed }
        let result = Self.run(
            tool.executable, ["--format=custom", "--no-password", "--file=\(absolute)", "--dbname=\(conninfo)"],
            environment: environment)
        guard result.status == 0 else {
            unlink(absolute)
            let line = result.output.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit status \(result.status)"
            let shown = password.map { $0.revealed.count >= 4 ? line.replacing($0.revealed, with: "…") : line } ?? line
            throw BackupError(path: absolute, .toolFailed(shown))
        }
        return BackupResult(
            path: absolute, bytes: DatabaseBackup.size(of: absolute), check: "pg_dump \(tool.major), custom format")
    }

    /// The server's major version (`server_version_num` 150010 is 15); nil if it cannot be read.
    private func serverMajor() -> Int? {
        guard let number = try? connection.queryOne("SHOW server_version_num")?.first?.integer else { return nil }
        return Int(number / 10_000)
    }

    /// "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → 15; "… 9.6.24" → 9.
    static func major(fromVersionLine line: String) -> Int? {
        guard let range = line.range(of: #"\)\s+(\d+)"#, options: .regularExpression) else { return nil }
        return Int(line[range].drop { !$0.isNumber })
    }

    /// A value for a libpq connection string: single-quoted, with `\` and `'` escaped.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// The first executable `name` in `PATH`.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program with stdin and stdout closed; returns its status and what it wrote on stderr
    /// (stdout for `--version`, which writes there).
    private static func run(_ executable: String, _ arguments: [String], environment: [String: String])
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return (-1, "\(executable): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
