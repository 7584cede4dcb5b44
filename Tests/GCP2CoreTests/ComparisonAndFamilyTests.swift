import Foundation
import GCP2Store
import Testing

@testable import GCP2Core

func summary(
    _ id: String, child: ChildID = Sample.child, on date: String, _ grades: [String: Int], targets: [Target] = []
) -> ProfileSummary {
    ProfileSummary(
        assessmentId: AssessmentID(rawValue: id)!, version: 1, childId: child, date: CalendarDate(date)!,
        instrument: Instrument.gcp2Structure.reference, grades: grades, targets: targets)
}

/// A final assessment of the sample family: `profiles` maps each child to their grades.
func final(
    _ n: Int, on date: String, carers: [CarerID] = [Sample.mum, Sample.dad], _ profiles: [ChildID: [String: Int]],
    targets: [ChildID: [Target]] = [:]
) -> FamilyAssessmentSummary {
    let id = "f-test01-a\(n)"
    return FamilyAssessmentSummary(
        assessmentId: AssessmentID(rawValue: id)!, date: CalendarDate(date)!, carers: carers,
        profiles: profiles.keys.sorted().map { summary(id, child: $0, on: date, profiles[$0]!, targets: targets[$0] ?? []) })
}

/// Every area graded `g`, optionally with some link ids graded otherwise.
func all(_ g: Int, _ others: [String: Int] = [:]) -> [String: Int] {
    var out = Dictionary(uniqueKeysWithValues: Instrument.gcp2Structure.areas.map { ($0.linkId.rawValue, g) })
    out.merge(others) { _, b in b }
    return out
}

func target(_ link: String, _ grade: Int, by date: String) -> Target {
    Target(linkId: LinkID(link), grade: Grade(rawValue: grade)!, reviewBy: CalendarDate(date)!)
}

let levels = ReviewLevels(Instrument.gcp2Structure)

func review(
    _ finals: [FamilyAssessmentSummary], asOf: String, family: Family = Sample.family, policy: Policy = .default
) -> FamilyReview {
    policy.review(family: family, finals: finals, levels: levels, asOf: CalendarDate(asOf)!)
}

@Suite struct ComparisonTests {
    @Test func reportsChangeDirectionSectionsAndTargets() throws {
        let met = target("physical.hygiene", 2, by: "2026-03-01")
        let missed = target("safety.absence", 2, by: "2026-03-01")
        let a = summary(
            "f-test01-a1", on: "2026-01-01",
            ["physical": 3, "physical.hygiene": 4, "safety": 2, "safety.absence": 3, "physical.hygiene.overall": 4],
            targets: [met, missed])
        let b = summary(
            "f-test01-a2", on: "2026-04-01",
            [
                "physical": 2, "physical.hygiene": 2, "safety": 3, "safety.absence": 3, "physical.hygiene.overall": 2,
                "old.item.gone": 3,
            ])
        // Order of arguments does not matter: earlier is "before".
        let c = Policy.default.compare(b, a, instrument: Instrument.gcp2Structure, finals: [a, b])
        #expect(c.before.assessmentId.rawValue == "f-test01-a1")
        #expect(c.daysBetween == 90)
        let physical = try #require(c.rows.first { $0.linkId == LinkID("physical") })
        #expect(physical.change == -1)
        #expect(physical.direction == .improved)
        #expect(physical.section == .improved && physical.resolved)
        let safety = try #require(c.rows.first { $0.linkId == LinkID("safety") })
        #expect(safety.direction == .worse && safety.section == .worse && safety.new)
        let absence = try #require(c.rows.first { $0.linkId == LinkID("safety.absence") })
        #expect(absence.direction == .unchanged && absence.section == .stillNeedsWork)
        #expect(c.rows.first { $0.linkId == LinkID("physical.nutrition") }?.direction == .notComparable)
        #expect(c.newConcerns == [LinkID("safety")])
        #expect(Set(c.resolvedConcerns) == [LinkID("physical"), LinkID("physical.hygiene")])
        #expect(c.targets.map(\.status) == [.met, .missed])
        #expect(c.unmatched == [LinkID("old.item.gone")])
    }

