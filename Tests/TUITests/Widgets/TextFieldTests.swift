import Testing
@testable import TUI

@Suite("Text field editing")
struct TextFieldTests {
    @Test func cursorEditing() {
        var field = TextField("held")
        field.apply(.moveLeft)
        field.apply(.moveLeft)
        field.apply(.insert("l"))
        #expect(field.text == "helld")
        field.apply(.moveToStart)
        field.apply(.deleteForward)
        #expect(field.text == "elld")
        field.apply(.moveToEnd)
        field.apply(.deleteBackward)
        #expect(field.text == "ell")
        #expect(field.cursor == 3)
    }

    @Test func controlUDeletesBeforeTheCursor() {
        var field = TextField("user name")
        for _ in 0..<4 { field.apply(.moveLeft) }
        field.apply(.deleteToStart)
        #expect(field.text == "name")
        #expect(field.cursor == 0)
    }

    @Test func theCapacityHolds() {
        var field = TextField("1234", capacity: 5)
        let fits = field.apply(.insert("5"))
        let overflows = field.apply(.insert("6"))
        #expect(fits)
        #expect(!overflows)
        #expect(field.text == "12345")
    }

    @Test func aMaskedFieldNeverPrintsItsText() {
        let field = TextField("hunter2", masked: true)
        #expect(String(describing: field) == "<redacted>")
        #expect(String(reflecting: field) == "TextField(<redacted>)")
        var dumped = ""
        dump(field, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }
}
