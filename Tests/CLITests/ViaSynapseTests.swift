import Foundation
import Testing
import TestSupport
@testable import Core

/// Registration through Synapse, as far as it goes without a running Synapse (the end-to-end suite
/// runs it against one): what is refused before any request, and what is said when nothing answers.
@Suite struct ViaSynapseTests {
    let directory = TemporaryDirectory()

    static let secret = "s3cret-never-shown"

    @Test(arguments: [
        (["--backup"], "error: --backup copies the database, which -k/--shared-secret never opens; back it up on the server first (see --help)"),
        (["--database-url", "sqlite:/tmp/x.db"], "error: --database-url names a database, which -k/--shared-secret never opens (see --help)"),
        (["--print-token", "--no-input", "--token-validity", "3"],
         "error: --token-validity is not for Synapse's shared-secret endpoint, which gives its token the lifetime the server's config sets (session_lifetime, else none); drop it, or drop -k/--shared-secret to write a token with an expiry (see --help)"),
        (["--from-file", "users.csv"], "error: --from-file creates many accounts by writing to the database; drop -k/--shared-secret (see --help)"),
        (["ftp://example.org"], "error: SERVER_URL 'ftp://example.org': expected an http:// or https:// URL (see --help)"),
    ])
    func flagsWithoutMeaningThroughSynapseAreRefused(_ extra: [String], _ message: String) throws {
        let result = try Command.run(["-k", Self.secret, "-u", "alice", "--password-file", "/dev/null"] + extra)
        #expect(result.status == 64)
        #expect(result.errorLines == [message])
        #expect(!result.stderr.contains(Self.secret) && !result.stdout.contains(Self.secret))
    }

    @Test func viaSynapseWithoutTheKeysNamesBoth() throws {
        let config = directory.write("homeserver.yaml", "server_name: example.org\ndatabase: {name: sqlite3, args: {database: /nonexistent.db}}\n")
        let result = try Command.run(["-c", config, "--via-synapse", "-u", "alice", "-p", "pw 12345 long", "--json"])
        #expect(result.status == 65)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.contains("registration_shared_secret or registration_shared_secret_path") == true
            || (result.errorLines.first?.contains("registration_shared_secret") == true
                && result.errorLines.first?.contains("registration_shared_secret_path") == true))
        #expect(result.stdout.contains(#""kind":"invalid_config""#))
    }

    /// Without -c the server's name is unknown: a full user ID cannot be checked and is refused.
    @Test func aFullUserIDNeedsTheConfig() throws {
        let result = try Command.run(["-k", Self.secret, "-u", "@alice:example.org", "-p", "pw 12345 long", "http://127.0.0.1:9"])
        #expect(result.status == 64)
        #expect(result.errorLines == ["error: -u @alice:example.org: without -c this tool cannot check the server name; give the localpart alone, or -c homeserver.yaml"])
    }

    /// Nothing listens on port 9 of the loopback here: 69, the URL and the listener to check.
    @Test func nothingAnsweringIs69() throws {
        let result = try Command.run(["-k", Self.secret, "-u", "alice", "-p", "pw 12345 long", "http://127.0.0.1:9", "--json"])
        #expect(result.status == 69)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: nothing answered at http://127.0.0.1:9 (") == true)
        #expect(result.errorLines.first?.contains("listener") == true)
        #expect(result.stdout.contains(#""kind":"synapse_unreachable""#))
        #expect(result.stderr.contains("warning: -k puts the shared secret in the process list"))
        #expect(!result.stderr.contains(Self.secret) && !result.stdout.contains(Self.secret))
    }

    @Test func aHostThatDoesNotResolveIsNamed() throws {
        let result = try Command.run(["-k", Self.secret, "-u", "alice", "-p", "pw 12345 long", "https://synapse.invalid"])
        #expect(result.status == 69)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: https://synapse.invalid: Could not resolve host: synapse.invalid; check the host name") == true)
    }

    /// The secret leaves the process list once parsed: watched while the tool waits on a listener
    /// that never answers (a socket that listens but never accepts), then the tool is stopped.
    @Test func theSecretIsBlankedFromTheProcessList() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 && listen(listener, 4) == 0
            }
        }
        try #require(listening)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.binary)
        process.arguments = ["-k", Self.secret, "-u", "frank", "-p", "pw 12345 long", "--no-input",
                             "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen: [String] = []
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline, seen.last?.contains("-k ******************") != true {
            if let data = FileManager.default.contents(atPath: "/proc/\(process.processIdentifier)/cmdline"), !data.isEmpty {
                seen.append(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " "))
            }
            usleep(10_000)
        }
        usleep(200_000)
        if let data = FileManager.default.contents(atPath: "/proc/\(process.processIdentifier)/cmdline") {
            seen.append(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " "))
        }
        kill(process.processIdentifier, SIGKILL)  // a test runner's thread may hand its blocked SIGTERM on
        process.waitUntilExit()
        let blanked = try #require(seen.firstIndex { $0.contains("-k \(String(repeating: "*", count: Self.secret.count)) -u frank") })
        #expect(!seen[blanked...].contains { $0.contains(Self.secret) }, "once blanked, the secret stays out of the process list")
    }

    /// A direct write takes the URL Synapse's script takes, and says it is not used.
    @Test func withoutKTheURLIsIgnoredWithANote() throws {
        let result = try Command.run(["-c", "/nonexistent/homeserver.yaml", "-u", "alice", "-p", "x", "http://localhost:8008"])
        #expect(result.stderr.contains("warning: ignoring 'http://localhost:8008': without -k or --via-synapse this tool writes to the database directly"))
    }
}
