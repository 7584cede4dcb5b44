import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 11: an attacker with write access to the store's folder. Each case is refused, found by `doctor`
/// (naming the file), or harmless.
@Suite struct TamperingTests {
    let fm = FileManager.default

    /// A journal as gcp2 writes one, for the given writes and removes, with a matching audit line.
    func journal(writes: [(String, String)], removes: [String] = [], fx: Fixture) throws -> Data {
        let (seq, prev) = try fx.store.auditTail()
        var docs: [String: String] = [:]
        for (p, c) in writes { docs[p] = SHA256.hex(of: Data(c.utf8)) }
        for r in removes { docs[r] = "removed" }
        let entry = AuditEntry(
            schemaVersion: 1, seq: seq, time: now, actor: "intruder", action: "carer.add", record: "x", version: nil,
            reason: nil, documents: docs, prev: prev)
        let line = String(decoding: Coding.line(entry), as: UTF8.self)
        return Coding.document(
            Journal(writes: writes.map { Journal.Write(path: $0.0, content: $0.1, create: nil) }, removes: removes, audit: line))
    }

    @Test(arguments: [
        "../escaped.txt", "/tmp/gcp2-escaped-absolute.txt", "families/../../escaped.txt", "notes.txt",
        "families/f-aaaaaa/../../../escaped.txt", "index/../../escaped.txt", "families/f-aaaaaa/assessments/f-bbbbbb-a1.v1.json",
    ])
    func aPlantedJournalCannotWriteOrRemoveAnythingOutsideTheStore(path: String) throws {
        let fx = try Fixture()
        let outside = (fx.store.path as NSString).deletingLastPathComponent
        let victim = outside + "/victim.txt"
        #expect(fm.createFile(atPath: victim, contents: Data("keep".utf8)))
        let audit = try Data(contentsOf: URL(fileURLWithPath: fx.store.full("audit.log")))
        let data = try journal(writes: [(path, "escaped")], removes: ["../victim.txt"], fx: fx)
        try data.write(to: URL(fileURLWithPath: fx.store.full("journal.json")))
        // Reading goes on; writing refuses; nothing outside the store is touched; the journal stays for a person.
        let store = try Store.open(at: fx.store.path)
        #expect(try store.family(fx.family.id).ref == "RX-1")
        #expect(throws: StoreError.self) {
            try store.addCarer(to: fx.family.id, name: "Em", relationship: .aunt, actor: "t", now: now)
        }
        #expect(!fm.fileExists(atPath: outside + "/escaped.txt"))
        #expect(!fm.fileExists(atPath: "/tmp/gcp2-escaped-absolute.txt"))
        #expect(fm.fileExists(atPath: victim))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fx.store.full("audit.log"))) == audit)
        #expect(fm.fileExists(atPath: fx.store.full("journal.json")))
        let report = try store.doctor()
        #expect(
            report.findings.contains {
                $0.path == fx.store.full("journal.json") && $0.problem.contains("not a store document")
            }, "\(report.findings)")
    }

    @Test func aJournalWhoseAuditLineDoesNotRecordItsWritesIsRefused() throws {
        let fx = try Fixture()
        let rel = Store.familyFile(fx.family.id)
        var data = try journal(writes: [(rel, "{}\n")], fx: fx)
        // The same journal with other content than its audit line records.
        data = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "{}\\n", with: "{ }\\n").utf8)
        try data.write(to: URL(fileURLWithPath: fx.store.full("journal.json")))
        let before = try Data(contentsOf: URL(fileURLWithPath: fx.store.full(rel)))
        _ = try Store.open(at: fx.store.path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fx.store.full(rel))) == before)
        do {
            try fx.store.recover()
            Issue.record("a forged journal was applied")
        } catch {
            #expect("\(error)".contains("differs from the digest its audit line records"), "\(error)")
        }
    }

    @Test func aJournalWritingThroughALinkedFamilyFolderWritesNothingOutside() throws {
        let fx = try Fixture()
        let outside = (fx.store.path as NSString).deletingLastPathComponent + "/elsewhere"
        try fm.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let evil = FamilyID(rawValue: "f-evvv22")!
        try fm.createSymbolicLink(atPath: fx.store.full(Store.familyFolder(evil)), withDestinationPath: outside)
        try journal(writes: [(Store.familyFile(evil), "{}\n")], fx: fx).write(
            to: URL(fileURLWithPath: fx.store.full("journal.json")))
        #expect(throws: StoreError.self) { try fx.store.recover() }
        #expect(try fm.contentsOfDirectory(atPath: outside).isEmpty)
    }

    @Test func aFamilyFolderReplacedByALinkIsRefusedAndDoctorNamesIt() throws {
        let fx = try Fixture()
        let folder = fx.store.full(Store.familyFolder(fx.family.id))
        let outside = (fx.store.path as NSString).deletingLastPathComponent + "/moved"
        try fm.moveItem(atPath: folder, toPath: outside)
        try fm.createSymbolicLink(atPath: folder, withDestinationPath: outside)
        let before = snapshot(outside)
        let store = try Store.open(at: fx.store.path)
        func refused(_ what: String, _ body: () throws -> Void) {
            do {
                try body()
                Issue.record("\(what) went through a link")
            } catch {
                #expect("\(error)".contains(folder) && "\(error)".contains("symbolic link"), "\(what): \(error)")
            }
        }
        refused("a read") { _ = try store.family(fx.family.id) }
        refused("a change") { _ = try store.addCarer(to: fx.family.id, name: "Em", relationship: .aunt, actor: "t", now: now) }
        let a = fx.assessment(on: "2026-05-01", grade: 2)
        refused("a record") { _ = try store.record(a, final: true, file: nil, actor: "t", now: now, today: today) }
        #expect(snapshot(outside) == before)
        let report = try store.doctor(repair: true)
        #expect(report.findings.contains { $0.path == folder && $0.problem.contains("symbolic link") }, "\(report.findings)")
        #expect(!report.remaining.isEmpty)
        #expect(snapshot(outside) == before)
    }

    /// An index or caseload folder replaced by a link after the store was opened: `doctor --repair` names the link,
    /// looks at nothing below it, and changes nothing it points to (a family's check once restored the mode of an
    /// entry through it).
    @Test(arguments: ["index", "caseload"])
    func anEntryFolderReplacedByALinkIsNamedAndNothingBelowItIsChanged(folder: String) throws {
        let fx = try Fixture()
        let store = try Store.open(at: fx.store.path)
        let inside = fx.store.full(folder)
        let outside = (fx.store.path as NSString).deletingLastPathComponent + "/moved-\(folder)"
        try fm.moveItem(atPath: inside, toPath: outside)
        try fm.createSymbolicLink(atPath: inside, withDestinationPath: outside)
        let entry = outside + "/\(fx.family.id).json"
        #expect(chmod(entry, 0o644) == 0)
        let report = try store.doctor(repair: true)
        #expect(report.findings.contains { $0.path == inside && $0.problem.contains("symbolic link") }, "\(report.findings)")
        #expect(!report.findings.contains { $0.problem.contains("mode 644") }, "\(report.findings)")
        #expect(POSIX.mode(entry) == 0o644)
    }

    /// An entry both stale and readable by others: a repair rebuilds it (written 0600) and says so once.
    @Test func aStaleEntryWithALooseModeIsRebuiltAndNamedOnce() throws {
        let fx = try Fixture()
        let rel = Store.shardFile(fx.family.id)
        _ = try fx.store.record(
            fx.assessment(on: "2026-05-01", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let text = try String(contentsOfFile: fx.store.full(rel), encoding: .utf8)
        try text.replacingOccurrences(of: "\"grades\" : {", with: "\"grades\" : {\n").write(
            toFile: fx.store.full(rel), atomically: false, encoding: .utf8)
        #expect(chmod(fx.store.full(rel), 0o644) == 0)
        let found = try fx.store.doctor().findings.filter { $0.path == fx.store.full(rel) }.map(\.problem)
        #expect(
            found.sorted() == [
                "index entry does not match the documents", "mode 644, expected 600 (readable or writable by others)",
            ])
        let repaired = try fx.store.doctor(repair: true).findings.filter { $0.path == fx.store.full(rel) }.map(\.problem)
        #expect(repaired == ["index entry does not match the documents (rebuilt)"])
        #expect(POSIX.mode(fx.store.full(rel)) == 0o600)
        #expect(try fx.store.doctor().isClean)
    }

    /// `doctor` opens a family's files from its folder (`openat`): links below the folder are still named by the
    /// paths a person sees, nothing is read through them, and the rest of the family is checked as before.
    @Test func linksBelowAFamilyFolderAreNamedByDoctorAndNeverFollowed() throws {
        let fx = try Fixture()
        let first = try fx.store.record(
            fx.assessment(on: "2026-05-01", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let second = try fx.store.record(
            fx.assessment(on: "2026-05-08", grade: 3), final: true, file: nil, actor: "t", now: now, today: today)
        #expect(try fx.store.doctor().isClean)
        let outside = (fx.store.path as NSString).deletingLastPathComponent + "/outside"
        try fm.createDirectory(atPath: outside, withIntermediateDirectories: true)
        // One document replaced by a link to a copy outside the store.
        let linked = fx.store.full(Store.assessmentFile(second.assessment.id, version: 1, family: fx.family.id))
        try fm.moveItem(atPath: linked, toPath: outside + "/copy.json")
        try fm.createSymbolicLink(atPath: linked, withDestinationPath: outside + "/copy.json")
        var report = try fx.store.doctor()
        #expect(
            report.findings.contains { $0.path == linked && $0.problem.contains("Too many levels of symbolic links") },
            "\(report.findings)")
        #expect(
            !report.findings.contains {
                $0.path == fx.store.full(Store.assessmentFile(first.assessment.id, version: 1, family: fx.family.id))
            }, "\(report.findings)")
        // The whole assessments folder replaced by a link: named, and no document below it is read.
        let folder = fx.store.full(Store.assessmentFolder(fx.family.id))
        try fm.moveItem(atPath: folder, toPath: outside + "/assessments")
        try fm.createSymbolicLink(atPath: folder, withDestinationPath: outside + "/assessments")
        let before = snapshot(outside)
        report = try fx.store.doctor(repair: true)
        #expect(
            report.findings.contains { $0.path == folder && $0.problem.contains("symbolic link") }, "\(report.findings)")
        #expect(
            report.findings.contains {
                $0.path.hasPrefix(folder + "/") && $0.problem.contains("\(folder): a symbolic link")
            }, "\(report.findings)")
        #expect(!report.remaining.isEmpty)
        #expect(snapshot(outside) == before)
    }

    @Test func aStoreFolderThatIsALinkIsRefused() throws {
        let fx = try Fixture()
        let link = (fx.store.path as NSString).deletingLastPathComponent + "/link"
        try fm.createSymbolicLink(atPath: link, withDestinationPath: fx.store.path)
        #expect(throws: StoreError.self) { try Store.open(at: link) }
        try fm.removeItem(atPath: fx.store.full("index"))
        try fm.createSymbolicLink(atPath: fx.store.full("index"), withDestinationPath: link + "/caseload")
        #expect(throws: StoreError.self) { try Store.open(at: fx.store.path) }
    }

    @Test func aStoreReachedThroughALinkedParentFolderIsAnOrdinaryStore() throws {
        let dir = TempDir()
        try fm.createDirectory(atPath: dir.path + "/real", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: dir.path + "/link", withDestinationPath: dir.path + "/real")
        let store = try Store.create(at: dir.path + "/link/cases", now: now)
        _ = try store.addFamily(ref: "L-1", actor: "t", now: now)
        #expect(try Store.open(at: dir.path + "/link/cases").doctor().isClean)
    }

    @Test func deletingTheLastAuditLinesIsFoundAndNoChangeBuildsOnTheShortenedLog() throws {
        let fx = try Fixture()
        let file = fx.store.full("audit.log")
        let manifest = try fx.store.readManifest()
        #expect(manifest.schemaVersion == 2)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(manifest.head == ChainHead(seq: lines.count, digest: SHA256.hex(of: Array(lines.last!.utf8))))
        try (lines.dropLast(2).joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
        let report = try fx.store.doctor()
        #expect(
            report.findings.contains {
                $0.path == file && $0.problem.contains("ends at entry \(lines.count - 2)")
                    && $0.problem.contains("head is entry \(lines.count)")
            }, "\(report.findings)")
        let before = snapshot(fx.store.path)
        #expect(throws: StoreError.self) {
            try fx.store.addCarer(to: fx.family.id, name: "Em", relationship: .aunt, actor: "t", now: now)
        }
        #expect(snapshot(fx.store.path) == before)
    }

    @Test func aVersionOneStoreIsReadAndGainsItsHeadOnTheNextChange() throws {
        let fx = try Fixture()
        try Forger(fx.store).rewrite { manifest in
            manifest.removeValue(forKey: "head")
            manifest["schemaVersion"] = 1
        }
        #expect(try fx.store.doctor().isClean)
        let store = try Store.open(at: fx.store.path)
        #expect(store.manifest.head == nil)
        _ = try store.addCarer(to: fx.family.id, name: "Em", relationship: .aunt, actor: "t", now: now)
        let m = try store.readManifest()
        #expect(m.schemaVersion == 2)
        #expect(m.head == (try store.chainHead()))
        #expect(m.head != nil)
        let report = try store.doctor()
        #expect(report.isClean, "\(report.findings)")
    }

    @Test func aConsistentForgerIsCaughtOnlyByAHeadKeptOutsideTheStore() throws {
        let fx = try Fixture()
        let kept = try #require(try fx.store.chainHead())
        // Rewrite an early entry's actor and every later line, the manifest's head and all: the store is consistent.
        try Forger(fx.store).rewrite(entry: 2) { $0.actor = "someone else" }
        #expect(try fx.store.chainHead() != kept)
        let report = try fx.store.doctor()
        #expect(report.isClean, "\(report.findings)")
        let checked = try fx.store.doctor(expectedHead: kept)
        #expect(
            checked.findings.contains {
                $0.path == fx.store.full("audit.log") && $0.problem.contains("entry \(kept.seq) differs")
            }, "\(checked.findings)")
        #expect(try fx.store.doctor(expectedHead: ChainHead(seq: kept.seq + 5, digest: kept.digest)).findings.count == 1)
    }

    @Test func aDocumentNoAuditLineMentionsIsNamedAndNeverCounted() throws {
        let fx = try Fixture()
        let a = try fx.store.record(
            fx.assessment(on: "2026-05-01", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let folder = Store.assessmentFolder(fx.family.id)
        let source = fx.store.full(Store.assessmentFile(a.assessment.id, version: 1, family: fx.family.id))
        var planted = try String(contentsOfFile: source, encoding: .utf8)
        planted = planted.replacingOccurrences(of: a.assessment.id.rawValue, with: "\(fx.family.id)-a9")
            .replacingOccurrences(of: "2026-05-01", with: "2026-05-02")
        let rel = "\(folder)/\(fx.family.id)-a9.v1.json"
        try planted.write(toFile: fx.store.full(rel), atomically: false, encoding: .utf8)
        let index = try fx.store.familyIndex(fx.family.id)
        #expect(index.assessments.map(\.id) == [a.assessment.id])
        // Reading it is refused, naming it; a change to the family refuses to build on it; repair does not count it.
        do {
            _ = try fx.store.assessment(AssessmentID(rawValue: "\(fx.family.id)-a9")!)
            Issue.record("a planted document was read")
        } catch {
            #expect("\(error)".contains(fx.store.full(rel)) && "\(error)".contains("not recorded"), "\(error)")
        }
        #expect(throws: StoreError.self) {
            try fx.store.addCarer(to: fx.family.id, name: "Em", relationship: .aunt, actor: "t", now: now)
        }
        let report = try fx.store.doctor(repair: true)
        #expect(
            report.remaining.contains { $0.path == fx.store.full(rel) && $0.problem.contains("not recorded in the audit log") },
            "\(report.findings)")
        #expect(report.assessments == 1)
        #expect(try fx.store.familyIndex(fx.family.id) == index)
    }

    @Test func aTamperedDocumentIsRefusedByReadsAndNeverRebuiltIntoTheIndex() throws {
        let fx = try Fixture()
        let a = try fx.store.record(
            fx.assessment(on: "2026-05-01", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let rel = Store.assessmentFile(a.assessment.id, version: 1, family: fx.family.id)
        let text = try String(contentsOfFile: fx.store.full(rel), encoding: .utf8)
        try text.replacingOccurrences(of: "\"grade\" : 2", with: "\"grade\" : 5").write(
            toFile: fx.store.full(rel), atomically: false, encoding: .utf8)
        let shard = try Data(contentsOf: URL(fileURLWithPath: fx.store.full(Store.shardFile(fx.family.id))))
        try fm.removeItem(atPath: fx.store.full(Store.caseloadFile(fx.family.id)))
        do {
            _ = try fx.store.assessment(a.assessment.id)
            Issue.record("a tampered document was read")
        } catch {
            #expect("\(error)".contains(fx.store.full(rel)) && "\(error)".contains("differs from the digest"), "\(error)")
        }
        let report = try fx.store.doctor(repair: true)
        #expect(report.remaining.contains { $0.path == fx.store.full(rel) }, "\(report.findings)")
        #expect(report.remaining.contains { $0.path == fx.store.full(Store.shardFile(fx.family.id)) })
        #expect(try Data(contentsOf: URL(fileURLWithPath: fx.store.full(Store.shardFile(fx.family.id)))) == shard)
        #expect(!fm.fileExists(atPath: fx.store.full(Store.caseloadFile(fx.family.id))))
        // With checks off it is read, and what was found is kept for a warning.
        let store = try Store.open(at: fx.store.path)
        store.checksIntegrity = false
        #expect(try store.assessment(a.assessment.id).id == a.assessment.id)
        #expect(store.integrityWarnings.count == 1)
    }

    /// Each document the log vouches for is checked against it once: by its family's check when that reads it,
    /// by the audit check when it does not (a family document that cannot be read stops the family's check).
    @Test func eachDocumentIsCheckedAgainstTheLogOnce() throws {
        let fx = try Fixture()
        var rels: [String] = []
        for (date, grade) in [("2026-05-01", 2), ("2026-06-01", 3)] {
            let a = try fx.store.record(
                fx.assessment(on: date, grade: grade), final: true, file: nil, actor: "t", now: now, today: today)
            rels.append(Store.assessmentFile(a.assessment.id, version: 1, family: fx.family.id))
        }
        let text = try String(contentsOfFile: fx.store.full(rels[0]), encoding: .utf8)
        try text.replacingOccurrences(of: "\"grade\" : 2", with: "\"grade\" : 5").write(
            toFile: fx.store.full(rels[0]), atomically: false, encoding: .utf8)
        try fm.removeItem(atPath: fx.store.full(rels[1]))
        func problems(_ rel: String) throws -> [String] {
            try fx.store.doctor().findings.filter { $0.path == fx.store.full(rel) }.map(\.problem)
        }
        #expect(try problems(rels[0]) == [Store.changedOutside])
        #expect(try problems(rels[1]) == ["recorded in the audit log but missing"])
        // The family document no longer parses: its family's check stops there, and the audit check reads the rest.
        let family = Store.familyFile(fx.family.id)
        try "{ not json".write(toFile: fx.store.full(family), atomically: false, encoding: .utf8)
        #expect(try problems(rels[0]) == [Store.changedOutside])
        #expect(try problems(rels[1]) == ["recorded in the audit log but missing"])
        #expect(try problems(family).filter { $0 == Store.changedOutside }.count == 1)
    }

    @Test func aTamperedFamilyDocumentIsRefused() throws {
        let fx = try Fixture()
        let rel = Store.familyFile(fx.family.id)
        let text = try String(contentsOfFile: fx.store.full(rel), encoding: .utf8)
        try text.replacingOccurrences(of: "RX-1", with: "RX-2").write(
            toFile: fx.store.full(rel), atomically: false, encoding: .utf8)
        #expect(throws: StoreError.self) { try fx.store.family(fx.family.id) }
        #expect(try fx.store.doctor().findings.contains { $0.path == fx.store.full(rel) })
    }

    @Test func loosenedModesAreReportedAndARepairRestoresThem() throws {
        let fx = try Fixture()
        let doc = fx.store.full(Store.familyFile(fx.family.id))
        let folder = fx.store.full(Store.familyFolder(fx.family.id))
        let log = fx.store.full("audit.log")
        // The family's derived entries are checked with the family (in parallel), each once.
        let index = fx.store.full(Store.shardFile(fx.family.id))
        let entry = fx.store.full(Store.caseloadFile(fx.family.id))
        #expect(chmod(doc, 0o644) == 0 && chmod(folder, 0o755) == 0 && chmod(log, 0o666) == 0)
        #expect(chmod(index, 0o640) == 0 && chmod(entry, 0o604) == 0)
        let report = try fx.store.doctor()
        for (p, m) in [(doc, "644"), (folder, "755"), (log, "666"), (index, "640"), (entry, "604")] {
            #expect(report.findings.filter { $0.path == p && $0.problem.contains("mode \(m)") }.count == 1, "\(report.findings)")
        }
        #expect(report.findings.count == 5, "\(report.findings)")
        let repaired = try fx.store.doctor(repair: true)
        #expect(repaired.remaining.isEmpty, "\(repaired.remaining)")
        #expect(POSIX.mode(doc) == 0o600 && POSIX.mode(folder) == 0o700 && POSIX.mode(log) == 0o600)
        #expect(POSIX.mode(index) == 0o600 && POSIX.mode(entry) == 0o600)
        #expect(try fx.store.doctor().isClean)
    }

    @Test func anEntryWithoutAFamilyIsNamedWithItsMode() throws {
        let fx = try Fixture()
        // A copy of the family's caseload entry under a family that does not exist, readable by others.
        let stray = fx.store.full("caseload/f-zzzz99.json")
        try fm.copyItem(atPath: fx.store.full(Store.caseloadFile(fx.family.id)), toPath: stray)
        #expect(chmod(stray, 0o644) == 0)
        let findings = try fx.store.doctor().findings
        #expect(
            findings.map(\.problem).sorted() == [
                "caseload entry without a family", "mode 644, expected 600 (readable or writable by others)",
            ], "\(findings)")
        #expect(findings.allSatisfy { $0.path == stray })
    }

    @Test func aReadOnlyStoreIsReadWithoutALockFileOpenForWriting() throws {
        let fx = try Fixture()
        // The lock file cannot be opened for writing (a read-only mount): reads and doctor still work.
        let plan = FaultInjection(.open, failing: 1, errno: EROFS)
        try FaultInjection.$current.withValue(plan) {
            let store = try Store.open(at: fx.store.path)
            #expect(try store.family(fx.family.id).ref == "RX-1")
        }
        #expect(plan.fired)
        // Every open of the lock file for writing fails: doctor still checks the store.
        try FaultInjection.$current.withValue(FaultInjection(.open, failing: 1, errno: EROFS)) {
            let report = try fx.store.doctor()
            #expect(report.isClean, "\(report.findings)")
        }
        try fm.removeItem(atPath: fx.store.full(".lock"))
        try FaultInjection.$current.withValue(FaultInjection(.open, failing: 1, errno: EROFS)) {
            // No lock file at all and none can be made: read without a lock.
            let store = try Store.open(at: fx.store.path)
            #expect(try store.family(fx.family.id).ref == "RX-1")
        }
    }

    @Test func aReadOnlyStoreWithAPendingChangeRefusesToShowItHalfApplied() throws {
        let fx = try Fixture()
        let rel = Store.familyFile(fx.family.id)
        try journal(writes: [(rel, "{}\n")], fx: fx).write(to: URL(fileURLWithPath: fx.store.full("journal.json")))
        do {
            _ = try FaultInjection.$current.withValue(FaultInjection(.open, failing: 1, errno: EROFS)) {
                try Store.open(at: fx.store.path)
            }
            Issue.record("a read-only store with a pending change was opened")
        } catch {
            #expect("\(error)".contains("journal.json") && "\(error)".contains("half-applied"), "\(error)")
        }
    }

    @Test func initRefusesAFolderThatLostItsManifestAndOpeningSaysItLooksDamaged() throws {
        let fx = try Fixture()
        try fm.removeItem(atPath: fx.store.full("manifest.json"))
        let before = snapshot(fx.store.path)
        #expect(throws: StoreError.self) { try Store.create(at: fx.store.path, now: now) }
        #expect(snapshot(fx.store.path) == before)
        do {
            _ = try Store.open(at: fx.store.path)
            Issue.record("opened a store without a manifest")
        } catch {
            guard case .noStore(_, let damaged) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(damaged)
            #expect("\(error)".contains("looks like a damaged store"))
        }
        #expect(!Store.looksLikeStore(fx.dir.path + "/nothing-here"))
    }
}

