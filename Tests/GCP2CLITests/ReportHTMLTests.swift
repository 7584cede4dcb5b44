import Foundation
import GCP2Core
import Testing

@testable import GCP2CLI
@testable import GCP2Report
@testable import GCP2Store

/// The demo store and its two HTML reports, as of the demo's own "today".
final class DemoReports {
    static let asOf = "2026-10-31"
    let fx: CLIFixture
    let family: String
    let caseload: String

    init() throws {
        fx = try CLIFixture(populate: false)
        let demo = fx.run(["demo", "--store", fx.store])
        #expect(demo.code == 0, "\(demo.err)")
        let f = fx.run(["report", "family", "f-demo01"], env: ["GCP2_TODAY": DemoReports.asOf])
        #expect(f.code == 0, "\(f.err)")
        let c = fx.run(["report", "caseload"], env: ["GCP2_TODAY": DemoReports.asOf])
        #expect(c.code == 0, "\(c.err)")
        family = f.out
        caseload = c.out
    }

    /// Writes a report next to the store and returns its path.
    func file(_ name: String, _ html: String) -> String { fx.write(name, html) }
}

/// What `check_html.py` reports for one file.
struct HTMLCheck: Decodable {
    var problems: [String]
    var charts: Int
    var tables: [String: [[String]]]
}

/// Runs the strict HTML5 checker (Python html5lib) over report files.
func checkHTML(_ paths: [String]) throws -> [String: HTMLCheck] {
    let script = fixtures.appendingPathComponent("check_html.py").path
    let r = try runProcess("/usr/bin/env", ["python3", script] + paths)
    try #require(r.code == 0, "check_html.py failed (is html5lib installed? .ci/run installs it): \(r.err)")
    return try JSONDecoder().decode([String: HTMLCheck].self, from: Data(r.out.utf8))
}

@Suite struct ReportGoldenTests {
    /// The demo reports are what a new user sees first: any change to them must be deliberate.
    /// Regenerate with GCP2_UPDATE_GOLDEN=1 swift test --filter ReportGoldenTests.
    @Test func demoReportsMatchGoldenFiles() throws {
        let demo = try DemoReports()
        for (html, name) in [(demo.family, "report-family.golden.html"), (demo.caseload, "report-caseload.golden.html")] {
            let golden = fixtures.appendingPathComponent(name)
            if ProcessInfo.processInfo.environment["GCP2_UPDATE_GOLDEN"] == "1" {
                try html.write(to: golden, atomically: true, encoding: .utf8)
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            #expect(html == expected, "\(name) differs; regenerate with GCP2_UPDATE_GOLDEN=1 if the change is meant")
        }
        // Deterministic: no generation time and no machine path.
        #expect(!demo.family.contains(demo.fx.root) && !demo.caseload.contains(demo.fx.root))
        let again = demo.fx.run(["report", "family", "f-demo01", "--as-of", DemoReports.asOf])
        #expect(again.out == demo.family)
    }
}

@Suite struct ReportStructureTests {
    @Test func reportsAreStrictHTML5WithLabelledChartsAndNothingExternal() throws {
        let demo = try DemoReports()
        let fam = demo.file("family.html", demo.family), cas = demo.file("caseload.html", demo.caseload)
        let checks = try checkHTML([fam, cas])
        let f = try #require(checks[fam]), c = try #require(checks[cas])
        #expect(f.problems.isEmpty, "\(f.problems)")
        #expect(c.problems.isEmpty, "\(c.problems)")
        // Family: siblings side by side (3), then per child a profile (3) and one trend chart per area (3 × 4).
        #expect(f.charts == 3 + 3 + 12)
        // Caseload: flags, and trends for each of the four areas.
        #expect(c.charts == 1 + 4)
        for html in [demo.family, demo.caseload] {
            #expect(!html.lowercased().contains("<script"))
            // The SVG namespace is a name, not something loaded; nothing else may name a URL.
            let stripped = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!stripped.contains("http:") && !stripped.contains("https:") && !stripped.contains("url(h"))
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
        }
    }

