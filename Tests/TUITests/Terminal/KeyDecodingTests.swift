import Testing
@testable import TUI

@Suite("Key decoding")
struct KeyDecodingTests {
    @Test(arguments: [
        (UInt32(3), Key.controlC), (21, .controlU), (9, .tab), (13, .enter), (10, .enter), (27, .escape),
        (127, .backspace), (8, .backspace), (32, .space), (0x61, .character("a")), (0xE9, .character("é")),
    ])
    func characters(_ value: UInt32, _ key: Key) {
        #expect(CursesTerminal.decodeCharacter(value) == key)
    }

    @Test func otherControlCharactersAreDropped() {
        #expect(CursesTerminal.decodeCharacter(1) == nil)
        #expect(CursesTerminal.decodeCharacter(31) == nil)
    }
}
