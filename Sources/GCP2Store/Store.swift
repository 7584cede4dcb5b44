import Foundation
import GCP2Core

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A folder of JSON documents holding families and their assessments over time.
///
/// Reads take a shared lock; every change takes the exclusive lock, is written first as a journal, then applied
/// with atomic, durable writes, and appended to the hash-chained audit log.
public final class Store: @unchecked Sendable {
    /// The store's folder.
    public let path: String
    /// Seconds a command waits for the lock before reporting the store busy.
    public var lockTimeout: Double
    public private(set) var manifest: Manifest
    private var instruments: [String: ValidatedInstrument] = [:]

    /// The largest input or stored document read, in bytes; a change that would write a larger document is refused.
    public static let maxDocumentBytes = 8 * 1024 * 1024
    /// The largest derived file (index or caseload entry) read, in bytes: these summarise a family's documents.
    public static let maxDerivedBytes = 64 * 1024 * 1024

    /// A change that reached the commit point (its journal is durable) in this process.
    public struct Commit: Sendable {
        /// The audit action (`record.final`, `family.add`, …).
        public var action: String
        /// The record the change is about: the new or changed assessment or family.
        public var record: String
        /// Why applying the saved change to the store files failed; the next command that opens the store
        /// completes it. Nil when the change was applied.
        public var applyFailure: StoreError?
    }

    /// Every change this instance committed, in order.
    public private(set) var commits: [Commit] = []
    /// How many changes failed before their commit point (and so changed nothing).
    public internal(set) var abandonedChanges = 0

    /// Checked under the lock just before a change's journal is written (the commit point); a thrown error
    /// abandons the change with nothing written. The CLI uses it to stop once its output cannot be written.
    package var beforeCommit: (() throws(StoreError) -> Void)?

    func noteCommit(_ c: Commit) { commits.append(c) }

    init(path: String, manifest: Manifest, lockTimeout: Double) {
        self.path = path
        self.manifest = manifest
        self.lockTimeout = lockTimeout
    }

    /// How long a command waits for another to release the store, unless the caller says otherwise (seconds).
    public static let defaultLockTimeout: Double = 5

    // MARK: Opening

    /// Creates an empty store at `path` grading with `instrument` (default: the embedded `gcp2-structure`, or a
    /// licensee's full instrument loaded from a file) and the change-over-time `policy`.
    public static func create(
        at path: String, policy: Policy = .default, instrument: ValidatedInstrument = Instrument.gcp2Structure, now: Date
    ) throws(StoreError) -> Store {
        if POSIX.fileSize("\(path)/manifest.json") != nil || POSIX.fileSize("\(path)/journal.json") != nil {
            throw .alreadyExists(path: path)
        }
        if let issue = policy.validate().first { throw .invalid(file: nil, issues: [issue]) }
        // Checked before any folder is made, so a refused instrument leaves nothing behind.
        try Store.checkSize(inst: instrument, at: "\(path)/instruments/\(instrument.digest).json")
        do {
            try POSIX.makeDirectory(path)
            for sub in ["families", "index", "caseload", "instruments"] { try POSIX.makeDirectory("\(path)/\(sub)") }
        } catch {
            throw .cannotCreate(path: path, reason: "\(error)")
        }
        let inst = instrument
        let manifest = Manifest(createdAt: now.wholeSeconds, policy: policy, instrument: inst.reference)
        let store = Store(path: path, manifest: manifest, lockTimeout: defaultLockTimeout)
        try store.transaction(action: "init", record: "store", actor: "gcp2", now: now) { tx throws(StoreError) in
            tx.create("instruments/\(inst.digest).json", inst.canonicalJSON)
            tx.create("manifest.json", Coding.document(manifest))
        }
        return store
    }

    static func checkSize(inst: ValidatedInstrument, at path: String) throws(StoreError) {
        if inst.canonicalJSON.count > maxDocumentBytes {
            throw .tooLarge(path: path, bytes: inst.canonicalJSON.count, limit: maxDocumentBytes)
        }
    }

