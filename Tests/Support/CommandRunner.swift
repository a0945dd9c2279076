import Foundation
import Testing

/// Runs the built `register_new_matrix_user` and collects what it wrote and how it exited.
package struct CommandResult {
    package let status: Int32
    package let stdout: String
    package let stderr: String

    /// stderr lines that are not warnings or notes.
    package var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("error: ") } }
}

package enum Command {
    /// The binary sits beside the test bundle in the build folder.
    package static let binary: String = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("register_new_matrix_user").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return ProcessInfo.processInfo.environment["RNMU_BIN"] ?? ".build/debug/register_new_matrix_user"
    }()

    /// - Parameters:
    ///   - wrapper: a command that runs the binary (and its arguments) given after its
    ///     own, such as `unshare … sh -c …`; empty runs the binary directly.
    ///   - environment: variables set (or replaced) for this run on top of the tests' own.
    package static func run(
        _ arguments: [String], stdin: String? = nil, in directory: String? = nil, wrapper: [String] = [],
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? binary)
        process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [binary] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }
}
