import Glibc

/// Whole writes and reads on a file descriptor, retried on `EINTR` and short counts: what
/// Foundation's `FileHandle` did for the standard streams and the bulk report.
package struct FileDescriptor: Sendable {
    package let number: Int32

    package init(_ number: Int32) {
        self.number = number
    }

    package static let standardInput = FileDescriptor(0)
    package static let standardOutput = FileDescriptor(1)
    package static let standardError = FileDescriptor(2)

    /// Writes all of `text`; a closed pipe or full disk ends the write quietly, as `FileHandle` did.
    package func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(number, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Everything up to the end of the file or stream.
    package func readToEnd() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = read(number, &buffer, buffer.count)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return bytes }
            bytes += buffer[..<got]
        }
    }
}
