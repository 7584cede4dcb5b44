import Foundation
import GCP2Core
import GCP2Store

/// Text for `summary` (child and family) and `caseload`.
enum Summaries {
    static func titles(_ inst: ValidatedInstrument) -> [LinkID: String] {
        var out: [LinkID: String] = [:]
        for a in inst.areas {
            out[a.linkId] = a.title
            for s in a.subAreas { out[s.linkId] = s.title }
        }
        return out
    }

    static func child(
        _ child: Child, review: ChildReview, family: FamilyReview, index: FamilyIndex, instrument inst: ValidatedInstrument,
        policy: Policy
    ) -> String {
        let names = titles(inst)
        var s = "\(child.name) (\(child.id)) · family \(index.family.ref) · as of \(review.asOf)\n"
        guard let latest = review.latest else {
            return s + "No final assessment yet"
                + (family.childrenNotAssessed.contains(child.id)
                    ? " — a sibling has been assessed, this child has not.\n" : ".\n")
        }
        let first = review.areas.first?.analysis.first.date ?? latest.date
        s += "\(review.assessments) final assessment\(review.assessments == 1 ? "" : "s"), \(first) to \(latest.date)\n\n"
        var rows = [["Area", "Grades, oldest → latest", "Latest", "Trend"]]
        for r in review.areas {
            let g = r.analysis.latest.grade
            rows.append([
                names[r.linkId] ?? r.linkId.rawValue, Render.gradeList(r.analysis),
                "\(g) \(Layout.bar(g)) \(inst.bands.band(of: g).rawValue)", r.analysis.trend.words,
            ])
        }
        s += Layout.table(rows) + "\n\n"
        s += sections(review: review, names: names, policy: policy, family: family, children: index.family.children)
        return s
    }

    /// "What is going well" first, then what needs attention, for one child.
    static func sections(
        review: ChildReview, names: [LinkID: String], policy: Policy, family: FamilyReview, children: [Child], indent: String = ""
    ) -> String {
        var good: [String] = [], attention: [String] = []
        for r in review.areas + review.subAreas {
            let sentence = Render.sentence(r, title: names[r.linkId] ?? r.linkId.rawValue, policy: policy)
            let isArea = r.linkId.depth == 1
            switch r.analysis.trend {
            case .sustainedImprovement, .improving, .stableStrength:
                if isArea { good.append(sentence) }
            case .deteriorating, .relapse, .drift:
                attention.append(sentence)
            case .static, .baseline:
                guard isArea else { break }
                if policy.needsWork(r.analysis.latest.grade) {
                    attention.append(sentence)
                } else {
                    good.append(sentence)
                }
            }
        }
        if review.reviewOverdue, let days = review.daysSinceLatest {
            attention.append(
                "review overdue: the latest assessment was \(days) days ago and an area needs work (review every \(policy.reviewIntervalDays) days)"
            )
        }
        if let since = review.concernSince, let days = review.daysUnderConcern {
            attention.append(
                "under concern since \(since) (\(Layout.duration(days: days))): every assessment since has an area graded \(policy.needsWorkFrom) or worse"
            )
        }
        for t in review.targets {
            let name = names[t.target.linkId] ?? t.target.linkId.rawValue
            switch t.status {
            case .met:
                var text =
                    "target met: \(name) reached \(Layout.grade(t.metGrade)) (target \(t.target.grade)) on \(t.metOn.map(String.init(describing:)) ?? "?")"
                if let latest = t.latestGrade, let met = t.metGrade, latest > met { text += "; since slipped to \(latest)" }
                good.append(text)
            case .missed:
                attention.append(
                    "target missed: \(name) to reach \(t.target.grade) by \(t.target.reviewBy); latest \(Layout.grade(t.latestGrade ?? t.gradeWhenSet))"
                )
            case .open: attention.append("target open: \(name) to reach \(t.target.grade) by \(t.target.reviewBy)")
            }
        }
        for d in family.siblingDisparities where d.childId == review.childId {
            let sibling = children.first { $0.id == d.bestSibling }?.name ?? d.bestSibling.rawValue
            attention.append(
                "sibling disparity: \(names[d.area] ?? d.area.rawValue) is \(d.grade), while \(sibling)'s is \(d.bestGrade)")
        }
        var s = "\(indent)What is going well:\n"
        s += (good.isEmpty ? ["nothing graded 1–2 or improving yet"] : good).map { "\(indent)  - \($0)\n" }.joined()
        s += "\(indent)Needs attention:\n"
        s += (attention.isEmpty ? ["nothing flagged"] : attention).map { "\(indent)  - \($0)\n" }.joined()
        return s
    }

