/// Help text for the whole tool, a group and each command, all from the declarations.
enum Help {
    static func overview() -> String {
        var s = """
            gcp2 — record, compare and summarise Graded Care Profile 2 assessments

            Usage: gcp2 [--store DIR] <command> [options]

            Commands:

            """
        s += Layout.definitions(Commands.all.map { ("  " + $0.spec.name, $0.spec.summary) }) + "\n"
        s += "\nGlobal options (before or after the command):\n\n"
        s += Layout.definitions(Commands.globals.map { ("  " + $0.synopsis, $0.help) }) + "\n"
        s += """

            Start with `gcp2 demo` to see a worked example. `gcp2 help COMMAND` shows
            options and examples; `gcp2 completion bash|zsh|fish` prints a completion
            script.
            Exit codes: 0 success, 64 usage, 65 invalid input, 66 not found, 73 cannot
            create, 74 I/O error, 75 store busy, 1 anything else.

            """
        return s
    }

    /// The commands under a first word (`gcp2 help family`, `gcp2 family --help`).
    static func group(_ word: String) -> String {
        let commands = Commands.group(word)
        var s = "Usage: gcp2 \(word) <subcommand> [options]\n\nSubcommands:\n"
        s += Layout.definitions(commands.map { ("  " + $0.spec.path[1], $0.spec.summary) }) + "\n"
        s +=
            "\n"
            + Layout.wrapped(
                "", "`gcp2 help \(word) SUBCOMMAND` (or `gcp2 \(word) SUBCOMMAND --help`) shows its options and examples.",
                indent: "") + "\n"
        return s
    }

    /// One option in a synopsis: `--ref REF`, `[--notes TEXT]`, `[--child CHILD]…`.
    static func synopsis(_ o: OptionSpec) -> String {
        o.required ? o.synopsis : "[\(o.synopsis)]" + (o.repeatable ? "…" : "")
    }

    /// `gcp2 NAME ARGUMENTS OPTIONS`: every required option and argument; the optional options too when the line
    /// stays short, else `[options]`.
    static func usage(_ spec: CommandSpec) -> String {
        var words = ["gcp2", spec.name] + spec.arguments.map { $0.optional ? "[\($0.name)]" : $0.name }
        words += spec.options.filter(\.required).map(synopsis)
        let optional = spec.options.filter { !$0.required }.map(synopsis)
        let full = (words + optional).joined(separator: " ")
        if optional.isEmpty || full.count <= 73 { return full }  // "Usage: " and the line fit 80 columns
        return (words + ["[options]"]).joined(separator: " ")
    }

    /// An example as a shell would take it, within 80 columns: a long one continues on the next line after ` \`,
    /// broken before an option.
    static func exampleLines(_ example: String) -> String {
        // Each option with its value stays whole; a line is broken only before an option.
        let segments = example.components(separatedBy: " --").enumerated().map { $0.offset == 0 ? $0.element : "--" + $0.element }
        var lines: [String] = []
        var current = "  "
        for segment in segments {
            if current.count > 2 && current.count + 1 + segment.count + 2 > 80 {
                lines.append(current + " \\")
                current = "      " + segment
            } else {
                current += (current.count > 2 ? " " : "") + segment
            }
        }
        return (lines + [current]).joined(separator: "\n")
    }

    /// The help text of one command: summary, usage, discussion, arguments, options and examples.
    static func command(_ spec: CommandSpec) -> String {
        var s = Layout.wrapped("", spec.summary, indent: "") + "\n\nUsage: \(usage(spec))\n"
        if !spec.discussion.isEmpty { s += "\n" + Layout.wrapped("", spec.discussion, indent: "") + "\n" }
        if !spec.arguments.isEmpty {
            s += "\nArguments:\n"
            s +=
                Layout.definitions(
                    spec.arguments.map { ("  " + $0.name, $0.help + ($0.optional ? " (optional)" : "")) }) + "\n"
        }
        s += "\nOptions:\n"
        if !spec.options.isEmpty { s += Layout.definitions(spec.options.map { ("  " + $0.synopsis, describe($0)) }) + "\n" }
        s += Layout.wrapped("  ", Commands.globals.map(\.synopsis).joined(separator: ", ") + ": see `gcp2 help`", indent: "  ")
        s += "\n"
        s += "\nExamples:\n" + spec.examples.map(exampleLines).joined(separator: "\n") + "\n"
        return s
    }

    /// An option's help with what the declaration adds: required, repeatable.
    static func describe(_ o: OptionSpec) -> String {
        o.help + (o.required ? " (required)" : "") + (o.repeatable ? " (repeatable)" : "")
    }

    /// The command reference of Docs/cli.md, in Markdown: a heading, the usage, the options and the examples of
    /// every command. A test checks the document holds exactly this text.
    static func markdownReference() -> String {
        var s = ""
        for c in Commands.all.map(\.spec) {
            s += "### `gcp2 \(c.name)`\n\n\(c.summary.prefix(1).uppercased() + c.summary.dropFirst()).\n\n"
            s += "```\n\(usage(c))\n```\n\n"
            if !c.discussion.isEmpty { s += c.discussion + "\n\n" }
            for a in c.arguments { s += "- `\(a.name)`: \(a.help)\(a.optional ? " (optional)" : "")\n" }
            for o in c.options { s += "- `\(o.synopsis)`: \(describe(o))\n" }
            if !c.arguments.isEmpty || !c.options.isEmpty { s += "\n" }
            s += "Examples:\n\n```\n" + c.examples.joined(separator: "\n") + "\n```\n\n"
        }
        return s
    }
}
