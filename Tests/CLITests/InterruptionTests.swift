import Foundation
import Testing
import TestSupport
@testable import Core

/// A signal during a run never leaves the admin guessing: before the write nothing is written
/// and the status says so; during the write the transaction ends first and the result is told.
@Suite(.serialized) struct InterruptionTests {
    let directory = TemporaryDirectory()

    func server(rounds: Int) throws -> (config: String, database: String)? {
        try SynapseFixtures.sqliteServer(in: directory, extra: "bcrypt_rounds: \(rounds)")  // the last key wins
    }

    /// Starts the tool creating `user`, and returns it running, with its stderr pipe.
    func start(_ config: String, user: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.binary)
        process.arguments = ["-c", config, "-u", user, "--password-file", "-", "--no-input"]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        // The test runner blocks signals, and a child inherits the mask of the thread that spawns
        // it: spawn with the signals unblocked, as from a shell.
        var signals = sigset_t(), previous = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM] { sigaddset(&signals, number) }
        pthread_sigmask(SIG_UNBLOCK, &signals, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        input.fileHandleForWriting.write(Data("correct-horse-battery-9\n".utf8))
        try input.fileHandleForWriting.close()
        return (process, errors)
    }

    func exists(_ user: String, in database: String) throws -> Bool {
        try SQLiteConnection(path: database).queryOne("SELECT 1 FROM users WHERE name = ?", [.text(user)]) != nil
    }

    @Test func aSignalWhileHashingWritesNothing() throws {
        // bcrypt at cost 15 takes over a second: the signal lands in it.
        guard let server = try server(rounds: 15) else { return }
        let (process, errors) = try start(server.config, user: "hashing")
        Thread.sleep(forTimeInterval: 0.4)
        process.interrupt()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(stderr.contains("error: interrupted by signal 2 before the account was written; nothing was written"))
        #expect(try !exists("@hashing:\(SynapseFixtures.serverName)", in: server.database))
    }

    @Test func aSignalDuringTheWriteWaitsForItAndTellsWhatHappened() throws {
        guard let server = try server(rounds: 4) else { return }
        // Another writer holds the lock, so the tool's transaction waits for it (busy timeout).
        let holder = try SQLiteConnection(path: server.database)
        try holder.begin()
        let (process, errors) = try start(server.config, user: "writing")
        Thread.sleep(forTimeInterval: 0.8)
        process.terminate()  // SIGTERM, while the tool waits inside its write
        Thread.sleep(forTimeInterval: 0.3)
        #expect(process.isRunning, "the write is not abandoned")
        holder.rollback()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("Signal 15 came while the account was being written; it was written in full, then the run ended."))
        #expect(try exists("@writing:\(SynapseFixtures.serverName)", in: server.database))
    }
}
