import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

/// Decisions are stored once, never changed, corrected by a new decision that supersedes one, and audited.
@Suite struct DecisionTests {
    @Test func decisionsAreAuditedNumberedAndCorrectedByANewOne() throws {
        let fx = try Fixture()
        let s = fx.store
        let d1 = try s.addDecision(
            to: fx.family.id, date: CalendarDate("2026-03-01")!, level: .childInNeed, reason: "Plan agreed with the family.",
            actor: "tester", now: now, today: today)
        #expect(d1.id.rawValue == "\(fx.family.id)-d1" && d1.children.isEmpty)
        let d2 = try s.addDecision(
            to: fx.family.id, date: CalendarDate("2026-03-01")!, level: .childProtection, reason: "Level typed wrongly.",
            children: [fx.sibling, fx.child], supersedes: d1.id, actor: "tester", now: now, today: today)
        #expect(d2.id.rawValue == "\(fx.family.id)-d2" && d2.children == [fx.child, fx.sibling])
        // Both stay on record; only the correction is in force.
        let all = try s.decisions(of: fx.family.id)
        #expect(all.map(\.id) == [d1.id, d2.id])
        #expect(Decision.inForce(all).map(\.id) == [d2.id])
        // The first is unchanged on disk.
        let d1File = try Data(contentsOf: URL(fileURLWithPath: s.full(Store.decisionFile(d1.id, family: fx.family.id))))
        #expect(try Coding.decoder().decode(Decision.self, from: d1File) == d1)
        // The audit log says "decision.record" with each decision's id.
        let audit = try String(contentsOfFile: s.full("audit.log"), encoding: .utf8).split(separator: "\n").map {
            try Coding.decoder().decode(AuditEntry.self, from: Data($0.utf8))
        }
        #expect(audit.filter { $0.action == "decision.record" }.map(\.record) == [d1.id.rawValue, d2.id.rawValue])
        #expect(try s.doctor().isClean)
        // The review reads the correction: level and clock.
        let account = try Casework(s).reviewFamily(fx.family.id, asOf: today)
        #expect(account.review.child(fx.child)?.decision?.level == .childProtection)
    }

    @Test func aBadDecisionChangesNothing() throws {
        let fx = try Fixture()
        let s = fx.store
        let d1 = try s.addDecision(
            to: fx.family.id, date: CalendarDate("2026-03-01")!, level: .earlyHelp, reason: "Offer of early help.",
            actor: "tester", now: now, today: today)
        _ = try s.addDecision(
            to: fx.family.id, date: CalendarDate("2026-03-02")!, level: .childInNeed, reason: "Corrected.", supersedes: d1.id,
            actor: "tester", now: now, today: today)
        let before = snapshot(s.path)
        let unknownChild = ChildID(rawValue: "\(fx.family.id)-c9")!
        let cases: [(String, () throws -> Decision)] = [
            (
                "supersedes",
                {
                    try s.addDecision(
                        to: fx.family.id, date: today, level: .closed, reason: "Again.", supersedes: d1.id, actor: "t", now: now,
                        today: today)
                }
            ),
            (
                "supersedes",
                {
                    try s.addDecision(
                        to: fx.family.id, date: today, level: .closed, reason: "x",
                        supersedes: DecisionID(rawValue: "\(fx.family.id)-d7")!, actor: "t", now: now, today: today)
                }
            ),
            (
                "children[0]",
                {
                    try s.addDecision(
                        to: fx.family.id, date: today, level: .closed, reason: "x", children: [unknownChild], actor: "t",
                        now: now, today: today)
                }
            ),
            (
                "date",
                {
                    try s.addDecision(
                        to: fx.family.id, date: today.adding(days: 1), level: .closed, reason: "x", actor: "t", now: now,
                        today: today)
                }
            ),
            (
                "reason",
                {
                    try s.addDecision(
                        to: fx.family.id, date: today, level: .closed, reason: " ", actor: "t", now: now, today: today)
                }
            ),
        ]
        for (path, attempt) in cases {
            do {
                _ = try attempt()
                Issue.record("accepted a bad decision (\(path))")
            } catch let error as StoreError {
                guard case .invalid(_, let issues) = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
                #expect(issues.map(\.path).contains(path), "\(issues)")
            }
        }
        #expect(snapshot(s.path) == before)
    }

    @Test func aDecisionChangedOutsideGcp2IsFound() throws {
        let fx = try Fixture()
        let s = fx.store
        let d = try s.addDecision(
            to: fx.family.id, date: CalendarDate("2026-03-01")!, level: .childInNeed, reason: "Plan agreed.", actor: "t",
            now: now, today: today)
        let path = s.full(Store.decisionFile(d.id, family: fx.family.id))
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "child-in-need", with: "no-further-action")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try s.doctor().findings.contains { $0.path == path })
        #expect(throws: StoreError.self) {
            try s.addDecision(
                to: fx.family.id, date: today, level: .closed, reason: "x", actor: "t", now: now, today: today)
        }
    }

    @Test func anImportedFamilyCannotCorrectADecisionTwice() throws {
        let fx = try Fixture()
        var family = fx.family
        family.id = FamilyID(rawValue: "f-imp001")!
        family.children = family.children.enumerated().map { k, c in
            Child(id: ChildID(rawValue: "f-imp001-c\(k + 1)")!, name: c.name, born: c.born)
        }
        family.carers = []
        func d(_ n: Int, supersedes: Int? = nil) -> Decision {
            Decision(
                id: DecisionID(rawValue: "f-imp001-d\(n)")!, familyId: family.id, date: CalendarDate("2026-03-01")!,
                level: .childInNeed, reason: "x", supersedes: supersedes.map { DecisionID(rawValue: "f-imp001-d\($0)")! })
        }
        #expect(throws: StoreError.self) {
            try fx.store.importFamily(
                family, versions: [], decisions: [d(1), d(2, supersedes: 1), d(3, supersedes: 1)], actor: "t", now: now,
                today: today)
        }
        try fx.store.importFamily(
            family, versions: [], decisions: [d(1), d(2, supersedes: 1)], actor: "t", now: now, today: today)
        #expect(Decision.inForce(try fx.store.decisions(of: family.id)).map(\.id.rawValue) == ["f-imp001-d2"])
        #expect(try fx.store.doctor().isClean)
    }
}