    /// Issue 8, item 1: one area better and four sub-areas worse lists the four under "got worse".
    @Test func worseRowsAreListedFirstAndOnce() {
        let a = summary(
            "f-test01-a1", on: "2026-01-01",
            ["emotional": 4, "physical.nutrition": 2, "physical.housing": 2, "safety.presence": 2, "safety.absence": 3])
        let b = summary(
            "f-test01-a2", on: "2026-04-01",
            ["emotional": 5, "physical.nutrition": 3, "physical.housing": 3, "safety.presence": 4, "safety.absence": 4])
        let better = summary("f-test01-a2", on: "2026-04-01", ["emotional": 3])
        let c = Policy.default.compare(a, b, instrument: Instrument.gcp2Structure, finals: [])
        #expect(c.rows(in: .worse).count == 5)
        #expect(c.rows(in: .improved).isEmpty)
        let d = Policy.default.compare(a, better, instrument: Instrument.gcp2Structure, finals: [])
        #expect(d.rows(in: .stillNeedsWork).map(\.linkId) == [LinkID("emotional")])
        for cmp in [c, d] {
            for r in cmp.rows where r.direction == .worse { #expect(r.section == .worse) }
            for r in cmp.rows where r.section == .improved { #expect(r.direction == .improved) }
        }
    }

    /// Item 3: on the review-by date a target is open in compare and summary alike; missed only after it.
    @Test func targetStatusOnTheReviewDateAgreesWithTheReview() {
        let t = target("physical.hygiene", 2, by: "2026-04-01")
        let a = summary("f-test01-a1", on: "2026-01-01", ["physical": 3, "physical.hygiene": 4], targets: [t])
        let b = summary("f-test01-a2", on: "2026-04-01", ["physical": 3, "physical.hygiene": 3])
        let c = Policy.default.compare(a, b, instrument: Instrument.gcp2Structure, finals: [a, b])
        #expect(c.targets.map(\.status) == [.open])
        let finals = [
            final(1, on: "2026-01-01", [Sample.child: a.grades.dictionary], targets: [Sample.child: [t]]),
            final(2, on: "2026-04-01", [Sample.child: b.grades.dictionary]),
        ]
        #expect(review(finals, asOf: "2026-04-01").child(Sample.child)?.targets.map(\.status) == [.open])
        #expect(review(finals, asOf: "2026-04-02").child(Sample.child)?.targets.map(\.status) == [.missed])
    }
}

@Suite struct ChildReviewTests {
    @Test func reviewOverdueSpellsAndTargets() throws {
        let t = target("physical.hygiene", 2, by: "2025-06-01")
        let t2 = target("safety.absence", 2, by: "2026-12-01")
        let t3 = target("emotional.carer", 1, by: "2025-09-01")
        let finals = [
            final(
                1, on: "2025-01-10", [Sample.child: all(2, ["physical.hygiene": 3, "emotional.carer": 2])],
                targets: [Sample.child: [t, t3]]),
            final(
                2, on: "2025-05-10", [Sample.child: all(2, ["physical": 3, "physical.hygiene": 2, "emotional.carer": 2])],
                targets: [Sample.child: [t2]]),
            final(3, on: "2025-11-10", [Sample.child: all(2, ["physical": 4, "physical.hygiene": 3, "emotional.carer": 2])]),
        ]
        let r = try #require(review(finals.reversed(), asOf: "2026-03-01").child(Sample.child))
        #expect(r.assessments == 3)
        #expect(r.currentSpellStart == CalendarDate("2025-05-10"))
        #expect(r.currentSpellDays == 295)
        #expect(r.reviewOverdue)  // 111 days since the latest, which needs work
        #expect(r.daysOverdue == 21)
        #expect(r.areas.first?.analysis.trend == .deteriorating)
        #expect(r.targets.map(\.status) == [.met, .missed, .open])
        #expect(r.targets[0].metOn == CalendarDate("2025-05-10"))
        #expect(r.targets[0].sinceSlipped)  // 2 on 2025-05-10, back to 3 on 2025-11-10
        // Not overdue inside the interval.
        #expect(review(finals, asOf: "2025-12-01").child(Sample.child)?.reviewOverdue == false)
        // As of a date before the latest assessment, the latest is ignored.
        #expect(review(finals, asOf: "2025-06-01").child(Sample.child)?.assessments == 2)
    }

    /// Review overdue also when the assessment before the latest needed work.
    @Test func reviewOverdueAfterOneBetterAssessment() throws {
        let finals = [final(1, on: "2025-01-10", [Sample.child: all(3)]), final(2, on: "2025-04-10", [Sample.child: all(2)])]
        #expect(review(finals, asOf: "2025-07-20").child(Sample.child)?.reviewOverdue == true)
        #expect(review(finals, asOf: "2025-07-08").child(Sample.child)?.reviewOverdue == false)
        let settled = finals + [final(3, on: "2025-07-10", [Sample.child: all(2)])]
        #expect(review(settled, asOf: "2025-12-20").child(Sample.child)?.reviewOverdue == false)
    }

    /// Item 3: missed needs an assessment since the target was set; otherwise it was not reviewed.
    @Test func targetNotReviewedWithoutALaterAssessment() throws {
        let t = target("physical", 2, by: "2025-03-01")
        let finals = [final(1, on: "2025-01-10", [Sample.child: all(3)], targets: [Sample.child: [t]])]
        let r = try #require(review(finals, asOf: "2025-04-01").child(Sample.child))
        #expect(r.targets.map(\.status) == [.notReviewed])
        #expect(r.flags.contains(.targetNotReviewed) && !r.flags.contains(.targetMissed))
    }

    @Test func severeConcernUsesEachAreasOwnGrade() throws {
        let finals = [final(1, on: "2026-01-10", [Sample.child: all(2, ["safety": 4, "physical": 4])])]
        let r = try #require(review(finals, asOf: "2026-01-20").child(Sample.child))
        #expect(r.severeAreas == [LinkID("safety")])
        #expect(r.flags.first == .severeConcern)
        // Item 10: a first assessment with 5 in every area is a severe concern and ranks first.
        let worst = try #require(
            review([final(1, on: "2026-01-10", [Sample.child: all(5)])], asOf: "2026-01-20").child(Sample.child))
        #expect(worst.severity == .severeConcern)
        var p = Policy.default
        p.severeFromByArea = [:]
        #expect(review(finals, asOf: "2026-01-20", policy: p).child(Sample.child)?.severeAreas == [])
    }

    /// Item 9: spells less than `sustainMinDays` apart merge; recurrent, cumulative and long-term concern.
    @Test func spellsMergeAndCount() throws {
        let grades = [
            ("2023-01-10", 3), ("2023-07-10", 4), ("2024-01-10", 2), ("2024-03-10", 3), ("2025-01-10", 4),
            ("2026-05-10", 2), ("2026-07-22", 3),
        ]
        let finals = grades.enumerated().map { k, x in final(k + 1, on: x.0, [Sample.child: all(2, ["safety": x.1])]) }
        let r = try #require(review(finals, asOf: "2026-11-22").child(Sample.child))
        // 2024-01-10 to 2024-03-10 is 60 days (merge); 2026-05-10 to 2026-07-22 is 73 days (merge): one spell.
        #expect(r.spells.count == 1)
        #expect(r.currentSpellStart == CalendarDate("2023-01-10"))
        #expect(r.flags.contains(.longTermConcern))
        #expect(!r.flags.contains(.recurrentConcern))
        #expect(r.cumulativeDays == CalendarDate("2023-01-10")!.days(to: CalendarDate("2026-11-22")!))
        #expect(r.flags.contains(.cumulativeConcern))
        // With a shorter merge distance the same series is three spells: the start-again pattern.
        var p = Policy.default
        p.sustainMinDays = 30
        let q = try #require(review(finals, asOf: "2026-11-22", policy: p).child(Sample.child))
        #expect(q.spells.count == 3)
        #expect(q.currentSpellStart == CalendarDate("2026-07-22"))
        #expect(q.flags.contains(.recurrentConcern))
        #expect(!q.flags.contains(.longTermConcern))
        #expect(q.spells.map(\.days) == [365, 791, 123])
        #expect(q.cumulativeDays == 1279)
    }

    /// Cumulative concern looks at the smaller of the window and the child's age: a baby neglected most of its life.
    @Test func cumulativeConcernForABaby() throws {
        // Bo was born 2025-09-01.
        let finals = [final(1, on: "2025-11-01", [Sample.baby: all(3)]), final(2, on: "2026-01-01", [Sample.baby: all(3)])]
        let r = try #require(review(finals, asOf: "2026-02-15").child(Sample.baby))
        #expect(r.recentWindowDays == 167)
        #expect(r.recentDays == 106)
        #expect(r.flags.contains(.cumulativeConcern))
        // Fewer than 90 days needing work is never cumulative concern.
        let short = try #require(review(finals, asOf: "2026-01-20").child(Sample.baby))
        #expect(short.recentDays == 80 && !short.flags.contains(.cumulativeConcern))
    }

    /// Item 8: where two finals grade a child on one date, the one recorded last counts.
    @Test func oneFinalPerDateTheLastRecorded() throws {
        let finals = [final(2, on: "2026-01-10", [Sample.child: all(4)]), final(1, on: "2026-01-10", [Sample.child: all(2)])]
        let r = try #require(review(finals, asOf: "2026-01-20").child(Sample.child))
        #expect(r.assessments == 1)
        #expect(r.latest?.assessmentId.rawValue == "f-test01-a2")
    }
}

@Suite struct FamilyReviewTests {
    @Test func familyChecks() throws {
        var family = Sample.family
        family.children.append(
            Child(id: ChildID(rawValue: "f-test01-c3")!, name: "Cy Example", born: CalendarDate("2012-01-01")!))
        let finals = [
            final(1, on: "2026-01-01", carers: [Sample.mum], [Sample.child: all(2, ["physical": 4]), Sample.baby: all(2)])
        ]
        let r = review(finals, asOf: "2026-02-01", family: family)
        #expect(r.siblingDisparities.map(\.childId) == [Sample.child])
        #expect(r.siblingDisparities.first?.bestSibling == Sample.baby)
        let cy = ChildID(rawValue: "f-test01-c3")!
        #expect(r.childrenNotAssessed == [cy])
        #expect(r.child(cy)?.teenager == true)  // 14, with younger siblings assessed
        #expect(r.child(cy)?.severity == .teenagerNotAssessedOrLeftOut)
        #expect(r.carersNotIncluded == [Sample.dad])
        // No final assessment at all: nobody is "not assessed while a sibling was".
        #expect(review([], asOf: "2026-02-01", family: family).childrenNotAssessed.isEmpty)
    }

