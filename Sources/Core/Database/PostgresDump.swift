import FoundationEssentials
import Glibc

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
        guard let match = line.firstMatch(of: /\)\s+(\d+)/) else { return nil }
        return Int(match.1)
    }

    /// A value for a libpq connection string: single-quoted, with `\` and `'` escaped.
    static func quoted(_ value: String) -> String {
        "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    /// The first executable `name` in `PATH`.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program with stdin from /dev/null; returns its status and what it wrote on stdout
    /// and stderr together (stdout for `--version`, which writes there).
    private static func run(_ executable: String, _ arguments: [String], environment: [String: String])
        -> (status: Int32, output: String)
    {
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { return (-1, "\(executable): \(systemErrorDescription(errno))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { return (-1, "\(executable): \(systemErrorDescription(spawned))") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = read(pipe[0], &buffer, buffer.count)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            output += buffer[..<got]
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import; a signal is reported as -1.
        let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
        return (exitStatus, String(decoding: output, as: UTF8.self))
    }
}
