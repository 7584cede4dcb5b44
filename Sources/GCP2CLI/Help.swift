/// Help text for the whole tool and for each command.
enum Help {
    static func overview() -> String {
        var s = """
            gcp2 — record, compare and summarise Graded Care Profile 2 assessments

            Usage: gcp2 [--store DIR] <command> [options]

            Commands:

            """
        s += Layout.definitions(Commands.all.map { ("  " + $0.spec.name, $0.spec.summary) }) + "\n"
        s += """

            Global options:

            """
        s +=
            Layout.definitions([
                ("  --store DIR", "the store folder (default: $GCP2_STORE, else ~/.local/share/gcp2)"),
                ("  --json", "print the documented JSON instead of text (commands that read)"),
                ("  --actor NAME", "who is making a change, for the audit log (default: $GCP2_ACTOR or $USER)"),
                ("  --ignore-integrity", "read documents that differ from what the store recorded (with a warning)"),
                ("  --help", "help for a command; --version prints the version"),
            ]) + "\n"
        s += """

            Start with `gcp2 demo` to see a worked example. `gcp2 help COMMAND` shows
            options and examples.
            Exit codes: 0 success, 64 usage, 65 invalid input, 66 not found, 73 cannot
            create, 74 I/O error, 75 store busy, 1 anything else.

            """
        return s
    }

    static func command(_ spec: CommandSpec) -> String {
        var usage = "gcp2 \(spec.name)"
        for p in spec.positionals { usage += p.optional ? " [\(p.name)]" : " \(p.name)" }
        if !spec.options.isEmpty { usage += " [options]" }
        var s = Layout.wrapped("", spec.summary, indent: "") + "\n\nUsage: \(usage)\n"
        if !spec.discussion.isEmpty { s += "\n" + Layout.wrapped("", spec.discussion, indent: "") + "\n" }
        if !spec.options.isEmpty {
            s += "\nOptions:\n"
            s +=
                Layout.definitions(
                    spec.options.map {
                        ("  --\($0.name)" + ($0.value.map { " \($0)" } ?? ""), $0.help + ($0.repeatable ? " (repeatable)" : ""))
                    }) + "\n"
        }
        s += "  --store DIR, --json, --actor NAME, --ignore-integrity, --help: `gcp2 help`\n"
        if !spec.examples.isEmpty {
            s += "\nExamples:\n" + spec.examples.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        return s
    }
}
