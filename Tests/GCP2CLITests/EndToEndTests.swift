import Foundation
import GCP2Core
import Testing

@testable import GCP2CLI
@testable import GCP2Store

@Suite struct DemoTests {
    /// The demo's text is what a new user reads first: any change to it must be deliberate.
    /// Regenerate with GCP2_UPDATE_GOLDEN=1 swift test --filter DemoTests.
    @Test func demoMatchesGoldenOutput() throws {
        let fx = try CLIFixture(populate: false)
        let r = fx.run(["demo", "--store", fx.store])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.isEmpty)
        let text = r.out.replacingOccurrences(of: fx.store, with: "<STORE>")
        let golden = fixtures.appendingPathComponent("demo.golden.txt")
        if ProcessInfo.processInfo.environment["GCP2_UPDATE_GOLDEN"] == "1" {
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(text == expected)
    }

    @Test func demoShowsEveryPatternTheIssueAsksFor() throws {
        let fx = try CLIFixture(populate: false)
        let out = fx.run(["demo", "--store", fx.store]).out
        #expect(out.contains("sustained improvement: Physical care better than 3 and held"))
        #expect(out.contains("target met, since slipped: In the carer's presence"))
        #expect(out.contains("drift: Emotional care graded 3 or worse"))
        #expect(out.contains("sibling disparity: care of Kai Hartley is graded 4 in Emotional care"))
        #expect(out.contains("carer not included: Rob Denton (stepfather)"))
        // Worse news first: what needs attention comes before what is going well.
        let kai = try #require(out.range(of: "Kai Hartley (f-demo01-c1):"))
        let rest = out[kai.upperBound...]
        #expect(rest.range(of: "Needs attention:")!.lowerBound < rest.range(of: "What is going well:")!.lowerBound)
        // The store it leaves is sound and usable afterwards.
        #expect(fx.run(["doctor"], env: ["GCP2_STORE": fx.store]).code == 0)
        #expect(fx.run(["demo", "--store", fx.store]).code == 73)
    }
}

@Suite struct InteractiveTests {
    /// Answers for every item of one child, with one `?`, one not-applicable, and one override.
    func answers(items: Int) -> [String] {
        var a = ["?", "2", "Meals seen on all visits.", "n", "Not relevant this month."]
        for _ in 0..<(items - 2) { a += ["2", "Seen on a visit."] }
        return a
    }

