import Foundation
import GCP2Core
import GCP2Report
import GCP2Store

/// Text for `summary` (child and family) and `caseload`: worse news first, every judgement read from the review.
enum Summaries {
    /// The first word of a name, for narrow tables.
    static func firstName(_ name: String) -> String { name.split(separator: " ").first.map(String.init) ?? name }

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
            s += "No final assessment yet.\n"
            if !review.flags.isEmpty {
                s += "\nFlags, most severe first:\n" + flagLines(review, policy: policy)
            }
            return s
        }
        let first = review.areas.first?.analysis.first.date ?? latest.date
        s += "\(review.assessments) final assessment\(review.assessments == 1 ? "" : "s"), \(first) to \(latest.date)\n\n"
        var rows = [["Area", "Grades, oldest → latest", "Latest", "Trend"]]
        for r in review.areas {
            let g = r.analysis.latest.grade
            rows.append([
                names[r.linkId] ?? r.linkId.rawValue, Render.gradeList(r.analysis),
                "\(g) \(inst.bands.band(of: g).rawValue)", r.analysis.trend.words,
            ])
        }
        s += Layout.table(rows) + "\n"
        s += "  Grades: 1 best … 5 worst; \(policy.needsWorkFrom) or worse needs work.\n\n"
        s += sections(review: review, names: names, policy: policy, children: index.family.children, family: index.family)
        return s
    }

    /// Each flag of the review in the caseload key's words, most severe first.
    static func flagLines(_ review: ChildReview, policy: Policy, indent: String = "  ") -> String {
        Layout.bullets(flagWords(review, policy: policy), indent: indent)
    }

    /// Each flag of the review in the caseload key's words, most severe first, marked "teenager" where it applies.
    static func flagWords(_ review: ChildReview, policy: Policy) -> [String] {
        review.flags.map { f in
            f.words(policy)
                + ((f == .childNotAssessed || f == .childLeftOut) && review.teenager
                    ? " (teenager, a younger sibling was assessed)" : "")
        }
    }

    /// Flags, then what needs attention, then progress that still needs work, then what is going well.
    static func sections(
        review: ChildReview, names: [LinkID: String], policy: Policy, children: [Child], family: IndexedFamily,
        indent: String = ""
    ) -> String {
        let l = lists(review: review, names: names, policy: policy, children: children, family: family)
        var s = ""
        if let spells = l.spells {
            s += "\(indent)\(SummaryLists.spellsHeading(policy)):\n" + Layout.bullets([spells], indent: indent + "  ")
        }
        if !l.flags.isEmpty {
            s += "\(indent)\(SummaryLists.flagsHeading):\n" + Layout.bullets(l.flags, indent: indent + "  ")
        }
        s += "\(indent)\(SummaryLists.needsAttentionHeading):\n"
        s += Layout.bullets(l.needsAttention.isEmpty ? [SummaryLists.nothing] : l.needsAttention, indent: indent + "  ")
        if !l.progress.isEmpty {
            s += "\(indent)\(SummaryLists.progressHeading):\n" + Layout.bullets(l.progress, indent: indent + "  ")
        }
        if !l.openTargets.isEmpty {
            s += "\(indent)\(SummaryLists.openTargetsHeading):\n" + Layout.bullets(l.openTargets, indent: indent + "  ")
        }
        s += "\(indent)\(SummaryLists.goingWellHeading):\n"
        s += Layout.bullets(l.goingWell.isEmpty ? [SummaryLists.nothingGoingWell(policy)] : l.goingWell, indent: indent + "  ")
        if !l.decisions.isEmpty {
            s += "\(indent)\(SummaryLists.decisionsHeading):\n" + Layout.bullets(l.decisions, indent: indent + "  ")
        }
        return s
    }

    /// The summary's lists for one child, in the words every view (text summary, HTML report) shows.
    static func lists(
        review: ChildReview, names: [LinkID: String], policy: Policy, children: [Child], family: IndexedFamily
    ) -> SummaryLists {
        let shown = policy.present(review)
        func title(_ id: LinkID) -> String { names[id] ?? id.rawValue }
        func name(_ id: ChildID) -> String { children.first { $0.id == id }?.name ?? id.rawValue }
        // What needs attention, each with its place in the severity order: listed most severe first.
        var attention: [(Severity, String)] = []
        func add(_ severity: Severity, _ text: String) { attention.append((severity, text)) }
        var progress: [String] = [], good: [String] = [], open: [String] = []
        for r in shown.needsAttention {
            add(r.analysis.trend.severity, Render.sentence(r, title: title(r.linkId), policy: policy))
        }
        for r in shown.progressStillNeedsWork {
            let a = r.analysis
            progress.append(
                "\(title(r.linkId)): improved from \(Layout.grade(a.previous?.grade)), still \(a.latest.grade) (\(a.trend.words))"
            )
        }
        for r in shown.goingWell { good.append(Render.sentence(r, title: title(r.linkId), policy: policy)) }
        let firstName = children.first { $0.id == review.childId }?.name ?? review.childId.rawValue
        for a in review.severeAreas {
            add(
                .severeConcern,
                "severe concern: care of \(firstName) in \(title(a)) is graded \(Layout.grade(review.latest?.grade(a))) (severe from \(policy.severeFrom(area: a)))"
            )
        }
        if let since = review.currentSpellStart, let days = review.currentSpellDays {
            add(
                .longTermConcern,
                "needing work since \(since) (\(Layout.duration(days: days))): care has been graded \(policy.needsWorkFrom) or worse at every assessment since, allowing breaks under \(policy.sustainMinDays) days"
            )
        }
        if review.flags.contains(.cumulativeConcern) {
            add(
                .cumulativeConcern,
                "care needed work for \(review.recentDays) of the last \(review.recentWindowDays) days")
        }
        if review.reviewOverdue, let days = review.daysSinceLatest {
            add(
                .reviewOverdue,
                "review overdue by \(review.daysOverdue ?? 0) days: the latest assessment was \(days) days ago and care needed work (review every \(policy.reviewIntervalDays) days)"
            )
        }
        let household = family.family
        for t in review.targets {
            let plan = t.target.planWords(in: household)
            let label =
                "\(title(t.target.linkId)) to reach \(t.target.grade) by \(t.target.reviewBy)"
                + (plan.isEmpty ? "" : " (\(plan))")
            switch t.status {
            case .met where t.sinceSlipped:
                add(
                    .targetMissed,
                    "target met, since slipped: \(label); reached \(Layout.grade(t.metGrade)) on \(t.metOn.map(String.init(describing:)) ?? "?"), now \(Layout.grade(t.latestGrade))"
                )
            case .met where shown.targetsMetStillNeedingWork.contains(t):
                progress.append(
                    "target met, still needs work: \(label); reached \(Layout.grade(t.metGrade)) on \(t.metOn.map(String.init(describing:)) ?? "?"), now \(Layout.grade(t.latestGrade ?? t.metGrade))"
                )
            case .met:
                good.append(
                    "target met: \(label); reached \(Layout.grade(t.metGrade)) on \(t.metOn.map(String.init(describing:)) ?? "?")"
                )
            case .missed:
                add(
                    .targetMissed,
                    "target not reached by \(t.target.reviewBy): \(label); latest \(Layout.grade(t.latestGrade ?? t.gradeWhenSet))"
                )
            case .notReviewed:
                add(.targetNotReviewed, "target not reviewed: \(label); no assessment since it was set on \(t.setOn)")
            case .open: open.append("target open: \(label)")
            }
        }
        for d in review.siblingDisparities {
            add(
                .siblingDisparity,
                "sibling disparity: care of \(firstName) is graded \(d.grade) in \(title(d.area)), \(d.grade.rawValue - d.bestGrade.rawValue) worse than \(name(d.bestSibling))'s \(d.bestGrade)"
            )
        }
        if review.leftOut {
            add(.childNotAssessedOrLeftOut, "\(firstName) was not in the latest assessment while a sibling was")
        }
        func carerWords(_ c: CarerID) -> String {
            let carer = family.carers.first { $0.id == c }
            let rel = carer?.relationship(to: review.childId)?.words ?? "carer"
            return "\(carer?.name ?? c.rawValue) (\(rel)\(carer?.livesWithChildren == false ? ", living elsewhere" : ""))"
        }
        for c in review.carersNotIncluded {
            add(
                .carerNotIncluded,
                "carer not included: \(carerWords(c)) was not covered by the latest assessment of \(firstName)")
        }
        if review.escalationReviewDue, let since = review.escalationSince {
            let decided = review.decision.map { "the latest decision, \($0.level.words) on \($0.date)" } ?? "no decision recorded"
            add(
                .escalationReviewDue,
                "escalation review due: care of \(firstName) has needed work since \(since) (\(Layout.duration(days: since.days(to: review.asOf))); \(decided)) and no area that needed work then is now better than \(policy.needsWorkFrom)"
            )
        }
        if review.childViewMissing {
            add(
                .childViewMissing,
                "child's view missing: the latest assessment records neither \(firstName)'s view nor why it could not be obtained"
            )
        }
        if review.notSeenAlone {
            let why =
                review.latest?.heard == .declined
                ? "declined to give a view"
                : review.latest?.heard == .notSeenAlone ? "gave no view: not seen alone" : "was not seen alone"
            add(.childNotSeenAlone, "child not seen alone: at the latest assessment \(firstName) \(why)")
        }
        if !review.fathersNotIncluded.isEmpty {
            add(
                .fatherNotIncluded,
                "father not included: \(review.fathersNotIncluded.map(carerWords).joined(separator: ", ")) not covered by the latest assessment of \(firstName)"
            )
        }
        if review.fatherNotRecorded {
            add(.fatherNotRecorded, "father not recorded: no father of \(firstName) is recorded and no reason is given")
        }
        if review.noUnannouncedVisit {
            add(
                .noUnannouncedVisit,
                "no unannounced visit: care of \(firstName) needed work and every visit of the latest assessment was announced")
        }
        let decisions = review.decisions.map { d in
            "\(d.date) \(d.level.words): \(d.reason) (\(d.id)\(d.supersedes.map { ", corrects \($0)" } ?? ""))"
        }
        var spells: String?
        if !review.spells.isEmpty {
            let list = review.spells.map { "\($0.start) to \($0.end.map(String.init(describing:)) ?? "now")" }
            spells =
                "\(review.spells.count) spell\(review.spells.count == 1 ? "" : "s") (\(list.joined(separator: "; "))), \(review.cumulativeDays) days in all"
        }
        let ordered = attention.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element.1)
        return SummaryLists(
            spells: spells, flags: flagWords(review, policy: policy), needsAttention: ordered, progress: progress,
            openTargets: open, goingWell: good, decisions: decisions)
    }

    static func family(
        index: FamilyIndex, review: FamilyReview, instrument inst: ValidatedInstrument, policy: Policy, asOf: CalendarDate
    ) -> String {
        let names = titles(inst)
        let f = index.family
        var s = "Family \(f.ref) (\(f.id)) · as of \(asOf)\n"
        if let latest = review.latestAssessment, let a = index.assessments.first(where: { $0.id == latest }) {
            s += "Latest final assessment \(latest) on \(a.date)\n"
        } else {
            s += "No final assessment yet.\n"
        }
        if !review.expected.isEmpty {
            let who = review.expected.compactMap { id in f.children.first { $0.id == id }?.name }
            s += "Expected (born after \(asOf), not counted): \(who.joined(separator: ", "))\n"
        }
        s += "\n"
        let kids = review.children.compactMap { r in f.children.first { $0.id == r.childId }.map { ($0, r) } }
        // First names and ages in years keep the siblings' table within 80 columns; full names follow below.
        var rows = [["Area"] + kids.map { c, _ in "\(Summaries.firstName(c.name)) (\(c.born.wholeMonths(to: asOf) / 12)y)" }]
        for area in inst.areas {
            rows.append(
                [area.title]
                    + kids.map { _, r in
                        guard let a = r.area(area.linkId) else { return "not assessed" }
                        return "\(a.analysis.latest.grade) \(Render.short(a.analysis.trend))"
                    })
        }
        s += Layout.table(rows) + "\n"
        s += "  Grades: 1 best … 5 worst; \(policy.needsWorkFrom) or worse needs work.\n\n"
        let familyFlags = familyFlagWords(family: f, review: review, names: names)
        s += "Family flags:\n" + Layout.bullets(familyFlags.isEmpty ? ["none"] : familyFlags)
        for (child, r) in kids {
            s += "\n\(child.name) (\(child.id)):\n"
            if r.assessments == 0 {
                s += "  No final assessment yet.\n"
                if !r.flags.isEmpty { s += "  Flags, most severe first:\n" + flagLines(r, policy: policy, indent: "    ") }
                continue
            }
            s += sections(review: r, names: names, policy: policy, children: f.children, family: f, indent: "  ")
        }
        return s
    }

    /// The family's flags in the summary's words: sibling disparities, children not assessed or left out, carers
    /// not included.
    static func familyFlagWords(family f: IndexedFamily, review: FamilyReview, names: [LinkID: String]) -> [String] {
        var familyFlags: [String] = []
        func name(_ id: ChildID) -> String { f.children.first { $0.id == id }?.name ?? id.rawValue }
        for d in review.siblingDisparities {
            familyFlags.append(
                "sibling disparity: care of \(name(d.childId)) is graded \(d.grade) in \(names[d.area] ?? d.area.rawValue), \(name(d.bestSibling))'s \(d.bestGrade)"
            )
        }
        for r in review.children where r.notAssessed {
            familyFlags.append(
                "child not assessed: \(name(r.childId)) has no final assessment while a sibling has"
                    + (r.teenager ? " (teenager)" : ""))
        }
        for r in review.children where r.leftOut {
            familyFlags.append(
                "child left out: \(name(r.childId)) was not in the latest assessment while a sibling was"
                    + (r.teenager ? " (teenager)" : ""))
        }
        for r in review.children where r.fatherNotRecorded {
            familyFlags.append("father not recorded: no father of \(name(r.childId)) is recorded and no reason is given")
        }
        for c in review.carersNotIncluded {
            let carer = f.carers.first { $0.id == c }
            familyFlags.append(
                "carer not included: \(carer?.name ?? c.rawValue) (\(carer?.relationship.words ?? "carer")) was not covered by the latest assessment"
            )
        }
        return familyFlags
    }
}