    /// Item 4: family flags stay when the newest final covers one child only.
    @Test func eachChildAtTheirOwnLatest() throws {
        let finals = [
            final(1, on: "2026-01-01", [Sample.child: all(2, ["physical": 4]), Sample.baby: all(2)]),
            final(2, on: "2026-03-01", [Sample.baby: all(2)]),
        ]
        let r = review(finals, asOf: "2026-03-10")
        #expect(r.siblingDisparities.map(\.childId) == [Sample.child])
        #expect(r.childrenLeftOut == [Sample.child])
        #expect(r.child(Sample.child)?.flags.contains(.childLeftOut) == true)
        // Siblings assessed more than 2 × reviewIntervalDays apart are not compared.
        let apart = [
            final(1, on: "2025-01-01", [Sample.child: all(2, ["physical": 4])]),
            final(2, on: "2025-09-01", [Sample.baby: all(2)]),
        ]
        #expect(review(apart, asOf: "2025-09-10").siblingDisparities.isEmpty)
    }

    /// A child listed twice in a hand-edited family is reviewed alike both times (each child's series is found by
    /// position in the family, as a dictionary by id would find it).
    @Test func aChildListedTwiceIsReviewedAlikeBothTimes() throws {
        var family = Sample.family
        family.children.append(family.children[0])
        let finals = [
            final(1, on: "2026-01-01", [Sample.child: all(3), Sample.baby: all(2)]),
            final(2, on: "2026-03-01", [Sample.child: all(4), Sample.baby: all(2)]),
        ]
        let r = review(finals, asOf: "2026-03-10", family: family)
        #expect(r.children.count == 3)
        #expect(r.children[0] == r.children[2])
        #expect(r.children[2].assessments == 2)
        #expect(r.children[2].flags.contains(.deteriorating))
        // Never their own best sibling, whatever the gap (a library caller can set one of 0).
        var anyGap = Policy.default
        anyGap.siblingDisparityGap = 0
        let better = [final(1, on: "2026-01-01", [Sample.child: all(2), Sample.baby: all(4)])]
        let loose = review(better, asOf: "2026-03-10", family: family, policy: anyGap)
        #expect(!loose.siblingDisparities.isEmpty)
        #expect(loose.siblingDisparities.allSatisfy { $0.childId != $0.bestSibling })
    }

