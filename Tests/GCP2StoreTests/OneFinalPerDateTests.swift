import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

/// Issue 8, item 8: a child has at most one final assessment per date.
@Suite struct OneFinalPerDateTests {
    func refused(_ body: () throws(StoreError) -> Void) -> [GCP2Core.Issue] {
        do {
            try body()
        } catch {
            if case .invalid(_, let issues) = error { return issues }
            Testing.Issue.record("expected invalid input, got \(error)")
            return []
        }
        Testing.Issue.record("expected the change to be refused")
        return []
    }

    @Test func recordFinaliseAndAmendRefuseASecondFinalOnADate() throws {
        let fx = try Fixture()
        let first = try fx.store.record(
            fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let before = snapshot(fx.store.path)
        // record --final on the same date.
        let issues = refused { () throws(StoreError) in
            _ = try fx.store.record(
                fx.assessment(on: "2026-01-10", grade: 3), final: true, file: "b.json", actor: "t", now: now, today: today)
        }
        #expect(issues.count == 2)  // both children
        #expect(issues.first?.path == "date")
        #expect(issues.first?.problem.contains("already has a final assessment on 2026-01-10 (\(first.assessment.id))") == true)
        #expect(snapshot(fx.store.path) == before)
        // A draft on that date is fine, finalising it is not.
        let draft = try fx.store.record(
            fx.assessment(on: "2026-01-10", grade: 3), final: false, file: nil, actor: "t", now: now, today: today)
        let afterDraft = snapshot(fx.store.path)
        #expect(
            !refused { () throws(StoreError) in _ = try fx.store.finalise(draft.assessment.id, actor: "t", now: now, today: today)
            }.isEmpty)
        #expect(snapshot(fx.store.path) == afterDraft)
        // Amending another final onto the date is refused; amending the same assessment keeps its date.
        let other = try fx.store.record(
            fx.assessment(on: "2026-03-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        #expect(
            !refused { () throws(StoreError) in
                _ = try fx.store.amend(
                    other.assessment.id, with: fx.assessment(on: "2026-01-10", grade: 2), reason: "wrong date", file: nil,
                    actor: "t", now: now, today: today)
            }.isEmpty)
        _ = try fx.store.amend(
            first.assessment.id, with: fx.assessment(on: "2026-01-10", grade: 3), reason: "a grade was wrong", file: nil,
            actor: "t", now: now, today: today)
        // A different child on the same date is fine.
        _ = try fx.store.withdraw(draft.assessment.id, reason: "entered twice", actor: "t", now: now)
        #expect(try fx.store.doctor().isClean)
    }

    @Test func doctorReportsAStoreThatAlreadyHoldsTwo() throws {
        let fx = try Fixture()
        var a1 = fx.assessment(on: "2026-01-10", grade: 2)
        a1.id = AssessmentID(rawValue: "f-dup01-a1")!
        var a2 = fx.assessment(on: "2026-01-10", grade: 4)
        a2.id = AssessmentID(rawValue: "f-dup01-a2")!
        var family = fx.family
        family.id = FamilyID(rawValue: "f-dup01")!
        family.children = family.children.enumerated().map { k, c in
            Child(id: ChildID(rawValue: "f-dup01-c\(k + 1)")!, name: c.name, born: c.born)
        }
        family.carers = family.carers.enumerated().map { k, c in
            Carer(id: CarerID(rawValue: "f-dup01-p\(k + 1)")!, name: c.name, relationship: c.relationship)
        }
        func retarget(_ a: Assessment) -> Assessment {
            var a = a
            a.familyId = family.id
            a.status = .final
            a.version = 1
            a.carers = [family.carers[0].id]
            a.profiles = a.profiles.enumerated().map { k, p in
                var p = p
                p.childId = family.children[k].id
                return p
            }
            return a
        }
        try fx.store.importFamily(family, versions: [retarget(a1), retarget(a2)], actor: "t", now: now, today: today)
        let report = try fx.store.doctor()
        #expect(report.findings.count == 2)  // one per child
        #expect(report.findings.first?.problem.contains("a second final assessment of f-dup01-c1") == true)
        // The series counts the one recorded last (a2, grade 4).
        let index = try fx.store.familyIndex(family.id)
        let review = CaseloadBuilder(policy: .default, instrument: try fx.store.currentInstrument(), asOf: today)
            .review(index)
        #expect(review.children.first?.latest?.assessmentId.rawValue == "f-dup01-a2")
        #expect(review.children.first?.assessments == 1)
    }
}
