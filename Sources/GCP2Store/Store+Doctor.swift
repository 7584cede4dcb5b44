import Foundation
import GCP2Core

/// One problem `doctor` found, by path.
public struct DoctorFinding: Codable, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String
    /// True when a repair fixed it (absent otherwise).
    public var repaired: Bool?
    public var description: String { "\(path): \(problem)" }

    init(path: String, problem: String, repaired: Bool = false) {
        self.path = path
        self.problem = problem
        self.repaired = repaired ? true : nil
    }
}

/// The result of checking the whole store.
public struct DoctorReport: Codable, Sendable {
    public var families: Int
    public var assessments: Int
    public var auditEntries: Int
    /// Temporary files left by interrupted writes: harmless, ignored by readers, removed by the next write.
    public var leftoverTempFiles: Int
    public var findings: [DoctorFinding]
    /// The audit chain's head as the log ends (nil for an empty log): keep a copy outside the store.
    public var head: ChainHead?
    public var isClean: Bool { findings.isEmpty }
    /// The findings a repair did not fix.
    public var remaining: [DoctorFinding] { findings.filter { $0.repaired != true } }
}

/// What checking one family found: problems, assessments counted, temp files, and the path of every document read
/// and checked against the audit log (so the audit check need not read them again).
private struct FamilyCheck {
    var findings: [DoctorFinding] = []
    /// The caseload snapshot holds this family's entry as it is, with other lines than the entry gives.
    var snapshotDiffers = false
    var assessments = 0
    var temps = 0
    var read: [String] = []
}

extension Store {
    /// Checks every document, every reference, the index and caseload entries and the audit chain; reports every
    /// problem by path.
    ///
    /// Families are checked in parallel, each document read and hashed once. With `repair`, stale or missing index
    /// and caseload entries are rebuilt from the documents and leftover temp files removed (documents are never changed).
    ///
    /// Every document must be accounted for by the audit log: one the log does not record, or whose bytes differ
    /// from what it last recorded, is named, and an index entry is never rebuilt from such a document. Folders
    /// must be 0700 and files 0600 (a repair restores them); a symbolic link anywhere in the store is named and
    /// never followed. With `expectedHead` (a head kept outside the store), the log must hold that entry.
    public func doctor(repair: Bool = false, expectedHead: ChainHead? = nil) throws(StoreError) -> DoctorReport {
        let current = try currentInstrument()
        return try withLock(exclusive: repair) { () throws(StoreError) in
            if repair { try recover() }
            return runChecks(repair: repair, instrument: current, expectedHead: expectedHead)
        }
    }

    /// The audit chain's head as the log ends now (nil for an empty log), to keep outside the store.
    public func chainHead() throws(StoreError) -> ChainHead? {
        try withLock(exclusive: false) { () throws(StoreError) in
            let data = try readAuditData()
            let lines = Lines.ranges(in: data).filter { !$0.isEmpty }.map { data[$0] }
            guard let last = lines.last,
                let e = AuditEntry.read(line: Data(last))
            else { return nil }
            return ChainHead(seq: e.seq, digest: Digest.hex(of: last))
        }
    }

