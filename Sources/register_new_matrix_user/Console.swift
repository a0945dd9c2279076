import Core

/// Writes the human side of the output. stdout is reserved for what scripts capture.
enum Console {
    static func error(_ message: String) {
        FileDescriptor.standardError.write("error: \(message)\n")
    }

    static func warning(_ message: String) {
        FileDescriptor.standardError.write("warning: \(message)\n")
    }

    static func note(_ message: String) {
        FileDescriptor.standardError.write("\(message)\n")
    }

    static func output(_ line: String) {
        FileDescriptor.standardOutput.write("\(line)\n")
    }
}