    /// Every number a chart shows is in a table, and every table says what the one account of the child says.
    @Test func familyTablesEqualTheReview() throws {
        let demo = try DemoReports()
        let fam = demo.file("family.html", demo.family)
        let tables = try #require(try checkHTML([fam])[fam]).tables
        let store = try Store.open(at: demo.fx.store)
        let inst = try store.currentInstrument()
        let index = try store.familyIndex(FamilyID(rawValue: "f-demo01")!)
        let review = CaseloadBuilder(policy: store.policy, instrument: inst, asOf: CalendarDate(DemoReports.asOf)!).review(index)
        #expect(review.children.count == 3)
        let siblings = try #require(tables["siblings-f-demo01"])
        for r in review.children {
            let cid = r.childId.rawValue
            let latest = try #require(r.latest)
            // Profile: every area and sub-area, latest and previous grade and band.
            let profile = try #require(tables["profile-\(cid)"])
            var expected: [[String]] = [["Area or sub-area", "Latest", "Previous", "Band"]]
            for a in inst.areas {
                for (id, label) in [(a.linkId, "\(a.code) \(a.title)")]
                    + a.subAreas.map({ ($0.linkId, "\($0.code) \($0.title)") })
                {
                    let level = r.area(id) ?? r.subAreas.first { $0.linkId == id }
                    let g = try #require(latest.grade(id))
                    expected.append([
                        label, "\(g)", level?.analysis.previous.map { "\($0.grade)" } ?? "–", inst.bands.band(of: g).rawValue,
                    ])
                }
            }
            #expect(profile == expected, "profile of \(cid)")
            // Trend per area: every final assessment's grade, first to latest.
            for a in r.areas {
                let t = try #require(tables["trend-\(cid)-\(a.linkId)"])
                #expect(t.count == 2)
                #expect(Array(t[1].dropFirst()) == a.analysis.grades.map(\.description), "\(cid) \(a.linkId)")
                #expect(t[0].count - 1 == a.analysis.count)
                #expect(t[0][1] == a.analysis.first.date.description && t[0].last == a.analysis.latest.date.description)
                let row = try #require(
                    siblings.first { $0.first?.hasSuffix(inst.areas.first { $0.linkId == a.linkId }!.title) ?? false })
                let col = try #require(review.children.firstIndex { $0.childId == r.childId }) + 1
                #expect(row[col] == "\(a.analysis.latest.grade) (\(a.analysis.trend.words))")
            }
            // Spells and targets.
            if r.spells.isEmpty {
                #expect(tables["spells-\(cid)"] == nil)
            } else {
                let s = try #require(tables["spells-\(cid)"])
                #expect(s.dropFirst().map { $0[2] } == r.spells.map { "\($0.days)" })
                #expect(s.dropFirst().map { $0[0] } == r.spells.map(\.start.description))
            }
            if r.targets.isEmpty {
                #expect(tables["targets-\(cid)"] == nil)
            } else {
                let t = try #require(tables["targets-\(cid)"])
                #expect(t.dropFirst().map { $0[6] } == r.targets.map(\.statusWords))
                #expect(t.dropFirst().map { $0[1] } == r.targets.map { "\($0.target.grade)" })
            }
        }
        // The summary's words, as given: every flag and list item of `summary --family` is in the report.
        let summary = demo.fx.run(["summary", "--family", "f-demo01"], env: ["GCP2_TODAY": DemoReports.asOf]).out
        for r in review.children {
            let words = Summaries.lists(
                review: r, names: Summaries.titles(inst), policy: store.policy, children: index.family.children,
                family: index.family)
            for item in words.flags + words.needsAttention + words.progress + words.goingWell + words.openTargets {
                #expect(demo.family.contains(HTML.escape(item)), "missing in the report: \(item)")
                #expect(
                    summary.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ").contains(item))
            }
        }
    }

    @Test func caseloadTablesEqualTheCaseload() throws {
        let demo = try DemoReports()
        let cas = demo.file("caseload.html", demo.caseload)
        let tables = try #require(try checkHTML([cas])[cas]).tables
        let store = try Store.open(at: demo.fx.store)
        let (caseload, _) = try store.caseload(asOf: CalendarDate(DemoReports.asOf)!)
        let triage = try #require(tables["triage"]).dropFirst()
        // Sorted at generation, in the severity order the caseload returns.
        #expect(triage.map { $0[2] } == caseload.lines.map { "\($0.childName) (\($0.childId))" })
        #expect(triage.map { Array($0[4..<8]) } == caseload.lines.map { $0.areas.map { $0.grade.map { "\($0)" } ?? "–" } })
        #expect(triage.map { $0[0] } == caseload.lines.indices.map { "\($0 + 1)" })
        #expect(triage.map { $0[9] } == caseload.lines.map { $0.level?.words ?? "–" })
        #expect(triage.contains { $0[9] == "child in need" })
        let flags = try #require(tables["flag-counts"]).dropFirst()
        #expect(flags.map { $0[0] } == CaseFlag.allCases.map(\.rawValue))
        #expect(flags.map { $0[1] } == CaseFlag.allCases.map { "\(caseload.flagCounts[$0.rawValue] ?? 0)" })
        #expect(flags.map { $0[2] } == CaseFlag.allCases.map { $0.words(store.policy) })
        for (area, counts) in caseload.trendCounts {
            let t = try #require(tables["trend-counts-\(area)"]).dropFirst()
            #expect(t.map { $0[1] } == Trend.allCases.map { "\(counts[$0.rawValue] ?? 0)" }, "\(area)")
        }
    }
}