    /// Opens the store at `path`, refusing a folder that holds none or a newer format.
    public static func open(at path: String, lockTimeout: Double? = nil) throws(StoreError) -> Store {
        // A store whose `init` was saved but not yet applied has a journal and no manifest: recovery writes it.
        guard POSIX.fileSize("\(path)/manifest.json") != nil || POSIX.fileSize("\(path)/journal.json") != nil else {
            throw .noStore(path: path)
        }
        let probe = Store(
            path: path,
            manifest: Manifest(
                createdAt: Date(timeIntervalSince1970: 0), policy: .default, instrument: Instrument.gcp2Structure.reference),
            lockTimeout: lockTimeout ?? defaultLockTimeout)
        if POSIX.fileSize("\(path)/journal.json") != nil {
            // A change was interrupted: finish it before anyone reads. A journal that cannot be read is left
            // for a person: every change refuses to run while it is there, and `doctor` explains it.
            try probe.withLock(exclusive: true) { () throws(StoreError) in
                do throws(StoreError) { try probe.recover() } catch {
                    if case .journalUnreadable = error { return }
                    throw error
                }
            }
        }
        probe.manifest = try probe.withLock(exclusive: false) { () throws(StoreError) in
            try probe.readDocument("manifest.json", as: Manifest.self, current: Manifest.currentSchemaVersion)
        }
        return probe
    }

    /// The policy the change-over-time rules use.
    public var policy: Policy { manifest.policy }

    /// Refuses input that is not strict JSON (a duplicate key, a trailing comma, …), naming the JSON path, before
    /// it is decoded: Foundation's decoder accepts both and keeps the first of two values.
    package static func checkStrictJSON(_ data: Data, file: String?) throws(StoreError) {
        if let issue = MiniJSON.strictIssue(in: [UInt8](data)) { throw .invalid(file: file, issues: [issue]) }
    }

    // MARK: Paths

    static func familyFolder(_ f: FamilyID) -> String { "families/\(f)" }
    static func familyFile(_ f: FamilyID) -> String { "families/\(f)/family.json" }
    static func shardFile(_ f: FamilyID) -> String { "index/\(f).json" }
    static func caseloadFile(_ f: FamilyID) -> String { "caseload/\(f).json" }
    static func assessmentFolder(_ f: FamilyID) -> String { "families/\(f)/assessments" }
    static func assessmentFile(_ a: AssessmentID, version: Int, family f: FamilyID) -> String {
        "families/\(f)/assessments/\(a).v\(version).json"
    }
    func full(_ rel: String) -> String { "\(path)/\(rel)" }

    // MARK: Locking

    func withLock<T>(exclusive: Bool, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let lock: FileLock?
        do {
            lock = try FileLock(path: full(".lock"), exclusive: exclusive, timeout: lockTimeout)
        } catch {
            throw .io(path: full(".lock"), reason: "\(error)")
        }
        guard let lock else { throw .busy(path: path) }
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }

    // MARK: Reading documents

    /// Reads and decodes one stored document, refusing newer versions and migrating older ones.
    func readDocument<T: Decodable>(
        _ rel: String, as type: T.Type, current: Int, migrate: ((inout [String: Any], Int) -> Void)? = nil
    ) throws(StoreError) -> T {
        let data = try readData(rel)
        return try decodeDocument(data, at: rel, as: type, current: current, migrate: migrate)
    }

    /// Reads a stored file under its limit: a document's, or a derived file's for the index and caseload entries.
    func readData(_ rel: String) throws(StoreError) -> Data {
        let limit = Store.isDerived(rel) ? Store.maxDerivedBytes : Store.maxDocumentBytes
        do {
            return try POSIX.read(full(rel), limit: limit)
        } catch {
            switch error {
            case .system(let e) where e.rawValue == ENOENT: throw .notFound(kind: "document", id: rel)
            case .system(let e): throw .io(path: full(rel), reason: e.description)
            case .tooLarge(let n):
                throw .corrupt(
                    path: full(rel),
                    issue: Issue("", "file is \(n) bytes", expected: "at most \(limit) bytes (\(limit / 1_048_576) MiB)"))
            }
        }
    }

    /// Whether a store path is a derived file (rebuilt from the documents) rather than a document.
    static func isDerived(_ rel: String) -> Bool { rel.hasPrefix("index/") || rel.hasPrefix("caseload/") }

    /// Names in a store folder; a folder that cannot be listed fails the command (never taken for empty).
    /// A missing folder is empty only when `missingIsEmpty` (a family's assessments before the first one).
    func list(_ rel: String, missingIsEmpty: Bool = false) throws(StoreError) -> [String] {
        do {
            return try POSIX.list(full(rel))
        } catch {
            if missingIsEmpty && error.rawValue == ENOENT { return [] }
            throw .io(path: full(rel), reason: "cannot list the folder: \(error)")
        }
    }

