import Foundation
import Yams

/// Reads homeserver.yaml the way Synapse does and validates every key this tool relies on.
package enum ConfigLoader {
    /// How strictly to read.
    package enum Mode: Sendable {
        /// Validate every key the tool reads; refuse what Synapse would refuse.
        case verify
        /// `--no-verify-config`: read only what is needed to reach the database, build the user
        /// ID and hash the password (`server_name`, the database, `bcrypt_rounds`, the pepper).
        case minimal
    }

    /// Loads and merges the given files and directories.
    ///
    /// A directory contributes the `*.yaml` files directly inside it, in sorted order (Debian's
    /// `conf.d`). Files are merged shallowly, as Synapse merges them: a top-level key in a later
    /// file replaces the whole key from an earlier one.
    ///
    /// - Parameter databaseOverride: when set (from `--database-url`), the config need not name
    ///   a database, and any it names is ignored.
    package static func load(
        paths: [String], mode: Mode = .verify, databaseOverride: DatabaseLocation? = nil
    ) throws(ConfigError) -> HomeserverConfig {
        var merged: [(key: String, value: YAMLValue)] = []
        var files: [String] = []
        for path in paths {
            for file in try expand(path) {
                files.append(file)
                // One pass per file, not per key: a file of a million keys must not take a million passes.
                let entries = try readTopLevel(file)
                let replaced = Set(entries.map(\.key))
                merged.removeAll { replaced.contains($0.key) }
                merged.append(contentsOf: entries)
            }
        }
        let root = TopLevel(entries: merged, firstFile: files.first ?? paths.first ?? "homeserver.yaml")
        var config = try Reader(root: root, mode: mode, databaseOverride: databaseOverride).read()
        config.files = files
        return config
    }

    /// Reads one config given as text, as ``load(paths:mode:databaseOverride:)`` reads a single
    /// file; `file` names it in errors. For the fuzzer, which has bytes rather than files.
    static func load(text: String, file: String, mode: Mode = .verify) throws(ConfigError) -> HomeserverConfig {
        let root = TopLevel(entries: try document(text: text, file: file)?.mapping() ?? [], firstFile: file)
        var config = try Reader(root: root, mode: mode, databaseOverride: nil).read()
        config.files = [file]
        return config
    }

    // MARK: - Files

    private static func expand(_ path: String) throws(ConfigError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, message: "no such file (give the config with -c PATH)")
        }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ConfigError(file: path, message: "cannot list the directory: \(error.localizedDescription)")
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        let isFile = { (name: String) in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: base + name, isDirectory: &isDir) && !isDir.boolValue
        }
        let files = names.filter { $0.hasSuffix(".yaml") && isFile($0) }.sorted()
        guard !files.isEmpty else {
            // Synapse reads only *.yaml from a directory; a .yml beside them is the usual slip.
            let unread = names.filter { $0.hasSuffix(".yml") && isFile($0) }.sorted()
            let hint = unread.isEmpty
                ? "give the directory holding homeserver.yaml's parts, or the file itself"
                : "\(unread.joined(separator: ", ")) \(unread.count == 1 ? "is" : "are") not read, as Synapse reads "
                    + "only *.yaml: rename \(unread.count == 1 ? "it" : "them") to end in .yaml"
            throw ConfigError(file: path, message: "no *.yaml files in this directory; \(hint)")
        }
        return files.map { base + $0 }
    }

    /// Reads a YAML file whose top level must be a mapping (or empty).
    static func readDocument(_ file: String) throws(ConfigError) -> YAMLValue? {
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.isReadableFile(atPath: file)
                ? "cannot read the file" : "permission denied (run as root or as the user Synapse runs as)"
            throw ConfigError(file: file, message: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, message: "the file is not UTF-8 text")
        }
        return try document(text: text, file: file)
    }

    /// Parses YAML text whose top level must be a mapping (or empty); `file` names it in errors.
    static func document(text: String, file: String) throws(ConfigError) -> YAMLValue? {
        try YAMLLimits.check(text, file: file)
        let node: Node?
        do {
            // Tags are resolved lazily by YAMLValue with PyYAML's rules; Yams's default resolver
            // compiles a dozen regular expressions, a fifth of the tool's start-up time.
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file, text: text)
        } catch {
            throw ConfigError(file: file, message: "not valid YAML: \(error)")
        }
        guard let node else { return nil }
        let value = YAMLValue(node: node, file: file, keyPath: "")
        if value.isNull { return nil }
        guard case .mapping = node else {
            throw value.error("expected a mapping of settings at the top level, got \(value.shapeDescription)")
        }
        return value
    }

    private static func readTopLevel(_ file: String) throws(ConfigError) -> [(key: String, value: YAMLValue)] {
        try readDocument(file)?.mapping() ?? []
    }

    private static func syntaxError(_ error: YamlError, file: String, text: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if problem.contains("tab"), let tab = indentingTab(in: text, upTo: mark.line) {
                return ConfigError(file: file, line: tab.line, column: tab.column,
                    message: "a tab character; YAML indents with spaces only: replace it with spaces")
            }
            var message = "invalid YAML: \(problem)"
            if let context { message += " \(context.text)" }
            return ConfigError(file: file, line: mark.line, column: mark.column, message: message)
        case .reader(let problem, _, _, _):
            return ConfigError(file: file, message: "invalid YAML: \(problem)")
        default:
            return ConfigError(file: file, message: "invalid YAML: \(error)")
        }
    }
}

extension ConfigLoader {
    /// The last tab in a line's indentation at or before line `last` (1-based), where the
    /// parser stopped: the one to replace. Line and column are 1-based.
    static func indentingTab(in text: String, upTo last: Int) -> (line: Int, column: Int)? {
        var found: (line: Int, column: Int)?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(max(last, 1)).enumerated() {
            let indentation = line.prefix { $0 == " " || $0 == "\t" }
            if let tab = indentation.firstIndex(of: "\t") {
                found = (index + 1, indentation.distance(from: indentation.startIndex, to: tab) + 1)
            }
        }
        return found
    }
}

/// The merged top level of all config files.
struct TopLevel {
    let entries: [(key: String, value: YAMLValue)]
    let firstFile: String

    subscript(key: String) -> YAMLValue? {
        guard let value = entries.last(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    func missing(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: firstFile, key: key, message: message)
    }
}
