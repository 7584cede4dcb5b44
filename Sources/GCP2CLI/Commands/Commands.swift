/// A command: its spec and what it does.
struct Command: Sendable {
    var spec: CommandSpec
    var run: @Sendable (Context) throws -> Void
}

/// The command table of `gcp2` (product brief, "The command line").
enum Commands {
    static let globals: [OptionSpec] = [
        OptionSpec(name: "store", value: "DIR", help: "the store folder"),
        OptionSpec(name: "json", value: nil, help: "print JSON"),
        OptionSpec(name: "actor", value: "NAME", help: "who makes the change"),
        OptionSpec(
            name: "ignore-integrity", value: nil,
            help: "read documents that differ from what the store recorded for them (with a warning)"),
        OptionSpec(name: "help", value: nil, help: "show help"),
        OptionSpec(name: "version", value: nil, help: "show the version"),
    ]

    static func spec(
        _ path: String, _ positionals: [(String, Bool)] = [], _ options: [OptionSpec] = [], _ summary: String,
        discussion: String = "", examples: [String] = []
    ) -> CommandSpec {
        CommandSpec(
            path: path.split(separator: " ").map(String.init), positionals: positionals.map { (name: $0.0, optional: $0.1) },
            options: options, summary: summary, discussion: discussion, examples: examples)
    }

