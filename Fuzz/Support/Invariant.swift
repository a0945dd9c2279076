import Foundation

/// Stops the run with `message` on stderr when an invariant is broken: libFuzzer sees the abort as
/// a crash and keeps the input. (`precondition` drops its message in optimised builds.)
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { broken(message(), file: file, line: line) }
}

func broken(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    FileHandle.standardError.write(Data("invariant broken at \(file):\(line): \(message)\n".utf8))
    abort()
}
