import Foundation
import Testing

@testable import GCP2Core

/// Issue 14: fathers and carers, the child's voice, visits and decisions, each flag from the one review.
@Suite struct PracticeDataTests {
    static let c1 = Sample.child
    static let c2 = Sample.baby
    static let mum = Sample.mum
    static let dad = Sample.dad

    /// A final assessment with the voice of each child and whether a visit was unannounced.
    static func assessed(
        _ n: Int, on date: String, carers: [CarerID] = [mum], grades: [ChildID: [String: Int]],
        heard: ChildHeard? = .view, seenAlone: Bool? = true, unannounced: Bool = true
    ) -> FamilyAssessmentSummary {
        var f = final(n, on: date, carers: carers, grades)
        for i in f.profiles.indices {
            f.profiles[i].heard = heard
            f.profiles[i].seenAlone = seenAlone
        }
        f.unannouncedVisits = unannounced ? 1 : 0
        return f
    }

    static func family(_ carers: [Carer], fatherReason: FatherNotRecorded? = nil) -> Family {
        var f = Sample.family
        f.carers = carers
        f.children[0].fatherNotRecorded = fatherReason
        return f
    }

    static let mother = Carer(id: mum, name: "Cara Example", relationship: .mother)

    // MARK: Fathers and men

    struct FatherCase: Sendable, CustomTestStringConvertible {
        var name: String
        var carers: [Carer]
        var reason: FatherNotRecorded?
        var covered: [CarerID]
        var notRecorded: Bool
        var notIncluded: Bool
        var testDescription: String { name }
    }

    static let fatherCases: [FatherCase] = [
        FatherCase(name: "mother only, nothing said", carers: [mother], covered: [mum], notRecorded: true, notIncluded: false),
        FatherCase(
            name: "mother only, father unknown", carers: [mother], reason: FatherNotRecorded(reason: .unknown), covered: [mum],
            notRecorded: false, notIncluded: false),
        FatherCase(
            name: "father at home, covered", carers: [mother, Carer(id: dad, name: "Dan", relationship: .father)],
            covered: [mum, dad], notRecorded: false, notIncluded: false),
        FatherCase(
            name: "father elsewhere, not covered",
            carers: [mother, Carer(id: dad, name: "Dan", relationship: .father, livesWithChildren: false)], covered: [mum],
            notRecorded: false, notIncluded: true),
        FatherCase(
            name: "stepfather not covered: a male carer",
            carers: [mother, Carer(id: dad, name: "Dan", relationship: .stepfather)],
            covered: [mum], notRecorded: true, notIncluded: true),
        FatherCase(
            name: "mother's partner, male by gender, not covered",
            carers: [mother, Carer(id: dad, name: "Dan", relationship: .mothersPartner, gender: .male)], covered: [mum],
            notRecorded: true, notIncluded: true),
        FatherCase(
            name: "mother's partner, gender not recorded",
            carers: [mother, Carer(id: dad, name: "Dan", relationship: .mothersPartner)],
            covered: [mum], notRecorded: true, notIncluded: false),
    ]

    @Test(arguments: fatherCases)
    func fatherFlags(_ c: FatherCase) {
        let f = Self.family(c.carers, fatherReason: c.reason)
        let r = review(
            [Self.assessed(1, on: "2026-05-01", carers: c.covered, grades: [Self.c1: all(2)])], asOf: "2026-06-01", family: f)
        let child = r.child(Self.c1)!
        #expect(child.flags.contains(.fatherNotRecorded) == c.notRecorded)
        #expect(child.fatherNotRecorded == c.notRecorded)
        #expect(child.flags.contains(.fatherNotIncluded) == c.notIncluded)
    }

