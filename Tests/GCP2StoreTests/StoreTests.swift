import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

@Suite struct StoreLifecycleTests {
    @Test func createOpenAndPrivacy() throws {
        let fx = try Fixture()
        let root = fx.store.path
        #expect(POSIX.mode(root) == 0o700)
        #expect(POSIX.mode(root + "/families") == 0o700)
        #expect(POSIX.mode(root + "/manifest.json") == 0o600)
        #expect(POSIX.mode(root + "/" + Store.familyFile(fx.family.id)) == 0o600)
        #expect(POSIX.mode(root + "/audit.log") == 0o600)
        let reopened = try Store.open(at: root)
        #expect(reopened.policy == .default)
        #expect(fx.family.children.map(\.id.rawValue) == ["\(fx.family.id)-c1", "\(fx.family.id)-c2"])
        #expect(throws: StoreError.self) { try Store.create(at: root, now: now) }
        #expect(throws: StoreError.self) { try Store.open(at: fx.dir.path + "/nowhere") }
    }

    @Test func recordDraftReplaceFinaliseAmendWithdraw() throws {
        let fx = try Fixture()
        let s = fx.store
        let r1 = try s.record(
            fx.assessment(on: "2026-01-10", grade: 3), final: false, file: nil, actor: "t", now: now, today: today)
        let id = r1.assessment.id
        #expect(id.rawValue == "\(fx.family.id)-a1")
        #expect(r1.assessment.status == .draft)
        // Replacing a draft keeps its id and version.
        var again = fx.assessment(on: "2026-01-10", grade: 2)
        again.id = id
        let r2 = try s.record(again, final: false, file: nil, actor: "t", now: now, today: today)
        #expect(r2.replacedDraft && r2.assessment.version == 1)
        #expect(try s.familyIndex(fx.family.id).effectiveFinals.isEmpty)
        // Finalise; then the final one cannot be recorded over.
        _ = try s.finalise(id, actor: "t", now: now, today: today)
        #expect(try s.assessment(id).status == .final)
        let before = snapshot(s.path)
        #expect(throws: StoreError.self) { try s.record(again, final: false, file: nil, actor: "t", now: now, today: today) }
        #expect(throws: StoreError.self) { try s.finalise(id, actor: "t", now: now, today: today) }
        #expect(snapshot(s.path) == before)
        // Amend writes version 2 superseding 1; version 1 is untouched.
        let v1 = try Data(contentsOf: URL(fileURLWithPath: s.full(Store.assessmentFile(id, version: 1, family: fx.family.id))))
        let amended = try s.amend(
            id, with: fx.assessment(on: "2026-01-10", grade: 4), reason: "Wrong grades typed", file: nil, actor: "t", now: now,
            today: today)
        #expect(amended.assessment.version == 2)
        #expect(amended.assessment.supersedes == 1)
        #expect(amended.assessment.status == .amended)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: s.full(Store.assessmentFile(id, version: 1, family: fx.family.id)))) == v1)
        let finals = try s.familyIndex(fx.family.id).effectiveFinals
        #expect(finals.count == 1)
        #expect(finals[0].profiles[0].grade(LinkID("physical")) == Grade(rawValue: 4))
        // Withdraw: stays on record, leaves the series.
        let w = try s.withdraw(id, reason: "Recorded against the wrong family", actor: "t", now: now)
        #expect(w.version == 3 && w.status == .enteredInError)
        #expect(try s.familyIndex(fx.family.id).effectiveFinals.isEmpty)
        #expect(try s.assessmentVersions(id).map(\.status) == [.final, .amended, .enteredInError])
        #expect(throws: StoreError.self) {
            try s.amend(
                id, with: fx.assessment(on: "2026-01-10", grade: 4), reason: "x", file: nil, actor: "t", now: now, today: today)
        }
        #expect(try s.doctor().isClean)
    }

    @Test func invalidInputChangesNothing() throws {
        let fx = try Fixture()
        let s = fx.store
        let before = snapshot(s.path)
        var bad = fx.assessment(on: "2026-01-10", grade: 2)
        bad.profiles[0].ratings[0].rating = .graded(Grade(rawValue: 2)!, evidence: "")
        bad.profiles[0].ratings.append(ItemRating(LinkID("physical.nowhere.item"), .notScored(reason: "x")))
        do {
            _ = try s.record(bad, final: true, file: "bad.json", actor: "t", now: now, today: today)
            Issue.record("accepted")
        } catch {
            guard case .invalid(let file, let issues) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(file == "bad.json")
            #expect(issues.count == 2)
        }
        var unknownFamily = fx.assessment(on: "2026-01-10", grade: 2)
        unknownFamily.familyId = FamilyID(rawValue: "f-zzzzzz")!
        #expect(throws: StoreError.self) {
            try s.record(unknownFamily, final: false, file: "x", actor: "t", now: now, today: today)
        }
        #expect(throws: StoreError.self) {
            try s.addChild(to: fx.family.id, name: "  ", born: today, actor: "t", now: now, today: today)
        }
        #expect(throws: StoreError.self) {
            try s.addChild(to: fx.family.id, name: "Zed", born: CalendarDate("2030-01-01")!, actor: "t", now: now, today: today)
        }
        #expect(snapshot(s.path) == before)
    }

    @Test func documentsAreDeterministic() throws {
        let fx = try Fixture()
        let r = try fx.store.record(
            fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let rel = Store.assessmentFile(r.assessment.id, version: 1, family: fx.family.id)
        let bytes = try #require(FileManager.default.contents(atPath: fx.store.full(rel)))
        #expect(bytes.last == 0x0A)
        let decoded = try Coding.decoder().decode(Assessment.self, from: bytes)
        #expect(AssessmentDocument.encode(decoded) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"end\" : \"2026-01-10\""))
        #expect(!text.contains("\\/"))
    }

    @Test func newerSchemaIsRefusedAndV0FamilyIsMigrated() throws {
        let fx = try Fixture()
        let s = fx.store
        let famFile = s.full(Store.familyFile(fx.family.id))
        var obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: famFile))) as! [String: Any]
        obj["schemaVersion"] = 9
        try JSONSerialization.data(withJSONObject: obj).write(to: URL(fileURLWithPath: famFile))
        // Changed outside gcp2, so refused as that; with the check off, refused as newer.
        #expect(throws: StoreError.self) { try s.family(fx.family.id) }
        s.checksIntegrity = false
        do {
            _ = try s.family(fx.family.id)
            Issue.record("read a newer document")
        } catch {
            guard case .newerSchema(let p, 9, 2) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(p.hasSuffix("family.json"))
        }
        // A version-0 family document (no schemaVersion, `reference`) reads as the current form.
        let v0 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/family-v0.json")
        let data = try Data(contentsOf: v0)
        let migrated = try s.decodeFamily(data, at: "families/f-old001/family.json")
        #expect(migrated.ref == "LEGACY-7")
        // Written again, it is the current version.
        let rewritten = String(decoding: FamilyDocument.encode(migrated), as: UTF8.self)
        #expect(rewritten.contains("\"schemaVersion\" : 2") && rewritten.contains("\"ref\" : \"LEGACY-7\""))
        #expect(migrated.carers[0].relationship == .grandparent)
    }

    @Test func busyStoreFailsFastInsteadOfHanging() throws {
        let fx = try Fixture()
        fx.store.lockTimeout = 0.2
        let held = try FileLock(path: fx.store.full(".lock"), exclusive: true, timeout: 1)
        #expect(held != nil)
        do {
            _ = try fx.store.addCarer(to: fx.family.id, name: "X", relationship: .father, actor: "t", now: now)
            Issue.record("wrote while locked")
        } catch {
            guard case .busy = error else {
                Issue.record("wrong error \(error)")
                return
            }
        }
        withExtendedLifetime(held) {}
    }

    @Test func interruptedChangeIsRolledForward() throws {
        let fx = try Fixture()
        let s = fx.store
        // Simulate a crash right after the journal became durable: write it, apply nothing.
        let f = try s.family(fx.family.id)
        var changed = f
        changed.notes = "Moved house."
        let (seq, prev) = try s.auditTail()
        // What a change writes: the document, its index entry (recording the document's digest), the manifest's head.
        var shard = try s.readShard(f.id)
        shard.familyDigest = SHA256.hex(of: FamilyDocument.encode(changed))
        let entry = AuditEntry(
            schemaVersion: 1, seq: seq, time: now, actor: "t", action: "family.edit", record: f.id.rawValue, version: nil,
            reason: nil,
            documents: [
                Store.familyFile(f.id): SHA256.hex(of: FamilyDocument.encode(changed)),
                Store.shardFile(f.id): SHA256.hex(of: Coding.document(shard)),
            ], prev: prev)
        let line = String(decoding: Coding.line(entry), as: UTF8.self)
        var manifest = try s.readManifest()
        manifest.head = ChainHead(seq: seq, digest: SHA256.hex(of: Array(line.utf8)))
        let journal = Journal(
            writes: [
                Journal.Write(
                    path: Store.familyFile(f.id), content: String(decoding: FamilyDocument.encode(changed), as: UTF8.self)),
                Journal.Write(path: Store.shardFile(f.id), content: String(decoding: Coding.document(shard), as: UTF8.self)),
                Journal.Write(path: "manifest.json", content: String(decoding: Coding.document(manifest), as: UTF8.self)),
            ],
            removes: [], audit: line)
        try POSIX.atomicWrite(Coding.document(journal), to: s.full("journal.json"))
        // A torn temp file from the same crash.
        try Data("{\"trunc".utf8).write(to: URL(fileURLWithPath: s.full(Store.familyFolder(f.id)) + "/.family.json.tmp-1-2"))
        let reopened = try Store.open(at: s.path)
        #expect(try reopened.family(f.id).notes == "Moved house.")
        #expect(POSIX.fileSize(s.full("journal.json")) == nil)
        #expect(try POSIX.list(s.full(Store.familyFolder(f.id))).contains { $0.contains(".tmp-") } == false)
        let report = try reopened.doctor()
        #expect(report.findings.map(\.description) == [])
    }

    @Test func tornAuditTailIsTrimmedOnNextWrite() throws {
        let fx = try Fixture()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fx.store.full("audit.log")))
        handle.seekToEndOfFile()
        handle.write(Data("{\"seq\":99,\"tor".utf8))
        try handle.close()
        #expect(try fx.store.doctor().findings.contains { $0.problem.contains("incomplete last line") })
        _ = try fx.store.addCarer(to: fx.family.id, name: "Eli Sample", relationship: .father, actor: "t", now: now)
        #expect(try fx.store.doctor().isClean)
    }
}

