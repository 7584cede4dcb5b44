import Foundation
import Testing

/// Real documents and real `--json` output validated against Schemas/ with Python's jsonschema
/// (installed by .ci/run), and broken copies shown to be rejected.
@Suite struct SchemaTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas")

    struct Case: Encodable {
        var label: String
        var schema: String
        var instance: String
        var valid: Bool
    }

    final class Cases {
        var list: [Case] = []
        let dir: String
        var n = 0
        init(dir: String) { self.dir = dir }
        func add(_ label: String, _ schema: String, _ text: String, valid: Bool = true) {
            n += 1
            let p = "\(dir)/case\(n).json"
            FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
            list.append(
                Case(label: label, schema: SchemaTests.schemas.appendingPathComponent(schema).path, instance: p, valid: valid))
        }
        /// A broken copy: `edit` mutates the parsed object.
        func broken(_ label: String, _ schema: String, _ text: String, _ edit: (inout [String: Any]) -> Void) {
            var obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            edit(&obj)
            add(
                "broken \(label)", schema,
                String(decoding: (try? JSONSerialization.data(withJSONObject: obj)) ?? Data(), as: UTF8.self), valid: false)
        }
    }

    @Test func documentsAndOutputsMatchTheirSchemas() throws {
        let fx = try CLIFixture(populate: false)
        let cases = Cases(dir: fx.root)
        let env = ["GCP2_TODAY": "2026-10-31"]
        #expect(fx.run(["demo", "--store", fx.store]).code == 0)
        let store = fx.store
        func file(_ rel: String) -> String { (try? String(contentsOfFile: "\(store)/\(rel)", encoding: .utf8)) ?? "" }

        // Stored documents.
        let manifest = file("manifest.json")
        cases.add("manifest", "manifest.schema.json", manifest)
        cases.broken("manifest without instrument", "manifest.schema.json", manifest) { $0["instrument"] = nil }
        let family = file("families/f-demo01/family.json")
        cases.add("family", "family.schema.json", family)
        cases.broken("family with a bad relationship", "family.schema.json", family) { o in
            var carers = o["carers"] as! [[String: Any]]
            carers[0]["relationship"] = "neighbour"
            o["carers"] = carers
        }
        for n in 1...4 {
            let a = file("families/f-demo01/assessments/f-demo01-a\(n).v1.json")
            cases.add("assessment a\(n)", "assessment.schema.json", a)
        }
        let a1 = file("families/f-demo01/assessments/f-demo01-a1.v1.json")
        cases.broken("assessment with grade 6", "assessment.schema.json", a1) { o in
            var profiles = o["profiles"] as! [[String: Any]]
            var ratings = profiles[0]["ratings"] as! [[String: Any]]
            ratings[0]["grade"] = 6
            profiles[0]["ratings"] = ratings
            o["profiles"] = profiles
        }
        cases.broken("assessment with a bad date", "assessment.schema.json", a1) {
            $0["window"] = ["start": "2026-1-1", "end": "2026-01-20"]
        }
        cases.broken("assessment with an unknown status", "assessment.schema.json", a1) { $0["status"] = "approved" }
        cases.broken("assessment with an unknown key", "assessment.schema.json", a1) { $0["colour"] = "red" }
        cases.broken("assessment without profiles", "assessment.schema.json", a1) { $0["profiles"] = nil }
        let index = file("index/f-demo01.json")
        cases.add("family index", "family-index.schema.json", index)
        cases.broken("family index with a bad digest", "family-index.schema.json", index) { o in
            var list = o["assessments"] as! [[String: Any]]
            list[0]["digests"] = ["1": "xyz"]
            o["assessments"] = list
        }
        let entry = file("caseload/f-demo01.json")
        cases.add("caseload entry", "caseload-entry.schema.json", entry)
        cases.broken("caseload entry with a bad grade string", "caseload-entry.schema.json", entry) { o in
            var finals = o["finals"] as! [[String: Any]]
            var profiles = finals[0]["profiles"] as! [[String: Any]]
            profiles[0]["grades"] = "29x"
            finals[0]["profiles"] = profiles
            o["finals"] = finals
        }
        let audit = file("audit.log").split(separator: "\n").map(String.init)
        for (i, line) in audit.enumerated() { cases.add("audit line \(i + 1)", "audit-entry.schema.json", line) }
        cases.broken("audit entry without prev", "audit-entry.schema.json", audit[0]) { $0["prev"] = nil }
        let instruments = try FileManager.default.contentsOfDirectory(atPath: "\(store)/instruments")
        cases.add("stored instrument", "instrument.schema.json", file("instruments/\(instruments[0])"))
        let licensee = fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GCP2CoreTests/Fixtures/licensee-instrument.json")
        cases.add("licensee instrument", "instrument.schema.json", try String(contentsOf: licensee, encoding: .utf8))
        cases.broken("instrument with an unknown rule", "instrument.schema.json", file("instruments/\(instruments[0])")) { o in
            o["aggregation"] = ["subArea": "average", "area": "worst"]
        }

        // --json outputs.
        func out(_ args: [String]) -> String {
            let r = fx.run(args + ["--json"], env: env)
            #expect(r.code == 0, "\(args): \(r.err)")
            return r.out
        }
        let show = out(["show", "f-demo01-a4"])
        cases.add("show", "output/show.schema.json", show)
        cases.broken("show without profiles", "output/show.schema.json", show) { $0["profiles"] = nil }
        cases.add("history", "output/history.schema.json", out(["history", "f-demo01-c1"]))
        let compare = out(["compare", "--child", "f-demo01-c3"])
        cases.add("compare", "output/compare.schema.json", compare)
        cases.broken("compare with a bad direction", "output/compare.schema.json", compare) { o in
            var c = o["comparison"] as! [String: Any]
            var rows = c["rows"] as! [[String: Any]]
            rows[0]["direction"] = "sideways"
            c["rows"] = rows
            o["comparison"] = c
        }
        cases.add("summary child", "output/summary-child.schema.json", out(["summary", "f-demo01-c1"]))
        cases.add("summary family", "output/summary-family.schema.json", out(["summary", "--family", "f-demo01"]))
        let caseload = out(["caseload"])
        cases.add("caseload", "output/caseload.schema.json", caseload)
        cases.broken("caseload with an unknown flag", "output/caseload.schema.json", caseload) { o in
            var c = o["caseload"] as! [String: Any]
            c["flagCounts"] = ["worrying": 1]
            o["caseload"] = c
        }
        cases.add(
            "caseload filtered and grouped", "output/caseload.schema.json",
            out(["caseload", "--flag", "drift", "--sort", "overdue", "--by", "family", "--limit", "1"]))
        cases.broken("caseload with an unknown sort", "output/caseload.schema.json", caseload) { o in
            var q = o["query"] as! [String: Any]
            q["sort"] = "alphabetical"
            o["query"] = q
        }
        cases.add("family list", "output/family-list.schema.json", out(["family", "list"]))
        cases.add("family show", "output/family-show.schema.json", out(["family", "show", "f-demo01"]))
        cases.add("doctor", "output/doctor.schema.json", out(["doctor"]))
        cases.add("instrument show", "instrument.schema.json", out(["instrument", "show"]))
        let template = out(["template", "f-demo01"])
        cases.add("template", "output/template.schema.json", template)
        let tfile = fx.write("t.json", template)
        cases.add("validate", "output/validation.schema.json", fx.run(["validate", tfile, "--json"], env: env).out)
        cases.add(
            "validate invalid", "output/validation.schema.json", fx.run(["validate", tfile, "--final", "--json"], env: env).out)
        cases.add(
            "child add", "output/child.schema.json",
            out(["child", "add", "f-demo01", "--name", "Noa Hartley", "--born", "2026-01-05"]))
        cases.add(
            "carer add", "output/carer.schema.json",
            out(["carer", "add", "f-demo01", "--name", "Pat Hartley", "--relationship", "grandparent"]))
        cases.add(
            "child father-not-recorded", "output/child.schema.json",
            out(["child", "father-not-recorded", "f-demo01-c2", "--reason", "other", "--text", "Not named by the mother"]))
        cases.add(
            "carer add, per child and living elsewhere", "output/carer.schema.json",
            out([
                "carer", "add", "f-demo01", "--name", "Lee Parry", "--relationship", "father", "--child", "f-demo01-c1",
                "--non-resident",
            ]))
        cases.add(
            "carer add, blended", "output/carer.schema.json",
            out([
                "carer", "add", "f-demo01", "--name", "Sol Parry", "--relationship", "stepfather", "--child-relationship",
                "f-demo01-c2=father", "--child", "f-demo01-c1", "--gender", "male",
            ]))
        // Decisions: the stored document, a correction, and both outputs.
        cases.add(
            "decision add", "output/decision-list.schema.json",
            out(["decision", "add", "f-demo01", "--date", "2026-10-01", "--level", "continue", "--reason", "Reviewed at panel"]))
        cases.add(
            "decision add, correcting", "output/decision-list.schema.json",
            out([
                "decision", "add", "f-demo01", "--date", "2026-10-01", "--level", "child-protection", "--reason",
                "Level recorded wrongly", "--supersedes", "f-demo01-d2", "--child", "f-demo01-c1",
            ]))
        let decisions = out(["decision", "list", "f-demo01"])
        cases.add("decision list", "output/decision-list.schema.json", decisions)
        cases.broken("decision list with an unknown level", "output/decision-list.schema.json", decisions) { o in
            var list = o["decisions"] as! [[String: Any]]
            list[0]["level"] = "worried"
            o["decisions"] = list
        }
        for n in 1...3 {
            cases.add("decision d\(n)", "decision.schema.json", file("families/f-demo01/decisions/f-demo01-d\(n).json"))
        }
        cases.broken("decision without a reason", "decision.schema.json", file("families/f-demo01/decisions/f-demo01-d1.json")) {
            $0["reason"] = nil
        }
        cases.add("family index with decisions", "family-index.schema.json", file("index/f-demo01.json"))
        cases.add("caseload entry with decisions", "caseload-entry.schema.json", file("caseload/f-demo01.json"))
        cases.add("family add", "family.schema.json", out(["family", "add", "--ref", "NEW-1"]))
        cases.add(
            "withdraw", "output/withdraw.schema.json",
            out(["withdraw", "f-demo01-a1", "--reason", "Entered against the wrong family"]))
        let auditOut = out(["audit", "--changes"])
        cases.add("audit", "output/audit.schema.json", auditOut)
        cases.broken("audit event without actor", "output/audit.schema.json", auditOut) { o in
            var events = o["events"] as! [[String: Any]]
            events[0]["actor"] = nil
            o["events"] = events
        }
        let card = out(["scorecard", "--suppress-below", "3", "--team", "Northfield family support"])
        cases.add("scorecard", "output/scorecard.schema.json", card)
        cases.add("scorecard, no team", "output/scorecard.schema.json", out(["scorecard", "--format", "json"]))
        cases.broken("scorecard with a bad section", "output/scorecard.schema.json", card) { o in
            var figures = o["figures"] as! [[String: Any]]
            figures[0]["section"] = "elsewhere"
            o["figures"] = figures
        }
        let fresh = try CLIFixture(populate: false)
        cases.add("init", "output/init.schema.json", fresh.run(["init", "--json"]).out)

        let casesFile = fx.root + "/cases.json"
        try JSONEncoder().encode(cases.list).write(to: URL(fileURLWithPath: casesFile))
        let script = fixtures.appendingPathComponent("check_schemas.py").path
        let r = try runProcess("/usr/bin/env", ["python3", script, casesFile])
        #expect(r.code == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("checked \(cases.list.count) cases, 0 mismatched"))
    }
}