    /// A blended family: the stepfather of one child is the father of another; a father living elsewhere is a
    /// father of his child only, and not a household carer.
    @Test func relationshipsArePerChild() {
        let rob = Carer(
            id: Self.dad, name: "Rob", relationship: .stepfather,
            children: [
                ChildRelationship(child: Self.c1, relationship: .stepfather),
                ChildRelationship(child: Self.c2, relationship: .father),
            ])
        let lee = Carer(
            id: CarerID(rawValue: "f-test01-p3")!, name: "Lee", relationship: .father,
            children: [ChildRelationship(child: Self.c1, relationship: .father)], livesWithChildren: false)
        #expect(rob.relationship(to: Self.c1) == .stepfather && rob.relationship(to: Self.c2) == .father)
        #expect(lee.relationship(to: Self.c2) == nil)
        let f = Self.family([Self.mother, rob, lee])
        let both: [ChildID: [String: Int]] = [Self.c1: all(2), Self.c2: all(2)]
        // Mum and Rob covered: Ada's father Lee (living elsewhere) is not; Bo's father Rob is.
        let r = review(
            [Self.assessed(1, on: "2026-05-01", carers: [Self.mum, Self.dad], grades: both)], asOf: "2026-06-01", family: f)
        #expect(r.child(Self.c1)!.fathersNotIncluded.isEmpty)  // Rob, a male carer of Ada, was covered
        #expect(!r.child(Self.c1)!.flags.contains(.fatherNotRecorded))  // Lee is Ada's father
        #expect(!r.child(Self.c2)!.flags.contains(.fatherNotRecorded))
        #expect(!r.child(Self.c1)!.flags.contains(.carerNotIncluded))  // Lee lives elsewhere: no household carer missed
        // Only Mum covered: both children lack their father or a male carer; Rob (household) is a carer not included.
        let mumOnly = review(
            [Self.assessed(1, on: "2026-05-01", carers: [Self.mum], grades: both)], asOf: "2026-06-01", family: f)
        #expect(Set(mumOnly.child(Self.c1)!.fathersNotIncluded) == [Self.dad, lee.id])
        #expect(mumOnly.child(Self.c2)!.fathersNotIncluded == [Self.dad])
        #expect(mumOnly.child(Self.c1)!.carersNotIncluded == [Self.dad])
        #expect(mumOnly.carersNotIncluded == [Self.dad])
    }

    // MARK: The child's voice and visits

    struct VoiceCase: Sendable, CustomTestStringConvertible {
        var heard: ChildHeard?
        var seenAlone: Bool?
        var missing: Bool
        var notSeenAlone: Bool
        var testDescription: String { "\(heard?.rawValue ?? "nothing"), seen alone \(seenAlone.map(String.init) ?? "unknown")" }
    }

    @Test(arguments: [
        VoiceCase(heard: .view, seenAlone: true, missing: false, notSeenAlone: false),
        VoiceCase(heard: nil, seenAlone: true, missing: true, notSeenAlone: false),
        VoiceCase(heard: .declined, seenAlone: true, missing: false, notSeenAlone: true),
        VoiceCase(heard: .notSeenAlone, seenAlone: nil, missing: false, notSeenAlone: true),
        VoiceCase(heard: .nonVerbal, seenAlone: true, missing: false, notSeenAlone: false),
        VoiceCase(heard: .tooYoung, seenAlone: nil, missing: false, notSeenAlone: false),
        VoiceCase(heard: .view, seenAlone: false, missing: false, notSeenAlone: true),
    ])
    func voiceFlags(_ c: VoiceCase) {
        let finals = [
            Self.assessed(1, on: "2026-01-01", grades: [Self.c1: all(2)], heard: nil, seenAlone: false),
            Self.assessed(2, on: "2026-05-01", grades: [Self.c1: all(2)], heard: c.heard, seenAlone: c.seenAlone),
        ]
        let child = review(finals, asOf: "2026-06-01", family: Self.family([Self.mother])).child(Self.c1)!
        // Only the latest final assessment counts.
        #expect(child.flags.contains(.childViewMissing) == c.missing)
        #expect(child.flags.contains(.childNotSeenAlone) == c.notSeenAlone)
    }

