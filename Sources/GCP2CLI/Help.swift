/// Help text for the whole tool and for each command.
enum Help {
    static func overview() -> String {
        var s = """
            gcp2 — record, compare and summarise Graded Care Profile 2 assessments

            Usage: gcp2 [--store DIR] <command> [options]

            Commands:

            """
        let rows = Commands.all.map { ["  " + $0.spec.name, $0.spec.summary] }
        s += Layout.table(rows, indent: "") + "\n"
        s += """

            Global options:
              --store DIR   the store folder (default: $GCP2_STORE, else ~/.local/share/gcp2)
              --json        print the documented JSON instead of text (commands that read)
              --actor NAME  who is making a change, for the audit log (default: $GCP2_ACTOR or $USER)
              --ignore-integrity  read documents that differ from what the store recorded (with a warning)
              --help        help for a command; --version prints the version

            Start with `gcp2 demo` to see a worked example. `gcp2 help COMMAND` shows options and examples.
            Exit codes: 0 success, 64 usage, 65 invalid input, 66 not found, 73 cannot create,
            74 I/O error, 75 store busy, 1 anything else.

            """
        return s
    }

    static func command(_ spec: CommandSpec) -> String {
        var usage = "gcp2 \(spec.name)"
        for p in spec.positionals { usage += p.optional ? " [\(p.name)]" : " \(p.name)" }
        if !spec.options.isEmpty { usage += " [options]" }
        var s = "\(spec.summary)\n\nUsage: \(usage)\n"
        if !spec.discussion.isEmpty { s += "\n\(spec.discussion)\n" }
        if !spec.options.isEmpty {
            s += "\nOptions:\n"
            s +=
                Layout.table(
                    spec.options.map {
                        ["  --\($0.name)" + ($0.value.map { " \($0)" } ?? ""), $0.help + ($0.repeatable ? " (repeatable)" : "")]
                    },
                    indent: "") + "\n"
        }
        s += "  --store DIR, --json, --actor NAME, --ignore-integrity, --help: see `gcp2 help`\n"
        if !spec.examples.isEmpty {
            s += "\nExamples:\n" + spec.examples.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        return s
    }
}
