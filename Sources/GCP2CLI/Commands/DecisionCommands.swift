import Foundation
import GCP2Core
import GCP2Store

/// `decision add` and `decision list`: what was decided about a family's children, at which level, and why.
/// Decisions are never edited: a correction is a new decision with `--supersedes`.
enum DecisionCommands {
    static let levels = DecisionLevel.allCases.map(\.rawValue).joined(separator: ", ")

    static let family = Argument<FamilyID>.id("FAMILY", kind: .family, help: "the family's id, e.g. f-k2m9q7")
    static let date = Option.date("date", required: true, help: "the date of the decision, YYYY-MM-DD")
    static let level = Option<DecisionLevel>.choice("level", "L", required: true, help: levels)
    static let reason = Option<String>("reason", "R", required: true, help: "why: what was weighed")
    static let child = Option<String>(
        "child", "CHILD", repeatable: true, kind: .child, help: "only about these children (default: every child)")
    static let supersedes = Option<DecisionID>(
        "supersedes", "DECISION", help: "the decision this one corrects (e.g. f-k2m9q7-d1)"
    ) { text in
        guard let id = DecisionID(rawValue: text) else {
            throw UsageError.invalidValue(option: "--supersedes", value: text, expected: "a decision id such as f-k2m9q7-d1")
        }
        return id
    }

    static let addCommand = Command(
        "decision add", "record a decision about a family's children; never changed, corrected by a new one",
        arguments: [family], options: [date, level, reason, child, supersedes],
        discussion:
            "`continue` records a review that keeps the children at the level they are at; like every decision it restarts the escalation-review clock.",
        examples: [
            "gcp2 decision add f-k2m9q7 --date 2026-05-04 --level child-in-need --reason 'Neglect of hygiene persists'",
            "gcp2 decision add f-k2m9q7 --date 2026-05-04 --level child-protection --reason 'Level typed wrongly' --supersedes f-k2m9q7-d1",
        ],
        run: add)

    static let listCommand = Command(
        "decision list", "a family's decisions, oldest first, corrections marked", arguments: [family],
        examples: ["gcp2 decision list f-k2m9q7"], run: list)

    @Sendable static func add(_ c: Context) throws {
        let (date, level, reason) = (
            try c.args.required(Self.date), try c.args.required(Self.level), try c.args.required(Self.reason)
        )
        let supersedes = try c.args.value(Self.supersedes)
        let store = try c.openStore()
        let fid = try c.args.required(family)
        let children = try c.args.values(child).map { try c.child($0, in: fid, store: store) }
        let d = try store.addDecision(
            to: fid, date: date, level: level, reason: reason, children: children, supersedes: supersedes, actor: c.actor,
            now: c.env.now, today: c.env.today)
        if c.json {
            c.out.json(DecisionListOutput(familyId: fid, decisions: [d], all: [d]))
        } else {
            c.out.line(
                "Recorded decision \(d.id): \(d.level.words) on \(d.date)"
                    + (d.supersedes.map { ", correcting \($0)" } ?? "") + ".")
        }
    }

    @Sendable static func list(_ c: Context) throws {
        let store = try c.openStore()
        let fid = try c.args.required(Self.family)
        let family = try store.family(fid)
        let all = try store.decisions(of: fid)
        if c.json {
            c.out.json(DecisionListOutput(familyId: fid, decisions: all, all: all))
            return
        }
        if all.isEmpty {
            c.out.line("No decisions recorded for family \(fid).")
            return
        }
        let inForce = Set(Decision.inForce(all).map(\.id))
        let rows = all.map { d in
            [
                d.id.rawValue, d.date.description, d.level.words,
                d.children.isEmpty
                    ? "every child"
                    : d.children.map { id in family.child(id).map { Summaries.firstName($0.shown.name) } ?? id.rawValue }
                        .joined(separator: ", "),
                inForce.contains(d.id) ? (d.supersedes.map { "corrects \($0)" } ?? "") : "superseded",
            ]
        }
        c.out.line("Decisions for family \(Shown.line(family.ref)) (\(fid)), oldest first:")
        c.out.text(Layout.table([["Decision", "Date", "Level", "About", "Status"]] + rows))
        for d in all { c.out.text(Layout.wrapped("  \(d.id): ", d.reason, indent: "    ") + "\n") }
    }
}

/// `decision add --json` and `decision list --json`.
struct DecisionListOutput: Encodable {
    var schemaVersion = 1
    var familyId: FamilyID
    var decisions: [Entry]

    struct Entry: Encodable {
        var decision: Decision
        /// False once a later decision corrects this one.
        var inForce: Bool
        enum Keys: String, CodingKey { case id, familyId, date, level, reason, children, supersedes, inForce }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(decision.id, forKey: .id)
            try c.encode(decision.familyId, forKey: .familyId)
            try c.encode(decision.date, forKey: .date)
            try c.encode(decision.level, forKey: .level)
            try c.encode(decision.reason, forKey: .reason)
            try c.encode(decision.children, forKey: .children)
            try c.encodeIfPresent(decision.supersedes, forKey: .supersedes)
            try c.encode(inForce, forKey: .inForce)
        }
    }

    init(familyId: FamilyID, decisions: [Decision], all: [Decision]) {
        self.familyId = familyId
        let inForce = Set(Decision.inForce(all).map(\.id))
        self.decisions = decisions.map { Entry(decision: $0, inForce: inForce.contains($0.id)) }
    }
}
