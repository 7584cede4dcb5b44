import GCP2Core
import GCP2Store

/// Text reports for people: strengths before concerns, aligned tables, band words, plain-language flags.
enum Render {
    /// What a profile records of the child's voice and the carers' views, as labelled lines.
    static func voiceLines(_ record: ProfileRecord?, family: Family) -> [(String, String)] {
        guard let r = record else { return [] }
        var out: [(String, String)] = []
        if let v = r.childView, !v.isEmpty { out.append(("Child's view", v)) }
        if let why = r.childViewNotObtained {
            out.append(("Child's view not obtained", why.words))
        }
        if let d = r.dailyLife, !d.isEmpty { out.append(("Daily life observed", d)) }
        switch r.seenAlone {
        case true?: out.append(("Seen alone", "yes"))
        case false?: out.append(("Seen alone", "no" + (r.notSeenAloneReason.map { ": \($0)" } ?? "")))
        case nil: out.append(("Seen alone", "not recorded"))
        }
        for v in r.carerViews {
            let who = v.carer.map { id in family.carer(id)?.name ?? id.rawValue } ?? "The carers"
            var text = v.view.isEmpty ? "no view recorded" : v.view
            if let a = v.agrees { text += " (agrees with the grades: \(a.rawValue))" }
            if v.jointly == true { text += " (recorded jointly)" }
            out.append(("\(who)'s view", text))
        }
        return out
    }

