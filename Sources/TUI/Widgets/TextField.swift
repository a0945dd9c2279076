/// An editing operation on a text field.
package enum TextEdit: Sendable, Hashable {
    case insert(Character)
    case moveLeft, moveRight, moveToStart, moveToEnd
    case deleteBackward, deleteForward
    /// Ctrl-U: deletes everything before the cursor, as shells and readline do.
    case deleteToStart
}

/// The text and cursor of one input field: the part of a field that outlives a frame.
///
/// A masked field (a password) hides its text from `description`, `debugDescription` and
/// reflection, so a failing test or a debug print cannot reveal it.
package struct TextField: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    package private(set) var characters: [Character]
    /// The cursor as a character offset, `0...characters.count`.
    package private(set) var cursor: Int
    package let isMasked: Bool
    /// The most characters the field accepts.
    package let capacity: Int

    package init(_ text: String = "", masked: Bool = false, capacity: Int = 512) {
        self.characters = Array(text.prefix(capacity))
        self.cursor = characters.count
        self.isMasked = masked
        self.capacity = capacity
    }

    package var text: String { String(characters) }
    package var isEmpty: Bool { characters.isEmpty }

    /// Replaces the text and puts the cursor at its end.
    package mutating func setText(_ text: String) {
        characters = Array(text.prefix(capacity))
        cursor = characters.count
    }

    /// Applies an edit.
    /// - Returns: Whether the text changed (a cursor move alone returns false).
    @discardableResult
    package mutating func apply(_ edit: TextEdit) -> Bool {
        switch edit {
        case .insert(let character):
            guard characters.count < capacity, character.terminalWidth > 0 else { return false }
            characters.insert(character, at: cursor)
            cursor += 1
            return true
        case .moveLeft: cursor = max(cursor - 1, 0)
        case .moveRight: cursor = min(cursor + 1, characters.count)
        case .moveToStart: cursor = 0
        case .moveToEnd: cursor = characters.count
        case .deleteBackward:
            guard cursor > 0 else { return false }
            characters.remove(at: cursor - 1)
            cursor -= 1
            return true
        case .deleteForward:
            guard cursor < characters.count else { return false }
            characters.remove(at: cursor)
            return true
        case .deleteToStart:
            guard cursor > 0 else { return false }
            characters.removeFirst(cursor)
            cursor = 0
            return true
        }
        return false
    }

    package var description: String { isMasked ? "<redacted>" : text }
    package var debugDescription: String { isMasked ? "TextField(<redacted>)" : "TextField(\(text.debugDescription), cursor: \(cursor))" }
    package var customMirror: Mirror {
        isMasked ? Mirror(self, children: []) : Mirror(self, children: ["text": text, "cursor": cursor])
    }
}
