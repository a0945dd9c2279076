/// The symbols the wizard draws with, in a UTF-8 set and an ASCII set for other locales.
struct Glyphs: Sendable, Equatable {
    var mask: Character
    var pass: String
    var fail: String
    var warning: String
    var bullet: String
    var focus: String
    var stepSeparator: String
    var rule: Character
    var barFilled: Character
    var barEmpty: Character
    var checked: String
    var unchecked: String
    var selected: String
    var unselected: String
    var ellipsis: String
    var spinner: [String]
    var box: Box

    /// The pieces of a frame.
    struct Box: Sendable, Equatable {
        var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character
    }

    static let unicode = Glyphs(
        mask: "•", pass: "✓", fail: "✗", warning: "⚠", bullet: "•", focus: "›", stepSeparator: "›", rule: "─",
        barFilled: "█", barEmpty: "░", checked: "[x]", unchecked: "[ ]", selected: "(•)", unselected: "( )",
        ellipsis: "…", spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        box: Box(topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│"))

    static let ascii = Glyphs(
        mask: "*", pass: "+", fail: "x", warning: "!", bullet: "-", focus: ">", stepSeparator: ">", rule: "-",
        barFilled: "#", barEmpty: "-", checked: "[x]", unchecked: "[ ]", selected: "(*)", unselected: "( )",
        ellipsis: "...", spinner: ["|", "/", "-", "\\"],
        box: Box(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|"))
}
