// MARK: - Character classes, as zxcvbn's regular expressions and Python's str methods see them

/// The lowercase form of one scalar when it is a single scalar, else the scalar itself.
///
/// Used where one character must stay one character, as in the listed form of a matched word.
@inline(__always)
func lowercaseScalar(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    let value = scalar.value
    if value < 0x80 {
        return (0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar
    }
    guard scalar.properties.changesWhenLowercased else { return scalar }
    let mapping = scalar.properties.lowercaseMapping.unicodeScalars
    return mapping.count == 1 ? mapping.first! : scalar
}

/// `units` lowercased as Python's `str.lower` does, where one character may become several.
///
/// Only U+0130 (İ, to `i` + U+0307) grows today. zxcvbn lowercases the whole password and then
/// slices the result by the original indices, so after an İ its lowercase text is shifted by
/// one; the matchers keep that, to score as zxcvbn does. Python's final-sigma rule is not
/// applied: σ and ς cannot meet the ASCII word lists either way.
func pythonLowercase<S: Sequence<UInt32>>(_ units: S) -> [UInt32] {
    var result: [UInt32] = []
    result.reserveCapacity(units.underestimatedCount)
    for unit in units {
        if unit < 0x80 {
            result.append(unit.isASCIIUppercase ? unit + 0x20 : unit)
        } else if let scalar = Unicode.Scalar(unit), scalar.properties.changesWhenLowercased {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars.map(\.value))
        } else {
            result.append(unit)
        }
    }
    return result
}

extension UInt32 {
    /// Whether this code unit is an ASCII uppercase letter, `[A-Z]`.
    @inline(__always) var isASCIIUppercase: Bool { (0x41...0x5A).contains(self) }

    /// Whether this code unit is an ASCII lowercase letter, `[a-z]`.
    @inline(__always) var isASCIILowercase: Bool { (0x61...0x7A).contains(self) }

    /// The value of a decimal digit in any script, as Python's `\d` and `int()` read it.
    @inline(__always) var decimalDigitValue: Int? {
        if (0x30...0x39).contains(self) { return Int(self - 0x30) }
        guard self >= 0x80, let scalar = Unicode.Scalar(self),
            scalar.properties.generalCategory == .decimalNumber,
            let value = scalar.properties.numericValue
        else { return nil }
        return Int(value)
    }

    /// Whether this is a Unicode uppercase letter, as Python's `str.isupper` sees one character.
    var isUppercaseLetter: Bool {
        if self < 0x80 { return isASCIIUppercase }
        return Unicode.Scalar(self)?.properties.isUppercase ?? false
    }

    /// Whether this is a Unicode lowercase letter, as Python's `str.islower` sees one character.
    var isLowercaseLetter: Bool {
        if self < 0x80 { return isASCIILowercase }
        return Unicode.Scalar(self)?.properties.isLowercase ?? false
    }

    /// Whether this matches Python's `\s` in a `str` pattern.
    var isPythonWhitespace: Bool {
        if self < 0x80 { return self == 0x20 || (0x09...0x0D).contains(self) || (0x1C...0x1F).contains(self) }
        return Unicode.Scalar(self)?.properties.isWhitespace ?? false
    }
}

// MARK: - Password text

/// A password as the matchers read it: code points, and its lowercase form.
struct PasswordText: Sendable {
    /// The password's Unicode scalar values.
    let units: [UInt32]
    /// ``pythonLowercase(_:)`` of `units`: as long as `units` or longer, and read at the same
    /// indices, as zxcvbn reads its lowercased password.
    let lowered: [UInt32]

    init(_ units: [UInt32]) {
        self.units = units
        self.lowered = pythonLowercase(units)
    }

    var count: Int { units.count }

    /// The password's characters `i...j` as a `String`.
    func string(_ i: Int, _ j: Int) -> String {
        var result = String.UnicodeScalarView()
        for unit in units[i...j] { result.append(Unicode.Scalar(unit)!) }
        return String(result)
    }
}
