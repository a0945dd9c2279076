import Core

/// `--experimental-dump-help`: ``CommandLineOptions`` as JSON, for scripts/manpage.py, which writes
/// the manual's description and options from it. The shape is the one swift-argument-parser's
/// tools read (`command` with `abstract`, `discussion` and `arguments`, each argument with its
/// `kind`, `names`, `valueName` and `abstract`), so those tools read it too.
enum OptionsDump {
    static var json: String {
        var arguments = CommandLineOptions.shown.map { option in
            var argument = JSONObject()
            argument.field("kind", option.takesValue ? "option" : "flag")
            argument.field("names", option.shortNames.map { name(kind: "short", String($0)) }
                + option.longNames.map { name(kind: "long", $0) })
            if option.takesValue { argument.field("valueName", option.valueName) }
            argument.field("abstract", option.help)
            argument.field("shouldDisplay", true)
            return argument
        }
        var positional = JSONObject()
        positional.field("kind", "positional")
        positional.field("valueName", CommandLineOptions.serverURLName)
        positional.field("abstract", CommandLineOptions.serverURLHelp)
        positional.field("shouldDisplay", true)
        arguments.append(positional)
        var command = JSONObject()
        command.field("commandName", CommandLineOptions.commandName)
        command.field("abstract", CommandLineOptions.abstract)
        command.field("discussion", CommandLineOptions.discussion)
        command.field("arguments", arguments)
        var root = JSONObject()
        root.field("command", command)
        return root.text
    }

    private static func name(kind: String, _ name: String) -> JSONObject {
        var object = JSONObject()
        object.field("kind", kind)
        object.field("name", name)
        return object
    }
}
