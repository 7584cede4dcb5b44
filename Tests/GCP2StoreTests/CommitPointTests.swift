import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The journal is the commit point: before it nothing changes, after it nothing is lost, and no failure to list
/// or read is ever taken for "nothing there" (Docs/reliability.md).
@Suite struct CommitPointTests {
    func newFinal(_ fx: Fixture, on date: String = "2026-06-01") throws -> Assessment {
        try fx.store.record(
            fx.assessment(on: date, grade: 2), final: true, file: nil, actor: "t", now: now, today: today
        ).assessment
    }

    @Test func aFolderThatCannotBeListedFailsTheChangeInsteadOfReusingAnID() throws {
        let fx = try Fixture()
        let a1 = try newFinal(fx)
        let before = snapshot(fx.store.path)
        // As `chmod 300 families/F/assessments` does for a normal user: the folder cannot be listed.
        let plan = FaultInjection(.list, failing: 1, errno: EACCES)
        #expect {
            try FaultInjection.$current.withValue(plan) {
                _ = try fx.store.record(
                    fx.assessment(on: "2026-06-10", grade: 4), final: true, file: nil, actor: "t", now: now, today: today)
            }
        } throws: { e in
            // The system error travels typed inside the store's error, not only as words.
            guard case StoreError.io(let path, let reason, let errno) = e else { return false }
            return path.hasSuffix("/assessments") && reason.contains("Permission denied")
                && errno == Errno(rawValue: EACCES)
        }
        #expect(plan.fired)
        #expect(snapshot(fx.store.path) == before)
        #expect(try fx.store.assessment(a1.id) == a1)
        // Reads fail the same way rather than reporting "no such assessment".
        do {
            _ = try FaultInjection.$current.withValue(FaultInjection(.list, failing: 1, errno: EIO)) {
                try fx.store.assessment(a1.id)
            }
            Issue.record("an assessment was read from a folder that could not be listed")
        } catch {
            guard case .io = error as? StoreError else {
                Issue.record("expected an I/O error, got \(error)")
                return
            }
        }
    }

    @Test func aNewDocumentNeverReplacesOneOfTheSameName() throws {
        let fx = try Fixture()
        let a1 = try newFinal(fx)
        let before = snapshot(fx.store.path)
        let rel = Store.assessmentFile(a1.id, version: 1, family: fx.family.id)
        do {
            try fx.store.transaction(action: "test", record: "x", actor: "t", now: now) { tx throws(StoreError) in
                tx.create(rel, Data("{}\n".utf8))
            }
            Issue.record("a new document replaced \(rel)")
        } catch {
            guard case .wouldReplace(let path) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == fx.store.full(rel))
        }
        #expect(snapshot(fx.store.path) == before)
    }

    @Test func recoveryNeverReplacesADocumentWithADifferentNewOne() throws {
        let fx = try Fixture()
        let a1 = try newFinal(fx)
        let rel = Store.assessmentFile(a1.id, version: 1, family: fx.family.id)
        let original = try Data(contentsOf: URL(fileURLWithPath: fx.store.full(rel)))
        // A journal (as a crashed change would leave) that creates a document where one now stands.
        let (seq, prev) = try fx.store.auditTail()
        let content = "{\"other\":true}\n"
        let entry = AuditEntry(
            schemaVersion: 1, seq: seq, time: now, actor: "t", action: "test", record: "x",
            documents: [rel: SHA256.hex(of: Data(content.utf8))], prev: prev)
        let journal = Journal(
            writes: [Journal.Write(path: rel, content: content, create: true)], removes: [],
            audit: String(decoding: Coding.line(entry), as: UTF8.self))
        try Coding.document(journal).write(to: URL(fileURLWithPath: fx.store.full("journal.json")))
        #expect(throws: StoreError.self) { try Store.open(at: fx.store.path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: fx.store.full(rel))) == original)
        #expect(POSIX.fileSize(fx.store.full("journal.json")) != nil, "the journal was discarded")
    }

    @Test func aJournalOverTheDocumentLimitIsRolledForwardNotDiscarded() throws {
        let fx = try Fixture()
        // Two documents of 5 MiB each (each within the limit): the journal carrying them is over 8 MiB.
        let notes = String(repeating: "n", count: 5 * 1_048_576)
        let a = Family(id: FamilyID(rawValue: "f-big001")!, ref: "BIG-0", notes: notes)
        let b = Family(id: FamilyID(rawValue: "f-big002")!, ref: "BIG-1", notes: notes)
        let (seq, prev) = try fx.store.auditTail()
        let line = String(
            decoding: Coding.line(
                AuditEntry(
                    schemaVersion: 1, seq: seq, time: now, actor: "t", action: "test", record: "big",
                    documents: Dictionary(
                        uniqueKeysWithValues: [a, b].map { (Store.familyFile($0.id), SHA256.hex(of: FamilyDocument.encode($0))) }),
                    prev: prev)), as: UTF8.self)
        let journal = Journal(
            writes: [a, b].map {
                Journal.Write(
                    path: Store.familyFile($0.id), content: String(decoding: FamilyDocument.encode($0), as: UTF8.self),
                    create: true)
            }, removes: [], audit: line)
        let data = Coding.document(journal)
        #expect(data.count > Store.maxDocumentBytes)
        try data.write(to: URL(fileURLWithPath: fx.store.full("journal.json")))
        let store = try Store.open(at: fx.store.path)
        #expect(POSIX.fileSize(fx.store.full("journal.json")) == nil)
        // The journal (made by hand) wrote no index entries: read the documents without checking them against one.
        store.checksIntegrity = false
        #expect(try store.family(a.id).notes == notes)
        #expect(try store.family(b.id).notes == notes)
        let audit = try String(contentsOfFile: fx.store.full("audit.log"), encoding: .utf8)
        #expect(audit.hasSuffix(line + "\n"))
    }

    @Test func aJournalThatCannotBeReadStopsEveryChangeUntilAPersonDecides() throws {
        let fx = try Fixture()
        let before = snapshot(fx.store.path)
        let file = fx.store.full("journal.json")
        try Data("{\"writes\": [".utf8).write(to: URL(fileURLWithPath: file))
        // Reading goes on; writing stops with an error naming the file; the journal stays where it is.
        let store = try Store.open(at: fx.store.path)
        #expect(try store.family(fx.family.id).ref == "RX-1")
        do {
            _ = try store.addCarer(to: fx.family.id, name: "Em Sample", relationship: .grandparent, actor: "t", now: now)
            Issue.record("a change ran past an unreadable journal")
        } catch {
            guard case .journalUnreadable(let path, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == file)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data("{\"writes\": [".utf8))
        var after = snapshot(fx.store.path)
        after["journal.json"] = nil
        #expect(after == before)
        let report = try store.doctor()
        let finding = try #require(report.findings.first { $0.path == file })
        #expect(finding.problem.contains("cannot be read") && finding.problem.contains("move it out of the store"))
    }

    @Test func aDocumentOverTheReadLimitIsRefusedBeforeTheCommitPoint() throws {
        let fx = try Fixture()
        let before = snapshot(fx.store.path)
        var a = fx.assessment(on: "2026-06-01", grade: 2)
        a.visits = (0..<150_000).map { Visit(date: CalendarDate("2026-06-01")!.adding(days: -($0 % 20)), announced: true) }
        do {
            _ = try fx.store.record(a, final: true, file: nil, actor: "t", now: now, today: today)
            Issue.record("an unreadable document was stored")
        } catch {
            guard case .tooLarge(let path, let bytes, let limit) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path.hasSuffix("-a1.v1.json") && bytes > limit && limit == Store.maxDocumentBytes)
            #expect(error.description.contains("8 MiB"))
        }
        #expect(snapshot(fx.store.path) == before)
    }

    @Test func theStoreWritesItsOwnSchemaVersion() throws {
        let fx = try Fixture()
        // The domain value carries no format version: the document type writes its own.
        let r = try fx.store.record(
            fx.assessment(on: "2026-06-01", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let rel = Store.assessmentFile(r.assessment.id, version: 1, family: fx.family.id)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: fx.store.full(rel))), as: UTF8.self)
        #expect(text.contains("\"schemaVersion\" : \(AssessmentDocument.current)"))
        #expect(try fx.store.doctor().isClean)
    }

    @Test func aNewFolderIsMadeDurableByAnFsyncOfItsParent() throws {
        let dir = TempDir()
        let plan = FaultInjection(.fsync, failing: .max, errno: EIO)
        try FaultInjection.$current.withValue(plan) {
            try POSIX.makeDirectory(dir.path + "/a/b")
        }
        #expect(plan.calls(of: .mkdir) == 2 && plan.calls(of: .fsync) == 2)  // two folders made, each parent synced
        let again = FaultInjection(.fsync, failing: .max, errno: EIO)
        try FaultInjection.$current.withValue(again) {
            try POSIX.makeDirectory(dir.path + "/a/b")
        }
        #expect(again.calls(of: .fsync) == 0)
        // The fsync failing is the mkdir failing.
        #expect(throws: Errno(rawValue: EIO)) {
            try FaultInjection.$current.withValue(FaultInjection(.fsync, failing: 1, errno: EIO)) {
                try POSIX.makeDirectory(dir.path + "/c")
            }
        }
    }
}
