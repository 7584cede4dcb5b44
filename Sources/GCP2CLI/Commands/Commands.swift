/// The options every command takes; they may also come before the command.
enum Globals {
    static let store = Option<String>(
        "store", "DIR", kind: .directory, help: "the store folder (default: $GCP2_STORE, else ~/.local/share/gcp2)")
    static let json = Flag("json", help: "print the documented JSON instead of text (commands that read)")
    static let actor = Option<String>(
        "actor", "NAME", help: "who is making a change, for the audit log (default: $GCP2_ACTOR or $USER)")
    static let ignoreIntegrity = Flag(
        "ignore-integrity", help: "read documents that differ from what the store recorded for them (with a warning)")
    static let help = Flag("help", help: "help for a command (also -h); `gcp2 help COMMAND` is the same")
    static let version = Flag("version", help: "print the version")

    static let all: [any OptionDeclaration] = [store, json, actor, ignoreIntegrity, help, version]
}

/// The command table of `gcp2` (product brief, "The command line"): each command declared once, in the file
/// that runs it (Docs/cli.md, "Adding a command").
enum Commands {
    static let globals: [OptionSpec] = Globals.all.map(\.spec)

    static let all: [Command] = {
        let tables: [[Command]] = [
            Array(StoreCommands.commands.prefix(1)), FamilyCommands.commands, AssessmentCommands.commands,
            ReportCommands.commands, Array(StoreCommands.commands.dropFirst()), [Demo.command],
            ReportHTMLCommands.commands, [AuditCommands.command, ScorecardCommands.command],
            [DecisionCommands.addCommand, DecisionCommands.listCommand], [CompletionCommand.command],
        ]
        return tables.flatMap { $0 }
    }()

    /// The words a command line may start with, and `help`.
    static var names: [String] { Array(Set(all.map { $0.spec.path[0] })).sorted() + ["help"] }

    /// The command whose path is the longest prefix of `words`.
    static func find(_ words: [String]) -> Command? {
        all.filter { Array(words.prefix($0.spec.path.count)) == $0.spec.path }.max { $0.spec.path.count < $1.spec.path.count }
    }

    /// The commands under a first word that names a group (`family` → `family add`, …); empty for a command.
    static func group(_ word: String) -> [Command] {
        all.filter { $0.spec.path.count > 1 && $0.spec.path[0] == word }
    }
}
