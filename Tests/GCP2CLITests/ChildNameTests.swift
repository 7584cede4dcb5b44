import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

/// Issue 12: wherever a child is given, an id, a full name or a first name works; an ambiguous name lists the
/// candidates and exits 64.
@Suite struct ChildNameTests {
    @Test func namesWorkWherePeopleUseNames() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["record", fx.write("a.json", try fx.filledTemplate(grade: 3, date: "2026-01-10")), "--final"]).code == 0)
        #expect(fx.run(["record", fx.write("b.json", try fx.filledTemplate(grade: 2, date: "2026-04-10")), "--final"]).code == 0)
        // Unique first name, full name in any case, and the id all mean the same child.
        let byId = fx.run(["summary", "f-test01-c1"])
        #expect(byId.code == 0)
        #expect(fx.run(["summary", "Ada"]).out == byId.out)
        #expect(fx.run(["summary", "ada sample"]).out == byId.out)
        #expect(fx.run(["history", "Ada"]).code == 0)
        #expect(fx.run(["compare", "--child", "Ada"]).out == fx.run(["compare", "--child", "f-test01-c1"]).out)
        #expect(fx.run(["show", "f-test01-a1", "--child", "Bo"]).out.contains("Bo Sample,"))
        #expect(fx.run(["template", "f-test01", "--child", "Bo"]).code == 0)
        // Unknown: 66.
        let none = fx.run(["summary", "Zed"])
        #expect(none.code == 66 && none.err.contains("no child 'Zed' in the store"))
        // Another family with an Ada: ambiguous across the store (64, candidates listed), unique within a family.
        let s = try Store.open(at: fx.store)
        let other = try s.addFamily(ref: "TEST-2", id: FamilyID(rawValue: "f-test02")!, actor: "t", now: fixedNow)
        _ = try s.addChild(
            to: other.id, name: "Ada Other", born: CalendarDate("2016-02-02")!, actor: "t", now: fixedNow,
            today: CalendarDate(fx.today)!)
        let both = fx.run(["history", "Ada"])
        #expect(both.code == 64)
        #expect(both.err.contains("2 children match 'Ada'"))
        #expect(both.err.contains("f-test01-c1  Ada Sample  family TEST-1  born 2017-04-02"))
        #expect(both.err.contains("f-test02-c1  Ada Other  family TEST-2  born 2016-02-02"))
        #expect(fx.run(["history", "Ada Other"]).code == 0)
        #expect(fx.run(["template", "f-test02", "--child", "Ada"]).code == 0)  // within the family: one Ada
    }
}

@Suite struct FamilyByRefTests {
    @Test func familyListFindsFamiliesByReference() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["family", "add", "--ref", "NB-2291"]).code == 0)
        let r = fx.run(["family", "list", "--ref", "nb-22"])
        #expect(r.code == 0 && r.out.contains("NB-2291") && !r.out.contains("TEST-1"))
        let none = fx.run(["family", "list", "--ref", "XYZ"])
        #expect(none.code == 0 && none.out.contains("No family reference contains 'XYZ'."))
    }
}
