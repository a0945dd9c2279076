import Foundation
import Glibc

/// A tmux server of its own, on a private socket, running one command in an 80×24 pane.
///
/// tmux is started with `posix_spawnp` and its standard streams on /dev/null: the server it
/// daemonises would otherwise inherit Foundation.Process's pipes and hang the test. The short
/// commands (`send-keys`, `capture-pane`) are spawned the same way with a pipe for their output.
final class TmuxSession {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: String
    var socket: String { directory + "/tmux.sock" }
    /// A file the command may write its process ID to; the pane sees it as `$E2E_PID_FILE`.
    var pidFile: String { directory + "/pid" }

    /// Whether tmux can be found on the PATH.
    static let isAvailable: Bool = (try? run(["tmux", "-V"]).status) == 0

    /// Starts `command` (a shell command line) in a detached session.
    ///
    /// The pane's environment has `environment` plus `E2E_PID_FILE`.
    init(command: String, columns: Int = 80, rows: Int = 24, environment: [String: String] = [:]) throws {
        var template = Array("/tmp/tui-e2e.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp failed") }
        directory = String(cString: made)
        var arguments = ["tmux", "-f", "/dev/null", "-S", socket, "new-session", "-d", "-x", String(columns),
            "-y", String(rows)]
        let variables = environment.merging(["E2E_PID_FILE": directory + "/pid"]) { mine, _ in mine }
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments.append(command)
        let started = try Self.run(arguments, captureOutput: false)
        guard started.status == 0 else { throw Failure(description: "tmux new-session exited \(started.status)") }
    }

    /// Ends the server and whatever still runs in its pane: the pane's process group is killed
    /// too, so a command that ignores the hangup cannot outlive the test.
    deinit {
        let panes = (try? Self.run(["tmux", "-S", socket, "list-panes", "-a", "-F", "#{pane_pid}"]).output) ?? ""
        _ = try? Self.run(["tmux", "-S", socket, "kill-server"])
        for pid in panes.split(separator: "\n").compactMap({ pid_t($0) }) where pid > 1 {
            kill(-pid, SIGKILL)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Driving the pane

    /// Sends tmux key names: "Enter", "Tab", "BTab", "Escape", "C-c", "Space", "Down".
    func press(_ keys: String...) throws {
        _ = try Self.run(["tmux", "-S", socket, "send-keys"] + keys)
    }

    /// Types text literally.
    func type(_ text: String) throws {
        _ = try Self.run(["tmux", "-S", socket, "send-keys", "-l", text])
    }

    func resize(columns: Int, rows: Int) throws {
        _ = try Self.run(["tmux", "-S", socket, "resize-window", "-x", String(columns), "-y", String(rows)])
    }

    /// The pane's text, one string per row; with `escapes`, including the attribute sequences.
    func capture(escapes: Bool = false) throws -> String {
        try Self.run(["tmux", "-S", socket, "capture-pane", "-p"] + (escapes ? ["-e"] : [])).output
    }

    /// Waits until the pane shows `text`.
    /// - Returns: The capture that showed it.
    @discardableResult
    func waitFor(_ text: String, timeout: Duration = .seconds(10)) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = try capture()
            if screen.contains(text) { return screen }
            usleep(20_000)
        }
        throw Failure(description: "timed out waiting for \"\(text)\"; the pane shows:\n\(screen)")
    }

    /// The process ID the command wrote to ``pidFile``.
    func commandPID() throws -> pid_t {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = pid_t(text) { return pid }
            usleep(20_000)
        }
        throw Failure(description: "no process ID in \(pidFile)")
    }

    // MARK: - Spawning

    /// Runs a program found on the PATH and waits for it.
    @discardableResult
    static func run(_ arguments: [String], captureOutput: Bool = true) throws -> (status: Int32, output: String) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureOutput {
            guard pipe(&pipeEnds) == 0 else { throw Failure(description: "pipe failed") }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // The test runner blocks signals in its threads; a tmux server started with that mask
        // would pass it on, and the wizard would never see SIGTERM or SIGWINCH.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, &cArguments, environ)
        if captureOutput { close(pipeEnds[1]) }
        guard spawned == 0 else {
            if captureOutput { close(pipeEnds[0]) }
            throw Failure(description: "cannot start \(arguments[0]): error \(spawned)")
        }
        var output = [UInt8]()
        if captureOutput {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(pipeEnds[0], &buffer, buffer.count)
                if count <= 0 { break }
                output += buffer[0..<count]
            }
            close(pipeEnds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exitStatus, String(decoding: output, as: UTF8.self))
    }
}