    static let all: [Command] = [
        Command(
            spec: spec(
                "init", [],
                [
                    OptionSpec(name: "policy", value: "FILE", help: "a JSON policy to use instead of the defaults"),
                    OptionSpec(name: "instrument", value: "FILE", help: "a licensee's full instrument instead of gcp2-structure"),
                ],
                "create a store",
                examples: ["gcp2 --store ./cases init", "gcp2 --store ./cases init --instrument our-gcp2.json"]),
            run: StoreCommands.initStore),
        Command(
            spec: spec(
                "family add", [],
                [
                    OptionSpec(name: "ref", value: "REF", help: "the local case reference (required)"),
                    OptionSpec(name: "notes", value: "TEXT", help: "household notes"),
                ], "add a family (a case)", examples: ["gcp2 family add --ref NB-2291"]), run: FamilyCommands.add),
        Command(
            spec: spec(
                "family list", [],
                [OptionSpec(name: "ref", value: "TEXT", help: "only families whose reference contains TEXT (any case)")],
                "list the families in the store", examples: ["gcp2 family list", "gcp2 family list --ref NB-22"]),
            run: FamilyCommands.list),
        Command(
            spec: spec("family show", [("FAMILY", false)], [], "a family's children, carers and assessments"),
            run: FamilyCommands.show),
        Command(
            spec: spec(
                "child add", [("FAMILY", false)],
                [
                    OptionSpec(name: "name", value: "NAME", help: "the child's name (required)"),
                    OptionSpec(name: "born", value: "DATE", help: "date of birth, YYYY-MM-DD (required)"),
                    OptionSpec(name: "expected", value: nil, help: "--born is the expected date of an unborn baby"),
                    OptionSpec(
                        name: "father-not-recorded", value: "REASON",
                        help: "why no father is recorded: unknown, deceased, no-contact or other"),
                    OptionSpec(name: "father-text", value: "TEXT", help: "the reason in words (required for other)"),
                ], "add a child to a family", examples: ["gcp2 child add f-k2m9q7 --name 'Rae Example' --born 2019-05-04"]),
            run: FamilyCommands.addChild),
        Command(
            spec: spec(
                "child father-not-recorded", [("CHILD", false)],
                [
                    OptionSpec(name: "reason", value: "R", help: "unknown, deceased, no-contact or other (required)"),
                    OptionSpec(name: "text", value: "TEXT", help: "the reason in words (required for other)"),
                ], "record why no father of a child is recorded among the carers",
                examples: ["gcp2 child father-not-recorded f-k2m9q7-c1 --reason no-contact"]),
            run: FamilyCommands.fatherNotRecorded),
        Command(
            spec: spec(
                "carer add", [("FAMILY", false)],
                [
                    OptionSpec(name: "name", value: "NAME", help: "the carer's name (required)"),
                    OptionSpec(
                        name: "relationship", value: "R",
                        help:
                            "mother, father, stepmother, stepfather, mothers-partner, fathers-partner, grandparent, aunt, uncle, sibling, foster-carer, kinship-carer or other"
                    ),
                    OptionSpec(
                        name: "child", value: "CHILD", repeatable: true,
                        help: "related to this child only, by --relationship (default: every child)"),
                    OptionSpec(
                        name: "child-relationship", value: "CHILD=R", repeatable: true,
                        help: "related to this child by R (a stepfather to one child, father of another)"),
                    OptionSpec(name: "non-resident", value: nil, help: "a parent who does not live with the children"),
                    OptionSpec(name: "gender", value: "G", help: "male, female or other (father and stepfather are male)"),
                ], "add a carer to a family",
                examples: [
                    "gcp2 carer add f-k2m9q7 --name 'Lou Example' --relationship stepfather",
                    "gcp2 carer add f-k2m9q7 --name 'Ash Example' --relationship father --child f-k2m9q7-c1 --non-resident",
                ]),
            run: FamilyCommands.addCarer),
        Command(
            spec: spec(
                "template", [("FAMILY", false)],
                [
                    OptionSpec(name: "child", value: "CHILD", repeatable: true, help: "only these children (default: all born)"),
                    OptionSpec(name: "date", value: "DATE", help: "the assessment date the ages are taken at (default: today)"),
                ], "print a draft assessment to fill in, with the items that apply at each child's age",
                discussion:
                    "Fill in each rating's kind (graded, not-applicable or not-scored), grade, evidence or reason, then `gcp2 record FILE`.",
                examples: ["gcp2 template f-k2m9q7 > visit.json", "gcp2 record visit.json"]), run: AssessmentCommands.template),
        Command(
            spec: spec(
                "record", [("FILE", true)],
                [
                    OptionSpec(name: "final", value: nil, help: "finalise in the same step (every item rated, with evidence)"),
                    OptionSpec(
                        name: "interactive", value: "FAMILY", help: "ask item by item at the terminal; resumes a saved draft"),
                ], "validate an assessment, compute the profiles and store it (draft unless --final)",
                discussion:
                    "Every problem in the file is reported at once with its JSON path; nothing is stored until all are fixed.",
                examples: ["gcp2 record visit.json", "gcp2 record visit.json --final", "gcp2 record --interactive f-k2m9q7"]),
            run: AssessmentCommands.record),
        Command(
            spec: spec("finalise", [("ASSESSMENT", false)], [], "make a draft final; it can never be edited again"),
            run: AssessmentCommands.finalise),
        Command(
            spec: spec(
                "amend", [("ASSESSMENT", false), ("FILE", false)],
                [OptionSpec(name: "reason", value: "R", help: "why (required)")],
                "store a corrected version that supersedes a final assessment",
                examples: ["gcp2 amend f-k2m9q7-a2 corrected.json --reason 'Hygiene grade typed as 2, was 3'"]),
            run: AssessmentCommands.amend),
        Command(
            spec: spec(
                "withdraw", [("ASSESSMENT", false)], [OptionSpec(name: "reason", value: "R", help: "why (required)")],
                "mark an assessment entered in error; it stays on record but leaves every series"),
            run: AssessmentCommands.withdraw),
        Command(
            spec: spec(
                "show", [("ASSESSMENT", false)],
                [
                    OptionSpec(name: "child", value: "CHILD", repeatable: true, help: "only these children"),
                    OptionSpec(name: "evidence", value: nil, help: "include each item's evidence and reasons"),
                    OptionSpec(name: "assessment-version", value: "N", help: "a stored version other than the latest"),
                ], "one assessment's profiles: grades, bands, strengths, concerns, targets"),
            run: ReportCommands.show),
        Command(spec: spec("history", [("CHILD", false)], [], "a child's assessments over time"), run: ReportCommands.history),
        Command(
            spec: spec(
                "compare", [("A", true), ("B", true)],
                [
                    OptionSpec(name: "child", value: "CHILD", help: "the child (required)"),
                    OptionSpec(name: "items", value: nil, help: "show item rows as well"),
                ], "compare two assessments of a child (default: the latest two)",
                examples: ["gcp2 compare --child f-k2m9q7-c1", "gcp2 compare f-k2m9q7-a1 f-k2m9q7-a4 --child f-k2m9q7-c1"]),
            run: ReportCommands.compare),
        Command(
            spec: spec(
                "summary", [("CHILD", true)],
                [
                    OptionSpec(name: "family", value: "FAMILY", help: "siblings side by side"),
                    OptionSpec(name: "as-of", value: "DATE", help: "review as of this date (default: today)"),
                    OptionSpec(
                        name: "format", value: "FORMAT",
                        help: "text (default) or json; with --family also markdown or csv (one row per child)"),
                ], "trends and flags over a child's whole series, or a family's",
                examples: [
                    "gcp2 summary f-k2m9q7-c1", "gcp2 summary --family f-k2m9q7",
                    "gcp2 summary --family f-k2m9q7 --format markdown",
                ]),
            run: ReportCommands.summary),
        Command(
            spec: spec(
                "caseload", [],
                [OptionSpec(name: "as-of", value: "DATE", help: "as of this date (default: today)")] + CaseloadQuery.options,
                "the supervisor's view: one line per child, most severe first, with counts per flag",
                discussion:
                    "Filters combine: every option must hold, and a repeated option holds if any of its values does. Docs/cli.md lists the CSV columns.",
                examples: [
                    "gcp2 caseload --flag drift --overdue --sort overdue --wide",
                    "gcp2 caseload --team east --by family --limit 10",
                    "gcp2 caseload --area safety --grade-from 4 --format csv > safety.csv",
                ]),
            run: ReportCommands.caseload),
        Command(
            spec: spec(
                "validate", [("FILE", false)], [OptionSpec(name: "final", value: nil, help: "check as if finalising")],
                "check an assessment file without storing it"),
            run: AssessmentCommands.validate),
        Command(spec: spec("instrument show", [], [], "the instrument new assessments use"), run: StoreCommands.instrumentShow),
        Command(
            spec: spec("instrument validate", [("FILE", false)], [], "check an instrument file"),
            run: StoreCommands.instrumentValidate),
        Command(
            spec: spec(
                "doctor", [],
                [
                    OptionSpec(
                        name: "repair", value: nil,
                        help: "rebuild stale index entries, restore modes and remove temp files (exit 65 while problems remain)"),
                    OptionSpec(
                        name: "head", value: nil, help: "print the audit chain's head (SEQ:DIGEST) to keep outside the store"),
                    OptionSpec(
                        name: "expect-head", value: "SEQ:DIGEST",
                        help: "check the audit log still holds this entry (a head kept outside the store)"),
                ],
                "check every document, reference, the index and the audit chain",
                discussion:
                    "Keep the output of `gcp2 doctor --head` somewhere the store's writers cannot change; `gcp2 doctor --expect-head` with it later finds even a consistent rewrite of the store.",
                examples: ["gcp2 doctor", "gcp2 doctor --repair", "gcp2 doctor --head", "gcp2 doctor --expect-head 42:3f9a…"]),
            run: StoreCommands.doctor),
        Command(
            spec: spec(
                "demo", [], [], "build a sample store with an invented family and walk through record, compare and summary",
                discussion: "Uses a temporary folder unless --store is given."),
            run: Demo.run),
        ReportHTMLCommands.familyCommand,
        ReportHTMLCommands.caseloadCommand,
        DecisionCommands.addCommand,
        DecisionCommands.listCommand,
    ]

    static var names: [String] { Array(Set(all.map { $0.spec.path[0] })).sorted() + ["help"] }

    /// The command whose path is the longest prefix of `words`.
    static func find(_ words: [String]) -> Command? {
        all.filter { Array(words.prefix($0.spec.path.count)) == $0.spec.path }.max { $0.spec.path.count < $1.spec.path.count }
    }
}
