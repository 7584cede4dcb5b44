import GCP2Core

/// Self-contained HTML5 reports: inline CSS and inline SVG only, no script, nothing loaded from elsewhere, and no
/// generation time or machine path, so the same store and as-of date give the same bytes.
public enum Report {
    /// The document around a report's body.
    static func document(title: String, body: String) -> String {
        var h = HTML()
        h.raw("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        h.raw("<meta name=\"referrer\" content=\"no-referrer\">\n")
        h.element("title", title)
        h.raw("\n<style>\n\(Style.css)\n</style>\n</head>\n<body>\n")
        h.raw(body)
        h.raw("</body>\n</html>\n")
        return h.text
    }

    /// The footer every report ends with: instrument, as-of date and gcp2 version.
    static func footer(_ inst: ValidatedInstrument, asOf: CalendarDate, version: String) -> String {
        var h = HTML()
        h.raw("<footer class=\"report\"><p>Instrument ")
        h.esc("\(inst.id) version \(inst.version), digest \(inst.digest)")
        h.raw("<br>As of ")
        h.esc(
            "\(asOf) · written by gcp2 \(version) from the store's final assessments (amendments applied, withdrawn assessments left out)."
        )
        h.raw(
            "<br>Grades: 1 best … 5 worst. Every judgement here is the one `gcp2 summary` and `gcp2 caseload` make.</p></footer>\n"
        )
        return h.text
    }

    /// `Name (id)` of a child of the family, escaped and isolated.
    static func childName(_ family: Family, _ id: ChildID) -> String { family.child(id)?.name ?? id.rawValue }

    /// The family report: a family block, then each child on their own page.
    public static func family(_ input: FamilyReportInput) -> String {
        let f = input.family, fam = input.review, p = input.policy, inst = input.instrument
        var h = HTML()
        h.raw("<header class=\"report\"><h1>GCP2 family report: ")
        h.raw(HTML.name(f.ref))
        h.esc(" (\(f.id))")
        h.raw("</h1><p class=\"meta\">")
        h.esc("As of \(fam.asOf) · ")
        if let latest = fam.latestAssessment, let date = input.latestAssessmentDate {
            h.esc("latest final assessment \(latest) on \(date)")
        } else {
            h.esc("no final assessment yet")
        }
        h.esc(" · Grades: 1 best … 5 worst; \(p.needsWorkFrom) or worse needs work.")
        h.raw("</p>")
        if !fam.expected.isEmpty {
            h.raw("<p class=\"meta\">")
            h.esc("Expected (born after \(fam.asOf), not counted): ")
            h.raw(fam.expected.map { HTML.name(childName(f, $0)) }.joined(separator: ", "))
            h.raw("</p>")
        }
        h.raw("</header>\n<main>\n")
        h.raw(familyBlock(input))
        for c in input.children { h.raw(child(c, input: input)) }
        h.raw("</main>\n")
        h.raw(footer(inst, asOf: fam.asOf, version: input.gcp2Version))
        return document(title: "GCP2 family report: \(f.ref) as of \(fam.asOf)", body: h.text)
    }

    /// Siblings side by side, the family flags, the carers and who the latest assessment covered.
    static func familyBlock(_ input: FamilyReportInput) -> String {
        let f = input.family, fam = input.review, inst = input.instrument
        var h = HTML()
        h.raw("<section class=\"family\" aria-labelledby=\"family-h\"><h2 id=\"family-h\">The family</h2>\n")
        h.raw("<h3>Family flags</h3>")
        if input.familyFlags.isEmpty {
            h.raw("<ul class=\"flags\"><li class=\"none\">none</li></ul>\n")
        } else {
            h.list(input.familyFlags, cls: "flags")
        }
        h.raw("<h3>Carers</h3>")
        h.table(
            id: "carers-\(f.id)", caption: "Carers and who the latest final assessment covered",
            header: ["Carer", "Relationship", "Covered by the latest final assessment"],
            rows: f.carers.map { c in
                [
                    c.name, c.relationship.words,
                    fam.latestAssessment == nil ? "no final assessment yet" : input.coveredCarers.contains(c.id) ? "yes" : "no",
                ]
            }, cls: "plain")
        h.raw("<h3>Siblings side by side</h3>\n")
        h.raw(legend(inst.bands))
        h.raw("<div class=\"siblings\">")
        for c in input.children {
            let r = c.review
            let rows = inst.areas.map { a in
                Chart.ProfileRow(
                    label: "\(a.code) \(a.title)", isArea: true, latest: r.latest?.grade(a.linkId),
                    previous: previousGrade(r, a.linkId))
            }
            let id = "sib-\(c.child.id)"
            h.raw("<figure><figcaption>")
            h.raw(HTML.name(c.child.name))
            h.esc(", \(c.age)")
            h.raw("</figcaption>")
            let desc =
                r.latest == nil
                ? "No final assessment yet."
                : "Latest area grades of \(c.child.name): "
                    + rows.map { "\($0.label) \($0.latest.map(String.init(describing:)) ?? "not graded")" }.joined(
                        separator: "; ") + ". The same numbers are in the table of siblings side by side."
            h.raw(
                Chart.profile(
                    id: id, table: "siblings-\(f.id)", title: "Area grades of \(c.child.name) at their latest assessment",
                    desc: desc, rows: rows,
                    bands: inst.bands, labelWidth: 160, plotWidth: 132, rowHeight: 18, compact: true))
            h.raw("</figure>")
        }
        h.raw("</div>\n")
        h.table(
            id: "siblings-\(f.id)",
            caption: "Siblings side by side: latest area grade and trend, each at their own latest final assessment",
            header: ["Area"] + input.children.map { "\($0.child.name) (\($0.age))" },
            rows: inst.areas.map { a in
                ["\(a.code) \(a.title)"]
                    + input.children.map { c in
                        guard let l = c.review.area(a.linkId) else { return "not assessed" }
                        return "\(l.analysis.latest.grade) (\(l.analysis.trend.words))"
                    }
            })
        h.raw("</section>\n")
        return h.text
    }

