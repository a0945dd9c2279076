/// The symbols the wizard draws with, in a UTF-8 set and an ASCII set for other locales.
public struct Glyphs: Sendable, Equatable {
    public var mask: Character
    public var pass: String
    public var fail: String
    public var warning: String
    public var bullet: String
    public var focus: String
    public var stepSeparator: String
    public var rule: Character
    public var barFilled: Character
    public var barEmpty: Character
    public var checked: String
    public var unchecked: String
    public var selected: String
    public var unselected: String
    public var ellipsis: String
    public var spinner: [String]
    public var box: Box

    /// The pieces of a frame.
    public struct Box: Sendable, Equatable {
        public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character
    }

    public static let unicode = Glyphs(
        mask: "•", pass: "✓", fail: "✗", warning: "⚠", bullet: "•", focus: "›", stepSeparator: "›", rule: "─",
        barFilled: "█", barEmpty: "░", checked: "[x]", unchecked: "[ ]", selected: "(•)", unselected: "( )",
        ellipsis: "…", spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        box: Box(topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│"))

    public static let ascii = Glyphs(
        mask: "*", pass: "+", fail: "x", warning: "!", bullet: "-", focus: ">", stepSeparator: ">", rule: "-",
        barFilled: "#", barEmpty: "-", checked: "[x]", unchecked: "[ ]", selected: "(*)", unselected: "( )",
        ellipsis: "...", spinner: ["|", "/", "-", "\\"],
        box: Box(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|"))
}
