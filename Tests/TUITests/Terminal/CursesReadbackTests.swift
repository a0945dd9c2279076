import Glibc
import Testing
@testable import TUI

/// Draws rendered screens through ncurses onto /dev/null and reads them back from its window,
/// as tig's `save-display` does: the thin layer puts every cell, wide ones included, where the
/// grid says, and a second frame that changes a few cells leaves the rest intact.
@Suite("Curses read-back", .serialized)
struct CursesReadbackTests {
    @Test func whatIsDrawnIsWhatNcursesHolds() throws {
        guard let output = fopen("/dev/null", "w"), let input = fopen("/dev/null", "r") else {
            Issue.record("cannot open /dev/null")
            return
        }
        defer {
            fclose(output)
            fclose(input)
        }
        let terminal = try CursesTerminal(testingType: "xterm-256color", output: output, input: input)
        defer { terminal.restore() }
        #expect(terminal.size == .standard)

        var driver = WizardDriver()
        driver.type("bob")
        driver.press(.tab)
        driver.type(terminal.usesASCII ? "Bob Smith" : "Bob 用户")
        var screen = WizardView.render(driver.state, ascii: terminal.usesASCII)
        terminal.draw(screen)
        #expect(terminal.readBack() == screen.lines)

        driver.press(.backTab, .backspace)
        screen = WizardView.render(driver.state, ascii: terminal.usesASCII)
        terminal.draw(screen)
        #expect(terminal.readBack() == screen.lines)
    }
}
