import Foundation
import GCP2Core
import GCP2Store

/// The audit log as history in words (80 columns), and its `--json` shape.
enum AuditText {
    /// What happened, in words: the kind of change, the record and the version.
    static func words(_ e: AuditEvent, named: Bool = true) -> String {
        let r = e.entry.record, it = named ? " \(r)" : ""
        let v = e.entry.version.map { " (version \($0))" } ?? ""
        switch e.kind {
        case .storeCreated: return "created the store"
        case .familyAdded: return "added family \(r)"
        case .childAdded: return "added a child to family \(r)"
        case .carerAdded: return "added a carer to family \(r)"
        case .draftRecorded: return "recorded\(it) as a draft\(v)"
        case .finalRecorded: return "recorded\(it) as final\(v)"
        case .finalised: return "finalised\(it)\(v)"
        case .amended:
            let from = e.entry.version.map { " (version \($0) supersedes \($0 - 1))" } ?? ""
            return "amended\(it)\(from)"
        case .withdrawn: return "withdrew\(it) as entered in error\(v)"
        case .imported: return "imported family \(r) with its assessments"
        case nil: return "\(e.entry.action) on \(r)\(v)"
        }
    }

    /// `2026-11-26 09:14 UTC`.
    static func time(_ d: Date) -> String {
        let t = Int(d.timeIntervalSince1970.rounded(.down))
        let day = CalendarDate(dayNumber: Int((Double(t) / 86_400).rounded(.down)))
        let s = t - day.dayNumber * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day) \(two(s / 3600)):\(two(s / 60 % 60)) UTC"
    }

    /// One block per change, oldest first: when, who, what; then the reason and any changes.
    static func render(
        _ events: [AuditEvent], filter: AuditFilter, changes: (AuditEvent) throws -> String?
    ) throws -> String {
        guard !events.isEmpty else { return "No changes recorded\(scope(filter)).\n" }
        var s = "\(Layout.count(events.count, "change", "changes"))\(scope(filter)), oldest first:\n\n"
        for e in events {
            s += Layout.wrapped("\(time(e.entry.time)) · ", "\(e.entry.actor) · \(words(e))", indent: "    ") + "\n"
            if let reason = e.entry.reason {
                s += Layout.wrapped("  reason: ", reason.replacingOccurrences(of: "\n", with: " "), indent: "    ") + "\n"
            }
            if let more = try changes(e) { s += more.hasPrefix("\n") ? String(more.dropFirst()) : more }
        }
        return s
    }

    /// " for family F, from D to D, by NAME": the filters in words.
    static func scope(_ f: AuditFilter) -> String {
        var parts: [String] = []
        if let a = f.assessment {
            parts.append("to assessment \(a)")
        } else if let fam = f.family {
            parts.append("to family \(fam)")
        }
        if let from = f.from { parts.append("from \(from)") }
        if let to = f.to { parts.append("to \(to)") }
        if let by = f.by { parts.append("by \(by)") }
        return parts.isEmpty ? "" : " " + parts.joined(separator: ", ")
    }
}

/// `audit --json`: each change as the log records it, with its kind in words and, with `--changes`, what an
/// amendment changed.
struct AuditOutput: Encodable {
    var schemaVersion = 1
    var events: [Event]

    struct Event: Encodable {
        var seq: Int
        var time: String
        var actor: String
        var action: String
        /// The kind of change in words (for an action this gcp2 does not know: its action text).
        var what: String
        var record: String
        var family: FamilyID?
        var assessment: AssessmentID?
        var version: Int?
        var reason: String?
        /// The version an amendment superseded, when `--changes` was given.
        var changedFrom: Int?
        var changes: [Change]?
    }

    struct Change: Encodable {
        var child: ChildID?
        var linkId: LinkID?
        var what: String
        var before: String
        var after: String
    }

    init(events: [AuditEvent], changes: [Int: (from: Assessment, changes: [AssessmentChange])]) {
        let iso = ISO8601DateFormatter()
        self.events = events.map { e in
            let ch = changes[e.entry.seq]
            return Event(
                seq: e.entry.seq, time: iso.string(from: e.entry.time), actor: e.entry.actor, action: e.entry.action,
                what: AuditText.words(e), record: e.entry.record, family: e.family, assessment: e.assessment,
                version: e.entry.version, reason: e.entry.reason, changedFrom: ch?.from.version,
                changes: ch?.changes.map {
                    Change(child: $0.child, linkId: $0.linkId, what: $0.what, before: $0.before, after: $0.after)
                })
        }
    }
}