    @Test func noUnannouncedVisitOnlyWhenCareNeedsWork() {
        func flags(_ grades: [String: Int], unannounced: Bool, policy: Policy = .default) -> Bool {
            review(
                [Self.assessed(1, on: "2026-05-01", grades: [Self.c1: grades], unannounced: unannounced)], asOf: "2026-06-01",
                family: Self.family([Self.mother]), policy: policy
            ).child(Self.c1)!.flags.contains(.noUnannouncedVisit)
        }
        #expect(flags(all(2, ["physical": 3]), unannounced: false))
        #expect(!flags(all(2, ["physical": 3]), unannounced: true))
        #expect(!flags(all(2), unannounced: false))
        // With needsWorkFrom 4, a 3 no longer needs work.
        #expect(!flags(all(2, ["physical": 3]), unannounced: false, policy: Policy(needsWorkFrom: 4)))
    }

    // MARK: Escalation review

    static func decision(
        _ n: Int, on date: String, _ level: DecisionLevel = .childInNeed, children: [ChildID] = [], supersedes: Int? = nil
    )
        -> Decision
    {
        Decision(
            id: DecisionID(rawValue: "f-test01-d\(n)")!, familyId: Sample.fid, date: CalendarDate(date)!, level: level,
            reason: "Reviewed.", children: children, supersedes: supersedes.map { DecisionID(rawValue: "f-test01-d\($0)")! })
    }

    static func escalation(
        _ series: [(String, [String: Int])], decisions: [Decision] = [], asOf: String, policy: Policy = .default
    ) -> ChildReview {
        let finals = series.enumerated().map { k, s in Self.assessed(k + 1, on: s.0, grades: [Self.c1: s.1]) }
        return policy.review(
            family: Self.family([Self.mother]), finals: finals, levels: levels, asOf: CalendarDate(asOf)!, decisions: decisions
        ).child(Self.c1)!
    }

    @Test func escalationReviewDueAfterEnoughDaysWithNothingBetter() {
        let series = [("2025-09-01", all(2, ["physical": 5])), ("2026-01-01", all(2, ["physical": 4]))]
        // 5 → 4 is better, but not better than needsWorkFrom: the review is still due after 180 days.
        let due = Self.escalation(series, asOf: "2026-03-01")
        #expect(due.escalationReviewDue && due.flags.first == .escalationReviewDue)
        #expect(due.escalationSince == CalendarDate("2025-09-01"))
        // 179 days: not yet.
        #expect(!Self.escalation(series, asOf: "2026-02-27").escalationReviewDue)
        // A changed threshold.
        #expect(!Self.escalation(series, asOf: "2026-03-01", policy: Policy(escalationReviewDays: 200)).escalationReviewDue)
        // An area that needed work at the start is now below needsWorkFrom: not due (the spell still open elsewhere).
        let better = [("2025-09-01", all(2, ["physical": 4, "safety": 3])), ("2026-01-01", all(2, ["safety": 3]))]
        #expect(!Self.escalation(better, asOf: "2026-06-01").escalationReviewDue)
        // No spell open: never due.
        #expect(!Self.escalation([("2025-01-01", all(2))], asOf: "2026-06-01").escalationReviewDue)
    }

    @Test func aDecisionRestartsTheClockAndASupersededOneDoesNot() {
        let series = [("2025-09-01", all(2, ["physical": 4])), ("2026-01-01", all(2, ["physical": 4]))]
        let decided = [Self.decision(1, on: "2026-01-10", .continue)]
        let r = Self.escalation(series, decisions: decided, asOf: "2026-06-01")
        #expect(!r.escalationReviewDue && r.escalationSince == CalendarDate("2026-01-10"))
        #expect(r.decision?.level == .continue)
        #expect(Self.escalation(series, decisions: decided, asOf: "2026-07-09").escalationReviewDue)  // 180 days on
        // A decision about another child does not restart this child's clock.
        let other = [Self.decision(1, on: "2026-01-10", children: [Self.c2])]
        #expect(Self.escalation(series, decisions: other, asOf: "2026-06-01").escalationReviewDue)
        // A decision after the as-of date does not count.
        #expect(Self.escalation(series, decisions: decided, asOf: "2026-01-09").decision == nil)
        // A correction replaces what it supersedes: the level and date are the correction's.
        let corrected = [Self.decision(1, on: "2026-01-10"), Self.decision(2, on: "2026-01-12", .childProtection, supersedes: 1)]
        let c = Self.escalation(series, decisions: Decision.inForce(corrected), asOf: "2026-06-01")
        #expect(c.decisions.map(\.id.rawValue) == ["f-test01-d2"] && c.decision?.level == .childProtection)
    }

