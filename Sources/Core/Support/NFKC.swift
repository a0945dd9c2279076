/// Unicode normalization form KC, as Python's `unicodedata.normalize("NFKC", …)` computes it.
///
/// Synapse hashes NFKC(password) and indexes NFKC(lower-cased name) for the user directory, so
/// the tool must normalise exactly as it does. Foundation's normalisation needs ICU and its 37 MB
/// of data; this needs only the compatibility decompositions (``table``, generated from Python's
/// own `unicodedata`) and the standard library's NFC: replacing every scalar by its full
/// compatibility decomposition gives a text canonically equivalent to NFKD, and NFC of that is NFKC.
enum NFKC {
    static func normalize(_ text: String) -> String {
        // ASCII is already in every normal form, and is almost every password.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var decomposed = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let mapping = decompositions[scalar.value] {
                decomposed.append(contentsOf: mapping)
            } else {
                decomposed.append(scalar)
            }
        }
        return String(decoding: String(decomposed)._nfcCodeUnits, as: UTF8.self)
    }

    /// ``table`` read once, on the first text that is not ASCII.
    private static let decompositions: [UInt32: [Unicode.Scalar]] = {
        var map: [UInt32: [Unicode.Scalar]] = [:]
        map.reserveCapacity(4096)
        for line in table.utf8.split(separator: UInt8(ascii: "\n")) {
            let values = line.split(separator: UInt8(ascii: " ")).compactMap { UInt32(Substring(decoding: $0, as: UTF8.self), radix: 16) }
            guard let scalar = values.first else { continue }
            map[scalar] = values.dropFirst().compactMap(Unicode.Scalar.init)
        }
        return map
    }()
}

extension String {
    /// This text in Unicode normalization form KC (see ``NFKC``).
    package var nfkc: String { NFKC.normalize(self) }
}
