import Foundation
import GCP2Store
import Testing

@testable import GCP2Core

enum Sample {
    static let fid = FamilyID(rawValue: "f-test01")!
    static let child = ChildID(rawValue: "f-test01-c1")!
    static let baby = ChildID(rawValue: "f-test01-c2")!
    static let mum = CarerID(rawValue: "f-test01-p1")!
    static let dad = CarerID(rawValue: "f-test01-p2")!
    static let today = CalendarDate("2026-06-30")!

    static var family: Family {
        Family(
            id: fid, ref: "RX-100",
            children: [
                Child(id: child, name: "Ada Example", born: CalendarDate("2018-03-10")!),
                Child(id: baby, name: "Bo Example", born: CalendarDate("2025-09-01")!),
            ],
            carers: [
                Carer(id: mum, name: "Cara Example", relationship: .mother),
                Carer(id: dad, name: "Dan Example", relationship: .stepfather),
            ])
    }

    /// Every applicable item graded `grade` with evidence, for `child` on `date`.
    static func ratings(_ grade: Int, child: ChildID, on date: CalendarDate, overrides: [String: Int] = [:]) -> [ItemRating] {
        let born = family.child(child)!.born
        let inst = Instrument.gcp2Structure
        return inst.areas.flatMap(\.subAreas).flatMap { inst.applicableItems(in: $0, ageMonths: born.wholeMonths(to: date)) }
            .map {
                ItemRating(
                    $0.linkId, .graded(Grade(rawValue: overrides[$0.linkId.rawValue] ?? grade)!, evidence: "Seen on a visit."))
            }
    }

    static func assessment(_ grade: Int = 2, on date: String = "2026-05-01", overrides: [String: Int] = [:]) -> Assessment {
        let d = CalendarDate(date)!
        return Assessment(
            id: AssessmentID(rawValue: "f-test01-a1")!, familyId: fid,
            window: ObservationWindow(start: d.adding(days: -21), end: d),
            visits: [Visit(date: d.adding(days: -7), announced: false)],
            assessors: [Assessor(name: "Sam Worker", role: "social worker", team: "North")], carers: [mum],
            profiles: [
                ProfileRecord(
                    childId: child, ratings: ratings(grade, child: child, on: d, overrides: overrides),
                    childView: "Said school is fun.", seenAlone: true)
            ])
    }

    static func context(final: Bool = true) -> AssessmentContext {
        AssessmentContext(instrument: Instrument.gcp2Structure, family: family, today: today, requireComplete: final)
    }
}

@Suite struct ProfileTests {
    @Test func computesSuggestedAndConfirmedGrades() throws {
        let a = Sample.assessment(2, overrides: ["physical.housing.maintenance": 4, "physical.housing.decor": 3])
        let p = try #require(try a.computeProfiles(in: Sample.context()).first)
        let housing = p.areas[0].subAreas[1].result
        // mean(4, 3, 2) = 3
        #expect(housing.suggested == Grade(rawValue: 3))
        #expect(housing.confirmed == Grade(rawValue: 3))
        #expect(housing.rule == "mean-half-worse")
        #expect(housing.band == .borderline)
        // Physical: sub-areas 2, 3, 2, 2, 2 → mean 2.2 → 2
        #expect(p.areas[0].result.suggested == Grade(rawValue: 2))
        #expect(p.borderline == [LinkID("physical.housing")])
        #expect(p.completeness.missing == 0)
        #expect(p.completeness.rated == p.completeness.applicable)
    }

    @Test func disproportionateItemsAreTwoWorseThanTheirSubArea() throws {
        // Nutrition: quality 4, weight 1 → mean 2.5 → 3; 4 is not 2 worse than 3.
        // Housing: 5, 1, 1 → mean 2.33 → 2; maintenance 5 is disproportionate.
        let a = Sample.assessment(
            1, overrides: ["physical.nutrition.quality": 4, "physical.housing.maintenance": 5])
        let p = try #require(try a.computeProfiles(in: Sample.context()).first)
        #expect(p.disproportionate.map(\.linkId) == [LinkID("physical.housing.maintenance")])
        #expect(p.disproportionate.first?.subAreaGrade == Grade(rawValue: 2))
    }

