import Testing
@testable import Core

/// NFKC as Python's `unicodedata.normalize("NFKC", …)` gives it (the expected scalars are Python 3.11's).
@Suite struct NFKCTests {
    @Test(arguments: [
        ("\u{FB01}", [0x66, 0x69]),  // ﬁ ligature
        ("\u{FF21}\u{FF42}\u{FF43}\u{FF11}", [0x41, 0x62, 0x63, 0x31]),  // full-width
        ("\u{210C}", [0x48]), ("\u{2460}", [0x31]), ("\u{BD}", [0x31, 0x2044, 0x32]), ("\u{3392}", [0x4D, 0x48, 0x7A]),
        ("e\u{301}", [0xE9]),  // composed, as NFC does
        ("\u{FF76}\u{FF9E}", [0x30AC]),  // half-width katakana and voiced mark compose
        ("\u{212B}", [0xC5]),  // ångström sign, a canonical singleton
        ("\u{1E9B}\u{323}", [0x1E69]),  // compatibility mapping, then reordering and composition
        ("\u{1100}\u{1161}\u{11A8}", [0xAC01]),  // Hangul jamo compose
        ("x\u{327}\u{301}", [0x78, 0x327, 0x301]), ("Stra\u{DF}e", [0x53, 0x74, 0x72, 0x61, 0xDF, 0x65]),
        ("plain ascii", Array("plain ascii".unicodeScalars.map(\.value))),
    ] as [(String, [UInt32])])
    func normalizesAsPython(_ text: String, _ expected: [UInt32]) {
        #expect(text.nfkc.unicodeScalars.map(\.value) == expected)
    }
}
