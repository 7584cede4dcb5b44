import Foundation
import GCP2Core

extension Store {
    // MARK: Decisions

    /// Records a decision about a family's children (every child when `children` is empty); `supersedes` names the
    /// decision it corrects. Decisions are never changed or removed: the audit log records "decision.record" with
    /// the decision's id.
    public func addDecision(
        to familyID: FamilyID, date: CalendarDate, level: DecisionLevel, reason: String, children: [ChildID] = [],
        supersedes: DecisionID? = nil, actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) -> Decision {
        try Store.checkText(reason, field: "reason", max: 2000)
        if date > today {
            throw .invalid(file: nil, issues: [Issue("date", "date \(date) is in the future", expected: "today or earlier")])
        }
        var created: Decision?
        try transaction(action: "decision.record", record: familyID.rawValue, actor: actor, now: now) {
            tx throws(StoreError) in
            let family = try readFamily(familyID)
            let existing = try readDecisions(of: familyID, shard: nil, into: &tx).map(\.decision)
            var issues: [Issue] = []
            for (i, c) in children.enumerated() where family.child(c) == nil {
                issues.append(Issue("children[\(i)]", "unknown child \(c)", expected: "a child of family \(familyID)"))
            }
            if Set(children).count != children.count {
                issues.append(Issue("children", "a child is named twice", expected: "each child once"))
            }
            if let s = supersedes {
                if !existing.contains(where: { $0.id == s }) {
                    issues.append(Issue("supersedes", "unknown decision \(s)", expected: "a decision of family \(familyID)"))
                } else if let later = existing.first(where: { $0.supersedes == s }) {
                    issues.append(
                        Issue(
                            "supersedes", "decision \(s) was already corrected by \(later.id)",
                            expected: "the decision in force (\(later.id), or the one that corrects it)"))
                }
            }
            if !issues.isEmpty { throw .invalid(file: nil, issues: issues) }
            let prefix = "\(familyID)-d"
            let n = (existing.compactMap { $0.id.number }.max() ?? 0) + 1
            let d = Decision(
                id: DecisionID(unchecked: "\(prefix)\(n)"), familyId: familyID, date: date, level: level, reason: reason,
                children: children.sorted(), supersedes: supersedes)
            tx.create(Store.decisionFile(d.id, family: familyID), DecisionDocument.encode(d))
            tx.record = d.id.rawValue
            try stage(
                family: family, assessments: try readAllAssessments(of: familyID, into: &tx), into: &tx, familyUnchanged: true)
            created = d
        }
        return created!
    }

    /// Every decision of a family, superseded ones included, oldest first.
    public func decisions(of familyID: FamilyID) throws(StoreError) -> [Decision] {
        try withLock(exclusive: false) { () throws(StoreError) in try readShard(familyID).allDecisions }
    }

    /// Every decision document of a family with its digest, each checked against the family's index entry (`shard`,
    /// or the one on disk when nil); the staged ones of `tx` included (the only ones of a new family).
    func readDecisions(
        of family: FamilyID, shard given: FamilyIndex?, into tx: inout Transaction, newFamily: Bool = false
    ) throws(StoreError) -> [IndexedDecision] {
        let folder = Store.decisionFolder(family)
        // A new family has no index entry yet, and no decision but those staged.
        let shard = given != nil || newFamily ? given : try integrityShard(family)
        let known = Dictionary((shard?.decisions ?? []).map { ($0.decision.id.rawValue, $0.digest) }) { a, _ in a }
        var out: [IndexedDecision] = []
        var names = Set(try list(folder, missingIsEmpty: true).filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") })
        for w in tx.writes where w.path.hasPrefix(folder + "/") { names.insert((w.path as NSString).lastPathComponent) }
        for name in names.sorted() {
            let rel = "\(folder)/\(name)"
            let data: Data
            if let staged = tx.writes.first(where: { $0.path == rel }) {
                data = staged.data
            } else {
                data = try readData(rel)
                if shard != nil { try verify(data, at: rel, expected: known[String(name.dropLast(5))]) }
            }
            let digest = Digest.hex(of: data)
            tx.digests[rel] = digest
            let d = try decodeDecision(data, at: rel)
            if Store.decisionFile(d.id, family: family) != rel {
                throw .corrupt(path: full(rel), issue: Issue("id", "holds decision \(d.id); the name does not match"))
            }
            out.append(IndexedDecision(decision: d, digest: digest))
        }
        return out
    }
}