    @Test func walksItemsConfirmsAndResumesAfterInterruption() throws {
        let fx = try CLIFixture()
        // Start: dates, carers, name, role; then stop (end of input) part-way through the items.
        // Team, then two visits (one unannounced) and an empty line to finish.
        var first = ["2026-06-01", "", "1", "Sam Worker", "social worker", "East", "2026-05-20", "y", "2026-05-28", "n", ""]
        first += ["?", "3", "Some meals missed.", "n", "Not relevant this month.", "4"]  // evidence never given: input ends
        let r1 = fx.run(["record", "--interactive", "f-test01"], input: first)
        #expect(r1.code == 0, "\(r1.err)")
        #expect(r1.out.contains("Started draft f-test01-a1"))
        #expect(r1.out.contains("All of the child's needs are met"))  // the descriptors shown for '?'
        #expect(r1.out.contains("Draft f-test01-a1 saved. Resume with: gcp2 record --interactive f-test01"))
        let saved = try Store.open(at: fx.store).assessment(AssessmentID(rawValue: "f-test01-a1")!)
        #expect(saved.status == .draft)
        #expect(saved.profiles[0].ratings.count == 2)
        #expect(saved.carers.map(\.rawValue) == ["f-test01-p1"])
        #expect(saved.visits.map(\.announced) == [true, false] && saved.assessors.first?.team == "East")

        // Resume: 16 more items for Ada, then confirmations (one override with rationale), views; then Bo.
        var second: [String] = []
        for _ in 0..<16 { second += ["2", "Seen on a visit."] }
        second += ["", "", "", "4", "Hygiene worse on unannounced visits.", ""]  // A.1–A.4 (override A.4)
        second += Array(repeating: "", count: 8 + 4)  // remaining sub-areas, then the four areas
        second += ["I like my room.", "y", "Things are better.", "y"]  // view, seen alone, Cy's view, agrees
        for _ in 0..<17 { second += ["1", "Very good care seen."] }
        // Bo, 9 months: too young for a view; what was seen of her day; seen alone and Cy's view skipped.
        second += Array(repeating: "", count: 13 + 4) + ["", "too-young", "Settles with Cy; babbles at her.", "", "", ""]
        second += ["y"]  // finalise
        let r2 = fx.run(["record", "--interactive", "f-test01"], input: second)
        #expect(r2.code == 0, "\(r2.err)")
        #expect(r2.out.contains("Resuming draft f-test01-a1"))
        #expect(r2.out.contains("Finalised f-test01-a1"))
        let final = try Store.open(at: fx.store).assessment(AssessmentID(rawValue: "f-test01-a1")!)
        #expect(final.status == .final)
        let hygiene = final.profiles[0].grades.first { $0.linkId == LinkID("physical.hygiene") }
        #expect(hygiene?.grade == Grade(rawValue: 4))
        #expect(hygiene?.rationale == "Hygiene worse on unannounced visits.")
        #expect(final.profiles[0].childView == "I like my room.")
        #expect(final.profiles[0].seenAlone == true)
        #expect(
            final.profiles[0].carerViews == [
                CarerView(carer: CarerID(rawValue: "f-test01-p1")!, view: "Things are better.", agrees: .yes)
            ])
        #expect(final.profiles[1].childViewNotObtained?.reason == .tooYoung)
        #expect(final.profiles[1].dailyLife == "Settles with Cy; babbles at her.")
        #expect(final.profiles[0].ratings.contains { $0.rating == .notApplicable(reason: "Not relevant this month.") })
    }

    @Test func rejectsBadAnswersAndAsksAgain() throws {
        let fx = try CLIFixture()
        let input = [
            "2026-13-01", "2026-06-01", "", "9", "", "Sam", "sw", "East", "2027-01-01", "2026-05-30", "maybe", "n", "",
            "7", "x", "2", "", "Evidence at last.",
        ]
        let r = fx.run(["record", "--interactive", "f-test01"], input: input)
        #expect(r.code == 0)
        #expect(r.out.contains("Expected a date YYYY-MM-DD"))
        #expect(r.out.contains("Expected numbers between 1 and 2"))
        #expect(r.out.contains("Expected 1, 2, 3, 4, 5, n, s, ?, b or q."))
        #expect(r.out.contains("Please give an answer"))
        #expect(r.out.contains("Expected a date YYYY-MM-DD from 2026-05-11 to 2026-06-01."))
        #expect(r.out.contains("Expected y or n."))
        let saved = try Store.open(at: fx.store).assessment(AssessmentID(rawValue: "f-test01-a1")!)
        #expect(saved.profiles[0].ratings.first?.rating == .graded(Grade(rawValue: 2)!, evidence: "Evidence at last."))
    }
}

@Suite struct BinaryTests {
    @Test func builtBinaryRunsAFullSessionWithPipedInput() throws {
        let fx = try CLIFixture(populate: false)
        let env = ["GCP2_STORE": fx.store, "GCP2_TODAY": "2026-06-30", "NO_COLOR": "1"]
        #expect(try runProcess(gcp2Binary, ["init"], env: env).code == 0)
        let fam = try runProcess(gcp2Binary, ["family", "add", "--ref", "E2E-1", "--json"], env: env)
        let f = try JSONDecoder().decode(Family.self, from: Data(fam.out.utf8))
        #expect(
            try runProcess(gcp2Binary, ["child", "add", f.id.rawValue, "--name", "Tam Sample", "--born", "2016-01-01"], env: env)
                .code == 0)
        #expect(
            try runProcess(
                gcp2Binary, ["carer", "add", f.id.rawValue, "--name", "Vic Sample", "--relationship", "father"], env: env
            ).code == 0)
        var answers = ["2026-06-20", "", "", "Sam", "sw", "East", "2026-06-19", "n", ""]
        for _ in 0..<18 { answers += ["3", "Seen."] }
        answers += Array(repeating: "", count: 17) + ["Tam says school is fine.", "", "", "", "y"]  // view, alone, Vic, agrees
        let rec = try runProcess(
            gcp2Binary, ["record", "--interactive", f.id.rawValue], env: env, stdin: answers.joined(separator: "\n") + "\n")
        #expect(rec.code == 0, "\(rec.err)")
        #expect(rec.out.contains("Finalised \(f.id)-a1"))
        let sum = try runProcess(gcp2Binary, ["summary", "\(f.id)-c1"], env: env)
        #expect(sum.code == 0 && sum.out.contains("baseline: Physical care first graded 3"))
        #expect(!sum.out.contains("\u{1B}["))  // no colour codes
        let missing = try runProcess(gcp2Binary, ["show", "\(f.id)-a7"], env: env)
        #expect(missing.code == 66 && missing.err.hasPrefix("error: "))
        let usage = try runProcess(gcp2Binary, ["frobnicate"], env: env)
        #expect(usage.code == 64)
        let help = try runProcess(gcp2Binary, ["--help"], env: env)
        #expect(help.code == 0 && help.err.isEmpty)
    }
}
