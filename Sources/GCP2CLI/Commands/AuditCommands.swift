import Foundation
import GCP2Core
import GCP2Store

/// `audit`: the hash-chained audit log read as history.
enum AuditCommands {
    static let command = Command(
        spec: Commands.spec(
            "audit", [],
            [
                OptionSpec(name: "family", value: "F", help: "only changes to this family and its assessments"),
                OptionSpec(name: "assessment", value: "A", help: "only changes to this assessment"),
                OptionSpec(name: "from", value: "DATE", help: "only changes on or after this date (UTC)"),
                OptionSpec(name: "to", value: "DATE", help: "only changes on or before this date (UTC)"),
                OptionSpec(name: "by", value: "NAME", help: "only changes made by NAME (any case)"),
                OptionSpec(name: "changes", value: nil, help: "show what each amendment changed from the version before"),
            ],
            "who changed what, and when: the audit log read as history",
            discussion:
                "Each change names when (UTC), who, what and which record and version; amendments and withdrawals give their reason. `gcp2 doctor` checks the log's chain.",
            examples: [
                "gcp2 audit --family f-k2m9q7", "gcp2 audit --assessment f-k2m9q7-a2 --changes",
                "gcp2 audit --from 2026-01-01 --by 'Sam Example'",
            ]),
        run: AuditCommands.audit)

    @Sendable static func audit(_ c: Context) throws {
        let store = try c.openStore()
        var filter = AuditFilter()
        filter.family = try c.args.value("family").map { try c.id($0, as: "family", FamilyID.self) }
        filter.assessment = try c.args.value("assessment").map { try c.id($0, as: "assessment", AssessmentID.self) }
        filter.from = try c.args.value("from").map { try c.date("--from", $0) }
        filter.to = try c.args.value("to").map { try c.date("--to", $0) }
        filter.by = c.args.value("by")
        if let from = filter.from, let to = filter.to, to < from {
            throw UsageError.invalidValue(option: "--to", value: to.description, expected: "a date on or after --from \(from)")
        }
        let work = Casework(store)
        let events = try work.audit(filter)
        var changes: [Int: (from: Assessment, changes: [AssessmentChange])] = [:]
        if c.args.flag("changes") {
            for e in events { if let ch = try work.changes(of: e) { changes[e.entry.seq] = ch } }
        }
        if c.json {
            c.out.json(AuditOutput(events: events, changes: changes))
            return
        }
        var families: [FamilyID: Family] = [:]
        let inst = try store.currentInstrument()
        c.out.text(
            try AuditText.render(events, filter: filter) { e in
                guard let ch = changes[e.entry.seq], let fid = e.family else { return nil }
                if families[fid] == nil { families[fid] = try store.family(fid) }
                return AssessmentCommands.changes(ch.changes, from: ch.from.version, family: families[fid]!, inst, indent: "  ")
            })
    }
}
