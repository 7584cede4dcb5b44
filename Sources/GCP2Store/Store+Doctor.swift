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

/// What checking one family found: problems, assessments counted, temp files, and the digest of every
/// document read (so the audit check need not read them again).
private struct FamilyCheck {
    var findings: [DoctorFinding] = []
    var assessments = 0
    var temps = 0
    var digests: [String: String] = [:]
}

extension Store {
    /// Checks every document, every reference, the index and caseload entries and the audit chain; reports every
    /// problem by path.
    ///
    /// Families are checked in parallel, each document read and hashed once. With `repair`, stale or missing index
    /// and caseload entries are rebuilt from the documents and leftover temp files removed (documents are never changed).
    public func doctor(repair: Bool = false) throws(StoreError) -> DoctorReport {
        let current = try currentInstrument()
        return try withLock(exclusive: repair) { () throws(StoreError) in
            if repair { try recover() }
            return runChecks(repair: repair, instrument: current)
        }
    }

    private func runChecks(repair: Bool, instrument current: ValidatedInstrument) -> DoctorReport {
        var findings: [DoctorFinding] = []
        var digests: [String: String] = [:]
        var temps = 0
        func add(_ rel: String, _ problem: String) { findings.append(DoctorFinding(path: full(rel), problem: problem)) }
        func isTemp(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }
        /// A folder's names; one that cannot be listed is a finding (and checked as holding nothing).
        func names(_ rel: String) -> [String] {
            do throws(StoreError) { return try list(rel).sorted() } catch {
                add(rel, "cannot be listed: \(error)")
                return []
            }
        }

        if POSIX.fileSize(full("journal.json")) != nil {
            do throws(StoreError) {
                _ = try readJournal()
                add("journal.json", "an interrupted change is pending; the next command that writes finishes it")
            } catch {
                add("journal.json", Store.journalProblem(error))
            }
        }
        do throws(StoreError) {
            let data = try readData("manifest.json")
            digests["manifest.json"] = SHA256.hex(of: data)
            _ = try decodeDocument(data, at: "manifest.json", as: Manifest.self, current: Manifest.currentSchemaVersion)
        } catch {
            add("manifest.json", Store.problem(error))
        }
        // Instruments: each file's digest is its name.
        var instrumentDigests: Set<String> = [Instrument.gcp2Structure.digest]
        for name in names("instruments") where !name.hasPrefix(".") {
            let rel = "instruments/\(name)"
            guard let data = try? readData(rel) else {
                add(rel, "cannot be read")
                continue
            }
            digests[rel] = SHA256.hex(of: data)
            do {
                let inst = try Instrument.load(from: data, checksText: false)
                if "\(inst.digest).json" != name { add(rel, "content digest \(inst.digest) does not match the file name") }
                instrumentDigests.insert(inst.digest)
            } catch {
                add(rel, "not a valid instrument: \(error.issues.first?.description ?? "")")
            }
        }

        // Families, in parallel.
        let ids = names("families").compactMap(FamilyID.init(rawValue:))
        let known = instrumentDigests
        let results = ConcurrentResults<FamilyCheck>(count: ids.count)
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            results[i] = checkFamily(ids[i], instruments: known, current: current, repair: repair)
        }
        var assessments = 0
        for r in results.values {
            guard let r else { continue }
            findings += r.findings
            assessments += r.assessments
            temps += r.temps
            digests.merge(r.digests) { a, _ in a }
        }
        for name in names("families") where FamilyID(rawValue: name) == nil && !name.hasPrefix(".") {
            add("families/\(name)", "not a valid family folder name")
        }
        for folder in ["index", "caseload"] {
            for name in names(folder) {
                if isTemp(name) {
                    temps += 1
                    if repair { try? POSIX.unlink(full("\(folder)/\(name)")) }
                    continue
                }
                let id = name.hasSuffix(".json") ? FamilyID(rawValue: String(name.dropLast(5))) : nil
                if id == nil || !POSIX.isDirectory(full(Store.familyFolder(id!))) {
                    add("\(folder)/\(name)", "\(folder) entry without a family")
                }
            }
        }
        for name in (try? POSIX.list(path)) ?? [] where isTemp(name) {
            temps += 1
            if repair { try? POSIX.unlink(full(name)) }
        }
        let (entries, auditFindings) = verifyAudit(known: digests)
        findings += auditFindings
        return DoctorReport(
            families: ids.count, assessments: assessments, auditEntries: entries, leftoverTempFiles: temps,
            findings: findings.sorted { ($0.path, $0.problem) < ($1.path, $1.problem) })
    }

    /// What a person needs to know about a journal that cannot be read.
    static func journalProblem(_ error: StoreError) -> String {
        guard case .journalUnreadable(_, let reason) = error else { return error.description }
        return "an interrupted change cannot be read (\(reason)). It may be partly applied: some of its documents "
            + "may be written and others not, and its audit entry may be missing. Nothing is written to the store "
            + "while this file is here. Keep a copy of it, move it out of the store, then check the store again; "
            + "the findings then list what the interrupted change left inconsistent."
    }

    static func problem(_ error: StoreError) -> String {
        switch error {
        case .corrupt(_, let issue): "cannot be read: \(issue)"
        case .notFound: "missing"
        case .newerSchema(_, let found, let supported): "schemaVersion \(found) is newer than this gcp2 (\(supported))"
        default: error.description
        }
    }

    private func checkFamily(
        _ id: FamilyID, instruments: Set<String>, current: ValidatedInstrument, repair: Bool
    ) -> FamilyCheck {
        var out = FamilyCheck()
        func add(_ rel: String, _ problem: String) { out.findings.append(DoctorFinding(path: full(rel), problem: problem)) }
        let folder = Store.assessmentFolder(id)
        var listed: [String: [String]] = [:]
        for dir in [Store.familyFolder(id), folder] {
            do throws(StoreError) {
                listed[dir] = try list(dir, missingIsEmpty: dir == folder).sorted()
            } catch {
                add(dir, "cannot be listed: \(error)")
            }
            for name in listed[dir] ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
                out.temps += 1
                if repair { try? POSIX.unlink(full("\(dir)/\(name)")) }
            }
        }
        let familyRel = Store.familyFile(id)
        let family: Family
        do throws(StoreError) {
            let data = try readData(familyRel)
            out.digests[familyRel] = SHA256.hex(of: data)
            family = try decodeDocument(
                data, at: familyRel, as: Family.self, current: Family.currentSchemaVersion, migrate: Store.migrateFamily)
        } catch {
            add(familyRel, Store.problem(error))
            return out
        }
        if family.id != id { add(familyRel, "id \(family.id) does not match its folder") }
        var assessments: [Assessment] = []
        var versionDigests: [String: String] = [:]
        var readable = true
        if listed[folder] == nil { readable = false }
        for name in listed[folder] ?? [] where !name.hasPrefix(".") {
            let rel = "\(folder)/\(name)"
            do throws(StoreError) {
                let data = try readData(rel)
                let digest = SHA256.hex(of: data)
                out.digests[rel] = digest
                let a = try decodeDocument(data, at: rel, as: Assessment.self, current: Assessment.currentSchemaVersion)
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
        out.assessments = Set(assessments.map(\.id)).count
        guard readable else { return out }
        // The index and caseload entries must equal ones rebuilt from the documents.
        let rebuilt = Store.buildIndex(family: family, assessments: assessments) {
            versionDigests["\($0.id).v\($0.version)"] ?? ""
        }
        let derived: [(String, Data, String)] = [
            (Store.shardFile(id), Coding.document(rebuilt), "index entry"),
            (Store.caseloadFile(id), Coding.document(CaseloadEntry(index: rebuilt, instrument: current)), "caseload entry"),
        ]
        for (rel, expected, what) in derived {
            let onDisk = try? readData(rel)
            guard onDisk != expected else { continue }
            let fix = repair ? " (rebuilt)" : ""
            add(rel, onDisk == nil ? "\(what) missing\(fix)" : "\(what) does not match the documents\(fix)")
            if repair { try? POSIX.atomicWrite(expected, to: full(rel)) }
        }
        return out
    }

    /// Walks the audit chain: each line parses, numbers run on, each `prev` is the digest of the line before.
    /// Then checks each document's bytes against the digest the log last recorded for it.
    private func verifyAudit(known: [String: String]) -> (Int, [DoctorFinding]) {
        var out: [DoctorFinding] = []
        let rel = "audit.log"
        guard let data = try? readAuditData() else {
            return (0, [DoctorFinding(path: full(rel), problem: "missing or unreadable")])
        }
        var prev = AuditEntry.genesis
        var expectedSeq = 1
        var lastDigest: [String: String] = [:]
        var count = 0
        let decoder = Coding.decoder()
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            if n == lines.count - 1 {
                if !line.isEmpty {
                    out.append(DoctorFinding(path: full(rel), problem: "line \(n + 1): incomplete last line (no newline)"))
                }
                break
            }
            count += 1
            guard let e = try? decoder.decode(AuditEntry.self, from: Data(line)) else {
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
            if p.hasPrefix("index/") || p.hasPrefix("caseload/") { continue }  // derived; checked against the documents
            var actual = known[p]
            if actual == nil {
                do throws(StoreError) { actual = SHA256.hex(of: try readData(p)) } catch {
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
            if actual != digest {
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