@Suite struct CorruptionTests {
    @Test func eachDamageIsReportedByPathAndTheRestStaysReadable() throws {
        let fx = try Fixture()
        let s = fx.store
        let other = try s.addFamily(ref: "RX-2", actor: "t", now: now)
        let third = try s.addFamily(ref: "RX-3", actor: "t", now: now)
        let a = try s.record(
            fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let b = try s.record(
            fx.assessment(on: "2026-03-10", grade: 3), final: true, file: nil, actor: "t", now: now, today: today)
        #expect(try s.doctor().isClean)

        let truncated = s.full(Store.assessmentFile(a.assessment.id, version: 1, family: fx.family.id))
        let data = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
        let flipped = s.full(Store.familyFile(other.id))
        var fbytes = try Data(contentsOf: URL(fileURLWithPath: flipped))
        fbytes[fbytes.count / 2] ^= 0xFF
        fbytes[fbytes.count / 3] ^= 0x20
        try fbytes.write(to: URL(fileURLWithPath: flipped))
        try FileManager.default.removeItem(atPath: s.full(Store.familyFile(third.id)))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: s.full("audit.log")))
        h.seekToEndOfFile()
        h.write(Data("garbage line\n".utf8))
        try h.close()

        let report = try s.doctor()
        let paths = Set(report.findings.map(\.path))
        #expect(paths.contains(truncated))
        #expect(paths.contains(flipped))
        #expect(paths.contains(s.full(Store.familyFile(third.id))))
        #expect(report.findings.contains { $0.path == s.full("audit.log") && $0.problem.contains("not an audit entry") })
        // The rest stays readable: the other assessment, the index, the caseload.
        #expect(try s.assessment(b.assessment.id).status == .final)
        let (caseload, damaged) = try s.caseload(asOf: today)
        #expect(caseload.families >= 1)
        #expect(damaged.isEmpty)
    }

    @Test func editingAnAuditLineOrADocumentIsDetected() throws {
        let fx = try Fixture()
        let s = fx.store
        let r = try s.record(
            fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let log = s.full("audit.log")
        var text = try String(contentsOfFile: log, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"actor\":\"tester\"", with: "\"actor\":\"someone\"")
        try text.write(toFile: log, atomically: false, encoding: .utf8)
        let doc = s.full(Store.assessmentFile(r.assessment.id, version: 1, family: fx.family.id))
        var d = try String(contentsOfFile: doc, encoding: .utf8)
        d = d.replacingOccurrences(of: "Observed on visit.", with: "Observed on visit!")
        try d.write(toFile: doc, atomically: false, encoding: .utf8)
        let report = try s.doctor()
        #expect(report.findings.contains { $0.problem.contains("chain broken") })
        #expect(report.findings.contains { $0.path == doc && $0.problem.contains("changed outside gcp2") })
    }

    @Test func staleIndexIsFoundAndRepaired() throws {
        let fx = try Fixture()
        let s = fx.store
        _ = try s.record(fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        try FileManager.default.removeItem(atPath: s.full(Store.shardFile(fx.family.id)))
        #expect(try s.doctor().findings.contains { $0.problem.contains("index entry missing") })
        _ = try s.doctor(repair: true)
        #expect(try s.doctor().isClean)
        #expect(try s.familyIndex(fx.family.id).effectiveFinals.count == 1)
    }
}
