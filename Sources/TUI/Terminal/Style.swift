/// What a cell means, which the terminal maps to a colour or, without colour, to an attribute.
///
/// The renderer never picks colours: it names a role, and every role also reads correctly in
/// monochrome because the meaning is carried by text and glyphs as well.
package enum Role: UInt8, Sendable, Hashable, CaseIterable {
    case normal
    /// Titles and the focused control.
    case accent
    /// Things that are fine: a free user ID, a passed rule, a strong password.
    case good
    /// Things to look at twice: a weak password, an admin account.
    case warning
    /// Things that stop the form: an invalid value, a failed rule.
    case bad
    /// Secondary text: hints, placeholders, disabled controls.
    case muted
}

/// The look of one cell: a role and a few attributes.
package struct Style: Sendable, Hashable {
    package var role: Role
    package var bold: Bool
    package var reverse: Bool
    package var underline: Bool

    package init(_ role: Role = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    package static let plain = Style()
    package static let accent = Style(.accent)
    package static let good = Style(.good)
    package static let warning = Style(.warning)
    package static let bad = Style(.bad)
    package static let muted = Style(.muted)

    /// This style with bold switched on.
    package var bolded: Style { var copy = self; copy.bold = true; return copy }
    /// This style with reverse video switched on.
    package var reversed: Style { var copy = self; copy.reverse = true; return copy }
    /// This style with underline switched on.
    package var underlined: Style { var copy = self; copy.underline = true; return copy }
}
