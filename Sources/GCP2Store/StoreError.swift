import GCP2Core

/// Everything that can go wrong in the store, with what a person needs to act on it.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The folder holds no store (no manifest); `looksDamaged` when it holds a store's families or audit log.
    case noStore(path: String, looksDamaged: Bool = false)
    /// A store already exists where one was to be created.
    case alreadyExists(path: String)
    /// A family, child, carer, assessment or instrument that does not exist.
    case notFound(kind: String, id: String)
    /// Input (a file the user gave, or arguments) failed validation; `file` is nil for arguments.
    case invalid(file: String?, issues: [Issue])
    /// A document in the store cannot be read as what it should be.
    case corrupt(path: String, issue: Issue)
    /// A document was written by a newer version of gcp2.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The lifecycle forbids the change (e.g. changing a final assessment in place).
    case lifecycle(String)
    /// Another gcp2 holds the store's lock.
    case busy(path: String)
    /// A file or folder could not be created.
    case cannotCreate(path: String, reason: String)
    /// Reading or writing failed.
    case io(path: String, reason: String, errno: Errno? = nil)
    /// A document the change would write is larger than the store reads back (`limit` bytes).
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// A new document would take the name of one already stored; nothing is ever replaced that way.
    case wouldReplace(path: String)
    /// An interrupted change's journal cannot be read: nothing is written until a person decides what to do with it.
    case journalUnreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .noStore(let p, false): "no gcp2 store at \(p)"
        case .noStore(let p, true):
            "no gcp2 store at \(p): manifest.json is missing, but the folder holds a store's families or audit log, so it looks like a damaged store"
        case .alreadyExists(let p): "a store already exists at \(p) (or what is left of one: its families or audit log)"
        case .notFound(let kind, let id): "no \(kind) \(id) in the store"
        case .invalid(let file, let issues):
            "\(file ?? "input") is not valid (\(issues.count) problem\(issues.count == 1 ? "" : "s")):\n"
                + issues.map { "  - \($0)" }.joined(separator: "\n")
        case .corrupt(let p, let issue): "\(p) is damaged: \(issue)"
        case .newerSchema(let p, let found, let supported):
            "\(p) has schemaVersion \(found), newer than this gcp2 understands (up to \(supported))"
        case .lifecycle(let text): text
        case .busy(let p): "the store at \(p) is busy: another gcp2 is writing to it"
        case .cannotCreate(let p, let reason): "cannot create \(p): \(reason)"
        case .io(let p, let reason, _): "cannot read or write \(p): \(reason)"
        case .tooLarge(let p, let bytes, let limit):
            "\(p) would be \(bytes) bytes, over the limit of \(limit) bytes (\(limit / 1_048_576) MiB) a stored document may have"
        case .wouldReplace(let p): "\(p) already exists; a new document never replaces one"
        case .journalUnreadable(let p, let reason):
            "\(p) holds an interrupted change that cannot be read (\(reason)); nothing will be written to the store until it is resolved"
        }
    }
}
