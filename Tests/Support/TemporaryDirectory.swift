import Foundation

/// A fresh directory under the system's temporary directory, removed when the value is released.
package final class TemporaryDirectory: Sendable {
    package let path: String

    package init() {
        var template = Array((NSTemporaryDirectory() + "rnmu-test-XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    @discardableResult
    package func write(_ name: String, _ contents: String) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(contents.utf8))
        return file
    }
}