    static func family(
        index: FamilyIndex, reviews: [ChildReview], family: FamilyReview, instrument inst: ValidatedInstrument, policy: Policy,
        asOf: CalendarDate
    ) -> String {
        let names = titles(inst)
        let f = index.family
        var s = "Family \(f.ref) (\(f.id)) · as of \(asOf)\n"
        if let latest = family.latestAssessment, let a = index.assessments.first(where: { $0.id == latest }) {
            s += "Latest final assessment \(latest) on \(a.date)\n"
        } else {
            s += "No final assessment yet.\n"
        }
        s += "\n"
        let kids = zip(f.children, reviews).map { ($0, $1) }
        var rows = [
            ["Area"]
                + kids.map { c, _ in "\(c.name) (\(c.born <= asOf ? Layout.age(months: c.born.wholeMonths(to: asOf)) : "unborn"))"
                }
        ]
        for area in inst.areas {
            rows.append(
                [area.title]
                    + kids.map { _, r in
                        guard let a = r.areas.first(where: { $0.linkId == area.linkId }) else { return "not assessed" }
                        return
                            "\(a.analysis.latest.grade) \(Layout.bar(a.analysis.latest.grade)) \(Render.short(a.analysis.trend))"
                    })
        }
        s += Layout.table(rows) + "\n\n"
        var familyFlags: [String] = []
        for d in family.siblingDisparities {
            let who = f.children.first { $0.id == d.childId }?.name ?? d.childId.rawValue
            let best = f.children.first { $0.id == d.bestSibling }?.name ?? d.bestSibling.rawValue
            familyFlags.append(
                "sibling disparity: \(who)'s \(names[d.area] ?? d.area.rawValue) is \(d.grade), \(best)'s is \(d.bestGrade)")
        }
        for c in family.childrenNotAssessed {
            familyFlags.append(
                "not assessed: \(f.children.first { $0.id == c }?.name ?? c.rawValue) has no final assessment while a sibling has"
            )
        }
        for c in family.carersNotIncluded {
            let carer = f.carers.first { $0.id == c }
            familyFlags.append(
                "carer not included: \(carer?.name ?? c.rawValue) (\(carer?.relationship.words ?? "carer")) was not covered by the latest assessment"
            )
        }
        s += "Family flags:\n" + (familyFlags.isEmpty ? ["none"] : familyFlags).map { "  - \($0)\n" }.joined()
        for (child, review) in kids where review.assessments > 0 {
            s += "\n\(child.name) (\(child.id)):\n"
            s += sections(review: review, names: names, policy: policy, family: family, children: f.children, indent: "  ")
        }
        return s
    }

    static func caseload(_ c: Caseload, instrument inst: ValidatedInstrument) -> String {
        var s =
            "Caseload as of \(c.asOf): \(c.children) child\(c.children == 1 ? "" : "ren") in \(c.families) famil\(c.families == 1 ? "y" : "ies")\n\n"
        if c.lines.isEmpty { return s + "No children in the store yet.\n" }
        let codes = inst.areas.map(\.code)
        let header = [
            "Family", "Child", "Latest", "Grades " + codes.joined(separator: " "), "Trends " + codes.joined(separator: "/"),
            "Flags",
        ]
        // A whole partnership's caseload has tens of thousands of lines: build and pad them on both cores.
        let parts = 2
        let size = (c.lines.count + parts - 1) / parts
        let rows = ConcurrentResults<[[String]]>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            rows[k] = c.lines[min(k * size, c.lines.count)..<min((k + 1) * size, c.lines.count)].map { l in
                [
                    l.familyRef, "\(l.childName) (\(l.childId))", l.latestDate?.description ?? "none",
                    "       " + l.areas.map { Layout.grade($0.grade) }.joined(separator: " "),
                    l.areas.map { Render.short($0.trend) }.joined(separator: "/"),
                    l.flags.map(\.rawValue).joined(separator: ", "),
                ]
            }
        }
        let widths = ConcurrentResults<[Int]>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { k in widths[k] = Layout.columnWidths(rows[k] ?? []) }
        var width = Layout.columnWidths([header])
        for w in widths.values { for (i, x) in (w ?? []).enumerated() { width[i] = max(width[i], x) } }
        let text = ConcurrentResults<String>(count: parts)
        let padded = width
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            text[k] = Layout.render(rows[k] ?? [], widths: padded, indent: "")
        }
        s += Layout.render([header], widths: padded, indent: "")
        for t in text.values where !(t ?? "").isEmpty { s += "\n" + t! }
        s += "\n\n"
        s += "Children with each flag:\n"
        s += Layout.table(CaseFlag.allCases.map { ["\(c.flagCounts[$0.rawValue] ?? 0)", $0.rawValue, $0.words] }) + "\n\n"
        s += "Latest trend per area (children):\n"
        var trows = [["Area"] + Trend.allCases.map { Render.short($0) }]
        for a in inst.areas {
            trows.append([a.title] + Trend.allCases.map { "\(c.trendCounts[a.linkId.rawValue]?[$0.rawValue] ?? 0)" })
        }
        s += Layout.table(trows) + "\n"
        return s
    }
}