/// A forger with write access who rewrites the audit log consistently: every line's `prev`, the manifest's head
/// and its recorded digest.
struct Forger {
    let store: Store

    init(_ store: Store) { self.store = store }

    /// Edits entry `n` (1-based), then rewrites every later line and the manifest's head so the chain holds.
    func rewrite(entry n: Int, _ edit: (inout AuditEntry) -> Void) throws {
        try rewrite { entries, _ in
            edit(&entries[n - 1])
            return false
        }
    }

    /// Edits the manifest as JSON (recording its new digest in the `init` entry), then rewrites the chain; the
    /// manifest's head is left as the edit leaves it.
    func rewrite(manifest change: (inout [String: Any]) -> Void) throws {
        try rewrite { entries, manifest in
            var object = try JSONSerialization.jsonObject(with: manifest) as! [String: Any]
            change(&object)
            manifest = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            entries[0].documents["manifest.json"] = SHA256.hex(of: manifest)
            return true
        }
    }

    private func rewrite(_ edit: (inout [AuditEntry], inout Data) throws -> Bool) throws {
        let file = store.full("audit.log")
        var entries = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
            try Coding.decoder().decode(AuditEntry.self, from: Data($0.utf8))
        }
        var manifest = try Data(contentsOf: URL(fileURLWithPath: store.full("manifest.json")))
        let manifestEdited = try edit(&entries, &manifest)
        var prev = AuditEntry.genesis
        var lines: [String] = []
        for var e in entries {
            e.prev = prev
            let line = String(decoding: Coding.line(e), as: UTF8.self)
            prev = SHA256.hex(of: Array(line.utf8))
            lines.append(line)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
        if !manifestEdited {
            var m = try store.readManifest()
            m.head = ChainHead(seq: entries.count, digest: prev)
            manifest = Coding.document(m)
        }
        try manifest.write(to: URL(fileURLWithPath: store.full("manifest.json")))
    }
}
