import Testing
@testable import TUI

@Suite("Screen grid")
struct ScreenTests {
    @Test func wideCharactersTakeTwoCells() {
        var screen = Screen(size: Size(columns: 10, rows: 1))
        let end = screen.put("a用b", column: 0, row: 0)
        #expect(end == 4)
        #expect(screen[2, 0].isContinuation)
        #expect(screen.lines == ["a用b"])
    }

    @Test func aWideCharacterThatDoesNotFitBecomesABlank() {
        var screen = Screen(size: Size(columns: 4, rows: 1))
        screen.put("abc用", column: 0, row: 0)
        #expect(screen.lines == ["abc"])
        #expect(!screen[3, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterClearsTheOtherHalf() {
        var screen = Screen(size: Size(columns: 6, rows: 1))
        screen.put("用用", column: 0, row: 0)
        screen.put("x", column: 1, row: 0)
        #expect(screen.lines == [" x用"])
        #expect(!screen[1, 0].isContinuation)
    }

    @Test func textIsClippedToTheLimitAndTheScreen() {
        var screen = Screen(size: Size(columns: 8, rows: 2))
        screen.put("abcdefgh", column: 2, row: 0, limit: 3)
        screen.put("abcdefgh", column: 5, row: 1)
        screen.put("ignored", column: 0, row: 5)
        #expect(screen.lines == ["  abc", "     abc"])
    }

    @Test(arguments: [("a", 1), ("é", 1), ("e\u{301}", 1), ("用", 2), ("😀", 2), ("\u{7}", 0), ("•", 1)])
    func characterWidths(_ character: String, _ width: Int) {
        #expect(Character(character).terminalWidth == width)
    }

    @Test func wrappingBreaksAtSpaces() {
        #expect("one two three four".wrapped(to: 9) == ["one two", "three", "four"])
        #expect("abcdefghij".wrapped(to: 4) == ["abcd", "efgh", "ij"])
    }
}
