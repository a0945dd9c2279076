import Core
import Foundation
import TUI

// wizard-demo: the wizard over an in-memory backend.
//
//   wizard-demo [-u USER] [-a] [-p PASSWORD] [--token] [--days N] [--fast]   run the wizard
//   wizard-demo --bench [ITERATIONS]                                      print the keystroke benchmark
//
// Exit status: 0 created, 1 cancelled, 2 terminal unusable, 128+N on signal N.
// WIZARD_DEMO_PID_FILE=path writes the process ID there, for tests that send signals.

var arguments = CommandLine.arguments.dropFirst().makeIterator()
var prefill = WizardPrefill()
var backend = DemoBackend()

while let argument = arguments.next() {
    switch argument {
    case "--bench":
        let iterations = arguments.next().flatMap(Int.init) ?? 2_000
        let samples = WizardBenchmark.measure(backend: backend, iterations: iterations)
        print(WizardBenchmark.report(samples))
        exit(0)
    case "-u": prefill.userID = arguments.next()
    case "-a": prefill.admin = true
    case "-p": prefill.password = arguments.next().map(Secret.init)
    case "--token": prefill.issueToken = true
    case "--days": prefill.tokenValidity = arguments.next()
    case "--fast":
        backend.latency = .milliseconds(5)
        backend.writeTime = .milliseconds(50)
    default:
        FileHandle.standardError.write(Data("wizard-demo: unknown argument \(argument)\n".utf8))
        exit(64)
    }
}

if let pidFile = ProcessInfo.processInfo.environment["WIZARD_DEMO_PID_FILE"] {
    try? String(getpid()).write(toFile: pidFile, atomically: true, encoding: .utf8)
}

let result = WizardApp.run(backend: backend, prefill: prefill)
switch result {
case .created(let outcome):
    FileHandle.standardError.write(Data("Created \(outcome.userID)\(outcome.admin ? " (admin)" : "")\n".utf8))
    exit(0)
case .cancelled:
    FileHandle.standardError.write(Data("Cancelled: nothing was written.\n".utf8))
    exit(1)
case .interrupted(let signal, let written):
    let note = written.map { "\($0.userID) was written before the run ended" } ?? "nothing was written"
    FileHandle.standardError.write(Data("Interrupted by signal \(signal): \(note).\n".utf8))
    exit(written == nil ? 128 + signal : 0)
case .terminalUnavailable(let message):
    FileHandle.standardError.write(Data("wizard-demo: \(message)\n".utf8))
    exit(2)
}
