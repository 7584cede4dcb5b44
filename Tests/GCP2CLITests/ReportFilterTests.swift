import Foundation
import TestSupport
import Testing

/// `report caseload` takes the caseload's filters and lists exactly the children `caseload` lists.
@Suite struct ReportFilterTests {
    @Test func reportCaseloadListsWhatTheFilteredCaseloadLists() throws {
        let fx = try CLIFixture(populate: false)
        #expect(fx.run(["demo", "--store", fx.store]).code == 0)
        let env = ["GCP2_TODAY": "2026-10-31"]
        for args in [["--flag", "drift"], ["--flag", "sibling-disparity"], ["--sort", "ref", "--limit", "1"]] {
            let json = fx.run(["caseload", "--json"] + args, env: env)
            #expect(json.code == 0, "\(json.err)")
            let obj = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as! [String: Any]
            let lines = (obj["caseload"] as! [String: Any])["lines"] as! [[String: Any]]
            let listed = Set(lines.map { $0["childId"] as! String })
            let report = fx.run(["report", "caseload"] + args, env: env)
            #expect(report.code == 0, "\(report.err)")
            for id in ["f-demo01-c1", "f-demo01-c2", "f-demo01-c3"] {
                #expect(report.out.contains("(\(id))") == listed.contains(id), "\(args): \(id)")
            }
            #expect(report.out.contains("\(listed.count) of 3 children listed"))
        }
        #expect(fx.run(["report", "caseload", "--area", "safety"], env: env).code == 64)
    }
}