    /// One legend for the small charts side by side: bands (tint and pattern, with words), latest and previous.
    static func legend(_ b: BandThresholds) -> String {
        let borderline = b.borderlineMax == b.strengthMax + 1 ? "\(b.borderlineMax)" : "\(b.strengthMax + 1)–\(b.borderlineMax)"
        return "<p class=\"legend\"><span class=\"sw sw-strength\"></span> strength 1–\(b.strengthMax) "
            + "<span class=\"sw sw-borderline\"></span> borderline \(borderline) "
            + "<span class=\"sw sw-concern\"></span> concern \(b.borderlineMax + 1)–5 · "
            + "<span class=\"sw sw-bar\"></span> latest assessment <span class=\"sw sw-prev\"></span> previous assessment</p>\n"
    }

    /// The previous assessment's grade of a level: the grade before the latest assessment's, when the latest
    /// assessment graded it; otherwise the latest it had.
    static func previousGrade(_ r: ChildReview, _ id: LinkID) -> Grade? {
        guard let level = r.area(id) ?? r.subAreas.first(where: { $0.linkId == id }) else { return nil }
        if let latest = r.latest, level.analysis.latest.date == latest.date { return level.analysis.previous?.grade }
        return level.analysis.latest.grade
    }

    /// Titles of the instrument's areas, sub-areas and items, with their codes.
    static func label(_ inst: ValidatedInstrument, _ id: LinkID) -> String {
        inst.node(id).map { "\($0.code) \($0.title)" } ?? id.rawValue
    }

    /// One child's page: header and flags, profile chart, trend charts, the summary's lists, targets, views and
    /// overrides.
    static func child(_ c: ChildReportInput, input: FamilyReportInput) -> String {
        let r = c.review, inst = input.instrument, p = input.policy
        let cid = c.child.id.rawValue
        var h = HTML()
        h.raw("<section class=\"child\" id=\"child-\(HTML.escape(cid))\" aria-labelledby=\"child-\(HTML.escape(cid))-h\">\n")
        h.raw("<header class=\"child\"><h2 id=\"child-\(HTML.escape(cid))-h\">")
        h.raw(HTML.name(c.child.name))
        h.esc(" (\(cid))")
        h.raw("</h2><p class=\"meta\">")
        h.esc("Age \(c.age) on \(r.asOf) · born \(c.child.born) · ")
        if let latest = r.latest {
            let first = c.series.first?.date ?? latest.date
            h.esc(
                "\(r.assessments) final assessment\(r.assessments == 1 ? "" : "s") counted, \(first) to \(latest.date)")
        } else {
            h.esc("no final assessment yet")
        }
        h.raw("</p>\n<h3>\(HTML.escape(SummaryLists.flagsHeading))</h3>")
        if c.lists.flags.isEmpty {
            h.raw("<ul class=\"flags\"><li class=\"none\">no flags</li></ul>\n")
        } else {
            h.list(c.lists.flags, cls: "flags")
        }
        h.raw("</header>\n")
        guard let latest = r.latest else {
            h.raw("<p>No final assessment yet: there are no grades to chart.</p>\n</section>\n")
            return h.text
        }
        h.raw(profileFigure(c, inst: inst, latest: latest))
        h.raw(trendFigures(c, inst: inst, policy: p))
        h.raw(listsBlock(c.lists, policy: p))
        h.raw(targetsBlock(c, inst: inst, family: input.family))
        h.raw(viewsBlock(c))
        h.raw("</section>\n")
        return h.text
    }

