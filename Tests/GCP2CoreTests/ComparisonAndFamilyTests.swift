import Foundation
import Testing

@testable import GCP2Core

func summary(
    _ id: String, child: ChildID = Sample.child, on date: String, _ grades: [String: Int], targets: [Target] = []
) -> ProfileSummary {
    ProfileSummary(
        assessmentId: AssessmentID(rawValue: id)!, version: 1, childId: child, date: CalendarDate(date)!,
        instrument: Instrument.gcp2Structure.reference, grades: grades, targets: targets)
}

@Suite struct ComparisonTests {
    @Test func reportsChangeDirectionConcernsAndTargets() throws {
        let target = Target(linkId: LinkID("physical.hygiene"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-03-01")!)
        let missed = Target(linkId: LinkID("safety.absence"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-03-01")!)
        let a = summary(
            "f-test01-a1", on: "2026-01-01",
            ["physical": 3, "physical.hygiene": 4, "safety": 2, "safety.absence": 3, "physical.hygiene.overall": 4],
            targets: [target, missed])
        let b = summary(
            "f-test01-a2", on: "2026-04-01",
            [
                "physical": 2, "physical.hygiene": 2, "safety": 3, "safety.absence": 3, "physical.hygiene.overall": 2,
                "old.item.gone": 3,
            ])
        // Order of arguments does not matter: earlier is "before".
        let c = Policy.default.compare(b, a, instrument: Instrument.gcp2Structure)
        #expect(c.before.assessmentId.rawValue == "f-test01-a1")
        #expect(c.daysBetween == 90)
        let physical = try #require(c.rows.first { $0.linkId == LinkID("physical") })
        #expect(physical.change == -1)
        #expect(physical.direction == .improved)
        #expect(c.rows.first { $0.linkId == LinkID("safety") }?.direction == .worse)
        #expect(c.rows.first { $0.linkId == LinkID("safety.absence") }?.direction == .unchanged)
        #expect(c.rows.first { $0.linkId == LinkID("physical.nutrition") }?.direction == .notComparable)
        #expect(c.newConcerns == [LinkID("safety")])
        #expect(Set(c.resolvedConcerns) == [LinkID("physical"), LinkID("physical.hygiene")])
        #expect(c.targetsMet.map(\.target) == [target])
        #expect(c.targetsMissed.map(\.target) == [missed])
        #expect(c.unmatched == [LinkID("old.item.gone")])
    }
}

@Suite struct ChildAndFamilyReviewTests {
    let areas = Instrument.gcp2Structure.areas.map(\.linkId)

    @Test func reviewOverdueTimeUnderConcernAndTargets() {
        let t = Target(linkId: LinkID("physical.hygiene"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2025-06-01")!)
        let t2 = Target(linkId: LinkID("safety.absence"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-12-01")!)
        let t3 = Target(linkId: LinkID("emotional.carer"), grade: Grade(rawValue: 1)!, reviewBy: CalendarDate("2025-09-01")!)
        let s = [
            summary(
                "f-test01-a1", on: "2025-01-10", ["physical": 2, "physical.hygiene": 3, "emotional.carer": 2], targets: [t, t3]),
            summary(
                "f-test01-a2", on: "2025-05-10", ["physical": 3, "physical.hygiene": 2, "emotional.carer": 2], targets: [t2]),
            summary("f-test01-a3", on: "2025-11-10", ["physical": 4, "physical.hygiene": 3, "emotional.carer": 2]),
        ]
        let r = Policy.default.review(
            child: Sample.child, series: s.reversed(), areaIds: areas, subAreaIds: [LinkID("physical.hygiene")],
            asOf: CalendarDate("2026-03-01")!)
        #expect(r.assessments == 3)
        #expect(r.concernSince == CalendarDate("2025-05-10"))
        #expect(r.daysUnderConcern == 295)
        #expect(r.reviewOverdue)  // 111 days since the latest, which needs work
        #expect(r.areas.first?.analysis.trend == .deteriorating)
        #expect(r.targets.map(\.status) == [.met, .missed, .open])
        #expect(r.targets[0].metOn == CalendarDate("2025-05-10"))
        // Not overdue inside the interval.
        let early = Policy.default.review(
            child: Sample.child, series: s, areaIds: areas, subAreaIds: [], asOf: CalendarDate("2025-12-01")!)
        #expect(!early.reviewOverdue)
        // As of a date before the latest assessment, the latest is ignored.
        let past = Policy.default.review(
            child: Sample.child, series: s, areaIds: areas, subAreaIds: [], asOf: CalendarDate("2025-06-01")!)
        #expect(past.assessments == 2)
    }

    @Test func familyChecks() {
        var family = Sample.family
        family.children.append(
            Child(id: ChildID(rawValue: "f-test01-c3")!, name: "Cy Example", born: CalendarDate("2012-01-01")!))
        let finals = [
            FamilyAssessmentSummary(
                assessmentId: AssessmentID(rawValue: "f-test01-a1")!, date: CalendarDate("2026-01-01")!,
                carers: [Sample.mum],
                profiles: [
                    summary("f-test01-a1", child: Sample.child, on: "2026-01-01", ["physical": 4, "safety": 2]),
                    summary("f-test01-a1", child: Sample.baby, on: "2026-01-01", ["physical": 2, "safety": 3]),
                ])
        ]
        let r = Policy.default.review(family: family, finals: finals, areaIds: areas)
        #expect(r.siblingDisparities.map(\.childId) == [Sample.child])
        #expect(r.siblingDisparities.first?.bestSibling == Sample.baby)
        #expect(r.childrenNotAssessed == [ChildID(rawValue: "f-test01-c3")!])
        #expect(r.carersNotIncluded == [Sample.dad])
        // No final assessment at all: nobody is "not assessed while a sibling was".
        #expect(Policy.default.review(family: family, finals: [], areaIds: areas).childrenNotAssessed.isEmpty)
    }

    @Test func caseloadCountsFlagsAndTrends() {
        var b = CaseloadBuilder(policy: .default, instrument: Instrument.gcp2Structure, asOf: CalendarDate("2026-06-01")!)
        let finals = [
            FamilyAssessmentSummary(
                assessmentId: AssessmentID(rawValue: "f-test01-a1")!, date: CalendarDate("2025-06-01")!, carers: [Sample.mum],
                profiles: [summary("f-test01-a1", on: "2025-06-01", ["physical": 4])]),
            FamilyAssessmentSummary(
                assessmentId: AssessmentID(rawValue: "f-test01-a2")!, date: CalendarDate("2026-01-01")!, carers: [Sample.mum],
                profiles: [summary("f-test01-a2", on: "2026-01-01", ["physical": 4])]),
        ]
        b.add(family: Sample.family, finals: finals)
        let c = b.build()
        #expect(c.children == 2)
        #expect(c.lines[0].flags == [.drift, .reviewOverdue, .longTermConcern, .carerNotIncluded])
        #expect(c.lines[1].flags == [.notAssessed])
        #expect(c.flagCounts["drift"] == 1)
        #expect(c.flagCounts["relapse"] == 0)
        #expect(c.trendCounts["physical"]?["drift"] == 1)
    }
}
