import Foundation
import TestSupport
import Testing

/// Issue 12: every text output of the demo store fits 80 columns (only `--wide` is allowed wider).
@Suite struct EightyColumnsTests {
    @Test func everyTextOutputOfTheDemoStoreFitsEightyColumns() throws {
        let fx = try CLIFixture(populate: false)
        #expect(fx.run(["demo", "--store", fx.store]).code == 0)
        let env = ["GCP2_TODAY": "2026-10-31"]
        let commands: [[String]] = [
            ["family", "list"], ["family", "show", "f-demo01"], ["show", "f-demo01-a4"], ["show", "f-demo01-a1"],
            ["history", "f-demo01-c1"], ["history", "Mia"], ["compare", "--child", "Kai"],
            ["compare", "f-demo01-a1", "f-demo01-a4", "--child", "Ollie", "--items"], ["summary", "Kai"],
            ["summary", "Ollie"], ["summary", "--family", "f-demo01"], ["caseload"], ["caseload", "--by", "family"],
            ["caseload", "--as-of", "2026-01-31"], ["instrument", "show"], ["doctor"], ["help"], ["help", "caseload"],
            ["scorecard"], ["scorecard", "--suppress-below", "5", "--team", "Northfield family support"],
            ["help", "scorecard"], ["audit"], ["audit", "--changes"], ["help", "audit"],
        ]
        for args in commands {
            let r = fx.run(args, env: env)
            #expect(r.code == 0, "\(args): \(r.err)")
            for line in r.out.split(separator: "\n", omittingEmptySubsequences: false) where line.count > 80 {
                Issue.record("gcp2 \(args.joined(separator: " ")): \(line.count) columns: \(line)")
            }
        }
    }
}
