import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// `gcp2 audit`: the log read as history, its filters, `--changes` on an amendment, unknown actions shown
/// generically, and `show` naming who recorded, finalised and amended an assessment.
@Suite struct AuditTests {
    /// A store with a draft finalised, an amendment (by another person), a withdrawal and a second family.
    static func store() throws -> CLIFixture {
        let fx = try CLIFixture()
        let g3 = fx.write("a.json", try fx.filledTemplate(grade: 3))
        #expect(fx.run(["record", g3]).code == 0)
        #expect(fx.run(["finalise", "f-test01-a1"]).code == 0)
        let g2 = fx.write("b.json", try fx.filledTemplate(grade: 2))
        let amended = fx.run(["amend", "f-test01-a1", g2, "--reason", "Grades typed one too high", "--actor", "Pat Lead"])
        #expect(amended.code == 0, "\(amended.err)")
        let later = fx.write("c.json", try fx.filledTemplate(grade: 2, date: "2026-06-20"))
        #expect(fx.run(["record", later, "--final"]).code == 0)
        #expect(fx.run(["withdraw", "f-test01-a2", "--reason", "Entered against the wrong family"]).code == 0)
        #expect(fx.run(["family", "add", "--ref", "OTHER-2"]).code == 0)
        return fx
    }

    @Test func readsEveryChangeAsHistory() throws {
        let fx = try Self.store()
        let r = fx.run(["audit"])
        #expect(r.code == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "12 changes, oldest first:")
        for expected in [
            "created the store", "added family f-test01", "added a child to family f-test01",
            "added a carer to family f-test01", "recorded f-test01-a1 as a draft (version 1)",
            "tester · finalised f-test01-a1 (version 1)", "Pat Lead · amended f-test01-a1 (version 2 supersedes 1)",
            "  reason: Grades typed one too high", "recorded f-test01-a2 as final (version 1)",
            "withdrew f-test01-a2 as entered in error", "  reason: Entered against the wrong family",
        ] {
            #expect(lines.contains { $0.contains(expected) }, "missing: \(expected)\n\(r.out)")
        }
        // Oldest first: the draft before its finalising, the amendment after both.
        let order = ["as a draft", "finalised f-test01-a1", "amended f-test01-a1", "withdrew"].map { w in
            lines.firstIndex { $0.contains(w) } ?? -1
        }
        #expect(order == order.sorted() && !order.contains(-1))
        #expect(r.out.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func filtersByFamilyAssessmentDateAndPerson() throws {
        let fx = try Self.store()
        func events(_ args: [String]) throws -> [[String: Any]] {
            let r = fx.run(["audit", "--json"] + args)
            #expect(r.code == 0, "\(r.err)")
            let o = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
            return o["events"] as! [[String: Any]]
        }
        let all = try events([])
        #expect(all.count == 12)
        let a1 = try events(["--assessment", "f-test01-a1"])
        #expect(a1.map { $0["action"] as! String } == ["record.draft", "finalise", "amend"])
        let fam = try events(["--family", "f-test01"])
        #expect(fam.count == 10)  // not the store's creation nor the other family
        #expect(fam.allSatisfy { ($0["family"] as? String) == "f-test01" })
        let pat = try events(["--by", "  pat lead "])
        #expect(
            pat.count == 1 && pat[0]["action"] as? String == "amend" && pat[0]["reason"] as? String == "Grades typed one too high"
        )
        // fixedNow is 2026-06-21 (UTC): every change is on that day.
        #expect(try events(["--from", "2026-06-21", "--to", "2026-06-21"]).count == 12)
        #expect(try events(["--from", "2026-06-22"]).isEmpty)
        #expect(try events(["--to", "2026-06-20"]).isEmpty)
        let none = fx.run(["audit", "--by", "nobody"])
        #expect(none.code == 0 && none.out == "No changes recorded by nobody.\n")
        #expect(fx.run(["audit", "--from", "2026-06-22", "--to", "2026-06-01"]).code == 64)
        #expect(fx.run(["audit", "--from", "soon"]).code == 64)
    }

    @Test func changesShowWhatAnAmendmentChanged() throws {
        let fx = try Self.store()
        let r = fx.run(["audit", "--assessment", "f-test01-a1", "--changes"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("  Changed from version 1:"))
        // Every graded item went from 3 to 2: the grade lines say so, child and item named.
        #expect(r.out.contains("Ada Sample · A.1.a") && r.out.contains("grade 3 → 2"))
        #expect(r.out.split(separator: "\n").allSatisfy { $0.count <= 80 })
        // The same list as the domain's one comparison of the two versions.
        let store = try Store.open(at: fx.store)
        let v1 = try store.assessment(AssessmentID(rawValue: "f-test01-a1")!, version: 1)
        let v2 = try store.assessment(AssessmentID(rawValue: "f-test01-a1")!, version: 2)
        let expected = v2.changes(from: v1)
        let j = fx.run(["audit", "--assessment", "f-test01-a1", "--changes", "--json"])
        let o = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as! [String: Any]
        let amend = (o["events"] as! [[String: Any]]).first { $0["action"] as? String == "amend" }!
        let changes = amend["changes"] as! [[String: Any]]
        #expect(amend["changedFrom"] as? Int == 1)
        #expect(changes.count == expected.count && !expected.isEmpty)
        #expect(zip(changes, expected).allSatisfy { $0["what"] as? String == $1.what && $0["after"] as? String == $1.after })
        // Without --changes, no changes are listed; other events never carry them.
        #expect(!fx.run(["audit", "--assessment", "f-test01-a1"]).out.contains("Changed from"))
        #expect((o["events"] as! [[String: Any]]).filter { $0["changes"] != nil }.count == 1)
    }

    @Test func anUnknownActionIsShownGenerically() throws {
        let fx = try Self.store()
        // A later gcp2's change (a decision) appended through the store's own transaction.
        let store = try Store.open(at: fx.store)
        try store.transaction(action: "decision.record", record: "f-test01-a1", actor: "Lee Panel", now: fixedNow) { _ in }
        let r = fx.run(["audit", "--assessment", "f-test01-a1"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("Lee Panel · decision.record on f-test01-a1"))
        let j = fx.run(["audit", "--by", "lee panel", "--json"])
        #expect(j.out.contains("\"what\" : \"decision.record on f-test01-a1\""))
    }

    @Test func showNamesWhoRecordedFinalisedAndAmended() throws {
        let fx = try Self.store()
        let r = fx.run(["show", "f-test01-a1"])
        #expect(r.code == 0, "\(r.err)")
        let text = r.out.replacingOccurrences(of: "\n  ", with: " ")
        #expect(text.contains("History: recorded as a draft (version 1) by tester, 2026-06-21"))
        #expect(text.contains("finalised (version 1) by tester, 2026-06-21"))
        #expect(text.contains("amended (version 2 supersedes 1) by Pat Lead, 2026-06-21"))
        #expect(r.out.split(separator: "\n").allSatisfy { $0.count <= 80 })
        // --json: the same changes, as `audit --json` gives them.
        let j = fx.run(["show", "f-test01-a1", "--json"])
        let o = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as! [String: Any]
        let history = try #require(o["history"] as? [[String: Any]])
        #expect(history.map { $0["action"] as? String } == ["record.draft", "finalise", "amend"])
        #expect(history.map { $0["actor"] as? String } == ["tester", "tester", "Pat Lead"])
    }

    @Test func aDamagedLogIsAnErrorNamingTheLine() throws {
        let fx = try Self.store()
        let h = FileHandle(forWritingAtPath: fx.store + "/audit.log")!
        h.seekToEndOfFile()
        h.write(Data("not json\n".utf8))
        try h.close()
        let r = fx.run(["audit"])
        #expect(r.code != 0 && r.err.contains("line 13 is not an audit entry"))
    }
}
