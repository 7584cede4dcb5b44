import Foundation
import GCP2Core
import TestSupport
import Testing

/// Issue 12: the template invents no visit, and a final assessment needs a visit in its window and an assessor
/// with a name, a role and a team.
@Suite struct NoInventedFactsTests {
    @Test func theTemplateInventsNoVisitAndAFinalNeedsOne() throws {
        let fx = try CLIFixture()
        let t = fx.run(["template", "f-test01", "--date", "2026-05-01"])
        let obj = try JSONSerialization.jsonObject(with: Data(t.out.utf8)) as! [String: Any]
        #expect((obj["visits"] as! [Any]).isEmpty)
        // A filled template with the visit and team taken out: refused as final with both named, fine as a draft.
        var filled =
            try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 2, date: "2026-05-01").utf8))
            as! [String: Any]
        filled["visits"] = []
        filled["assessors"] = [["name": "Sam Worker", "role": "social worker", "team": ""]]
        let file = fx.write("no-visit.json", String(decoding: try JSONSerialization.data(withJSONObject: filled), as: UTF8.self))
        let v = fx.run(["validate", file, "--final"])
        #expect(v.code == 65)
        #expect(v.err.contains("visits: no visit is recorded"))
        #expect(v.err.contains("assessors: no assessor is recorded with a name, a role and a team"))
        #expect(fx.run(["record", file, "--final"]).code == 65)
        #expect(fx.run(["record", file]).code == 0)
        // A visit outside the window does not count.
        filled["visits"] = [["date": "2026-01-01", "announced": false]]
        filled["assessors"] = [["name": "Sam Worker", "role": "social worker", "team": "East"]]
        let outside = fx.write(
            "outside.json", String(decoding: try JSONSerialization.data(withJSONObject: filled), as: UTF8.self))
        let o = fx.run(["validate", outside, "--final"])
        #expect(o.code == 65 && o.err.contains("no visit falls inside the observation window 2026-04-10 to 2026-05-01"))
    }

    @Test func aLegacyFinalIsJudgedWithoutTheRecordingRule() throws {
        var a = Assessment(
            id: AssessmentID(rawValue: "f-test01-a1")!, familyId: FamilyID(rawValue: "f-test01")!,
            window: ObservationWindow(start: CalendarDate("2026-01-01")!, end: CalendarDate("2026-01-20")!))
        #expect(a.recordingGaps().map(\.path) == ["visits", "assessors"])
        a.visits = [Visit(date: CalendarDate("2026-01-10")!, announced: true)]
        a.assessors = [Assessor(name: "Sam Worker", role: "social worker", team: "East")]
        #expect(a.recordingGaps().isEmpty)
    }
}

@Suite struct RecordingHintsTests {
    @Test func aCompleteDraftOffersFinaliseAndAPastTemplateSaysTheAges() throws {
        let fx = try CLIFixture()
        let complete = fx.run(["record", fx.write("d.json", try fx.filledTemplate(grade: 2, date: "2026-05-01"))])
        #expect(complete.code == 0)
        #expect(
            complete.out.contains("Every item is rated. When the grades are agreed, make it final: gcp2 finalise f-test01-a1"))
        let t = fx.run(["template", "f-test01", "--date", "2026-01-15"])
        #expect(t.code == 0 && t.err.contains("note: items chosen for the ages on 2026-01-15: Ada Sample 8 years 9 months"))
        #expect(fx.run(["template", "f-test01"]).err.isEmpty)  // today: nothing to say
    }
}

@Suite struct AmendChangesTests {
    @Test func amendPrintsWhatChangedAgainstTheVersionItSupersedes() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["record", fx.write("a.json", try fx.filledTemplate(grade: 2, date: "2026-05-01")), "--final"]).code == 0)
        var obj =
            try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 2, date: "2026-05-01").utf8))
            as! [String: Any]
        var profiles = obj["profiles"] as! [[String: Any]]
        var ratings = profiles[0]["ratings"] as! [[String: Any]]
        ratings[0]["grade"] = 4
        ratings[0]["evidence"] = "Meals missed twice in the week."
        profiles[0]["ratings"] = ratings
        profiles[0]["childView"] = "Dinner is late."
        obj["profiles"] = profiles
        let file = fx.write("b.json", String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
        let r = fx.run(["amend", "f-test01-a1", file, "--reason", "Meals were recorded from the wrong visit"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("Changed from version 1:"))
        #expect(r.out.contains("Ada Sample · A.1.a Quality of food: grade 2 → 4"))
        #expect(r.out.contains("Ada Sample · A.1.a Quality of food: evidence Seen on the visits. → Meals\n    missed twice"))
        #expect(r.out.contains("Ada Sample: child's view Likes school; home is busy. → Dinner is late."), "\(r.out)")
        #expect(!r.out.contains("Bo Sample ·"))  // nothing of Bo's changed
    }
}
