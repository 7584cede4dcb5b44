import Foundation
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