    /// Item 5: a child born after the as-of date is not listed, only counted as expected.
    @Test func unbornChildrenAreExpectedOnly() {
        let r = review([], asOf: "2025-06-30")
        #expect(r.children.map(\.childId) == [Sample.child])
        #expect(r.expected == [Sample.baby])
        var b = CaseloadBuilder(policy: .default, instrument: Instrument.gcp2Structure, asOf: CalendarDate("2025-06-30")!)
        b.add(family: Sample.family, finals: [])
        let c = b.build()
        #expect(c.children == 1 && c.expected == 1 && c.lines.map(\.childId) == [Sample.child])
    }

    @Test func caseloadCountsFlagsTrendsAndSortsBySeverity() {
        var b = CaseloadBuilder(policy: .default, instrument: Instrument.gcp2Structure, asOf: CalendarDate("2026-07-01")!)
        let finals = [
            final(1, on: "2025-06-01", carers: [Sample.mum], [Sample.child: ["physical": 4]]),
            final(2, on: "2026-01-01", carers: [Sample.mum], [Sample.child: ["physical": 4]]),
        ]
        b.add(family: Sample.family, finals: finals)
        let c = b.build()
        #expect(c.children == 2)
        // Beside the trends: needing work for over escalationReviewDays with no decision; no view recorded; the
        // stepfather (a male carer) not covered; no father recorded and no reason; every visit announced.
        #expect(
            c.lines[0].flags == [
                .escalationReviewDue, .drift, .longTermConcern, .cumulativeConcern, .reviewOverdue, .childViewMissing,
                .fatherNotIncluded, .fatherNotRecorded, .noUnannouncedVisit, .carerNotIncluded,
            ])
        #expect(c.lines[1].flags == [.childNotAssessed, .fatherNotRecorded])
        #expect(c.flagCounts["drift"] == 1)
        #expect(c.flagCounts["improvement-lost"] == 0)
        #expect(c.trendCounts["physical"]?["drift"] == 1)
    }

