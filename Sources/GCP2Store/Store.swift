import Foundation
import GCP2Core

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
    /// Nanoseconds an entry must be left alone before the caseload snapshot keeps its lines; nil: the default.
    package var snapshotSettle: Int64?

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

    /// Whether reads check each document against the digest its family's index entry records (default true):
    /// a document that differs, or that no entry lists, is refused as `corrupt`, naming the file.
    public var checksIntegrity = true
    /// What the checks found while they were off (`checksIntegrity` false): each document read anyway, in order.
    public private(set) var integrityWarnings: [StoreError] = []

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
        // A store that lost its manifest is damaged, not empty: a new one must not be made over its families.
        if looksLikeStore(path) { throw .alreadyExists(path: path) }
        if POSIX.isSymbolicLink(path) {
            throw .cannotCreate(path: path, reason: "a symbolic link; the store never follows links")
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
            tx.create("instruments/\(inst.digest).json", InstrumentFile.canonicalJSON(inst))
            tx.create("manifest.json", Coding.document(manifest))
        }
        return store
    }

    static func checkSize(inst: ValidatedInstrument, at path: String) throws(StoreError) {
        if InstrumentFile.canonicalJSON(inst).count > maxDocumentBytes {
            throw .tooLarge(path: path, bytes: InstrumentFile.canonicalJSON(inst).count, limit: maxDocumentBytes)
        }
    }

    /// Opens the store at `path`, refusing a folder that holds none or a newer format, and a store folder (or one of
    /// its top-level folders) that is a symbolic link.
    ///
    /// A store that may not be written (a backup snapshot, a read-only mount) opens for reading; if it holds an
    /// interrupted change, which only a writer can complete, opening refuses rather than show it half-applied.
    public static func open(at path: String, lockTimeout: Double? = nil) throws(StoreError) -> Store {
        try refuseLinkedStore(at: path)
        // A store whose `init` was saved but not yet applied has a journal and no manifest: recovery writes it.
        let journal = (try? POSIX.exists("\(path)/journal.json")) ?? false
        guard POSIX.fileSize("\(path)/manifest.json") != nil || journal else {
            throw .noStore(path: path, looksDamaged: looksLikeStore(path))
        }
        let probe = Store(
            path: path,
            manifest: Manifest(
                createdAt: Date(timeIntervalSince1970: 0), policy: .default, instrument: Instrument.gcp2Structure.reference),
            lockTimeout: lockTimeout ?? defaultLockTimeout)
        if journal {
            // A change was interrupted: finish it before anyone reads. A journal that cannot be read is left
            // for a person: every change refuses to run while it is there, and `doctor` explains it.
            do throws(StoreError) {
                try probe.withLock(exclusive: true) { () throws(StoreError) in
                    do throws(StoreError) { try probe.recover() } catch {
                        if case .journalUnreadable = error { return }
                        throw error
                    }
                }
            } catch {
                guard case .io(let p, _, _) = error, p == probe.full(".lock") else { throw error }
                throw .io(
                    path: probe.full("journal.json"),
                    reason: "an interrupted change is pending and only a process that may write the store can complete "
                        + "it (\(error)); the store is not read with the change half-applied")
            }
        }
        probe.manifest = try probe.withLock(exclusive: false) { () throws(StoreError) in try probe.readManifest() }
        return probe
    }

    /// Refuses a store folder, or one of its top-level folders, that is a symbolic link.
    static func refuseLinkedStore(at path: String) throws(StoreError) {
        for p in [path] + ["families", "index", "caseload", "instruments"].map({ "\(path)/\($0)" })
        where POSIX.isSymbolicLink(p) {
            throw .io(path: p, reason: "a symbolic link where the store keeps a folder; the store never follows links")
        }
    }

    /// Whether a folder without a manifest holds what a store would (its families or its audit log).
    static func looksLikeStore(_ path: String) -> Bool {
        ["families", "audit.log", "index", "caseload"].contains { (try? POSIX.exists("\(path)/\($0)")) ?? false }
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
    static func decisionFolder(_ f: FamilyID) -> String { "families/\(f)/decisions" }
    static func decisionFile(_ d: DecisionID, family f: FamilyID) -> String { "families/\(f)/decisions/\(d).json" }
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
            throw .io(path: full(".lock"), reason: "\(error)", errno: error)
        }
        guard let lock else { throw .busy(path: path) }
        defer { withExtendedLifetime(lock) {} }
        // Reading without a lock (a read-only store with no lock file) is safe only while no change is pending.
        if !lock.held, (try? POSIX.exists(full("journal.json"))) != false {
            throw .io(
                path: full("journal.json"),
                reason: "an interrupted change is pending and the store cannot be locked here (it is read-only); "
                    + "the store is not read with the change half-applied")
        }
        return try body()
    }

    // MARK: Reading documents

    /// Reads and decodes one stored document, refusing newer versions and migrating older ones.
    func readDocument<T: Decodable>(_ rel: String, as type: T.Type, current: Int, oldest: Int? = nil) throws(StoreError) -> T {
        try decodeDocument(try readData(rel), at: rel, as: type, current: current, oldest: oldest)
    }

    /// Reads a stored file under its limit: a document's, or a derived file's for the index and caseload entries.
    func readData(_ rel: String, folders: FolderStatuses? = nil) throws(StoreError) -> Data {
        try readDataWithStatus(rel, folders: folders).data
    }

    /// `readData`, with the status of the file read (for `doctor`'s mode check, without a second `lstat`).
    func readDataWithStatus(_ rel: String, folders: FolderStatuses? = nil) throws(StoreError) -> (
        data: Data, status: FileStatus
    ) {
        let limit = Store.isDerived(rel) ? Store.maxDerivedBytes : Store.maxDocumentBytes
        if rel.hasPrefix("families/") { try refuseLinks(rel, folders: folders) }
        do {
            if let below = folders?.belowBase(rel) {
                return try POSIX.readWithStatus(at: below.fd, String(below.path), limit: limit)
            }
            return try POSIX.readWithStatus(full(rel), limit: limit)
        } catch {
            switch error {
            case .system(let e) where e == .noSuchFile: throw .notFound(kind: "document", id: rel)
            case .system(let e): throw .io(path: full(rel), reason: e.description, errno: e)
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
    func list(_ rel: String, missingIsEmpty: Bool = false, folders: FolderStatuses? = nil) throws(StoreError) -> [String] {
        if rel.hasPrefix("families/") { try refuseLinks("\(rel)/.", folders: folders) }
        do {
            if let below = folders?.belowBase(rel) { return try POSIX.list(at: below.fd, String(below.path)) }
            return try POSIX.list(full(rel))
        } catch {
            if missingIsEmpty && error == .noSuchFile { return [] }
            throw .io(path: full(rel), reason: "cannot list the folder: \(error)", errno: error)
        }
    }

    /// Decodes one of the store's own single-version files (manifest, index entry, caseload entry), refusing a
    /// newer version. Families and assessments go through their versioned document types (`StoredDocuments.swift`).
    /// Versions from `oldest` to `current` share one type (the manifest gained an optional key in version 2).
    func decodeDocument<T: Decodable>(
        _ data: Data, at rel: String, as type: T.Type, current: Int, oldest: Int? = nil
    ) throws(StoreError) -> T {
        try decodeVersioned(data, at: rel, current: current) { document, version in
            guard version >= (oldest ?? current) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: "unsupported schemaVersion \(version); expected \(current)"))
            }
            return try Coding.decode(T.self, from: document)
        }
    }

    func readFamily(_ id: FamilyID, shard given: FamilyIndex? = nil) throws(StoreError) -> Family {
        let rel = Store.familyFile(id)
        do {
            let data = try readData(rel)
            let shard = given == nil ? try integrityShard(id) : given
            if let shard, let expected = shard.familyDigest {
                try verify(data, at: rel, expected: expected)
            }
            return try decodeFamily(data, at: rel)
        } catch {
            if case .notFound = error { throw .notFound(kind: "family", id: id.rawValue) }
            throw error
        }
    }

    func readShard(_ id: FamilyID) throws(StoreError) -> FamilyIndex {
        do {
            let index = try readDocument(
                Store.shardFile(id), as: FamilyIndex.self, current: FamilyIndex.currentSchemaVersion, oldest: 1)
            return index.schemaVersion < FamilyIndex.currentSchemaVersion ? try upgradedShard(index) : index
        } catch {
            if case .notFound = error { throw .notFound(kind: "family", id: id.rawValue) }
            throw error
        }
    }

    func readAssessment(_ id: AssessmentID, version: Int, shard given: FamilyIndex? = nil) throws(StoreError) -> Assessment {
        guard let f = Assessment.family(of: id) else { throw .notFound(kind: "assessment", id: id.rawValue) }
        let rel = Store.assessmentFile(id, version: version, family: f)
        do {
            let data = try readData(rel)
            let shard = given == nil ? try integrityShard(f) : given
            if let shard {
                try verify(data, at: rel, expected: shard.assessments.first { $0.id == id }?.digests[String(version)])
            }
            return try decodeAssessment(data, at: rel)
        } catch {
            if case .notFound(let kind, _) = error, kind == "document" {
                throw .notFound(kind: "assessment", id: "\(id) version \(version)")
            }
            throw error
        }
    }

    /// A version 1 index entry brought up to date: rebuilt, in memory, from the family's documents, each checked
    /// against the digests the old entry recorded (`doctor --repair` or the family's next change writes it).
    func upgradedShard(_ old: FamilyIndex) throws(StoreError) -> FamilyIndex {
        let id = old.family.id
        let family = try readFamily(id, shard: old)
        var tx = Transaction()
        let assessments = try readAllAssessments(of: id, into: &tx, shard: old)
        let decisions = try readDecisions(of: id, shard: old, into: &tx)
        var index = Store.buildIndex(family: family, assessments: assessments, decisions: decisions) {
            tx.digests[Store.assessmentFile($0.id, version: $0.version, family: id)] ?? ""
        }
        if let known = old.familyDigest {
            index.familyDigest = known
        } else {
            index.familyDigest = Digest.hex(of: try readData(Store.familyFile(id)))
        }
        return index
    }

    // MARK: Integrity

    /// The index entry a family's documents are checked against. With checks off, nil when it cannot be read.
    /// A family folder without its index entry cannot be checked: that is damage, not "no such family".
    func integrityShard(_ id: FamilyID) throws(StoreError) -> FamilyIndex? {
        do {
            return try readShard(id)
        } catch {
            if !checksIntegrity {
                integrityWarnings.append(error)
                return nil
            }
            if case .notFound = error, POSIX.isDirectory(full(Store.familyFolder(id))) {
                throw .corrupt(
                    path: full(Store.shardFile(id)),
                    issue: Issue("", "the family's index entry is missing, so its documents cannot be checked"))
            }
            throw error
        }
    }

    /// Checks a document's bytes against the digest its family's index entry records (nil: the entry does not
    /// list it). A mismatch refuses the read, naming the file, or is noted in `integrityWarnings` with checks off.
    func verify(_ data: Data, at rel: String, expected: String?) throws(StoreError) {
        if let expected, Digest.hex(of: data) == expected { return }
        let issue =
            expected == nil
            ? Issue("", "not recorded in the family's index entry (added outside gcp2)", expected: "a document gcp2 wrote")
            : Issue(
                "", "content differs from the digest recorded in the family's index entry (changed outside gcp2)",
                expected: "SHA-256 \(expected!)")
        let error = StoreError.corrupt(path: full(rel), issue: issue)
        if checksIntegrity { throw error }
        integrityWarnings.append(error)
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

    /// Families the index lists whose folder is missing (`ids` are the folders found), each as an error naming it.
    func missingFamilies(besides ids: [FamilyID]) throws(StoreError) -> [StoreError] {
        let present = Set(ids)
        return try list("index").compactMap { name -> FamilyID? in
            name.hasSuffix(".json") ? FamilyID(rawValue: String(name.dropLast(5))) : nil
        }.filter { !present.contains($0) }.sorted().map { id in
            .corrupt(
                path: full(Store.familyFolder(id)),
                issue: Issue("", "family \(id) is listed in the index but its folder is missing", expected: "the family's folder")
            )
        }
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
            let inst = try InstrumentFile.load(from: data, checksText: false)
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
            let ids = try familyIDs()
            for id in ids {
                do throws(StoreError) { out.append(try readShard(id)) } catch { damaged.append(error) }
            }
            damaged += try missingFamilies(besides: ids)
            return (out.sorted { ($0.family.ref, $0.family.id) < ($1.family.ref, $1.family.id) }, damaged)
        }
    }

    /// Every assessment with a document in the store, withdrawn ones included, from the listings of the family
    /// folders (no document or index entry is read): what the completion of assessment ids offers. Sorted.
    public func assessmentIDs() throws(StoreError) -> [AssessmentID] {
        try withLock(exclusive: false) { () throws(StoreError) in
            var out: [AssessmentID] = []
            for f in try familyIDs() {
                var seen: Set<String> = []
                for name in (try? list(Store.assessmentFolder(f), missingIsEmpty: true)) ?? [] {
                    // `<id>.v<version>.json`
                    guard name.hasSuffix(".json"), let v = name.range(of: ".v", options: .backwards),
                        Int(name[v.upperBound...].dropLast(5)) != nil
                    else { continue }
                    let id = String(name[..<v.lowerBound])
                    guard let a = AssessmentID(rawValue: id), Assessment.family(of: a) == f, seen.insert(id).inserted
                    else { continue }
                    out.append(a)
                }
            }
            return out.sorted()
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
            guard let f = Assessment.family(of: id) else { throw .notFound(kind: "assessment", id: id.rawValue) }
            let shard = try integrityShard(f)
            var out: [Assessment] = []
            for v in vs { out.append(try readAssessment(id, version: v, shard: shard)) }
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

    /// The supervisor's caseload as of a date, built from the compact caseload entries only (`eachFamily`).
    ///
    /// A family whose entry is unchanged since the last caseload of the same date takes its lines from the caseload
    /// snapshot (`CaseloadSnapshot`), which this rewrites when anything changed (a cache inside the store: when it
    /// cannot be written, nothing else changes).
    public func caseload(asOf: CalendarDate) throws(StoreError) -> (Caseload, damaged: [StoreError]) {
        let r = try caseloadCounting(asOf: asOf)
        return (r.caseload, r.damaged)
    }

    /// Every family with its final assessments and decisions in force and its pending drafts, as the compact caseload
    /// entries give them, evaluated by `evaluate` in parallel and handed to `add` in family order; the families that
    /// could not be read are returned. The one read path of every whole-store view (the caseload, the scorecard).
    ///
    /// A family whose entry was written for another instrument is read from its full index entry instead.
    ///
    /// `reuse` and `kept`: as `eachEntry`'s.
    package func eachFamily<T: Sendable>(
        instrument inst: ValidatedInstrument, reuse: [FamilyID: Stamped<T>]? = nil,
        _ evaluate: @escaping @Sendable (Family, [FamilyAssessmentSummary], [Decision], [PendingDraft]) -> T,
        add: (T) -> Void, kept: (FamilyID, Stamped<T>, _ reused: Bool) -> Void = { _, _, _ in }
    ) throws(StoreError) -> [StoreError] {
        let levels = CaseloadEntry.Levels(inst)
        return try eachEntry(
            reuse: reuse,
            { entry in
                entry.summaries(for: levels).map { evaluate(entry.family.family, $0, entry.decisions ?? [], entry.drafts ?? []) }
            },
            index: { shard in
                evaluate(
                    shard.family.family, shard.effectiveFinals, Decision.inForce(shard.allDecisions), shard.pendingDrafts)
            }, add: add, kept: kept)
    }

    /// Every family read through its compact caseload entry, `read` in parallel, the results handed to `add` in
    /// family order; the families that could not be read are returned.
    ///
    /// Entries are read and decoded in parallel, a chunk of families at a time; a family whose entry is missing,
    /// damaged or of an older schema, or that `read` declines (nil), is read from its full index entry by `index`
    /// instead, and one whose index is unreadable too is reported as damaged. With `orphans`, so is an index entry
    /// whose family folder is missing.
    ///
    /// With `reuse`, each entry file is stamped before it is read (`FileStamp`): a family whose stamp equals the one
    /// `reuse` holds for it takes that value without reading the entry, and every value from an entry, reused or
    /// read now, is handed to `kept` with its stamp (values from the index are not: they have no entry to stamp).
    package func eachEntry<T: Sendable>(
        orphans: Bool = true, reuse: [FamilyID: Stamped<T>]? = nil, _ read: @escaping @Sendable (CaseloadEntry) -> T?,
        index: (FamilyIndex) -> T, add: (T) -> Void, kept: (FamilyID, Stamped<T>, _ reused: Bool) -> Void = { _, _, _ in }
    ) throws(StoreError) -> [StoreError] {
        try withLock(exclusive: false) { () throws(StoreError) in
            var damaged: [StoreError] = []
            let ids = try familyIDs()
            let chunk = 1024
            for start in stride(from: 0, to: ids.count, by: chunk) {
                let slice = Array(ids[start..<min(start + chunk, ids.count)])
                let decoded = ConcurrentResults<(T, FileStamp?, reused: Bool)>(count: slice.count)
                DispatchQueue.concurrentPerform(iterations: slice.count) { i in
                    let path = full(Store.caseloadFile(slice[i]))
                    // Stamped before the read: if the file changes after, the stamp kept is an older one's.
                    let stamp = reuse == nil ? nil : POSIX.stamp(path)
                    if let stamp, let known = reuse?[slice[i]], known.stamp == stamp {
                        decoded[i] = (known.value, stamp, true)
                        return
                    }
                    guard let data = try? POSIX.read(path, limit: Store.maxDerivedBytes),
                        let entry = CaseloadEntry.fastDecode(data)
                            ?? (try? Coding.decoder().decode(CaseloadEntry.self, from: data)),
                        entry.schemaVersion == CaseloadEntry.currentSchemaVersion, entry.family.id == slice[i]
                    else { return }
                    decoded[i] = read(entry).map { ($0, stamp, false) }
                }
                for (i, id) in slice.enumerated() {
                    if let (value, stamp, reused) = decoded[i] {
                        add(value)
                        if let stamp { kept(id, Stamped(stamp: stamp, value: value), reused) }
                        continue
                    }
                    do throws(StoreError) {
                        add(index(try readShard(id)))
                    } catch {
                        damaged.append(error)
                    }
                }
            }
            if orphans { damaged += try missingFamilies(besides: ids) }
            return damaged
        }
    }

    /// Every family's members and counts of assessments, read through the compact caseload entries on both cores,
    /// sorted by reference; the families that could not be read apart. What `family list`, a lookup by name and
    /// the completion of ids need, without reading every full index entry.
    ///
    /// The drafts are counted from the entry: one written before entries kept drafts counts none until the
    /// family's next change or `doctor --repair` (as the caseload's `draft-pending` flag). A family is listed from its
    /// entry even when its index entry is damaged (`doctor` finds that); `orphans`: also report an index entry whose
    /// family folder is missing (`family list` warns about it; a lookup by name has no family to find there).
    public func familyListing(orphans: Bool = true) throws(StoreError) -> (
        families: [FamilyListing], damaged: [StoreError]
    ) {
        var out: [FamilyListing] = []
        let damaged = try eachEntry(orphans: orphans) { entry in
            FamilyListing(
                family: entry.family, finals: entry.finals.count, drafts: entry.drafts?.count ?? 0,
                latest: entry.finals.map(\.date).max())
        } index: { shard in
            let finals = shard.effectiveFinals
            return FamilyListing(
                family: shard.family, finals: finals.count, drafts: shard.pendingDrafts.count,
                latest: finals.map(\.date).max())
        } add: {
            out.append($0)
        }
        return (out.sorted { ($0.family.ref, $0.family.id) < ($1.family.ref, $1.family.id) }, damaged)
    }
}

/// A family as `family list` shows it: its members, and how many final assessments (in force) and drafts it has.
public struct FamilyListing: Sendable, Equatable {
    public var family: IndexedFamily
    public var finals: Int
    public var drafts: Int
    /// The date of the latest final assessment in force.
    public var latest: CalendarDate?
}

extension Date {
    /// The date with fractional seconds dropped, as `.iso8601` stores it.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