    static func assessment(
        _ a: Assessment, profiles: [Profile], family: Family, evidence: Bool, events: [AuditEvent]? = nil
    ) -> String {
        var s = "Assessment \(a.id) · \(statusWords(a)) · assessed \(a.date)\n"
        s += "Observed \(a.window.start) to \(a.window.end) · family \(family.ref) (\(family.id))\n"
        if !a.assessors.isEmpty {
            let people = a.assessors.map { x in
                "\(x.name) (\([x.role, x.team ?? "", x.agency?.words ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")))"
            }
            s += Layout.wrapped("Assessors: ", people.joined(separator: "; "), indent: "  ") + "\n"
        }
        if !a.visits.isEmpty {
            let unannounced = a.visits.filter { !$0.announced }.count
            s += "Visits: \(a.visits.count) (\(unannounced) unannounced)\n"
        }
        let covered = a.carers.compactMap { family.carer($0) }
        s +=
            "Carers covered: "
            + (covered.isEmpty
                ? "none recorded" : covered.map { "\($0.name) (\($0.relationship.words))" }.joined(separator: ", ")) + "\n"
        let left = family.carers.filter { !a.carers.contains($0.id) }
        if !left.isEmpty {
            s += "Not covered: " + left.map { "\($0.name) (\($0.relationship.words))" }.joined(separator: ", ") + "\n"
        }
        if let reason = a.reason, a.status != .draft && a.status != .final {
            s +=
                "\(a.status == .amended ? "Amended" : "Withdrawn") (supersedes version \(a.supersedes ?? 0)): "
                + Layout.continued(reason, indent: "  ") + "\n"
        }
        if let events, !events.isEmpty {
            let who = events.map { "\(AuditText.words($0, named: false)) by \($0.entry.actor), \(AuditText.time($0.entry.time))" }
            s += Layout.wrapped("History: ", who.joined(separator: "; "), indent: "  ") + "\n"
        }
        for p in profiles {
            let record = a.profiles.first { $0.childId == p.childId }
            s +=
                "\n"
                + profile(
                    p, record: record, name: family.child(p.childId)?.name ?? p.childId.rawValue, evidence: evidence,
                    family: family)
        }
        return s
    }

    static func statusWords(_ a: Assessment) -> String {
        switch a.status {
        case .draft: "draft"
        case .final: "final"
        case .amended: "final, amended (version \(a.version))"
        case .enteredInError: "withdrawn (entered in error)"
        }
    }

    static func profile(_ p: Profile, record: ProfileRecord?, name: String, evidence: Bool, family: Family) -> String {
        var s = "\(name), \(Layout.age(months: p.ageMonths)) (\(p.childId))\n"
        s +=
            Layout.table(
                p.areas.map { a in
                    [
                        a.result.title, Layout.grade(a.result.confirmed), Layout.bar(a.result.confirmed),
                        Layout.band(a.result.band),
                    ]
                }) + "\n\n"
        var rows: [[String]] = []
        var notes: [String] = []
        for a in p.areas {
            for sub in a.subAreas {
                let r = sub.result
                rows.append(["\(r.code) \(r.title)", Layout.grade(r.confirmed), Layout.bar(r.confirmed), Layout.band(r.band)])
                if r.overridden {
                    notes.append(
                        "\(r.code) \(r.title): suggested \(Layout.grade(r.suggested)) by \(r.rule), confirmed \(Layout.grade(r.confirmed)) — \(r.rationale ?? "")"
                    )
                }
                if let from = r.substitutedFrom {
                    notes.append("\(r.code) \(r.title): graded from \(from) — \(r.substitutionComment ?? "")")
                }
                if evidence {
                    for i in sub.items {
                        var detail = ""
                        switch i.rating {
                        case .graded(let g, let e)?: detail = "\(g)  \(e)"
                        case .notApplicable(let reason)?: detail = "not applicable: \(reason)"
                        case .notScored(let reason)?: detail = "not scored: \(reason)"
                        case nil: detail = "not rated yet"
                        }
                        rows.append(["    \(i.code) \(i.title)", detail, "", ""])
                    }
                }
            }
            for r in [a.result] where r.overridden {
                notes.append(
                    "\(r.code) \(r.title): suggested \(Layout.grade(r.suggested)) by \(r.rule), confirmed \(Layout.grade(r.confirmed)) — \(r.rationale ?? "")"
                )
            }
        }
        s += Layout.table(rows) + "\n\n"
        let titles = Dictionary(uniqueKeysWithValues: p.areas.flatMap(\.subAreas).map { ($0.result.linkId, $0.result) })
        func list(_ ids: [LinkID]) -> String {
            ids.compactMap { titles[$0] }.map { "\($0.title) (\(Layout.grade($0.confirmed)))" }.joined(separator: ", ")
        }
        // Worse news first: what needs to change, then the borderline, then what is going well.
        s += Layout.wrap("Needs to change: \(p.concerns.isEmpty ? "no sub-area graded 4–5" : list(p.concerns))")
        if !p.borderline.isEmpty { s += Layout.wrap("Borderline: \(list(p.borderline))") }
        s += Layout.wrap("Going well: \(p.strengths.isEmpty ? "no sub-area graded 1–2 yet" : list(p.strengths))")
        let items = Dictionary(uniqueKeysWithValues: p.areas.flatMap(\.subAreas).flatMap(\.items).map { ($0.linkId, $0) })
        if !p.disproportionate.isEmpty {
            s += "  Items much worse than their sub-area (candidates for targets): "
            s +=
                p.disproportionate.map { d in
                    "\(items[d.linkId].map { "\($0.code) \($0.title)" } ?? d.linkId.rawValue) graded \(d.grade) (sub-area \(d.subAreaGrade))"
                }.joined(separator: "; ") + "\n"
        }
        if !notes.isEmpty {
            s +=
                "  Overrides and substitutions:\n"
                + notes.map { "    " + Layout.continued($0, indent: "      ") }.joined(separator: "\n") + "\n"
        }
        if !p.targets.isEmpty {
            let list = p.targets.map { t in
                let label =
                    items[t.linkId].map { "\($0.code) \($0.title)" } ?? titles[t.linkId].map { "\($0.code) \($0.title)" }
                    ?? t.linkId.rawValue
                let plan = t.planWords(in: family)
                return "\(label) to reach \(t.grade) by \(t.reviewBy)" + (plan.isEmpty ? "" : " (\(plan))")
            }
            s += Layout.wrapped("  Targets: ", list.joined(separator: "; "), indent: "    ") + "\n"
        }
        for line in voiceLines(record, family: family) { s += Layout.wrapped("  \(line.0): ", line.1, indent: "    ") + "\n" }
        let c = p.completeness
        s += "  Rated \(c.rated) of \(c.applicable) items"
        var extra: [String] = []
        if c.notApplicable > 0 { extra.append("\(c.notApplicable) not applicable") }
        if c.notScored > 0 { extra.append("\(c.notScored) not scored") }
        if c.missing > 0 { extra.append("\(c.missing) still to rate") }
        s += extra.isEmpty ? "\n" : " (\(extra.joined(separator: ", ")))\n"
        return s
    }

    /// One plain-language sentence for a series' headline; about the care, never the child.
    static func sentence(_ r: LevelReview, title: String, policy: Policy) -> String {
        let a = r.analysis
        let g = a.latest.grade
        let was = a.previous.map { "\($0.grade)" } ?? "?"
        let needs = policy.needsWork(g) ? ", needs work" : ""
        switch a.trend {
        case .drift:
            let since = a.concernRunStart ?? a.first.date
            return
                "drift: \(title) graded \(policy.needsWorkFrom) or worse for \(Layout.duration(days: since.days(to: a.latest.date))) (since \(since)), no better than \(policy.driftMinDays) days before; now \(g)"
        case .improvementLost:
            return "improvement lost: \(title) had got better, but is back to \(g) (\(gradeList(a)))"
        case .deteriorating:
            return "deteriorating: \(title) went from \(was) to \(g) since \(a.previous.map { "\($0.date)" } ?? "?")\(needs)"
        case .sustainedImprovement:
            return "sustained improvement: \(title) better than \(policy.needsWorkFrom) and held (\(gradeList(a)))"
        case .improving:
            if policy.needsWork(g) { return "improving: \(title) from \(was) to \(g), still needs work" }
            // Out of needing work, but worse than last time (3 → 1 → 2): the whole series, never "from 1 to 2"
            // as if that step were the improvement.
            if let p = a.previous, p.grade < g {
                return
                    "improving: \(title) out of needing work (\(gradeList(a))) but worse than last time, and not yet held for \(policy.sustainMinDays) days"
            }
            let move = a.previous.map { $0.grade == g } ?? true ? "at \(g)" : "from \(was) to \(g)"
            return "improving: \(title) \(move), out of needing work but not yet held for \(policy.sustainMinDays) days"
        case .stableStrength:
            return "stable strength: \(title) at \(g)"
        case .static:
            return "no change: \(title) still \(g)\(needs)"
        case .baseline:
            return "baseline: \(title) first graded \(g)\(needs)"
        }
    }

    static func gradeList(_ a: SeriesAnalysis) -> String { a.grades.map(\.description).joined(separator: " → ") }

    /// A short word for the caseload's trend columns.
    static func short(_ t: Trend?) -> String {
        switch t {
        case nil: "–"
        case .deteriorating?: "worse"
        case .improvementLost?: "lost"
        case .drift?: "drift"
        case .sustainedImprovement?: "sustained"
        case .improving?: "better"
        case .stableStrength?: "stable"
        case .static?: "same"
        case .baseline?: "baseline"
        }
    }
}

extension AssessmentStatus {
    /// The status as listings show it.
    var words: String {
        switch self {
        case .draft: "draft"
        case .final: "final"
        case .amended: "final (amended)"
        case .enteredInError: "withdrawn"
        }
    }
}