    @Test func severityTiesBreakByWorstGradeThenDaysThenYounger() {
        let d = CalendarDate("2020-01-01")!
        func key(_ s: Severity, _ g: Int?, _ days: Int, born: CalendarDate = d) -> SeverityKey {
            SeverityKey(severity: s, worstGrade: g.flatMap(Grade.init(rawValue:)), cumulativeDays: days, born: born)
        }
        #expect(key(.severeConcern, 2, 0) < key(.deteriorating, 5, 900))
        #expect(key(.drift, 5, 0) < key(.drift, 4, 900))
        #expect(key(.drift, 4, 300) < key(.drift, 4, 200))
        #expect(key(.drift, 4, 300, born: d.adding(days: 10)) < key(.drift, 4, 300))
        #expect(Severity.allCases.first == .severeConcern && Severity.noChange < .baseline)
        // The declared flag order is the severity order.
        let ranks = CaseFlag.allCases.map { $0.severity(teenager: false).rank }
        #expect(ranks == ranks.sorted())
    }
}

@Suite struct PresentationTests {
    /// Item 6: 5→4 is progress that still needs work, never "going well"; a sub-area at 4 inside an area at 2 is
    /// listed, and its area is not going well.
    @Test func nothingThatNeedsWorkIsGoingWell() throws {
        let finals = [
            final(1, on: "2025-01-01", [Sample.child: all(2, ["physical": 5, "safety.absence": 2])]),
            final(2, on: "2025-03-01", [Sample.child: all(2, ["physical": 4, "safety": 2, "safety.absence": 4])]),
        ]
        let r = try #require(review(finals, asOf: "2025-03-10").child(Sample.child))
        let shown = Policy.default.present(r)
        #expect(shown.progressStillNeedsWork.map(\.linkId) == [LinkID("physical")])
        #expect(shown.needsAttention.map(\.linkId) == [LinkID("safety.absence")])
        #expect(!shown.goingWell.map(\.linkId).contains(LinkID("safety")))
        #expect(!shown.goingWell.map(\.linkId).contains(LinkID("physical")))
        for l in shown.goingWell { #expect(l.analysis.latest.grade.rawValue < 3) }
    }

    @Test func strengthBandMustEndBelowNeedsWork() {
        #expect(Policy.default.validate(bands: BandThresholds()).isEmpty)
        var p = Policy.default
        p.needsWorkFrom = 2
        #expect(p.validate(bands: BandThresholds()).first?.path == "policy.needsWorkFrom")
    }
}

/// An assessment's number (the order recorded) is the text after its id's last `-a`.
@Suite struct AssessmentNumberTests {
    @Test(
        arguments: [
            ("f-abc123-a7", 7), ("f-abc123-a12", 12), ("f-a-a3", 3), ("f-abc-a", nil), ("a1", nil), ("-a9", 9), ("f-x-ab", nil),
            ("f-1-a-a2", 2), ("f-q-a2x", nil),
        ] as [(String, Int?)])
    func numberIsTheTextAfterTheLastDashA(id: String, number: Int?) {
        #expect(AssessmentID(unchecked: id).number == number)
    }
}
