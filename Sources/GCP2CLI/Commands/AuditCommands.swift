import Foundation
import GCP2Core
import GCP2Store

/// `audit`: the hash-chained audit log read as history.
enum AuditCommands {
    static let family = Option<FamilyID>.id(
        "family", "F", kind: .family, help: "only changes to this family and its assessments")
    static let assessment = Option<AssessmentID>.id(
        "assessment", "A", kind: .assessment, help: "only changes to this assessment")
    static let from = Option.date("from", help: "only changes on or after this date (UTC)")
    static let to = Option.date("to", help: "only changes on or before this date (UTC)")
    static let by = Option<String>("by", "NAME", help: "only changes made by NAME (any case)")
    static let changes = Flag("changes", help: "show what each amendment changed from the version before")

    static let command = Command(
        "audit", "who changed what, and when: the audit log read as history",
        options: [family, assessment, from, to, by, changes],
        discussion:
            "Each change names when (UTC), who, what and which record and version; amendments and withdrawals give their reason. `gcp2 doctor` checks the log's chain.",
        examples: [
            "gcp2 audit --family f-k2m9q7", "gcp2 audit --assessment f-k2m9q7-a2 --changes",
            "gcp2 audit --from 2026-01-01 --by 'Sam Example'",
        ],
        run: audit)

    @Sendable static func audit(_ c: Context) throws {
        let store = try c.openStore()
        var filter = AuditFilter()
        filter.family = try c.args.value(family)
        filter.assessment = try c.args.value(assessment)
        filter.from = try c.args.value(from)
        filter.to = try c.args.value(to)
        filter.by = try c.args.value(by)
        if let from = filter.from, let to = filter.to, to < from {
            throw UsageError.invalidValue(option: "--to", value: to.description, expected: "a date on or after --from \(from)")
        }
        let work = Casework(store)
        let events = try work.audit(filter)
        var changes: [Int: (from: Assessment, changes: [AssessmentChange])] = [:]
        if c.args.flag(Self.changes) {
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
