import Core
import Foundation
import Glibc
import Testing

/// A syslog socket the binary sees at `/dev/log`: the test binds a datagram socket in its
/// directory, and each run goes through `unshare --mount`, which mounts a tmpfs over `/dev` (in
/// that namespace only), binds the few devices a process needs back into it and links `log`
/// to the socket. Nothing outside the namespace changes, whether or not the host has a `/dev/log`.
package final class SyslogSandbox {
    private let socket: Int32
    private let directory: String
    private let unshare: String

    /// A sandbox, or nil (skipped outside CI, a recorded issue in it) when mount namespaces are
    /// not available: not root, no `unshare` (util-linux), or a container that forbids them.
    package static func make(in directory: TemporaryDirectory) throws -> SyslogSandbox? {
        let found = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }
        // `true` ignores the binary's path that Command.run appends.
        guard getuid() == 0, let unshare = found,
            (try? Command.run([], wrapper: [unshare, "--mount", "true"]))?.status == 0
        else {
            if SynapseFixtures.isCI { Issue.record("the audit tests need root and unshare --mount in CI") }
            return nil
        }
        return try SyslogSandbox(directory: directory.path, unshare: unshare)
    }

    private init(directory: String, unshare: String) throws {
        self.directory = directory
        self.unshare = unshare
        socket = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array((directory + "/log").utf8)
        precondition(path.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard socket >= 0, bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        chmod(directory + "/log", 0o666)  // the tool may write as the database's owner
    }

    deinit {
        close(socket)
    }

    /// ` login_uid=N` when this process has one (the child inherits it), else nothing.
    package var loginUIDField: String {
        AuditInvoker.current.loginUID.map { " login_uid=\($0)" } ?? ""
    }

    /// Runs the binary with `/dev/log` pointing at this socket, and `environment` added.
    package func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run(arguments, wrapper: wrapper(environment: environment))
    }

    /// A shell command line that runs the binary so, for a terminal multiplexer's pane.
    package func shellCommand(_ arguments: [String], environment: [String: String] = [:]) -> String {
        (wrapper(environment: environment) + [Command.binary] + arguments).map(Self.shellQuoted).joined(separator: " ")
    }

    /// The command that runs what follows it in the namespace: `sudo`, `SSH_*` and
    /// `environment` as the test says, not as the test process happens to have them.
    private func wrapper(environment: [String: String]) -> [String] {
        let script = """
            set -e
            D="$1"; shift
            mkdir -p "$D/host-dev"
            mount --rbind /dev "$D/host-dev"
            mount -t tmpfs -o mode=755 tmpfs /dev
            for name in null zero full random urandom tty; do
                if [ -e "$D/host-dev/$name" ]; then touch "/dev/$name"; mount --bind "$D/host-dev/$name" "/dev/$name"; fi
            done
            ln -s /proc/self/fd /dev/fd
            ln -s "$D/log" /dev/log
            exec "$@"
            """
        let unset = ["SUDO_USER", "SSH_CONNECTION", "SSH_CLIENT"].map { "--unset=\($0)" }
        let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return [unshare, "--mount", "--propagation", "private", "sh", "-c", script, "sh", directory, "env"] + unset + variables
    }

    private static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Every datagram received so far, as text.
    package func received() -> [String] {
        var lines: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { break }
            lines.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
        return lines
    }
}