    static func profileFigure(_ c: ChildReportInput, inst: ValidatedInstrument, latest: ProfileSummary) -> String {
        let r = c.review, cid = c.child.id.rawValue
        var rows: [Chart.ProfileRow] = []
        for a in inst.areas {
            rows.append(
                Chart.ProfileRow(
                    label: "\(a.code) \(a.title)", isArea: true, latest: latest.grade(a.linkId),
                    previous: previousGrade(r, a.linkId)))
            for s in a.subAreas {
                rows.append(
                    Chart.ProfileRow(
                        label: "\(s.code) \(s.title)", isArea: false, latest: latest.grade(s.linkId),
                        previous: previousGrade(r, s.linkId)))
            }
        }
        var h = HTML()
        h.raw("<figure class=\"side\"><figcaption>")
        h.esc("Profile at the latest assessment (\(latest.assessmentId), \(latest.date))")
        h.raw("</figcaption>")
        let desc =
            "Horizontal bars on the 1 to 5 scale (1 best) over the strength, borderline and concern bands: the latest grade solid, "
            + "the previous assessment's as a dashed outline. "
            + rows.filter(\.isArea).map { row in
                "\(row.label): \(row.latest.map(String.init(describing:)) ?? "not graded")"
                    + (row.previous.map { ", previously \($0)" } ?? "")
            }.joined(separator: "; ") + ". Every sub-area is in the table that follows."
        h.raw(
            Chart.profile(
                id: "profile-chart-\(cid)", table: "profile-\(cid)", title: "Profile of \(c.child.name) at \(latest.date)",
                desc: desc, rows: rows,
                bands: inst.bands, labelWidth: 200, plotWidth: 340))
        h.table(
            id: "profile-\(cid)", caption: "Profile in numbers", header: ["Area or sub-area", "Latest", "Previous", "Band"],
            rows: rows.map { row in
                [
                    row.label, row.latest.map(String.init(describing:)) ?? "–",
                    row.previous.map(String.init(describing:)) ?? "–",
                    row.latest.map { inst.bands.band(of: $0).rawValue } ?? "not graded",
                ]
            })
        h.raw("</figure>\n")
        return h.text
    }

    /// Targets set on an area, one of its sub-areas or one of its items.
    static func targets(_ r: ChildReview, in area: LinkID) -> [TargetReview] {
        r.targets.filter { $0.target.linkId == area || $0.target.linkId.rawValue.hasPrefix(area.rawValue + ".") }
    }

    static func trendFigures(_ c: ChildReportInput, inst: ValidatedInstrument, policy p: Policy) -> String {
        let r = c.review, cid = c.child.id.rawValue
        guard let first = c.series.first?.date else { return "" }
        let end = ([r.asOf] + r.targets.map(\.target.reviewBy)).max()!
        var h = HTML()
        h.raw("<h3>Grades over time</h3>\n<p class=\"sr-note\">")
        h.esc(
            "Each area over every final assessment, spaced by date. Shaded: spells when any area needed work "
                + "(\(p.needsWorkFrom) or worse). Diamonds: targets at their review-by date.")
        h.raw("</p>\n<div class=\"charts\">")
        for a in inst.areas {
            guard let level = r.area(a.linkId) else { continue }
            let points = c.series.compactMap { s in s.grade(a.linkId).map { SeriesPoint(date: s.date, grade: $0) } }
            let ts = targets(r, in: a.linkId)
            let markers = ts.map { t in
                Chart.Marker(
                    date: t.target.reviewBy, grade: t.target.grade,
                    label: "\(label(inst, t.target.linkId)) to reach \(t.target.grade) by \(t.target.reviewBy): \(t.statusWords)")
            }
            let id = "trend-chart-\(cid)-\(a.linkId)"
            let desc =
                "\(a.title): grades \(points.map { "\($0.grade) on \($0.date)" }.joined(separator: ", ")); trend \(level.analysis.trend.words)."
                + (r.spells.isEmpty
                    ? ""
                    : " Spells needing work: "
                        + r.spells.map { "\($0.start) to \($0.end?.description ?? "now")" }.joined(separator: ", ") + ".")
                + (markers.isEmpty ? "" : " Targets: " + markers.map(\.label).joined(separator: "; ") + ".")
            h.raw("<figure><figcaption>")
            h.esc("\(a.code) \(a.title) — \(level.analysis.trend.words)")
            h.raw("</figcaption>")
            h.raw(
                Chart.trend(
                    id: id, table: "trend-\(cid)-\(a.linkId)", title: "\(a.title) over time for \(c.child.name)", desc: desc,
                    points: points, spells: r.spells,
                    markers: markers, from: first, to: end, needsWorkFrom: p.needsWorkFrom))
            h.table(
                id: "trend-\(cid)-\(a.linkId)", caption: "\(a.title) in numbers",
                header: ["Date"] + points.map(\.date.description),
                rows: [["Grade"] + points.map(\.grade.description)])
            h.raw("</figure>")
        }
        h.raw("</div>\n")
        if !r.spells.isEmpty {
            h.table(
                id: "spells-\(cid)", caption: SummaryLists.spellsHeading(p), header: ["From", "To", "Days"],
                rows: r.spells.map { [$0.start.description, $0.end?.description ?? "now (open)", "\($0.days)"] })
        }
        return h.text
    }

