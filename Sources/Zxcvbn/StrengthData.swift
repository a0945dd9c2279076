import FoundationEssentials
import Glibc

// MARK: - Errors

/// Why the strength estimator's data could not be loaded.
///
/// Without its dictionaries the estimator would rate `password1` as strong, so a front end must
/// show this instead of a score.
public enum StrengthDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No data directory was found; `searched` lists every place tried, in order.
    case notFound(searched: [String])
    /// A data file exists but cannot be read or parsed.
    case malformed(String)

    public var description: String {
        switch self {
        case .notFound(let searched):
            "password strength data not found; searched: " + searched.joined(separator: ", ")
                + " (set \(StrengthData.environmentVariable) to the directory holding ranked_words.tsv)"
        case .malformed(let detail):
            "password strength data is damaged: \(detail)"
        }
    }
}

extension StrengthDataError: LocalizedError {
    public var errorDescription: String? { description }
}

// MARK: - Data

/// The zxcvbn frequency lists and keyboard graphs, read from `assets/zxcvbn` or wherever the tool
/// is installed.
///
/// The files are produced by `scripts/zxcvbn-data.py` from the pinned PyPI `zxcvbn` package.
/// Loading reads about 1.8 MB and indexes line starts; nothing is parsed per word until matched.
public struct StrengthData: Sendable {
    /// The environment variable naming a data directory, tried before any other place.
    public static let environmentVariable = "REGISTER_NEW_MATRIX_USER_ZXCVBN_DATA"

    let words: RankedWordFile
    let graphs: [KeyboardGraph]

    /// Loads the data from `directory`, which holds `ranked_words.tsv` and `adjacency_graphs.tsv`.
    public static func load(from directory: String) throws(StrengthDataError) -> StrengthData {
        let words = try RankedWordFile(bytes: read(directory, "ranked_words.tsv"))
        let graphText = String(decoding: try read(directory, "adjacency_graphs.tsv"), as: UTF8.self)
        var linesByGraph: [(KeyboardGraph.Name, [Substring])] = []
        for line in graphText.split(separator: "\n") {
            if line.hasPrefix("# graph ") {
                guard let name = KeyboardGraph.Name(rawValue: String(line.dropFirst(8))) else {
                    throw .malformed("adjacency_graphs.tsv: unknown graph in '\(line)'")
                }
                linesByGraph.append((name, []))
            } else if !line.hasPrefix("# "), !linesByGraph.isEmpty {
                linesByGraph[linesByGraph.count - 1].1.append(line)
            }
        }
        let graphs = try KeyboardGraph.Name.allCases.map { name throws(StrengthDataError) in
            guard let lines = linesByGraph.first(where: { $0.0 == name })?.1 else {
                throw .malformed("adjacency_graphs.tsv: no graph \(name.rawValue)")
            }
            return try KeyboardGraph(name: name, lines: lines)
        }
        return StrengthData(words: words, graphs: graphs)
    }

    /// Finds the data directory (see ``searchPaths(executable:environment:)``) and loads it.
    public static func locateAndLoad(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StrengthDataError) -> StrengthData {
        let candidates = searchPaths(environment: environment)
        for directory in candidates
        where FileManager.default.fileExists(atPath: directory + "/ranked_words.tsv") {
            return try load(from: directory)
        }
        throw .notFound(searched: candidates)
    }

    /// The directories tried for the data, in order.
    ///
    /// When `$REGISTER_NEW_MATRIX_USER_ZXCVBN_DATA` is set, it is the only one: a wrong override
    /// is reported, not quietly replaced by another copy. Otherwise:
    /// 1. `<exe>/../share/register_new_matrix_user/zxcvbn`, for an installed binary.
    /// 2. `<exe>/zxcvbn`, beside a copied binary.
    /// 3. `assets/zxcvbn` in the nearest ancestor of the executable's directory that has one: a
    ///    source tree whose `.build` holds the binary, as in development and tests.
    /// 4. `assets/zxcvbn` in the source tree this file was compiled from.
    public static func searchPaths(
        executable: String? = currentExecutablePath(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        if let override = environment[environmentVariable], !override.isEmpty { return [override] }
        var paths: [String] = []
        if let executable {
            let directory = parent(executable)
            paths.append(parent(directory) + "/share/register_new_matrix_user/zxcvbn")
            paths.append(directory + "/zxcvbn")
            var ancestor = directory
            while ancestor != "/" && !ancestor.isEmpty {
                let assets = ancestor + "/assets/zxcvbn"
                if FileManager.default.fileExists(atPath: assets + "/ranked_words.tsv") {
                    paths.append(assets)
                    break
                }
                ancestor = parent(ancestor)
            }
        }
        let sourceAssets = parent(parent(parent(#filePath))) + "/assets/zxcvbn"  // Sources/Zxcvbn/StrengthData.swift
        if !paths.contains(sourceAssets) { paths.append(sourceAssets) }
        return paths
    }

    /// The running executable's resolved path (`/proc/self/exe` on Linux).
    public static func currentExecutablePath() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// The directory holding `path`: `/usr/bin` for `/usr/bin/tool`, `/` for `/usr`.
    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Reads a whole file into bytes, with one allocation and no `Data` in between.
    private static func read(_ directory: String, _ file: String) throws(StrengthDataError) -> [UInt8] {
        let path = directory + "/" + file
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .malformed("cannot open \(path)") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .malformed("cannot read \(path)") }
        let size = Int(status.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = Glibc.read(descriptor, buffer.baseAddress! + count, size - count)
                if got <= 0 {
                    if got < 0 && errno == EINTR { continue }
                    complete = false
                    break
                }
                count += got
            }
        }
        guard complete else { throw .malformed("cannot read \(path)") }
        return bytes
    }
}
