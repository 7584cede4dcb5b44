import GCP2Core
import GCP2Store

// The store reports what was wrong in its own words (field names and values); the CLI turns them into flags
// and a next step. The store never names a flag or suggests a command.

extension StoreError {
    /// A next step for the person at the keyboard.
    var hint: String? {
        switch self {
        case .noStore(_, false): "run `gcp2 init` to create one, or pass --store DIR / set GCP2_STORE"
        case .noStore(_, true):
            "restore manifest.json from a backup (`gcp2 init` refuses this folder, so a new store is never made over its families)"
        case .alreadyExists: "use the existing store, or choose another folder with --store"
        case .notFound(let kind, _):
            kind == "family" ? "`gcp2 family list` shows the families" : "`gcp2 family show F` lists its children and carers"
        case .invalid: "fix the problems listed and run the command again; nothing was changed"
        case .corrupt: "run `gcp2 doctor` to check the whole store"
        case .newerSchema: "upgrade gcp2 to read this store"
        case .lifecycle: "a final assessment is corrected with `gcp2 amend A FILE --reason R`"
        case .busy: "wait for the other command to finish and try again"
        case .cannotCreate, .io: "check the folder exists and you may write to it"
        case .tooLarge: "store less in one assessment (fewer visits, shorter evidence); nothing was changed"
        case .wouldReplace: "run `gcp2 doctor` to check the store; nothing was changed"
        case .journalUnreadable:
            "`gcp2 doctor` explains; keep a copy of the file, then move it out of the store to let gcp2 write again"
        }
    }

    /// The error with the store's field names turned into the flags a person typed (`ref` → `--ref`).
    var withFlags: StoreError {
        guard case .invalid(let file, let issues) = self, file == nil else { return self }
        return .invalid(
            file: nil,
            issues: issues.map { i in
                var i = i
                if let flag = StoreError.flags[i.path] { i.path = flag }
                return i
            })
    }

    /// Store fields that arrive as command-line options.
    static let flags = [
        "ref": "--ref", "name": "--name", "born": "--born", "reason": "--reason", "notes": "--notes", "actor": "--actor",
    ]
}
