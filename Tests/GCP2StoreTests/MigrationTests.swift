import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

/// A store written by gcp2 before issue 14 (family and assessment documents version 1, index and caseload entries
/// version 1: `Fixtures/store-v1`, built by that version's `gcp2 demo` plus a draft, a final and an amendment),
/// read by this one: the same grades and trends, the joint carers' view given to each carer covered.
@Suite struct MigrationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let asOf = CalendarDate("2026-10-31")!
    static let family = FamilyID(rawValue: "f-demo01")!

    /// A private copy of the version 1 store, with the modes gcp2 gives its folders and files.
    static func copy() throws -> (TempDir, Store) {
        let dir = TempDir()
        let path = dir.path + "/store"
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("store-v1").path, toPath: path)
        let e = FileManager.default.enumerator(atPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        while let rel = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: path + "/" + rel, isDirectory: &isDir)
            try FileManager.default.setAttributes(
                [.posixPermissions: isDir.boolValue ? 0o700 : 0o600], ofItemAtPath: path + "/" + rel)
        }
        // The lock file is not kept in the repository (an empty file gcp2 made when the store was created).
        FileManager.default.createFile(atPath: path + "/.lock", contents: nil, attributes: [.posixPermissions: 0o600])
        return (dir, try Store.open(at: path))
    }

    @Test func versionOneDocumentsMigrateToTheirVersionTwoForm() throws {
        let (dir, store) = try Self.copy()
        defer { withExtendedLifetime(dir) {} }
        let family = try store.family(Self.family)
        // Every carer related to every child as before, living with them; nothing invented.
        #expect(family.carers.map(\.relationship) == [.mother, .stepfather])
        #expect(family.carers.allSatisfy { $0.livesWithChildren && $0.children == nil && $0.gender == nil })
        #expect(family.children.allSatisfy { $0.fatherNotRecorded == nil })
        for n in 1...4 {
            let id = AssessmentID(rawValue: "f-demo01-a\(n)")!
            let raw =
                try JSONSerialization.jsonObject(
                    with: Data(
                        contentsOf: Self.fixtures.appendingPathComponent("store-v1/families/f-demo01/assessments/\(id).v1.json")))
                as! [String: Any]
            #expect(raw["schemaVersion"] as? Int == 1)
            let a = try store.assessment(id)
            let rawProfiles = raw["profiles"] as! [[String: Any]]
            for (p, r) in zip(a.profiles, rawProfiles) {
                // The joint view to each carer covered, marked jointly; agreement true/false as yes/no.
                let text = r["carersView"] as! String
                let agrees: Agreement? = (r["carersAgree"] as? Bool).map { $0 ? .yes : .no }
                #expect(p.carerViews == a.carers.map { CarerView(carer: $0, view: text, agrees: agrees, jointly: true) })
                #expect(p.childView == r["childView"] as? String)
                #expect(p.ratings.count == (r["ratings"] as! [Any]).count)
                #expect(p.childViewNotObtained == nil && p.seenAlone == nil)
            }
        }
    }

    @Test func aWholeVersionOneStoreKeepsItsGradesAndTrends() throws {
        let (dir, store) = try Self.copy()
        defer { withExtendedLifetime(dir) {} }
        let old =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixtures.appendingPathComponent("store-v1-caseload.json"))) as! [String: Any]
        let oldLines = (old["caseload"] as! [String: Any])["lines"] as! [[String: Any]]
        // The caseload entries are version 1: the caseload reads each family from its index entry, rebuilt from the
        // documents in memory.
        let (caseload, damaged) = try store.caseload(asOf: Self.asOf)
        #expect(damaged.isEmpty)
        #expect(caseload.lines.count == oldLines.count)
        let newKinds: Set<CaseFlag> = [
            .escalationReviewDue, .childViewMissing, .childNotSeenAlone, .fatherNotIncluded, .fatherNotRecorded,
            .noUnannouncedVisit, .draftPending,
        ]
        for o in oldLines {
            let id = o["childId"] as! String
            let line = try #require(caseload.lines.first { $0.childId.rawValue == id })
            let areas = o["areas"] as! [[String: Any]]
            #expect(line.areas.map { $0.grade?.rawValue } == areas.map { $0["grade"] as? Int }, "\(id)")
            #expect(line.areas.map { $0.trend?.rawValue } == areas.map { $0["trend"] as? String }, "\(id)")
            #expect(line.cumulativeDays == o["cumulativeDays"] as? Int)
            #expect(line.currentSpellDays == o["currentSpellDays"] as? Int)
            // Every flag of before is still there; anything added is one of this issue's.
            let before = Set((o["flags"] as! [String]).map { CaseFlag(rawValue: $0)! })
            #expect(before.isSubset(of: Set(line.flags)), "\(id)")
            #expect(Set(line.flags).subtracting(before).isSubset(of: newKinds), "\(id): \(line.flags)")
        }
        // doctor finds the version 1 derived entries out of date, rebuilds them, and then the store is clean; the
        // caseload is the same read either way, and the documents are untouched.
        let docs = snapshot(store.path).filter { $0.key.hasPrefix("families/") }
        let report = try store.doctor()
        #expect(!report.isClean)
        #expect(
            report.findings.allSatisfy { $0.path.contains("/index/") || $0.path.contains("/caseload/") },
            "\(report.findings.map { "\($0.path): \($0.problem)" })")
        _ = try store.doctor(repair: true)
        #expect(try store.doctor().isClean)
        #expect(try store.caseload(asOf: Self.asOf).0 == caseload)
        #expect(snapshot(store.path).filter { $0.key.hasPrefix("families/") } == docs)
        // A change after the migration writes version 2 documents beside the version 1 ones.
        _ = try store.addDecision(
            to: Self.family, date: Self.asOf, level: .childInNeed, reason: "Reviewed after the upgrade.", actor: "t",
            now: Date(timeIntervalSince1970: 1_793_000_000), today: Self.asOf)
        let index = try String(contentsOfFile: store.full(Store.shardFile(Self.family)), encoding: .utf8)
        #expect(index.contains("\"schemaVersion\" : 2"))
        #expect(try store.doctor().isClean)
    }

    /// A version 1 final without a child's view is corrected with a warning for what is still missing; a new final
    /// is refused without it.
    @Test func aVersionOneFinalWithoutAViewIsAmendedWithAWarning() throws {
        let (dir, store) = try Self.copy()
        defer { withExtendedLifetime(dir) {} }
        let id = AssessmentID(rawValue: "f-demo01-a4")!
        var a = try store.assessment(id)
        #expect(a.profiles[2].childView == nil)  // Ollie's view was never recorded
        a.profiles[0].ratings[0].rating = .graded(Grade(rawValue: 3)!, evidence: "Corrected after supervision.")
        let r = try store.amend(
            id, with: a, reason: "Nutrition grade corrected", file: nil, actor: "t",
            now: Date(timeIntervalSince1970: 1_793_000_000), today: Self.asOf)
        #expect(r.assessment.version == 2)
        #expect(r.warnings.map(\.path).contains("profiles[2].childView"), "\(r.warnings)")
        // The same profiles as a new final assessment are refused.
        var fresh = a
        fresh.id = AssessmentID(unchecked: "new")
        fresh.window = ObservationWindow(start: Self.asOf.adding(days: -10), end: Self.asOf)
        fresh.visits = [Visit(date: Self.asOf, announced: false)]
        #expect(throws: StoreError.self) {
            try store.record(
                fresh, final: true, file: nil, actor: "t", now: Date(timeIntervalSince1970: 1_793_000_000), today: Self.asOf)
        }
    }
}