    func decodeDocument<T: Decodable>(
        _ data: Data, at rel: String, as type: T.Type, current: Int, migrate: ((inout [String: Any], Int) -> Void)? = nil
    ) throws(StoreError) -> T {
        let version: Int
        do {
            version = try JSONDecoder().decode(VersionProbe.self, from: data).schemaVersion ?? 0
        } catch {
            throw .corrupt(path: full(rel), issue: Issue(decodingError: error))
        }
        if version > current { throw .newerSchema(path: full(rel), found: version, supported: current) }
        var bytes = data
        if version < current {
            guard let migrate, var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw .corrupt(
                    path: full(rel), issue: Issue("schemaVersion", "unsupported version \(version)", expected: "\(current)"))
            }
            migrate(&object, version)
            object["schemaVersion"] = current
            bytes = (try? JSONSerialization.data(withJSONObject: object)) ?? data
        }
        do {
            return try Coding.decoder().decode(T.self, from: bytes)
        } catch {
            throw .corrupt(path: full(rel), issue: Issue(decodingError: error))
        }
    }

    /// Version 0 family documents (before release) called the case reference `reference`.
    static func migrateFamily(_ object: inout [String: Any], from version: Int) {
        if version == 0, object["ref"] == nil, let r = object.removeValue(forKey: "reference") { object["ref"] = r }
    }

    func readFamily(_ id: FamilyID) throws(StoreError) -> Family {
        do {
            return try readDocument(
                Store.familyFile(id), as: Family.self, current: Family.currentSchemaVersion, migrate: Store.migrateFamily)
        } catch {
            if case .notFound = error { throw .notFound(kind: "family", id: id.rawValue) }
            throw error
        }
    }

    func readShard(_ id: FamilyID) throws(StoreError) -> FamilyIndex {
        do {
            return try readDocument(Store.shardFile(id), as: FamilyIndex.self, current: FamilyIndex.currentSchemaVersion)
        } catch {
            if case .notFound = error { throw .notFound(kind: "family", id: id.rawValue) }
            throw error
        }
    }

    func readAssessment(_ id: AssessmentID, version: Int) throws(StoreError) -> Assessment {
        guard let f = Assessment.family(of: id) else { throw .notFound(kind: "assessment", id: id.rawValue) }
        do {
            return try readDocument(
                Store.assessmentFile(id, version: version, family: f), as: Assessment.self,
                current: Assessment.currentSchemaVersion)
        } catch {
            if case .notFound = error { throw .notFound(kind: "assessment", id: "\(id) version \(version)") }
            throw error
        }
    }

    /// Version numbers stored for an assessment, ascending.
    func versions(of id: AssessmentID) throws(StoreError) -> [Int] {
        guard let f = Assessment.family(of: id) else { return [] }
        let prefix = "\(id).v"
        return try list(Store.assessmentFolder(f), missingIsEmpty: true).compactMap { name -> Int? in
            guard name.hasPrefix(prefix), name.hasSuffix(".json") else { return nil }
            return Int(name.dropFirst(prefix.count).dropLast(5))
        }.sorted()
    }

    /// Family ids in the store, sorted.
    func familyIDs() throws(StoreError) -> [FamilyID] {
        try list("families").compactMap(FamilyID.init(rawValue:)).sorted()
    }

    // MARK: Instruments

    /// The instrument new assessments are graded with.
    public func currentInstrument() throws(StoreError) -> ValidatedInstrument { try instrument(manifest.instrument) }

    /// A stored instrument by reference (the embedded one needs no file).
    public func instrument(_ ref: InstrumentRef) throws(StoreError) -> ValidatedInstrument {
        if let cached = instruments[ref.digest] { return cached }
        if ref.digest == Instrument.gcp2Structure.digest { return Instrument.gcp2Structure }
        guard ref.digest.count == 64, ref.digest.allSatisfy(\.isHexDigit) else {
            throw .notFound(kind: "instrument", id: "\(ref.id) \(ref.version)")
        }
        let rel = "instruments/\(ref.digest).json"
        let data: Data
        do { data = try readData(rel) } catch {
            if case .notFound = error { throw .notFound(kind: "instrument", id: "\(ref.id) \(ref.version)") }
            throw error
        }
        do {
            let inst = try Instrument.load(from: data, checksText: false)
            instruments[ref.digest] = inst
            return inst
        } catch {
            throw .corrupt(path: full(rel), issue: error.issues.first ?? Issue("", "invalid instrument"))
        }
    }

    // MARK: Public reads

    /// A family with its notes.
    public func family(_ id: FamilyID) throws(StoreError) -> Family {
        try withLock(exclusive: false) { () throws(StoreError) in try readFamily(id) }
    }

    /// The index entry of a family: members and every assessment's summary, without evidence.
    public func familyIndex(_ id: FamilyID) throws(StoreError) -> FamilyIndex {
        try withLock(exclusive: false) { () throws(StoreError) in try readShard(id) }
    }

    /// Every family's index entry, sorted by reference. Damaged entries are skipped and returned separately.
    public func allFamilies() throws(StoreError) -> (families: [FamilyIndex], damaged: [StoreError]) {
        try withLock(exclusive: false) { () throws(StoreError) in
            var out: [FamilyIndex] = [], damaged: [StoreError] = []
            for id in try familyIDs() {
                do throws(StoreError) { out.append(try readShard(id)) } catch { damaged.append(error) }
            }
            return (out.sorted { ($0.family.ref, $0.family.id) < ($1.family.ref, $1.family.id) }, damaged)
        }
    }

    /// The latest version of an assessment, or the given version.
    public func assessment(_ id: AssessmentID, version: Int? = nil) throws(StoreError) -> Assessment {
        try withLock(exclusive: false) { () throws(StoreError) in
            let latest = try versions(of: id).last
            guard let v = version ?? latest else { throw .notFound(kind: "assessment", id: id.rawValue) }
            return try readAssessment(id, version: v)
        }
    }

    /// Every stored version of an assessment, oldest first.
    public func assessmentVersions(_ id: AssessmentID) throws(StoreError) -> [Assessment] {
        try withLock(exclusive: false) { () throws(StoreError) in
            let vs = try versions(of: id)
            if vs.isEmpty { throw .notFound(kind: "assessment", id: id.rawValue) }
            var out: [Assessment] = []
            for v in vs { out.append(try readAssessment(id, version: v)) }
            return out
        }
    }

    /// Computes the profiles of a stored assessment version with the instrument it was graded with.
    public func profiles(of a: Assessment, family: Family, today: CalendarDate) throws(StoreError) -> [Profile] {
        let inst: ValidatedInstrument
        if let r = a.instrument { inst = try instrument(r) } else { inst = try currentInstrument() }
        do {
            var ctx = AssessmentContext(instrument: inst, family: family, today: max(today, a.date), requireComplete: false)
            ctx.checksText = false  // stored before the text rules, it stays readable; output escapes it
            return try a.computeProfiles(in: ctx)
        } catch {
            let rel =
                Assessment.family(of: a.id).map { Store.assessmentFile(a.id, version: a.version, family: $0) } ?? a.id.rawValue
            throw .corrupt(path: full(rel), issue: error.issues.first ?? Issue("", "cannot compute profiles"))
        }
    }

    /// The supervisor's caseload as of a date, built from the compact caseload entries only.
    ///
    /// Entries are read and decoded in parallel, a chunk of families at a time, and fed to the builder in
    /// family order; a family whose entry is missing, damaged or written for another instrument is read from
    /// its full index entry instead, and one whose index is unreadable too is reported as damaged.
    public func caseload(asOf: CalendarDate) throws(StoreError) -> (Caseload, damaged: [StoreError]) {
        let inst = try currentInstrument()
        return try withLock(exclusive: false) { () throws(StoreError) in
            var builder = CaseloadBuilder(policy: policy, instrument: inst, asOf: asOf)
            var damaged: [StoreError] = []
            let ids = try familyIDs()
            let chunk = 1024
            for start in stride(from: 0, to: ids.count, by: chunk) {
                let slice = Array(ids[start..<min(start + chunk, ids.count)])
                let decoded = ConcurrentResults<FamilyLines>(count: slice.count)
                let evaluator = builder
                let levels = CaseloadEntry.Levels(inst)
                DispatchQueue.concurrentPerform(iterations: slice.count) { i in
                    guard let data = try? POSIX.read(full(Store.caseloadFile(slice[i])), limit: Store.maxDerivedBytes),
                        let entry = CaseloadEntry.fastDecode(data)
                            ?? (try? Coding.decoder().decode(CaseloadEntry.self, from: data)),
                        entry.schemaVersion <= CaseloadEntry.currentSchemaVersion, entry.family.id == slice[i],
                        let finals = entry.summaries(for: levels)
                    else { return }
                    decoded[i] = evaluator.evaluate(family: entry.family.family, finals: finals)
                }
                for (i, id) in slice.enumerated() {
                    if let lines = decoded[i] {
                        builder.add(lines)
                        continue
                    }
                    do throws(StoreError) {
                        let shard = try readShard(id)
                        builder.add(family: shard.family.family, finals: shard.effectiveFinals)
                    } catch {
                        damaged.append(error)
                    }
                }
            }
            return (builder.build(), damaged)
        }
    }
}

extension Date {
    /// The date with fractional seconds dropped, as `.iso8601` stores it.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
