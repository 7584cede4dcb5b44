import Foundation
import TestSupport
import Testing

/// Issue 12, item 2: every problem in a file in one pass, each led by the child's name and the item's code and
/// title, through the built binary.
@Suite struct EveryProblemTests {
    /// A filled template with ten different faults, one of each kind a practitioner makes.
    func tenFaults(_ fx: CLIFixture) throws -> String {
        var obj =
            try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 2, date: "2026-06-01").utf8))
            as! [String: Any]
        obj["visits"] = [["date": "2026-13-40", "announced": true]]  // 1: not a date
        obj["assessors"] = [["name": "Sam Worker", "role": "social worker", "team": ""]]  // 2: no team
        var profiles = obj["profiles"] as! [[String: Any]]
        var ada = profiles[0]["ratings"] as! [[String: Any]]
        ada[0]["grade"] = 6  // 3: off the scale
        ada[1]["evidence"] = ""  // 4: no evidence
        ada[2]["grade"] = "two"  // 5: not a number
        ada[3]["kind"] = "maybe"  // 6: unknown kind
        ada[4]["linkId"] = "physical.nowhere"  // 7: unknown item
        profiles[0]["ratings"] = ada
        profiles[0]["targets"] = [["linkId": "physical.nutrition.quality", "grade": 2, "reviewBy": "2026-02-30"]]  // 8
        var bo = profiles[1]["ratings"] as! [[String: Any]]
        bo[0]["grade"] = 0  // 9: off the scale
        bo[1]["evidence"] = "   "  // 10: blank evidence
        profiles[1]["ratings"] = bo
        obj["profiles"] = profiles
        return fx.write(
            "ten-faults.json",
            String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self))
    }

    @Test func tenFaultsAreTenProblemsEachNamingChildAndItem() throws {
        let fx = try CLIFixture()
        let file = try tenFaults(fx)
        let before = fx.snapshot()
        let env = ["GCP2_TODAY": fx.today, "GCP2_ACTOR": "tester"]
        for command in [["validate", file, "--final"], ["record", file, "--final"]] {
            let r = try runProcess(gcp2Binary, ["--store", fx.store] + command, env: env)
            #expect(r.code == 65, "\(command): \(r.err)")
            #expect(r.err.contains("is not valid (10 problems)"), "\(r.err)")
            let lines = r.err.split(separator: "\n").filter { $0.hasPrefix("  - ") }.map { String($0.dropFirst(4)) }
            #expect(lines.count == 10, "\(r.err)")
            // Whole-assessment problems first, then child by child down the file.
            #expect(lines[0].hasPrefix("visits[0].date: "))
            #expect(lines[1].hasPrefix("assessors: "))
            let children = lines.dropFirst(2)
            #expect(
                children.allSatisfy { $0.hasPrefix("Ada Sample (profiles[0]) · ") || $0.hasPrefix("Bo Sample (profiles[1]) · ") })
            #expect(children.filter { $0.hasPrefix("Ada Sample") }.count == 6)
            #expect(children.filter { $0.hasPrefix("Bo Sample") }.count == 2)
            #expect(
                lines.contains(
                    "Ada Sample (profiles[0]) · A.1.a Quality of food (ratings[0]) · grade: found 6; expected a grade 1 to 5"))
            #expect(lines.contains { $0.hasPrefix("Ada Sample (profiles[0]) · A.1.b Healthy weight (ratings[1]) · evidence: ") })
            #expect(lines.contains { $0.hasPrefix("Ada Sample (profiles[0]) · A.1.a Quality of food (targets[0]) · reviewBy: ") })
            #expect(
                lines.contains { $0.hasPrefix("Bo Sample (profiles[1]) · A.1.a Quality of food (ratings[0]) · grade: found 0") })
            // No problem is reported twice as a consequence (a skipped rating is not also "not rated").
            #expect(!r.err.contains("has no rating") && !r.err.contains("no visit is recorded"))
        }
        #expect(fx.snapshot() == before)
        // --json carries the same problems with their subjects, and the exact paths.
        let j = try runProcess(gcp2Binary, ["--store", fx.store, "--json", "validate", file, "--final"], env: env)
        let problems =
            (try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as! [String: Any])["problems"] as! [[String: Any]]
        #expect(problems.count == 10)
        #expect(
            problems.contains {
                $0["path"] as? String == "profiles[1].ratings[0].grade"
                    && $0["subject"] as? String == "Bo Sample (profiles[1]) · A.1.a Quality of food (ratings[0])"
            })
    }
}
