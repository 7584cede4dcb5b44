import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// Issue 14 through the command line: the final-without-view refusal, per-child carers, decisions, and the new
/// flags in the caseload, its filters and the summary.
@Suite struct PracticeDataCLITests {
    /// The template with every item graded and the child's view taken out again.
    static func withoutView(_ fx: CLIFixture, date: String = "2026-06-01") throws -> [String: Any] {
        var obj = try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 3, date: date).utf8)) as! [String: Any]
        var profiles = obj["profiles"] as! [[String: Any]]
        for i in profiles.indices { profiles[i]["childView"] = "" }
        obj["profiles"] = profiles
        return obj
    }

    static func write(_ fx: CLIFixture, _ name: String, _ obj: [String: Any]) throws -> String {
        fx.write(name, String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
    }

    @Test func aFinalWithoutTheChildsViewOrAReasonIsRefused() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let file = try Self.write(fx, "a.json", try Self.withoutView(fx))
        for args in [["record", file, "--final"], ["validate", file, "--final"]] {
            let r = fx.run(args)
            #expect(r.code == 65, "\(r.err)")
            #expect(
                r.err.contains("(profiles[0]) · childView: neither the child's view nor why it could not be obtained"), "\(r.err)"
            )
            #expect(mentions(r.err, "profiles[1].childView"))
        }
        #expect(fx.snapshot() == before)
        // A draft may leave it for later; finalising it is refused the same way.
        #expect(fx.run(["record", file]).code == 0)
        let fin = fx.run(["finalise", "f-test01-a1"])
        #expect(fin.code == 65 && mentions(fin.err, "profiles[0].childView"), "\(fin.err)")
        // With the reasons (Bo, 9 months, too young with daily life observed; Ada declined), it is final.
        var obj = try Self.withoutView(fx)
        var profiles = obj["profiles"] as! [[String: Any]]
        profiles[0]["childViewNotObtained"] = ["reason": "declined"]
        profiles[1]["childViewNotObtained"] = ["reason": "too-young"]
        profiles[1]["dailyLife"] = "Fed and changed on time; settled with Cy."
        obj["profiles"] = profiles
        let ok = fx.run(["record", try Self.write(fx, "b.json", obj), "--final"])
        #expect(ok.code == 0, "\(ok.err)")
        // Ada declined: the caseload shows child-not-seen-alone, and the flag filter finds her.
        let flagged = fx.run(["caseload", "--flag", "child-not-seen-alone", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(flagged.out.utf8)) as! [String: Any]
        let lines = (json["caseload"] as! [String: Any])["lines"] as! [[String: Any]]
        #expect(lines.map { $0["childId"] as! String } == ["f-test01-c1"])
    }

    @Test func tooYoungOnlyUnderThePolicysAge() throws {
        let fx = try CLIFixture()
        var obj = try Self.withoutView(fx)
        var profiles = obj["profiles"] as! [[String: Any]]
        profiles[0]["childViewNotObtained"] = ["reason": "too-young"]  // Ada is 9
        obj["profiles"] = profiles
        let r = fx.run(["validate", try Self.write(fx, "a.json", obj)])
        #expect(r.code == 65)
        #expect(r.err.contains("(profiles[0]) · childViewNotObtained.reason: the child is 109 months old"), "\(r.err)")
    }

    @Test func aVersionOneInputFileHasItsJointViewGivenToEachCarer() throws {
        let fx = try CLIFixture()
        var obj = try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 2).utf8)) as! [String: Any]
        obj["schemaVersion"] = 1
        obj["carers"] = ["f-test01-p1", "f-test01-p2"]
        var profiles = obj["profiles"] as! [[String: Any]]
        for i in profiles.indices {
            profiles[i]["carerViews"] = nil
            profiles[i]["carersView"] = "We are managing."
            profiles[i]["carersAgree"] = false
        }
        obj["profiles"] = profiles
        let r = fx.run(["record", try Self.write(fx, "v1.json", obj), "--final"])
        #expect(r.code == 0, "\(r.err)")
        let a = try Store.open(at: fx.store).assessment(AssessmentID(rawValue: "f-test01-a1")!)
        #expect(
            a.profiles[0].carerViews == [
                CarerView(carer: CarerID(rawValue: "f-test01-p1")!, view: "We are managing.", agrees: .no, jointly: true),
                CarerView(carer: CarerID(rawValue: "f-test01-p2")!, view: "We are managing.", agrees: .no, jointly: true),
            ])
        #expect(fx.run(["show", "f-test01-a1"]).out.contains("Cy Sample's view: We are managing. (agrees with the grades: no)"))
    }

    @Test func fathersPerChildDecisionsAndTheirFlags() throws {
        let fx = try CLIFixture()
        // Dee is recorded as the father of both children; Eli, living elsewhere, is Bo's father too.
        let add = fx.run([
            "carer", "add", "f-test01", "--name", "Eli Sample", "--relationship", "father", "--child", "f-test01-c2",
            "--non-resident",
        ])
        #expect(add.code == 0, "\(add.err)")
        let show = fx.run(["family", "show", "f-test01"])
        #expect(show.out.contains("father of Bo (lives elsewhere)"), "\(show.out)")
        // A reason no father is recorded is refused while one is.
        let unchanged = fx.snapshot()
        let why = fx.run(["child", "father-not-recorded", "f-test01-c1", "--reason", "unknown"])
        #expect(why.code == 65 && why.err.contains("f-test01-p2 is recorded as the father"), "\(why.err)")
        let baby = fx.run([
            "child", "add", "f-test01", "--name", "Cal Sample", "--born", "2026-06-01", "--father-not-recorded", "unknown",
        ])
        #expect(baby.code == 65, "\(baby.err)")
        #expect(fx.snapshot() == unchanged)
        // A final covering Cy only: Ada's and Bo's fathers were not covered.
        let file = fx.write("a.json", try fx.filledTemplate(grade: 3, date: "2025-10-01"))
        #expect(fx.run(["record", file, "--final"]).code == 0)
        var obj =
            try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 3, date: "2026-06-01").utf8))
            as! [String: Any]
        obj["carers"] = ["f-test01-p1"]
        var profiles = obj["profiles"] as! [[String: Any]]
        for i in profiles.indices { profiles[i]["carerViews"] = [] }
        obj["profiles"] = profiles
        #expect(fx.run(["record", try Self.write(fx, "b.json", obj), "--final"]).code == 0)
        let summary = fx.run(["summary", "f-test01-c2"]).out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(summary.contains("father not included: Dee Sample (father), Eli Sample (father, living elsewhere)"), "\(summary)")
        // Needing work since 2025-10-01 with nothing better: an escalation review is due; a decision restarts it.
        let before = fx.run(["caseload", "--flag", "escalation-review-due"])
        #expect(before.out.contains("f-test01-c1") && before.out.contains("ESC"), "\(before.out)")
        let d = fx.run([
            "decision", "add", "f-test01", "--date", "2026-06-10", "--level", "child-in-need", "--reason", "Plan with the family",
        ])
        #expect(d.code == 0 && d.out.contains("Recorded decision f-test01-d1: child in need on 2026-06-10."), "\(d.err)")
        #expect(!fx.run(["caseload", "--flag", "escalation-review-due"]).out.contains("f-test01-c1"))
        let fix = fx.run([
            "decision", "add", "f-test01", "--date", "2026-06-10", "--level", "child-protection", "--reason",
            "Level recorded wrongly", "--supersedes", "f-test01-d1",
        ])
        #expect(fix.code == 0, "\(fix.err)")
        let list = fx.run(["decision", "list", "f-test01"])
        #expect(list.out.contains("superseded") && list.out.contains("corrects f-test01-d1"), "\(list.out)")
        let again = fx.run([
            "decision", "add", "f-test01", "--date", "2026-06-11", "--level", "closed", "--reason", "x", "--supersedes",
            "f-test01-d1",
        ])
        #expect(again.code == 65 && again.err.contains("already corrected by f-test01-d2"), "\(again.err)")
        // The caseload shows each child's level; the summary lists the decisions in force.
        let wide = fx.run(["caseload", "--wide"])
        #expect(wide.out.contains("child-protection"), "\(wide.out)")
        let csv = fx.run(["caseload", "--format", "csv"]).out.split(separator: "\r\n")
        #expect(
            csv.first?.hasSuffix(",assessor,level") == true && csv.dropFirst().allSatisfy { $0.hasSuffix(",child-protection") })
        let sum = fx.run(["summary", "f-test01-c1"]).out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(sum.contains("2026-06-10 child protection: Level recorded wrongly (f-test01-d2, corrects f-test01-d1)"), "\(sum)")
        let bad = fx.run(["decision", "add", "f-test01", "--date", "2026-06-10", "--level", "worried", "--reason", "x"])
        #expect(bad.code == 64 && bad.err.contains("early-help"))
    }

    @Test func aReasonClearsFatherNotRecorded() throws {
        let fx = try CLIFixture(populate: false)
        #expect(fx.run(["init"]).code == 0)
        let fam =
            try JSONSerialization.jsonObject(with: Data(fx.run(["family", "add", "--ref", "F-1", "--json"]).out.utf8))
            as! [String: Any]
        let fid = fam["id"] as! String
        #expect(fx.run(["child", "add", fid, "--name", "Ari Sample", "--born", "2020-01-01"]).code == 0)
        #expect(fx.run(["carer", "add", fid, "--name", "Bel Sample", "--relationship", "mother"]).code == 0)
        #expect(fx.run(["caseload", "--flag", "father-not-recorded"]).out.contains("\(fid)-c1"))
        let r = fx.run(["child", "father-not-recorded", "Ari", "--reason", "other"])
        #expect(r.code == 65 && r.err.contains("text"), "\(r.err)")  // other needs its text
        let ok = fx.run(["child", "father-not-recorded", "Ari", "--reason", "other", "--text", "Not named at referral"])
        #expect(ok.code == 0 && ok.out.contains("father not recorded (other: Not named at referral)"), "\(ok.err)")
        #expect(!fx.run(["caseload", "--flag", "father-not-recorded"]).out.contains("\(fid)-c1"))
        #expect(fx.run(["family", "show", fid]).out.contains("Ari Sample: no father recorded (other: Not named at referral)"))
    }

    @Test func aTargetsPlanIsShownBesideItsStatus() throws {
        let fx = try CLIFixture()
        var obj =
            try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 3, date: "2026-01-10").utf8))
            as! [String: Any]
        var profiles = obj["profiles"] as! [[String: Any]]
        profiles[0]["targets"] = [
            [
                "linkId": "physical.hygiene", "grade": 2, "reviewBy": "2026-04-30", "action": "A bath rota on the fridge",
                "owner": ["kind": "carer", "carer": "f-test01-p1"], "support": "Family support twice a week",
            ]
        ]
        obj["profiles"] = profiles
        obj["assessors"] = [["name": "Sam Worker", "role": "social worker", "team": "East", "agency": "early-help"]]
        #expect(fx.run(["record", try Self.write(fx, "a.json", obj), "--final"]).code == 0)
        #expect(fx.run(["record", fx.write("b.json", try fx.filledTemplate(grade: 3, date: "2026-06-01")), "--final"]).code == 0)
        let plan = "action: A bath rota on the fridge; by: Cy Sample (carer); support: Family support twice a week"
        func flat(_ t: String) -> String { t.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let cmp = fx.run(["compare", "--child", "f-test01-c1"])
        #expect(flat(cmp.out).contains("not reached by 2026-04-30; was 3, now 3; plan: \(plan)"), "\(cmp.out)")
        #expect(flat(fx.run(["summary", "f-test01-c1"]).out).contains("by 2026-04-30 (\(plan)); latest 3"))
        #expect(flat(fx.run(["show", "f-test01-a1"]).out).contains("Sam Worker (social worker, East, early help)"))
        // An owner that is not a carer of the family is refused with its path.
        profiles[0]["targets"] = [
            ["linkId": "physical.hygiene", "grade": 2, "reviewBy": "2026-08-30", "owner": ["kind": "agency"]]
        ]
        obj["profiles"] = profiles
        let bad = fx.run(["validate", try Self.write(fx, "c.json", obj)])
        #expect(bad.code == 65 && bad.err.contains("(targets[0]) · owner.name: no agency named"), "\(bad.err)")
    }
}