    @Test func overrideNeedsARationale() throws {
        var a = Sample.assessment(2)
        a.profiles[0].grades = [LevelGrade(linkId: LinkID("physical.hygiene"), grade: Grade(rawValue: 4))]
        #expect(throws: ValidationFailure.self) { try a.computeProfiles(in: Sample.context()) }
        do { _ = try a.computeProfiles(in: Sample.context()) } catch {
            #expect(error.issues.map(\.path) == ["profiles[0].grades[0].rationale"])
        }
        a.profiles[0].grades[0].rationale = "Unannounced visits found the same concerns each time."
        let p = try #require(try a.computeProfiles(in: Sample.context()).first)
        let hygiene = p.areas[0].subAreas[3].result
        #expect(hygiene.suggested == Grade(rawValue: 2))
        #expect(hygiene.confirmed == Grade(rawValue: 4))
        #expect(hygiene.overridden)
        // The area is suggested from confirmed sub-area grades: 2,2,2,4,2 → 2.4 → 2
        #expect(p.areas[0].result.suggested == Grade(rawValue: 2))
    }

    @Test func substitutionGradesFromTheSourceAndNeedsAComment() throws {
        var a = Sample.assessment(2, overrides: ["emotional.carer.responsiveness": 3])
        a.profiles[0].ratings.removeAll { $0.linkId == LinkID("emotional.engagement.quality") }
        a.profiles[0].substitutions = [SubstitutionUse(subArea: LinkID("emotional.engagement"), comment: "")]
        do {
            _ = try a.computeProfiles(in: Sample.context())
            Issue.record("accepted a substitution without a comment")
        } catch {
            #expect(error.issues.map(\.path) == ["profiles[0].substitutions[0].comment"])
        }
        a.profiles[0].substitutions[0].comment = "Child's temperament distorts engagement."
        let p = try #require(try a.computeProfiles(in: Sample.context()).first)
        let engagement = p.areas[2].subAreas[1].result
        #expect(engagement.confirmed == Grade(rawValue: 3))
        #expect(engagement.rule == "substitution")
        #expect(engagement.substitutedFrom == LinkID("emotional.carer"))
    }

    @Test func notApplicableAndNotScoredAreExcludedNotImputed() throws {
        var a = Sample.assessment(2, overrides: ["physical.housing.maintenance": 5])
        let i = try #require(a.profiles[0].ratings.firstIndex { $0.linkId == LinkID("physical.housing.decor") })
        a.profiles[0].ratings[i].rating = .notScored(reason: "Not seen on visits.")
        let j = try #require(a.profiles[0].ratings.firstIndex { $0.linkId == LinkID("physical.housing.facilities") })
        a.profiles[0].ratings[j].rating = .notApplicable(reason: "Temporary accommodation provides it.")
        let p = try #require(try a.computeProfiles(in: Sample.context()).first)
        #expect(p.areas[0].subAreas[1].result.suggested == Grade(rawValue: 5))
        #expect(p.completeness.notScored == 1)
        #expect(p.completeness.notApplicable == 1)
    }

    @Test func levelWithNothingRatedHasNoGrade() throws {
        var a = Sample.assessment(2)
        a.profiles[0].ratings = a.profiles[0].ratings.map {
            $0.linkId.rawValue.hasPrefix("physical.clothing") ? ItemRating($0.linkId, .notScored(reason: "not seen")) : $0
        }
        let p = try #require(try a.computeProfiles(in: Sample.context()).first)
        #expect(p.areas[0].subAreas[2].result.suggested == nil)
        #expect(p.areas[0].subAreas[2].result.band == nil)
        #expect(p.areas[0].result.suggested == Grade(rawValue: 2))
    }

