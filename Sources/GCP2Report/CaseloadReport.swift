import GCP2Core

extension Report {
    /// The caseload report: the triage table in the severity order the caseload was built in (no script can
    /// re-sort it), then children per flag and per trend as small bar charts with their numbers.
    public static func caseload(_ input: CaseloadReportInput) -> String {
        let c = input.caseload, p = input.policy, inst = input.instrument
        var h = HTML()
        h.raw("<header class=\"report\"><h1>GCP2 caseload report</h1><p class=\"meta\">")
        var counts =
            "As of \(c.asOf) · \(c.children) \(c.children == 1 ? "child" : "children") in \(c.families) \(c.families == 1 ? "family" : "families")"
        if c.expected > 0 { counts += " (and \(c.expected) expected, not listed)" }
        h.esc(counts + " · most severe first · Grades: 1 best … 5 worst; \(p.needsWorkFrom) or worse needs work.")
        h.raw("</p>")
        h.raw("<p class=\"meta\">")
        h.esc(input.selection.isEmpty ? "Every family in the store." : "Selected: " + input.selection.joined(separator: "; "))
        h.raw("</p></header>\n<main>\n<section class=\"caseload\" aria-labelledby=\"triage-h\">")
        h.raw("<h2 id=\"triage-h\">Triage, most severe first</h2>\n")
        if c.lines.isEmpty {
            h.raw("<p>No children in the store yet.</p>\n")
        } else {
            let codes = inst.areas.map(\.code)
            h.raw("<table class=\"triage\" id=\"triage\"><caption>")
            h.esc(
                "One line per child, in the severity order (ties: worst area grade, then days needing work, then the younger child)"
            )
            h.raw("</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Family</th><th scope=\"col\">Child</th>")
            h.raw("<th scope=\"col\">Latest</th>")
            for (code, a) in zip(codes, inst.areas) {
                h.raw("<th scope=\"col\"><abbr title=\"\(HTML.escape(a.title))\">\(HTML.escape(code))</abbr></th>")
            }
            h.raw(
                "<th scope=\"col\">Trends</th><th scope=\"col\">Level</th><th scope=\"col\">Flags, most severe first</th></tr></thead><tbody>\n"
            )
            for (k, l) in c.lines.enumerated() {
                h.raw("<tr><td>\(k + 1)</td><td>")
                h.raw(HTML.name(l.familyRef))
                h.raw("</td><th scope=\"row\">")
                h.raw(HTML.name(l.childName))
                h.raw(" <span class=\"id\">(\(HTML.escape(l.childId.rawValue)))</span>")
                h.raw("</th><td>")
                h.esc(l.latestDate?.description ?? "none")
                h.raw("</td>")
                for a in l.areas { h.raw("<td>\(a.grade.map(String.init(describing:)) ?? "–")</td>") }
                h.raw("<td>")
                h.esc(l.areas.map { "\($0.code) \($0.trend?.words ?? "–")" }.joined(separator: ", "))
                h.raw("</td><td>")
                h.esc(l.level?.words ?? "–")
                h.raw("</td><td>")
                h.esc(
                    l.flags.isEmpty
                        ? "none" : l.flags.map(\.rawValue).joined(separator: ", ") + (l.teenager ? " (teenager)" : ""))
                h.raw("</td></tr>\n")
            }
            h.raw("</tbody></table>\n")
        }
        h.raw("</section>\n<section class=\"caseload\" aria-labelledby=\"flags-h\">")
        h.raw("<h2 id=\"flags-h\">Children with each flag, most severe first</h2>\n")
        let flagRows = CaseFlag.allCases.map { ($0.rawValue, c.flagCounts[$0.rawValue] ?? 0) }
        h.raw("<figure class=\"side\">")
        h.raw(
            Chart.counts(
                id: "flag-chart", table: "flag-counts", title: "Children with each flag",
                desc: flagRows.map { "\($0.0): \($0.1)" }.joined(separator: "; ") + ". The same numbers are in the table.",
                rows: flagRows))
        h.table(
            id: "flag-counts", caption: "Children with each flag", header: ["Flag", "Children", "Meaning"],
            rows: CaseFlag.allCases.map { [$0.rawValue, "\(c.flagCounts[$0.rawValue] ?? 0)", $0.words(p)] })
        h.raw("</figure>\n</section>\n<section class=\"caseload\" aria-labelledby=\"trends-h\">")
        h.raw("<h2 id=\"trends-h\">Latest trend per area</h2>\n<div class=\"charts\">")
        for a in inst.areas {
            let rows = Trend.allCases.map { ($0.words, c.trendCounts[a.linkId.rawValue]?[$0.rawValue] ?? 0) }
            h.raw("<figure><figcaption>")
            h.esc("\(a.code) \(a.title)")
            h.raw("</figcaption>")
            h.raw(
                Chart.counts(
                    id: "trend-count-chart-\(a.linkId)", table: "trend-counts-\(a.linkId)",
                    title: "Children by latest trend in \(a.title)",
                    desc: rows.map { "\($0.0): \($0.1)" }.joined(separator: "; ") + ". The same numbers are in the table.",
                    rows: rows, labelWidth: 150, plotWidth: 120))
            h.table(
                id: "trend-counts-\(a.linkId)", caption: "\(a.title): children by latest trend", header: ["Trend", "Children"],
                rows: rows.map { [$0.0, "\($0.1)"] })
            h.raw("</figure>")
        }
        h.raw("</div>\n</section>\n</main>\n")
        h.raw(footer(inst, asOf: c.asOf, version: input.gcp2Version))
        return document(title: "GCP2 caseload report as of \(c.asOf)", body: h.text)
    }
}
