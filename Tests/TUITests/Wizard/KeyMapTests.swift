import Testing
@testable import TUI

@Suite("Key map")
struct KeyMapTests {
    @Test func theHelpLineComesFromTheBindingsInForce() {
        var driver = WizardDriver()
        let help = KeyMap.bindings(for: driver.state).filter { !$0.help.isEmpty }.map(\.help)
        #expect(help == ["next", "next", "previous", "clear", "cancel", "quit"])
        driver.completeAccount()
        driver.completePassword()
        let toggle = KeyMap.bindings(for: driver.state).filter { !$0.help.isEmpty }.map(\.help)
        #expect(toggle == ["next", "next", "previous", "toggle", "back", "quit"])
    }

    @Test func charactersAreTextOnlyInTextFields() {
        var driver = WizardDriver()
        #expect(KeyMap.action(for: .character("q"), in: driver.state) == .edit(.insert("q")))
        driver.completeAccount()
        driver.completePassword()
        #expect(KeyMap.action(for: .character("q"), in: driver.state) == nil)
        #expect(KeyMap.action(for: .space, in: driver.state) == .toggle)
    }
}