    private func runChecks(repair: Bool, instrument current: ValidatedInstrument, expectedHead: ChainHead?) -> DoctorReport {
        var findings: [DoctorFinding] = []
        var digests: [String: String] = [:]
        var temps = 0
        func add(_ rel: String, _ problem: String, repaired: Bool = false) {
            findings.append(DoctorFinding(path: full(rel), problem: problem, repaired: repaired))
        }
        /// Mode 0700 for a folder, 0600 for a file; a looser one is a finding (restored with `repair`).
        func checkMode(_ rel: String, folder: Bool) {
            if let f = Store.modeFinding(full(rel), folder: folder, repair: repair) {
                findings.append(DoctorFinding(path: full(rel), problem: f.problem, repaired: f.fixed))
            }
        }
        let audit = readAuditChain()
        for rel in ["", "families", "index", "caseload", "instruments"] {
            if POSIX.isSymbolicLink(rel.isEmpty ? path : full(rel)) {
                add(rel, "a symbolic link where the store keeps a folder; the store never follows it")
            } else if POSIX.isDirectory(rel.isEmpty ? path : full(rel)) {
                checkMode(rel, folder: true)
            }
        }
        for rel in ["manifest.json", "audit.log"] { checkMode(rel, folder: false) }
        func isTemp(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }
        /// A folder's names; one that cannot be listed is a finding (and checked as holding nothing).
        func names(_ rel: String) -> [String] {
            do throws(StoreError) { return try list(rel).sorted() } catch {
                add(rel, "cannot be listed: \(error)")
                return []
            }
        }

        let pending = (try? POSIX.exists(full("journal.json"))) ?? true
        if pending {
            do throws(StoreError) {
                _ = try readJournal()
                add("journal.json", "an interrupted change is pending; the next command that writes finishes it")
            } catch {
                add("journal.json", Store.journalProblem(error))
            }
        }
        do throws(StoreError) {
            let data = try readData("manifest.json")
            let m = try decodeDocument(
                data, at: "manifest.json", as: Manifest.self, current: Manifest.currentSchemaVersion, oldest: 1)
            // The log records the manifest without its head (a version 1 manifest has none: its bytes as stored).
            digests["manifest.json"] = m.head == nil ? Digest.hex(of: data) : Digest.hex(of: Coding.document(m.body))
            if let head = m.head, !pending {
                if let last = audit.head, last != head {
                    add(
                        "audit.log",
                        "the log ends at entry \(last.seq) (\(last.digest.prefix(12))…), but the manifest's head is entry "
                            + "\(head.seq) (\(head.digest.prefix(12))…): entries were removed or added outside gcp2")
                } else if audit.head == nil && audit.readable {
                    add("audit.log", "the log is empty, but the manifest's head is entry \(head.seq): entries were removed")
                }
            }
        } catch {
            add("manifest.json", Store.problem(error))
        }
        if let expectedHead {
            if audit.digests.count < expectedHead.seq {
                add(
                    "audit.log",
                    "the log has \(audit.digests.count) entries; the head kept outside the store is entry \(expectedHead.seq): entries were removed"
                )
            } else if audit.digests[expectedHead.seq - 1] != expectedHead.digest {
                add(
                    "audit.log",
                    "entry \(expectedHead.seq) differs from the head kept outside the store: the log was rewritten up to it")
            }
        }
        // Instruments: each file's digest is its name.
        var instrumentDigests: Set<String> = [Instrument.gcp2Structure.digest]
        for name in names("instruments") where !name.hasPrefix(".") {
            let rel = "instruments/\(name)"
            checkMode(rel, folder: false)
            guard let data = try? readData(rel) else {
                add(rel, "cannot be read")
                continue
            }
            digests[rel] = Digest.hex(of: data)
            do {
                let inst = try InstrumentFile.load(from: data, checksText: false)
                if "\(inst.digest).json" != name { add(rel, "content digest \(inst.digest) does not match the file name") }
                instrumentDigests.insert(inst.digest)
            } catch {
                add(rel, "not a valid instrument: \(error.issues.first?.description ?? "")")
            }
        }

        // Families, in parallel; a family folder that is a symbolic link is named and not followed.
        let familyNames = names("families")
        // One `lstat` per listed name, for whether it is a link here and a family's folder below.
        var listedStatus: [String: FileStatus?] = [:]
        for name in familyNames { listedStatus.updateValue(try? POSIX.status(full("families/\(name)")), forKey: name) }
        for name in familyNames where listedStatus[name]??.kind == .symbolicLink {
            add("families/\(name)", "a symbolic link where the store keeps a family folder; the store never follows it")
        }
        let ids = familyNames.filter { listedStatus[$0]??.kind != .symbolicLink }.compactMap(FamilyID.init(rawValue:))
        func isFamilyFolder(_ id: FamilyID) -> Bool {
            guard let listed = listedStatus[id.rawValue] else { return POSIX.isDirectory(full(Store.familyFolder(id))) }
            return listed?.kind == .directory
        }
        let known = instrumentDigests
        let recorded = audit.lastDigest
        let folderStatus = ids.map { listedStatus[$0.rawValue] ?? nil }
        let levels = CaseloadEntry.Levels(current)
        // The index and caseload folders, listed before the families: a family's check looks at the modes of its
        // entries only in a folder that could be listed (never through a link, which the listing refuses).
        var entryNames: [String: [String]] = [:]
        for folder in ["index", "caseload"] {
            do throws(StoreError) { entryNames[folder] = try list(folder).sorted() } catch {
                add(folder, "cannot be listed: \(error)")
            }
        }
        let entryFolders = Set(entryNames.keys)
        // The caseload snapshot, when this gcp2 would use it: each family's lines in it are checked against the ones
        // its (current) caseload entry gives.
        let snapshot = SnapshotCheck(self, instrument: current)
        let results = ConcurrentResults<FamilyCheck>(count: ids.count)
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            results[i] = checkFamily(
                ids[i], listed: folderStatus[i], instruments: known, current: current, levels: levels, audit: recorded,
                repair: repair, snapshot: snapshot, entryFolders: entryFolders)
        }
        var assessments = 0
        var snapshotDiffers = snapshot?.wholeDiffers ?? false
        let checks = results.values
        for r in checks {
            guard let r else { continue }
            snapshotDiffers = snapshotDiffers || r.snapshotDiffers
            findings += r.findings
            assessments += r.assessments
            temps += r.temps
        }
        var checkedAt: [FamilyID: Int] = [:]
        checkedAt.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() { checkedAt[id] = i }
        if let snapshot, snapshotDiffers {
            // A cache that gives other lines than the entries do: the caseload would show them. Removed, it is
            // computed again from the entries by the next caseload.
            let removed = repair && (try? POSIX.unlink(full(CaseloadSnapshot.file))) != nil
            add(
                CaseloadSnapshot.file,
                "the caseload snapshot (as of \(snapshot.asOf)) gives lines that differ from the caseload entries"
                    + (removed ? " (removed)" : "; `doctor --repair` removes it, and the next caseload computes it again"),
                repaired: removed)
        }
        for name in names("families") where FamilyID(rawValue: name) == nil && !name.hasPrefix(".") {
            add("families/\(name)", "not a valid family folder name")
        }
        // The entries of the families checked above had their modes checked there, in parallel.
        let checked = Set(zip(ids, folderStatus).filter { $0.1?.kind == .directory }.map(\.0))
        for folder in ["index", "caseload"] {
            for name in entryNames[folder] ?? [] {
                if isTemp(name) {
                    temps += 1
                    if repair { try? POSIX.unlink(full("\(folder)/\(name)")) }
                    continue
                }
                let id = name.hasSuffix(".json") ? FamilyID(rawValue: String(name.dropLast(5))) : nil
                if let id, checked.contains(id), name == "\(id).json" { continue }
                if id == nil || !isFamilyFolder(id!) {
                    add("\(folder)/\(name)", "\(folder) entry without a family")
                }
                checkMode("\(folder)/\(name)", folder: false)
            }
        }
        for name in (try? POSIX.list(path)) ?? [] where isTemp(name) {
            temps += 1
            if repair { try? POSIX.unlink(full(name)) }
        }
        findings +=
            audit.findings
            + verifyDocuments(audit, known: digests) { id, rel in
                checkedAt[id].map { checks[$0]?.read.contains(rel) ?? false } ?? false
            }
        // Freeing a large store's tables (every path the log names, every family's check) takes a noticeable time
        // on one core: it is done off the path that reports.
        let tables = (audit, checks)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(tables) {} }
        return DoctorReport(
            families: ids.count, assessments: assessments, auditEntries: audit.digests.count, leftoverTempFiles: temps,
            findings: findings.sorted { ($0.path, $0.problem) < ($1.path, $1.problem) }, head: audit.head)
    }

    /// What a person needs to know about a journal that cannot be read.
    static func journalProblem(_ error: StoreError) -> String {
        guard case .journalUnreadable(_, let reason) = error else { return error.description }
        return "an interrupted change cannot be read (\(reason)). It may be partly applied: some of its documents "
            + "may be written and others not, and its audit entry may be missing. Nothing is written to the store "
            + "while this file is here. Keep a copy of it, move it out of the store, then check the store again; "
            + "the findings then list what the interrupted change left inconsistent."
    }

    /// A looser mode than the store's (0700 folders, 0600 files) at `path`, restored with `repair`.
    static func modeFinding(_ path: String, folder: Bool, repair: Bool) -> (problem: String, fixed: Bool)? {
        // One `lstat` for both questions (a link's own mode is not the store's concern).
        guard let status = try? POSIX.status(path) else { return nil }
        return modeFinding(path, status: status, folder: folder, repair: repair)
    }

    /// `modeFinding` for a path whose `lstat` the caller has already made.
    static func modeFinding(_ path: String, status: FileStatus, folder: Bool, repair: Bool) -> (problem: String, fixed: Bool)? {
        let wanted: mode_t = folder ? 0o700 : 0o600
        guard status.kind != .symbolicLink else { return nil }
        let mode = status.permissions
        guard mode != wanted else { return nil }
        let text = "mode \(String(mode, radix: 8)), expected \(String(wanted, radix: 8)) (readable or writable by others)"
        guard repair else { return (text, false) }
        do {
            try POSIX.setPermissions(path, wanted)
            return (text + " (restored)", true)
        } catch {
            return (text + " (cannot restore: \(error))", false)
        }
    }

    static func problem(_ error: StoreError) -> String {
        switch error {
        case .corrupt(_, let issue): "cannot be read: \(issue)"
        case .notFound: "missing"
        case .newerSchema(_, let found, let supported): "schemaVersion \(found) is newer than this gcp2 (\(supported))"
        default: error.description
        }
    }

    /// One family's check (`checkFamilyDocuments`), then the modes of its index and caseload entries in the folders
    /// `entryFolders` that could be listed: after the entries were compared (the snapshot's stamps taken first) and
    /// any rebuilt (a rebuilt entry is written 0600).
    private func checkFamily(
        _ id: FamilyID, listed listedFolder: FileStatus?, instruments: Set<String>, current: ValidatedInstrument,
        levels: CaseloadEntry.Levels, audit: [String: String], repair: Bool, snapshot: SnapshotCheck?,
        entryFolders: Set<String>
    ) -> FamilyCheck {
        var out = checkFamilyDocuments(
            id, listed: listedFolder, instruments: instruments, current: current, levels: levels, audit: audit,
            repair: repair, snapshot: snapshot)
        guard listedFolder?.kind == .directory else { return out }
        for (folder, rel) in [("index", Store.shardFile(id)), ("caseload", Store.caseloadFile(id))]
        where entryFolders.contains(folder) {
            if let f = Store.modeFinding(full(rel), folder: false, repair: repair) {
                out.findings.append(DoctorFinding(path: full(rel), problem: f.problem, repaired: f.fixed))
            }
        }
        return out
    }

    /// The family's documents, against each other, the audit log and its index and caseload entries. `listed`: the
    /// family folder's `lstat` as the listing of `families` made it (nil when it found nothing or failed: it is made
    /// again here).
    private func checkFamilyDocuments(
        _ id: FamilyID, listed listedFolder: FileStatus?, instruments: Set<String>, current: ValidatedInstrument,
        levels: CaseloadEntry.Levels, audit: [String: String], repair: Bool, snapshot: SnapshotCheck?
    ) -> FamilyCheck {
        var out = FamilyCheck()
        func add(_ rel: String, _ problem: String, repaired: Bool = false) {
            out.findings.append(DoctorFinding(path: full(rel), problem: problem, repaired: repaired))
        }
        func checkMode(_ rel: String, status: FileStatus) {
            if let f = Store.modeFinding(full(rel), status: status, folder: false, repair: repair) {
                add(rel, f.problem, repaired: f.fixed)
            }
        }
        /// Documents whose bytes the audit log does not vouch for: never a source for a rebuilt index entry.
        var untrusted: [String] = []
        func account(_ rel: String, _ digest: String) {
            guard let recorded = audit[rel] else {
                add(rel, "not recorded in the audit log (added outside gcp2); it is not counted")
                untrusted.append(rel)
                return
            }
            out.read.append(rel)
            if recorded != digest {
                untrusted.append(rel)
                add(rel, Store.changedOutside)
            }
        }
        let folder = Store.assessmentFolder(id)
        let decisionFolder = Store.decisionFolder(id)
        var listed: [String: [String]] = [:]
        // The folders above the family's documents are checked for links once for all of them.
        let folders = FolderStatuses()
        // The family folder, once found to be one, is opened: the files below it are opened from it (`openat`).
        defer { folders.close() }
        let familyFolder = Store.familyFolder(id)
        for dir in [familyFolder, folder, decisionFolder] {
            // One `lstat` for whether it is a link, a folder, and its mode — and, remembered, for the link check of
            // every path below it.
            var status: FileStatus?
            do throws(Errno) {
                if dir == familyFolder, let listedFolder {
                    status = listedFolder
                } else if let below = folders.belowBase(dir) {
                    status = try POSIX.status(at: below.fd, String(below.path))
                } else {
                    status = try POSIX.status(full(dir))
                }
                folders.statuses.updateValue(status, forKey: dir)
            } catch {
                status = nil
            }
            if status?.kind == .symbolicLink {
                add(dir, "a symbolic link where the store keeps a folder; the store never follows it")
                continue
            }
            if let status, status.kind == .directory,
                let f = Store.modeFinding(full(dir), status: status, folder: true, repair: repair)
            {
                add(dir, f.problem, repaired: f.fixed)
            }
            do throws(StoreError) {
                listed[dir] = try list(dir, missingIsEmpty: dir != familyFolder, folders: folders).sorted()
            } catch {
                add(dir, "cannot be listed: \(error)")
            }
            if dir == familyFolder, listed[dir] != nil, status?.kind == .directory, let fd = POSIX.openFolder(full(dir)) {
                folders.base = (dir, fd)
            }
            for name in listed[dir] ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
                out.temps += 1
                if repair { try? POSIX.unlink(full("\(dir)/\(name)")) }
            }
        }
        let familyRel = Store.familyFile(id)
        let family: Family
        var familyDigest = ""
        do throws(StoreError) {
            let (data, status) = try readDataWithStatus(familyRel, folders: folders)
            familyDigest = Digest.hex(of: data)
            account(familyRel, familyDigest)
            checkMode(familyRel, status: status)
            family = try decodeFamily(data, at: familyRel)
        } catch {
            add(familyRel, Store.problem(error))
            return out
        }
        if family.id != id { add(familyRel, "id \(family.id) does not match its folder") }
        /// A document's bytes and digest, recorded for the audit check, accounted against the log, mode checked.
        func readAccounted(_ rel: String) throws(StoreError) -> (Data, String) {
            let (data, status) = try readDataWithStatus(rel, folders: folders)
            let digest = Digest.hex(of: data)
            account(rel, digest)
            checkMode(rel, status: status)
            return (data, digest)
        }
        var assessments: [Assessment] = []
        var versionDigests: [String: String] = [:]
        var readable = true
        if listed[folder] == nil { readable = false }
        for name in listed[folder] ?? [] where !name.hasPrefix(".") {
            let rel = "\(folder)/\(name)"
            do throws(StoreError) {
                let (data, digest) = try readAccounted(rel)
                let a = try decodeAssessment(data, at: rel)
                versionDigests["\(a.id).v\(a.version)"] = digest
                if name != "\(a.id).v\(a.version).json" {
                    add(rel, "holds \(a.id) version \(a.version); the name does not match")
                }
                if a.familyId != id { add(rel, "belongs to family \(a.familyId), not \(id)") }
                for p in a.profiles where family.child(p.childId) == nil { add(rel, "refers to unknown child \(p.childId)") }
                for c in a.carers where family.carer(c) == nil { add(rel, "refers to unknown carer \(c)") }
                if let ref = a.instrument, !instruments.contains(ref.digest) {
                    add(rel, "refers to instrument \(ref.id) \(ref.version) (\(ref.digest.prefix(12))…) which is not stored")
                }
                assessments.append(a)
            } catch {
                add(rel, Store.problem(error))
                readable = false
            }
        }
        // Decisions: each named by its id, of this family, about its children; a correction names one of them.
        var decisions: [IndexedDecision] = []
        if listed[decisionFolder] == nil { readable = false }
        for name in listed[decisionFolder] ?? [] where !name.hasPrefix(".") {
            let rel = "\(decisionFolder)/\(name)"
            do throws(StoreError) {
                let (data, digest) = try readAccounted(rel)
                let d = try decodeDecision(data, at: rel)
                if rel != Store.decisionFile(d.id, family: id) { add(rel, "holds decision \(d.id); the name does not match") }
                if d.familyId != id { add(rel, "belongs to family \(d.familyId), not \(id)") }
                for c in d.children where family.child(c) == nil { add(rel, "refers to unknown child \(c)") }
                decisions.append(IndexedDecision(decision: d, digest: digest))
            } catch {
                add(rel, Store.problem(error))
                readable = false
            }
        }
        for d in decisions {
            guard let s = d.decision.supersedes else { continue }
            if !decisions.contains(where: { $0.decision.id == s }) {
                add(Store.decisionFile(d.decision.id, family: id), "supersedes \(s), which is not stored")
            } else if let first = decisions.first(where: { $0.decision.supersedes == s }), first.decision.id != d.decision.id {
                add(Store.decisionFile(d.decision.id, family: id), "corrects \(s), already corrected by \(first.decision.id)")
            }
        }
        // Supersession chains: versions 1…n with no gaps, each later one superseding the one before, with a reason.
        for (aid, versions) in Dictionary(grouping: assessments, by: \.id) {
            let sorted = versions.sorted { $0.version < $1.version }
            for (i, v) in sorted.enumerated() {
                let rel = Store.assessmentFile(aid, version: v.version, family: id)
                if v.version != i + 1 && readable { add(rel, "version \(v.version) follows a missing version \(i + 1)") }
                if v.version > 1 && v.supersedes != v.version - 1 { add(rel, "does not supersede version \(v.version - 1)") }
                if v.version > 1 && (v.reason ?? "").isEmpty { add(rel, "an amended or withdrawn version without a reason") }
                if i < sorted.count - 1 && v.status == .draft && sorted[i + 1].status != .enteredInError {
                    add(rel, "a draft was superseded by something other than a withdrawal")
                }
            }
        }
        // One final assessment per child per date; the series counts the one recorded last.
        for a in Assessment.finalsInForce(assessments) {
            for clash in a.dateClashes(with: assessments) where (clash.other.number ?? 0) < (a.id.number ?? 0) {
                add(
                    Store.assessmentFile(a.id, version: a.version, family: id),
                    "a second final assessment of \(clash.child) on \(a.date) (also \(clash.other)); the series counts the one recorded last"
                )
            }
        }
        let counted = assessments.filter { a in
            !untrusted.contains(Store.assessmentFile(a.id, version: a.version, family: id))
        }
        out.assessments = Set(counted.map(\.id)).count
        guard readable else { return out }
        // The index and caseload entries must equal ones rebuilt from the documents, and are rebuilt only from
        // documents the audit log vouches for: a tampered document never reaches the index or the caseload.
        var rebuilt = Store.buildIndex(
            family: family, assessments: assessments, decisions: decisions,
            digest: { versionDigests["\($0.id).v\($0.version)"] ?? "" }, memo: GradeSortMemo())
        rebuilt.familyDigest = familyDigest
        if !untrusted.isEmpty {
            if repair {
                add(
                    Store.shardFile(id),
                    "not rebuilt: \(untrusted.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")) "
                        + "\(untrusted.count == 1 ? "differs" : "differ") from the audit log")
            }
            return out
        }
        let entry = CaseloadEntry(index: rebuilt, instrument: current, prepared: levels)
        let derived: [(String, Data, String)] = [
            (Store.shardFile(id), Coding.document(rebuilt), "index entry"),
            (Store.caseloadFile(id), Coding.document(entry), "caseload entry"),
        ]
        for (rel, expected, what) in derived {
            let onDisk = try? readData(rel)
            if rel == Store.caseloadFile(id), onDisk == expected, let snapshot {
                out.snapshotDiffers = snapshot.differs(for: id, entry: entry, stamp: POSIX.stamp(full(rel)), levels: levels)
            }
            guard onDisk != expected else { continue }
            // An entry written before index entries recorded the family's digest is current, not stale.
            if rel == Store.shardFile(id), let onDisk,
                var old = try? Coding.decode(FamilyIndex.self, from: onDisk), old.familyDigest == nil
            {
                old.familyDigest = rebuilt.familyDigest
                if Coding.document(old) == expected { continue }
            }
            var fixed = false
            var failure = ""
            if repair {
                do {
                    try refuseLinks(rel)
                    try POSIX.atomicWrite(expected, to: full(rel))
                    fixed = true
                } catch {
                    failure = " (cannot rebuild: \(error))"
                }
            }
            let note = fixed ? " (rebuilt)" : failure
            add(rel, onDisk == nil ? "\(what) missing\(note)" : "\(what) does not match the documents\(note)", repaired: fixed)
        }
        return out
    }

    /// The audit log as `doctor` reads it: the chain's findings, the digest each document was last recorded with,
    /// each entry's line digest in order, and the head.
    struct AuditChain {
        var readable = true
        var findings: [DoctorFinding] = []
        var lastDigest: [String: String] = [:]
        var digests: [String] = []
        var head: ChainHead?
    }

    /// Walks the audit chain: each line parses, numbers run on, each `prev` is the digest of the line before.
    func readAuditChain() -> AuditChain {
        var out = AuditChain()
        let rel = "audit.log"
        guard let data = try? readAuditData() else {
            out.readable = false
            out.findings.append(DoctorFinding(path: full(rel), problem: "missing or unreadable"))
            return out
        }
        var prev = AuditEntry.genesis
        var expectedSeq = 1
        let lines = Lines.ranges(in: data).map { data[$0] }
        // Each complete line hashed and decoded in parallel (in chunks), then the chain walked in order.
        let complete = max(lines.count - 1, 0)
        let chunk = 64
        let parsed = ConcurrentResults<[(digest: String, entry: AuditEntry?)]>(count: (complete + chunk - 1) / chunk)
        DispatchQueue.concurrentPerform(iterations: (complete + chunk - 1) / chunk) { c in
            parsed[c] = (c * chunk..<min(complete, (c + 1) * chunk)).map { n in
                (Digest.hex(of: lines[n]), AuditEntry.read(line: Data(lines[n])))
            }
        }
        let read = parsed.values.flatMap { $0 ?? [] }
        // Room for every path at once: grown entry by entry, the table was rehashed over and over (a fifth of the
        // walk at 30,000 families).
        out.lastDigest.reserveCapacity(read.reduce(0) { $0 + ($1.entry?.documents.count ?? 0) })
        for (n, line) in lines.enumerated() {
            if n == lines.count - 1 {
                if !line.isEmpty {
                    out.findings.append(
                        DoctorFinding(path: full(rel), problem: "line \(n + 1): incomplete last line (no newline)"))
                }
                break
            }
            let digest = read[n].digest
            out.digests.append(digest)
            guard let e = read[n].entry else {
                out.findings.append(DoctorFinding(path: full(rel), problem: "line \(n + 1): not an audit entry"))
                prev = digest
                expectedSeq += 1
                continue
            }
            if e.prev != prev {
                out.findings.append(
                    DoctorFinding(
                        path: full(rel),
                        problem: "line \(n + 1): chain broken (an earlier entry was changed, removed or inserted)"))
            }
            if e.seq != expectedSeq {
                out.findings.append(
                    DoctorFinding(path: full(rel), problem: "line \(n + 1): sequence \(e.seq), expected \(expectedSeq)"))
            }
            expectedSeq = e.seq + 1
            prev = digest
            out.head = ChainHead(seq: e.seq, digest: digest)
            for (p, d) in e.documents { out.lastDigest[p] = d }
        }
        return out
    }

    /// Checks each document's bytes against the digest the log last recorded for it: those a family's check has
    /// read and checked (`checked(family, path)`) are passed over; the others are read here.
    private func verifyDocuments(
        _ audit: AuditChain, known: [String: String], checked: (FamilyID, String) -> Bool
    ) -> [DoctorFinding] {
        var out: [DoctorFinding] = []
        // In no order: the report sorts its findings.
        for (p, digest) in audit.lastDigest {
            if p.hasPrefix("index/") || p.hasPrefix("caseload/") { continue }  // derived; checked against the documents
            if p.hasPrefix("families/"), let id = Store.family(of: p), checked(id, p) { continue }
            var actual = known[p]
            if actual == nil {
                do throws(StoreError) { actual = Digest.hex(of: try readData(p)) } catch {
                    if case .notFound = error {
                        if digest != "removed" {
                            out.append(DoctorFinding(path: full(p), problem: "recorded in the audit log but missing"))
                        }
                    } else {
                        out.append(DoctorFinding(path: full(p), problem: Store.problem(error)))
                    }
                    continue
                }
            }
            if actual != digest { out.append(DoctorFinding(path: full(p), problem: Store.changedOutside)) }
        }
        return out
    }

    /// What `doctor` says of a document whose bytes are not the ones the audit log last recorded.
    static let changedOutside = "content differs from what the audit log recorded (changed outside gcp2)"

    /// The family of a path below `families/` (`families/<id>/…`), if its folder name is a family id.
    static func family(of path: String) -> FamilyID? {
        let rest = path.utf8.dropFirst("families/".utf8.count)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return FamilyID(rawValue: String(Substring(rest[..<slash])))
    }

    func readAuditData() throws(StoreError) -> Data {
        do { return try POSIX.read(full("audit.log")) } catch {
            throw .io(path: full("audit.log"), reason: "\(error)", errno: error.errno)
        }
    }
}