@Suite struct ReportSafetyTests {
    /// Names and references are text, never markup: scripts, ampersands, quotes and right-to-left names.
    @Test func everyNameIsEscaped() throws {
        let fx = try CLIFixture(populate: false)
        let hostileRef = "<script>alert(1)</script> & \"Q\" 'R'"
        let child = "נועה <b>O'Brien</b> & \"Sam\""
        let s = try Store.create(at: fx.store, now: fixedNow)
        let day = CalendarDate(fx.today)!
        let f = try s.addFamily(ref: hostileRef, id: FamilyID(rawValue: "f-test01")!, actor: "t", now: fixedNow)
        _ = try s.addChild(to: f.id, name: child, born: CalendarDate("2019-04-02")!, actor: "t", now: fixedNow, today: day)
        _ = try s.addChild(
            to: f.id, name: "</style><img src=x>", born: CalendarDate("2021-01-09")!, actor: "t", now: fixedNow, today: day)
        _ = try s.addCarer(to: f.id, name: "Al & <i>Bea</i>", relationship: .mother, actor: "t", now: fixedNow)
        let file = fx.write("a.json", try fx.filledTemplate(grade: 3, date: "2026-06-01"))
        let rec = fx.run(["record", file, "--final"])
        #expect(rec.code == 0, "\(rec.err)")
        let family = fx.run(["report", "family", "f-test01"])
        #expect(family.code == 0, "\(family.err)")
        let caseload = fx.run(["report", "caseload"])
        #expect(caseload.code == 0, "\(caseload.err)")
        for html in [family.out, caseload.out] {
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<b>O'Brien"))
            #expect(!html.contains("<img"))
            #expect(!html.contains("</style><img"))
            #expect(html.contains("<bdi>נועה &lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; &quot;Sam&quot;</bdi>"))
        }
        #expect(family.out.contains("<bdi>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot; &#39;R&#39;</bdi>"))
        #expect(family.out.contains("Al &amp; &lt;i&gt;Bea&lt;/i&gt;"))
        let paths = [fx.write("f.html", family.out), fx.write("c.html", caseload.out)]
        for (path, check) in try checkHTML(paths) {
            #expect(check.problems.isEmpty, "\(path): \(check.problems)")
        }
    }

    /// A child never assessed gets a page that says so, with the flag; an unborn baby is named as expected only.
    @Test func childNotAssessedAndExpectedChild() throws {
        let fx = try CLIFixture()
        let file = fx.write("a.json", try fx.filledTemplate(grade: 4, date: "2026-06-01", children: ["f-test01-c1"]))
        #expect(fx.run(["record", file, "--final"]).code == 0)
        let unborn = fx.run(["child", "add", "f-test01", "--name", "Cal Sample", "--born", "2026-09-01", "--expected"])
        #expect(unborn.code == 0, "\(unborn.err)")
        let r = fx.run(["report", "family", "f-test01"])
        #expect(r.code == 0, "\(r.err)")
        let html = r.out
        #expect(html.contains("Expected (born after 2026-06-30, not counted): <bdi>Cal Sample</bdi>"))
        #expect(!html.contains("id=\"child-f-test01-c3\""))
        let bo = try #require(html.range(of: "id=\"child-f-test01-c2\""))
        let page = html[bo.lowerBound...]
        #expect(page.contains("no final assessment yet"))
        #expect(page.contains("No final assessment yet: there are no grades to chart."))
        #expect(page.contains("child not assessed: no final assessment of this child while a sibling has one"))
        #expect(html.contains("child not assessed: Bo Sample has no final assessment while a sibling has"))
        let path = fx.write("f.html", html)
        let check = try #require(try checkHTML([path])[path])
        #expect(check.problems.isEmpty, "\(check.problems)")
        // Siblings side by side (2), Ada's profile and her four areas; nothing charted for Bo.
        #expect(check.charts == 2 + 1 + 4)
        #expect(check.tables["siblings-f-test01"]?.dropFirst().allSatisfy { $0[2] == "not assessed" } == true)
        // Care graded 4 everywhere: every area needs attention, nothing is going well, in the summary's words.
        #expect(html.contains("no area yet with every grade better than 3"))
    }