    @Test func severityOrderPlacesTheNewFlags() {
        let order = CaseFlag.allCases.map { $0.severity(teenager: false) }
        #expect(order == order.sorted())
        #expect(Severity.allCases.firstIndex(of: .escalationReviewDue) == 2)
        let gaps: [Severity] = [
            .childViewMissing, .childNotSeenAlone, .fatherNotIncluded, .fatherNotRecorded, .noUnannouncedVisit, .carerNotIncluded,
        ]
        #expect(gaps == gaps.sorted() && gaps.allSatisfy { $0 > .targetNotReviewed && $0 < .noChange })
    }

    // MARK: Recording rules

    @Test func aFinalNeedsTheChildsViewOrWhyNot() throws {
        var a = Sample.assessment(2)
        a.profiles[0].childView = nil
        #expect(throws: ValidationFailure.self) { try a.computeProfiles(in: Sample.context(final: true)) }
        _ = try a.computeProfiles(in: Sample.context(final: false))  // a draft may leave it for later
        a.profiles[0].childViewNotObtained = ChildViewNotObtained(reason: .declined)
        _ = try a.computeProfiles(in: Sample.context(final: true))
        // "too young" only under childViewFromMonths (Ada is 8): refused even in a draft.
        a.profiles[0].childViewNotObtained = ChildViewNotObtained(reason: .tooYoung)
        do {
            _ = try a.computeProfiles(in: Sample.context(final: false))
            Issue.record("accepted too young at 8")
        } catch {
            #expect(error.issues.map(\.path) == ["profiles[0].childViewNotObtained.reason"])
        }
        var ctx = Sample.context(final: true)
        ctx.childViewFromMonths = 12 * 12
        a.profiles[0].dailyLife = "Seen at breakfast."
        _ = try a.computeProfiles(in: ctx)
        // Non-verbal needs how the child's experience was understood; not seen alone needs why.
        a.profiles[0].childViewNotObtained = ChildViewNotObtained(reason: .nonVerbal)
        a.profiles[0].seenAlone = false
        do {
            _ = try a.computeProfiles(in: Sample.context(final: true))
            Issue.record("accepted")
        } catch {
            #expect(
                error.issues.map(\.path).sorted() == [
                    "profiles[0].childViewNotObtained.text", "profiles[0].notSeenAloneReason",
                ])
        }
    }

    @Test func carerViewsAndPlansAreChecked() {
        var a = Sample.assessment(2)
        a.profiles[0].carerViews = [
            CarerView(carer: Sample.dad, view: "Not here that week.", agrees: .partly),  // not covered
            CarerView(carer: nil, view: "Both.", agrees: .yes),  // no carer, not a migrated joint view
        ]
        a.profiles[0].targets = [
            Target(
                linkId: LinkID("physical.nutrition"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-08-01")!,
                action: "Meal plan.", owner: TargetOwner(kind: .carer, carer: CarerID(rawValue: "f-test01-p9")!)),
            Target(
                linkId: LinkID("physical.housing"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-08-01")!,
                owner: TargetOwner(kind: .agency)),
        ]
        do {
            _ = try a.computeProfiles(in: Sample.context(final: false))
            Issue.record("accepted")
        } catch {
            #expect(
                error.issues.map(\.path).sorted() == [
                    "profiles[0].carerViews[0].carer", "profiles[0].carerViews[1].carer",
                    "profiles[0].targets[0].owner.carer", "profiles[0].targets[1].owner.name",
                ])
        }
    }
}