    @Test func everyProblemIsReportedInOnePass() throws {
        var a = Sample.assessment(2)
        a.window.end = CalendarDate("2027-01-01")!
        a.carers.append(CarerID(rawValue: "f-test01-p9")!)
        var r = a.profiles[0]
        r.ratings.append(ItemRating(LinkID("physical.nutrition.taste"), .graded(Grade(rawValue: 2)!, evidence: "x")))
        r.ratings[0].rating = .notApplicable(reason: " ")
        r.targets = [Target(linkId: LinkID("safety.nothing"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-01-01")!)]
        a.profiles = [r, ProfileRecord(childId: ChildID(rawValue: "f-test01-c7")!)]
        do {
            _ = try a.computeProfiles(in: Sample.context())
            Issue.record("accepted")
        } catch {
            let paths = Set(error.issues.map(\.path))
            #expect(paths.contains("window.end"))
            #expect(paths.contains("carers[1]"))
            #expect(paths.contains("profiles[0].ratings[\(r.ratings.count - 1)].linkId"))
            #expect(paths.contains("profiles[0].ratings[0].reason"))
            #expect(paths.contains("profiles[0].targets[0].linkId"))
            #expect(paths.contains("profiles[0].targets[0].reviewBy"))
            #expect(paths.contains("profiles[1].childId"))
        }
    }

    @Test func inapplicableItemAndChildNotYetBorn() throws {
        var a = Sample.assessment(2)
        // The baby (8 months) cannot be graded on online safety (from 36 months).
        let d = a.date
        var ratings = Sample.ratings(2, child: Sample.baby, on: d)
        ratings.append(ItemRating(LinkID("safety.presence.online"), .graded(Grade(rawValue: 3)!, evidence: "x")))
        a.profiles.append(
            ProfileRecord(
                childId: Sample.baby, ratings: ratings, childViewNotObtained: ChildViewNotObtained(reason: .tooYoung),
                dailyLife: "Seen at bath time."))
        do {
            _ = try a.computeProfiles(in: Sample.context())
            Issue.record("accepted")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].path == "profiles[1].ratings[\(ratings.count - 1)].grade")
            #expect(error.issues[0].problem.contains("does not apply at the child's age (8 months)"))
        }
        var early = Sample.assessment(2, on: "2025-08-01")
        early.profiles = [ProfileRecord(childId: Sample.baby)]
        do {
            _ = try early.computeProfiles(in: Sample.context(final: false))
            Issue.record("accepted")
        } catch {
            #expect(error.issues.first?.problem.contains("before the child's birth date") == true)
        }
    }

    @Test func finalNeedsEveryItemAndEvidenceButDraftDoesNot() throws {
        var a = Sample.assessment(2)
        a.profiles[0].ratings.removeLast()
        a.profiles[0].ratings[0].rating = .graded(Grade(rawValue: 2)!, evidence: "")
        #expect(throws: ValidationFailure.self) { try a.computeProfiles(in: Sample.context(final: true)) }
        let p = try #require(try a.computeProfiles(in: Sample.context(final: false)).first)
        #expect(p.completeness.missing == 1)
    }

    @Test func decodingCollectsBadElements() throws {
        let json = """
            {"familyId":"f-test01","window":{"start":"2026-04-01","end":"2026-04-20"},
             "profiles":[{"childId":"f-test01-c1","ratings":[
               {"linkId":"physical.hygiene.overall","kind":"graded","grade":6},
               {"linkId":"physical.health.overall","kind":"not-applicable","grade":2,"reason":"x"},
               {"linkId":"physical.clothing.overall","kind":"graded","grade":"two"},
               {"linkId":"physical.nutrition.quality","kind":"graded","grade":2,"evidence":"ok"}]}]}
            """
        let collector = IssueCollector()
        let d = JSONDecoder()
        d.userInfo[IssueCollector.key] = collector
        let a = try d.decode(Assessment.self, from: Data(json.utf8))
        #expect(a.profiles[0].ratings.count == 1)
        #expect(
            collector.issues.map(\.path) == [
                "profiles[0].ratings[0].grade", "profiles[0].ratings[1].grade", "profiles[0].ratings[2].grade",
            ])
        #expect(collector.issues[0].description.contains("grade 1 to 5"))
    }

    @Test func recordingWritesBackEveryLevelAndRecomputesTheSame() throws {
        let a = Sample.assessment(2, overrides: ["physical.hygiene.overall": 4])
        let profiles = try a.computeProfiles(in: Sample.context())
        let recorded = a.recording(profiles, instrument: Instrument.gcp2Structure.reference)
        #expect(recorded.profiles[0].grades.count == 17)
        #expect(try recorded.computeProfiles(in: Sample.context()) == profiles)
    }
}
