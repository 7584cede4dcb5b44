import Foundation
import GCP2Core

/// One problem `doctor` found, by path.
public struct DoctorFinding: Codable, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "\(path): \(problem)" }
}

/// The result of checking the whole store.
public struct DoctorReport: Codable, Sendable {
    public var families: Int
    public var assessments: Int
    public var auditEntries: Int
    /// Temporary files left by interrupted writes: harmless, ignored by readers, removed by the next write.
    public var leftoverTempFiles: Int
    public var findings: [DoctorFinding]
    public var isClean: Bool { findings.isEmpty }
}

extension Store {
    /// Checks every document, every reference, the index and the audit chain; reports every problem by path.
    ///
    /// Families are checked in parallel. With `repair`, damaged or stale index entries are rebuilt from the
    /// documents and leftover temp files are removed (documents themselves are never changed).
    public func doctor(repair: Bool = false, now: Date = Date()) throws(StoreError) -> DoctorReport {
        let check = { () throws(StoreError) -> DoctorReport in
            try self.recover()
            return self.runChecks(repair: repair)
        }
        return try withLock(exclusive: repair) { () throws(StoreError) in
            if repair { return try check() }
            return runChecks(repair: false)
        }
    }

    private func runChecks(repair: Bool) -> DoctorReport {
        var findings: [DoctorFinding] = []
        func add(_ rel: String, _ problem: String) { findings.append(DoctorFinding(path: full(rel), problem: problem)) }

        if POSIX.fileSize(full("journal.json")) != nil {
            add("journal.json", "an interrupted change is pending; the next write finishes it")
        }
        for rel in ["manifest.json"] {
            do throws(StoreError) {
                _ = try readDocument(rel, as: Manifest.self, current: Manifest.currentSchemaVersion)
            } catch { add(rel, Store.problem(error)) }
        }
        // Instruments: each file's digest is its name.
        var instrumentDigests: Set<String> = [Instrument.gcp2Structure.digest]
        for name in (POSIX.list(full("instruments")) ?? []).sorted() where !name.hasPrefix(".") {
            let rel = "instruments/\(name)"
            guard let data = try? readData(rel) else {
                add(rel, "cannot be read")
                continue
            }
            do {
                let inst = try Instrument.load(from: data)
                if "\(inst.digest).json" != name { add(rel, "content digest \(inst.digest) does not match the file name") }
                instrumentDigests.insert(inst.digest)
            } catch {
                add(rel, "not a valid instrument: \(error.issues.first?.description ?? "")")
            }
        }

        // Families, in parallel.
        let ids = familyIDs()
        let known = instrumentDigests
        let results = ConcurrentResults<([DoctorFinding], Int, Int)>(count: ids.count)
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            results[i] = checkFamily(ids[i], instruments: known, repair: repair)
        }
        var assessments = 0
        var temps = 0
        for r in results.values {
            findings += r?.0 ?? []
            assessments += r?.1 ?? 0
            temps += r?.2 ?? 0
        }
        for name in POSIX.list(path) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
            temps += 1
            if repair { try? POSIX.unlink(full(name)) }
        }
        for name in (POSIX.list(full("families")) ?? []).sorted() where FamilyID(rawValue: name) == nil && !name.hasPrefix(".") {
            add("families/\(name)", "not a valid family folder name")
        }
        for name in (POSIX.list(full("index")) ?? []).sorted() {
            if name.hasPrefix(".") && name.contains(".tmp-") {
                temps += 1
                if repair { try? POSIX.unlink(full("index/\(name)")) }
                continue
            }
            let id = name.hasSuffix(".json") ? FamilyID(rawValue: String(name.dropLast(5))) : nil
            if id == nil || !POSIX.isDirectory(full(Store.familyFolder(id!))) {
                add("index/\(name)", "index entry without a family")
            }
        }
        let (entries, auditFindings) = verifyAudit()
        findings += auditFindings
        return DoctorReport(
            families: ids.count, assessments: assessments, auditEntries: entries, leftoverTempFiles: temps,
            findings: findings.sorted { ($0.path, $0.problem) < ($1.path, $1.problem) })
    }

    static func problem(_ error: StoreError) -> String {
        switch error {
        case .corrupt(_, let issue): "cannot be read: \(issue)"
        case .notFound: "missing"
        case .newerSchema(_, let found, let supported): "schemaVersion \(found) is newer than this gcp2 (\(supported))"
        default: error.description
        }
    }

    private func checkFamily(_ id: FamilyID, instruments: Set<String>, repair: Bool) -> ([DoctorFinding], Int, Int) {
        var out: [DoctorFinding] = []
        var temps = 0
        func add(_ rel: String, _ problem: String) { out.append(DoctorFinding(path: full(rel), problem: problem)) }
        let folder = Store.assessmentFolder(id)
        for dir in [Store.familyFolder(id), folder] {
            for name in POSIX.list(full(dir)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
                temps += 1
                if repair { try? POSIX.unlink(full("\(dir)/\(name)")) }
            }
        }
        let family: Family
        do throws(StoreError) {
            family = try readFamily(id)
        } catch {
            add(Store.familyFile(id), Store.problem(error))
            return (out, 0, temps)
        }
        if family.id != id { add(Store.familyFile(id), "id \(family.id) does not match its folder") }
        var assessments: [Assessment] = []
        var readable = true
        for name in (POSIX.list(full(folder)) ?? []).sorted() where !name.hasPrefix(".") {
            let rel = "\(folder)/\(name)"
            do throws(StoreError) {
                let a = try readDocument(rel, as: Assessment.self, current: Assessment.currentSchemaVersion)
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
        // Supersession chains: versions 1…n with no gaps, each later one superseding the one before, with a reason.
        for (aid, versions) in Dictionary(grouping: assessments, by: \.id) {
            let sorted = versions.sorted { $0.version < $1.version }
            for (i, v) in sorted.enumerated() {
                let rel = Store.assessmentFile(aid, version: v.version, family: id)
                if v.version != i + 1 && readable { add(rel, "version \(v.version) follows a missing version \(i + 1)") }
                if v.version > 1 && v.supersedes != v.version - 1 { add(rel, "does not supersede version \(v.version - 1)") }
                if v.version > 1 && (v.reason ?? "").isEmpty { add(rel, "an amended or withdrawn version without a reason") }
                if i < sorted.count - 1 && v.status == .draft { add(rel, "a draft was superseded") }
            }
        }
        // The index entry must equal one rebuilt from the documents.
        let rebuilt = Store.buildIndex(family: family, assessments: assessments)
        let shardRel = Store.shardFile(id)
        let onDisk = try? readData(shardRel)
        if readable && onDisk != Coding.document(rebuilt) {
            add(
                shardRel,
                onDisk == nil
                    ? "index entry missing\(repair ? " (rebuilt)" : "")"
                    : "index entry does not match the documents\(repair ? " (rebuilt)" : "")")
            if repair { try? POSIX.atomicWrite(Coding.document(rebuilt), to: full(shardRel)) }
        }
        return (out, Set(assessments.map(\.id)).count, temps)
    }

    /// Walks the audit chain; checks each line parses, numbers run on, and each `prev` is the digest of the line before.
    /// Then checks that every document's bytes match the digest the log last recorded for it.
    private func verifyAudit() -> (Int, [DoctorFinding]) {
        var out: [DoctorFinding] = []
        let rel = "audit.log"
        guard let data = try? readAuditData() else {
            return (0, [DoctorFinding(path: full(rel), problem: "missing or unreadable")])
        }
        var prev = AuditEntry.genesis
        var expectedSeq = 1
        var lastDigest: [String: String] = [:]
        var count = 0
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            if n == lines.count - 1 {
                if !line.isEmpty {
                    out.append(DoctorFinding(path: full(rel), problem: "line \(n + 1): incomplete last line (no newline)"))
                }
                break
            }
            count += 1
            guard let e = try? Coding.decoder().decode(AuditEntry.self, from: Data(line)) else {
                out.append(DoctorFinding(path: full(rel), problem: "line \(n + 1): not an audit entry"))
                prev = SHA256.hex(of: line)
                expectedSeq += 1
                continue
            }
            if e.prev != prev {
                out.append(
                    DoctorFinding(
                        path: full(rel),
                        problem: "line \(n + 1): chain broken (an earlier entry was changed, removed or inserted)"))
            }
            if e.seq != expectedSeq {
                out.append(DoctorFinding(path: full(rel), problem: "line \(n + 1): sequence \(e.seq), expected \(expectedSeq)"))
            }
            expectedSeq = e.seq + 1
            prev = SHA256.hex(of: line)
            for (p, d) in e.documents { lastDigest[p] = d }
        }
        for (p, digest) in lastDigest.sorted(by: { $0.key < $1.key }) {
            if p.hasPrefix("index/") { continue }  // derived; checked against the documents instead
            guard let bytes = try? readData(p) else {
                if digest != "removed" {
                    out.append(DoctorFinding(path: full(p), problem: "recorded in the audit log but missing"))
                }
                continue
            }
            if SHA256.hex(of: bytes) != digest {
                out.append(
                    DoctorFinding(
                        path: full(p), problem: "content differs from what the audit log recorded (changed outside gcp2)"))
            }
        }
        return (count, out)
    }

    func readAuditData() throws(StoreError) -> Data {
        do { return try POSIX.read(full("audit.log")) } catch { throw .io(path: full("audit.log"), reason: "\(error)") }
    }
}

/// Fixed-size results filled from `concurrentPerform`, one slot per iteration.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.withLock { slots[i] } }
        set { lock.withLock { slots[i] = newValue } }
    }
    var values: [T?] { lock.withLock { slots } }
}