    /// The views and the overrides come from the latest final assessment's document, escaped.
    @Test func viewsAndOverridesOfTheLatestAssessment() throws {
        let fx = try CLIFixture()
        func record(_ date: String, hygiene: Int, rationale: String, childView: String) throws {
            let text = try fx.filledTemplate(grade: 2, date: date, children: ["f-test01-c1"])
            var obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            var profiles = obj["profiles"] as! [[String: Any]]
            profiles[0]["grades"] = [["linkId": "physical.hygiene", "grade": hygiene, "rationale": rationale]]
            profiles[0]["childView"] = childView
            profiles[0]["carerViews"] = [["carer": "f-test01-p1", "view": "We \"disagree\" & say so", "agrees": "no"]]
            obj["profiles"] = profiles
            let file = fx.write(
                "a-\(date).json", String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
            let r = fx.run(["record", file, "--final"])
            #expect(r.code == 0, "\(r.err)")
        }
        try record("2026-01-10", hygiene: 3, rationale: "Older rationale", childView: "Older view")
        try record("2026-06-01", hygiene: 4, rationale: "Worse on <b>unannounced</b> visits", childView: "I like my room")
        let r = fx.run(["report", "family", "f-test01"])
        #expect(r.code == 0, "\(r.err)")
        let path = fx.write("f.html", r.out)
        let check = try #require(try checkHTML([path])[path])
        #expect(check.problems.isEmpty, "\(check.problems)")
        let overrides = try #require(check.tables["overrides-f-test01-c1"])
        #expect(
            overrides == [
                ["Area or sub-area", "Suggested", "Rule", "Confirmed", "Rationale"],
                ["A.4 Hygiene", "2", "mean-half-worse", "4", "Worse on <b>unannounced</b> visits"],
            ])
        #expect(r.out.contains("<dd>I like my room</dd>"))
        #expect(
            r.out.contains(
                "<dt>Cy Sample&#39;s view</dt><dd>We &quot;disagree&quot; &amp; say so (agrees with the grades: no)</dd>"),
            "\(r.out)")
        #expect(!r.out.contains("Older view") && !r.out.contains("Older rationale"))
        // The profile chart's outline is the previous assessment: hygiene 3, now 4.
        let profile = try #require(check.tables["profile-f-test01-c1"])
        #expect(profile.first { $0[0] == "A.4 Hygiene" } == ["A.4 Hygiene", "4", "3", "concern"])
    }

    @Test func outWritesAPrivateFileAndNeverOverwritesWithoutForce() throws {
        let demo = try DemoReports()
        let fx = demo.fx
        let env = ["GCP2_TODAY": DemoReports.asOf]
        let path = fx.root + "/family.html"
        let first = fx.run(["report", "family", "f-demo01", "--out", "family.html"], env: env)
        #expect(first.code == 0, "\(first.err)")
        #expect(first.out == "Wrote family.html\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == demo.family)
        #expect(POSIX.mode(path) == 0o600)
        // A second write is refused (73) and leaves the file as it was.
        try Data("kept".utf8).write(to: URL(fileURLWithPath: path))
        let again = fx.run(["report", "family", "f-demo01", "--out", path], env: env)
        #expect(again.code == 73)
        #expect(again.err.contains("already exists; the report was not written"))
        #expect(again.err.contains("--force"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "kept")
        // --force replaces it, still 0600, and leaves no temp file behind.
        let forced = fx.run(["report", "caseload", "--out", path, "--force"], env: env)
        #expect(forced.code == 0, "\(forced.err)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == demo.caseload)
        #expect(POSIX.mode(path) == 0o600)
        let left = try FileManager.default.contentsOfDirectory(atPath: fx.root).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty)
    }

    @Test(arguments: [
        (["report", "family", "f-nosuch"], Int32(66), "no family"),
        (["report", "family", "f-demo01", "--as-of", "31/10/2026"], 64, "expected a date"),
        (["report", "family"], 64, "needs FAMILY"),
        (["report", "caseload", "--force"], 64, "--force only applies with --out"),
        (["report", "caseload", "--json"], 64, "has no --json"),
        (["report", "caseload", "--out", "no-such-folder/c.html"], 73, "cannot create"),
        (["report", "caseload", "--out", "."], 73, "it is a folder"),
        (["report", "caseload", "--filter", "x"], 64, "unknown option"),
        (["report", "scorecard"], 64, "needs one of: family, caseload"),
    ])
    func badInputGetsAClearError(args: [String], code: Int32, message: String) throws {
        let fx = try CLIFixture(populate: false)
        #expect(fx.run(["demo", "--store", fx.store]).code == 0)
        let r = fx.run(args)
        #expect(r.code == code, "\(args): \(r.err)")
        #expect(r.err.contains(message), "\(args): \(r.err)")
        #expect(r.out.isEmpty)
    }
}
