/// One difference between two versions of an assessment, for a person reading an amendment.
public struct AssessmentChange: Sendable, Equatable {
    /// The child the change is about; nil for the assessment as a whole.
    public var child: ChildID?
    /// The item, sub-area or area the change is about; nil for other fields.
    public var linkId: LinkID?
    /// What changed: `grade`, `evidence`, `rationale`, `target`, `child's view`, `carers' view`, `date`,
    /// `observation`, `visits`, `assessors`, `carers covered`, `profile`.
    public var what: String
    public var before: String
    public var after: String
}

extension Assessment {
    /// What changed from `older` (the version this one supersedes) to this one: the assessment's own facts, then
    /// each child's confirmed grades (areas, sub-areas, items), evidence, targets and views, in file order.
    public func changes(from older: Assessment) -> [AssessmentChange] {
        var out: [AssessmentChange] = []
        func note(_ what: String, _ a: String, _ b: String, child: ChildID? = nil, linkId: LinkID? = nil) {
            if a != b { out.append(AssessmentChange(child: child, linkId: linkId, what: what, before: a, after: b)) }
        }
        note("date", older.date.description, date.description)
        note("observation", "\(older.window.start) to \(older.window.end)", "\(window.start) to \(window.end)")
        func visitWords(_ v: [Visit]) -> String {
            v.map { "\($0.date)\($0.announced ? "" : " unannounced")" }.joined(separator: ", ")
        }
        note("visits", visitWords(older.visits), visitWords(visits))
        func people(_ a: [Assessor]) -> String {
            a.map { "\($0.name) (\([$0.role, $0.team ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")))" }
                .joined(separator: "; ")
        }
        note("assessors", people(older.assessors), people(assessors))
        note(
            "carers covered", older.carers.map(\.rawValue).joined(separator: ", "), carers.map(\.rawValue).joined(separator: ", ")
        )
        let before = Dictionary(older.profiles.map { ($0.childId, $0) }, uniquingKeysWith: { a, _ in a })
        let oldGrades = Dictionary(older.summaries.map { ($0.childId, $0.grades) }, uniquingKeysWith: { a, _ in a })
        let newGrades = Dictionary(summaries.map { ($0.childId, $0.grades) }, uniquingKeysWith: { a, _ in a })
        for p in profiles {
            guard let q = before[p.childId] else {
                note("profile", "none", "added", child: p.childId)
                continue
            }
            let g0 = oldGrades[p.childId] ?? [:], g1 = newGrades[p.childId] ?? [:]
            for key in Set(g0.keys).union(g1.keys).sorted() {
                note(
                    "grade", g0[key].map(String.init) ?? "–", g1[key].map(String.init) ?? "–", child: p.childId,
                    linkId: LinkID(key))
            }
            let oldRatings = Dictionary(q.ratings.map { ($0.linkId, $0.rating) }, uniquingKeysWith: { a, _ in a })
            for r in p.ratings {
                if case .graded(_, let e1) = r.rating, case .graded(_, let e0)? = oldRatings[r.linkId] {
                    note("evidence", e0, e1, child: p.childId, linkId: r.linkId)
                }
            }
            let oldRationale = Dictionary(q.grades.map { ($0.linkId, $0.rationale ?? "") }, uniquingKeysWith: { a, _ in a })
            for g in p.grades where (g.rationale ?? "") != (oldRationale[g.linkId] ?? "") {
                note("rationale", oldRationale[g.linkId] ?? "", g.rationale ?? "", child: p.childId, linkId: g.linkId)
            }
            func targetWords(_ t: [Target]) -> String {
                t.map { "\($0.linkId) to \($0.grade) by \($0.reviewBy)" }.sorted().joined(separator: "; ")
            }
            note("target", targetWords(q.targets), targetWords(p.targets), child: p.childId)
            note("child's view", q.childView ?? "", p.childView ?? "", child: p.childId)
            func why(_ r: ProfileRecord) -> String {
                r.childViewNotObtained.map { [$0.reason.rawValue, $0.text ?? ""].filter { !$0.isEmpty }.joined(separator: ": ") }
                    ?? ""
            }
            note("child's view not obtained", why(q), why(p), child: p.childId)
            note(
                "seen alone", q.seenAlone.map { $0 ? "yes" : "no" } ?? "", p.seenAlone.map { $0 ? "yes" : "no" } ?? "",
                child: p.childId)
            func carers(_ r: ProfileRecord) -> String {
                r.carerViews.map { v in
                    "\(v.carer?.rawValue ?? "jointly"): \(v.view)\(v.agrees.map { " (agrees: \($0.rawValue))" } ?? "")"
                }.joined(separator: "; ")
            }
            note("carers' views", carers(q), carers(p), child: p.childId)
        }
        for q in older.profiles where !profiles.contains(where: { $0.childId == q.childId }) {
            note("profile", "present", "removed", child: q.childId)
        }
        return out
    }
}