    /// The summary's lists under the summary's headings, worse news first.
    static func listsBlock(_ l: SummaryLists, policy p: Policy) -> String {
        var h = HTML()
        h.raw("<h3>What the assessments say</h3>\n<div class=\"lists\">")
        func block(_ heading: String, _ items: [String], empty: String?) {
            if items.isEmpty && empty == nil { return }
            h.raw("<div><h4>\(HTML.escape(heading))</h4>")
            h.list(items, empty: empty)
            h.raw("</div>")
        }
        if let spells = l.spells { block(SummaryLists.spellsHeading(p), [spells], empty: nil) }
        block(SummaryLists.needsAttentionHeading, l.needsAttention, empty: SummaryLists.nothing)
        block(SummaryLists.progressHeading, l.progress, empty: nil)
        block(SummaryLists.openTargetsHeading, l.openTargets, empty: nil)
        block(SummaryLists.goingWellHeading, l.goingWell, empty: SummaryLists.nothingGoingWell(p))
        block(SummaryLists.decisionsHeading, l.decisions, empty: nil)
        h.raw("</div>\n")
        return h.text
    }

    static func targetsBlock(_ c: ChildReportInput, inst: ValidatedInstrument, family: Family) -> String {
        let r = c.review
        guard !r.targets.isEmpty else { return "<h3>Targets</h3><p>No targets set.</p>\n" }
        var h = HTML()
        h.raw("<h3>Targets</h3>\n")
        h.table(
            id: "targets-\(c.child.id)", caption: "Targets, with their status as of \(r.asOf)",
            header: [
                "Target", "Grade to reach", "Set on", "Review by", "Grade when set", "Latest grade", "Status",
                "Plan (action, who, support)",
            ],
            rows: r.targets.map { t in
                let plan = t.target.planWords(in: family)
                return [
                    label(inst, t.target.linkId), "\(t.target.grade)", t.setOn.description, t.target.reviewBy.description,
                    t.gradeWhenSet?.description ?? "–", t.latestGrade?.description ?? "–", t.statusWords,
                    plan.isEmpty ? "not recorded" : plan,
                ]
            }, cls: "plain")
        return h.text
    }

    static func viewsBlock(_ c: ChildReportInput) -> String {
        var h = HTML()
        h.raw("<h3>Views</h3>\n")
        if let v = c.views {
            h.raw("<p class=\"meta\">")
            h.esc("From the latest final assessment (\(v.assessmentId), \(v.date)).")
            h.raw("</p><dl>")
            if !v.lines.contains(where: { $0.label.hasPrefix("Child's view") }) {
                h.raw("<dt>Child's view</dt><dd>not recorded, and no reason given</dd>")
            }
            for line in v.lines {
                h.raw("<dt>")
                h.esc(line.label)
                h.raw("</dt><dd>")
                h.esc(line.text)
                h.raw("</dd>")
            }
            h.raw("</dl>\n")
        } else {
            h.raw("<p>No views recorded.</p>\n")
        }
        h.raw("<h3>Overrides</h3>\n")
        if c.overrides.isEmpty {
            h.raw("<p>No grade in the latest final assessment differs from the rule's suggestion.</p>\n")
        } else {
            h.table(
                id: "overrides-\(c.child.id)", caption: "Grades confirmed differently from the rule's suggestion",
                header: ["Area or sub-area", "Suggested", "Rule", "Confirmed", "Rationale"],
                rows: c.overrides.map { o in
                    [
                        "\(o.code) \(o.title)", o.suggested?.description ?? "–", o.rule, o.confirmed?.description ?? "–",
                        o.rationale,
                    ]
                }, cls: "plain")
        }
        return h.text
    }
}
