import Foundation
import GCP2Core
import GCP2Store
import TestSupport
import Testing

/// What a practitioner's and a supervisor's trial of the built tool found, each kept fixed.
@Suite struct TrialFindingsTests {
    @Test func anAssessmentIsNotComparedWithItself() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["record", fx.write("a.json", try fx.filledTemplate(grade: 2, date: "2026-05-01")), "--final"]).code == 0)
        let r = fx.run(["compare", "f-test01-a1", "f-test01-a1", "--child", "Ada"])
        #expect(r.code == 64 && r.err.contains("expected an assessment other than A"), "\(r.err)")
    }

    @Test func aDateInTheRightFormThatIsNoDaySaysSo() throws {
        let fx = try CLIFixture()
        let text = try fx.filledTemplate(grade: 2, date: "2026-05-01").replacingOccurrences(
            of: "\"start\" : \"2026-04-10\"", with: "\"start\" : \"2026-04-31\"")
        let r = fx.run(["validate", fx.write("d.json", text)])
        #expect(r.code == 65)
        #expect(r.err.contains("window.start: found \"2026-04-31\"; expected a day that exists in the calendar"), "\(r.err)")
    }

    @Test func everyHintFitsEightyColumns() throws {
        let fx = try CLIFixture()
        for args in [["summary", "Nobody"], ["family", "--help"], ["instrument", "--help"], ["compare", "--child", "Zed"]] {
            let r = fx.run(args)
            for line in (r.out + r.err).split(separator: "\n") {
                #expect(line.count <= 80, "\(args): \(line)")
            }
        }
    }
}

/// Issue 12: a pending draft is shown — the caseload flag `draft-pending` (the last of the recording gaps), the
/// same words in the child's summary — from the compact entries and the full review alike, and gone once final.
@Suite struct DraftPendingTests {
    @Test func aDraftIsFlaggedUntilFinalisedAndOnlyFromItsDate() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["record", fx.write("a.json", try fx.filledTemplate(grade: 2, date: "2026-03-01")), "--final"]).code == 0)
        // A draft for Ada only, dated 2026-06-01.
        let draft = fx.write("d.json", try fx.filledTemplate(grade: 3, date: "2026-06-01", children: ["f-test01-c1"]))
        #expect(fx.run(["record", draft]).code == 0)
        let words = CaseFlag.draftPending.words(.default)
        func flagsOf(_ extra: [String] = []) throws -> [String: [String]] {
            let caseload = fx.run(["caseload", "--json"] + extra)
            let lines =
                try #require(
                    (try JSONSerialization.jsonObject(with: Data(caseload.out.utf8)) as? [String: Any])?["caseload"]
                        as? [String: Any])["lines"] as! [[String: Any]]
            return Dictionary(uniqueKeysWithValues: lines.map { ($0["childId"] as! String, $0["flags"] as! [String]) })
        }
        let flags = try flagsOf()
        #expect(flags["f-test01-c1"]?.contains("draft-pending") == true)
        #expect(flags["f-test01-c2"]?.contains("draft-pending") == false)  // Bo is not in the draft
        #expect(fx.run(["caseload"]).out.contains("DET DRP") || fx.run(["caseload"]).out.contains(" DRP\n"))
        #expect(fx.run(["caseload", "--flag", "draft-pending"]).out.contains("Ada"))
        let summary = fx.run(["summary", "Ada"]).out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(summary.contains(words), "\(summary)")
        // The full review (the index) says the same as the compact entry.
        let store = try Store.open(at: fx.store)
        let review = try Casework(store).reviewChild(ChildID(rawValue: "f-test01-c1")!, asOf: CalendarDate(fx.today)!)
        #expect(review.review?.pendingDrafts == [AssessmentID(rawValue: "f-test01-a2")!])
        #expect(review.review?.flags.last == .draftPending)
        // Before the draft's date it is not pending.
        #expect(try flagsOf(["--as-of", "2026-05-01"]).values.allSatisfy { !$0.contains("draft-pending") })
        // Finalised: no longer pending.
        #expect(fx.run(["finalise", "f-test01-a2"]).code == 0)
        #expect(try flagsOf().values.allSatisfy { !$0.contains("draft-pending") })
        #expect(fx.run(["doctor"]).code == 0)
    }
}
