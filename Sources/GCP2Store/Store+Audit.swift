import Foundation
import GCP2Core

/// One entry of the audit log read as history: what happened, to which record, by whom and when.
public struct AuditEvent: Sendable, Equatable {
    /// The kinds of change this gcp2 writes; an entry of any other action (a later gcp2's) keeps its action text.
    public enum Kind: String, Sendable, CaseIterable {
        case storeCreated = "init"
        case familyAdded = "family.add"
        case childAdded = "child.add"
        case carerAdded = "carer.add"
        case draftRecorded = "record.draft"
        case finalRecorded = "record.final"
        case finalised = "finalise"
        case amended = "amend"
        case withdrawn = "withdraw"
        case imported = "family.import"
    }

    public var entry: AuditEntry
    /// Nil for an action this gcp2 does not know: shown by its action text, record, actor and time.
    public var kind: Kind?
    /// The family the change is about (its own id, or the family its assessment belongs to).
    public var family: FamilyID?
    /// The assessment the change is about, when it is about one.
    public var assessment: AssessmentID?
    /// The UTC calendar date of the change.
    public var date: CalendarDate

    init(_ e: AuditEntry) {
        entry = e
        kind = Kind(rawValue: e.action)
        let aboutFamily: Set<Kind> = [.familyAdded, .childAdded, .carerAdded, .imported]
        if kind == .storeCreated {
            assessment = nil
        } else if let kind, aboutFamily.contains(kind) {
            assessment = nil
        } else {
            // An assessment's change, or an unknown action whose record has an assessment id's form.
            assessment = AssessmentID(rawValue: e.record).flatMap { Assessment.family(of: $0) != nil ? $0 : nil }
        }
        family = kind == .storeCreated ? nil : assessment.flatMap(Assessment.family(of:)) ?? FamilyID(rawValue: e.record)
        date = CalendarDate(dayNumber: Int((e.time.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

/// Which audit entries to read: every condition given must hold.
public struct AuditFilter: Sendable {
    public var family: FamilyID?
    public var assessment: AssessmentID?
    /// First and last UTC date of the change, inclusive.
    public var from: CalendarDate?
    public var to: CalendarDate?
    /// Who made the change (the entry's actor; case and surrounding spaces do not matter).
    public var by: String?

    public init(
        family: FamilyID? = nil, assessment: AssessmentID? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil,
        by: String? = nil
    ) {
        self.family = family
        self.assessment = assessment
        self.from = from
        self.to = to
        self.by = by
    }

    /// Whether an event passes every condition.
    public func admits(_ e: AuditEvent) -> Bool {
        if let family, e.family != family { return false }
        if let assessment, e.assessment != assessment { return false }
        if let from, e.date < from { return false }
        if let to, e.date > to { return false }
        if let by, AuditFilter.folded(e.entry.actor) != AuditFilter.folded(by) { return false }
        return true
    }

    static func folded(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).lowercased() }
}

extension Store {
    /// Every entry of the audit log, oldest first, read under the shared lock. A line that is not an audit entry
    /// fails the read, naming the line (`doctor` checks the chain itself).
    public func auditEntries() throws(StoreError) -> [AuditEntry] {
        try withLock(exclusive: false) { () throws(StoreError) in
            let data = try readAuditData()
            var out: [AuditEntry] = []
            let lines = Lines.ranges(in: data).map { data[$0] }
            for (n, line) in lines.enumerated() where !(n == lines.count - 1 && line.isEmpty) {
                guard let e = AuditEntry.read(line: Data(line)) else {
                    throw .corrupt(
                        path: full("audit.log"),
                        issue: Issue("", "line \(n + 1) is not an audit entry", expected: "one JSON audit entry a line"))
                }
                out.append(e)
            }
            return out
        }
    }
}
