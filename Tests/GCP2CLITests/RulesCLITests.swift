import Foundation
import Testing

/// Issue 8's reproductions through the command line.
@Suite struct RulesCLITests {
    @Test func aSecondFinalOnTheSameDateIsRefused() throws {
        let fx = try CLIFixture()
        let a = fx.write("a.json", try fx.filledTemplate(grade: 2, date: "2026-03-01"))
        let b = fx.write("b.json", try fx.filledTemplate(grade: 4, date: "2026-03-01"))
        #expect(fx.run(["record", a, "--final"]).code == 0)
        let r = fx.run(["record", b, "--final"])
        #expect(r.code == 65)
        #expect(r.err.contains("already has a final assessment on 2026-03-01 (f-test01-a1)"))
        #expect(fx.run(["record", b]).code == 0)  // a draft is fine
        #expect(fx.run(["finalise", "f-test01-a2"]).code == 65)
        #expect(fx.run(["doctor"]).code == 0)
    }

    @Test func childrenBornAfterTheAsOfDateAreNotListed() throws {
        let fx = try CLIFixture()
        let r = fx.run(["caseload", "--as-of", "2025-06-30"])
        #expect(r.code == 0)
        #expect(r.out.contains("1 child in 1 family (and 1 expected, not listed)"))
        #expect(!r.out.contains("Bo Sample"))
        let s = fx.run(["summary", "f-test01-c2", "--as-of", "2025-06-30"])
        #expect(s.code == 65 && s.err.contains("is expected on 2025-09-01"))
    }

    @Test func aStrengthBandReachingNeedsWorkIsRefused() throws {
        let fx = try CLIFixture(populate: false)
        let policy = fx.write("policy.json", #"{"needsWorkFrom": 2}"#)
        let r = fx.run(["init", "--policy", policy])
        #expect(r.code == 65)
        #expect(r.err.contains("needsWorkFrom"))
        #expect(!FileManager.default.fileExists(atPath: fx.store))
        #expect(fx.run(["init", "--policy", fx.write("ok.json", #"{"needsWorkFrom": 4}"#)]).code == 0)
    }

    /// Item 1 through the CLI: what got worse is listed first, even when an area improved.
    @Test func compareListsWhatGotWorseFirst() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["record", fx.write("a.json", try fx.filledTemplate(grade: 2, date: "2026-01-01")), "--final"]).code == 0)
        #expect(fx.run(["record", fx.write("b.json", try fx.filledTemplate(grade: 4, date: "2026-04-01")), "--final"]).code == 0)
        let r = fx.run(["compare", "--child", "f-test01-c1"])
        #expect(r.code == 0)
        let worse = try #require(r.out.range(of: "Got worse:"))
        let improved = try #require(r.out.range(of: "Improved:"))
        #expect(worse.lowerBound < improved.lowerBound)
        #expect(r.out.contains("A Physical care: 2 → 4 (new: now needs work)"))
    }
}
