import Foundation
import GCP2Core
import GCP2Report
import GCP2Store

/// `report family` and `report caseload`: self-contained HTML documents for screens, email and print. Each one
/// gathers what `summary` and `caseload` already compute and hands it to `GCP2Report`, which only lays it out.
enum ReportHTMLCommands {
    static let out = Option<String>(
        "out", "FILE", kind: .file, help: "write the report to FILE (mode 0600) instead of standard output")
    static let force = Flag("force", help: "with --out, replace an existing FILE")
    static let options: [any OptionDeclaration] = [ReportCommands.asOf, out, force]

    static let commands = [
        Command(
            "report family", "a family's report as one HTML page: each child's profile, grades over time, flags and lists",
            arguments: [FamilyCommands.family], options: options,
            discussion:
                "Inline CSS and SVG only: no script, nothing loaded from elsewhere. Prints A4 with each child on a new page.",
            examples: ["gcp2 report family f-k2m9q7 > family.html", "gcp2 report family f-k2m9q7 --out family.html"],
            run: family),
        Command(
            "report caseload",
            "the caseload as one HTML page: the triage table most severe first, and children per flag and trend",
            options: options + CaseloadQuery.filters,
            examples: [
                "gcp2 report caseload --out caseload.html", "gcp2 report caseload --flag drift --sort spell --out drift.html",
            ], run: caseload),
    ]

    @Sendable static func family(_ c: Context) throws {
        try refuseJSON(c)
        let asOf = try c.args.value(ReportCommands.asOf) ?? c.env.today
        let store = try c.openStore()
        let fid = try c.args.required(FamilyCommands.family)
        let account = try Casework(store).reviewFamily(fid, asOf: asOf)
        let (index, fam, inst) = (account.index, account.review, account.instrument)
        let family = index.family.family
        let names = Summaries.titles(inst)
        let latest = fam.latestAssessment.flatMap { id in index.assessments.first { $0.id == id } }
        var children: [ChildReportInput] = []
        for review in fam.children {
            guard let child = family.child(review.childId) else { continue }
            let series = ReportCommands.finalSeries(index, child: child.id).filter { $0.date <= asOf }
            let (views, overrides) = try recorded(store, family: family, child: child.id, latest: review.latest, asOf: asOf)
            children.append(
                ChildReportInput(
                    child: child, review: review, age: Layout.age(months: child.born.wholeMonths(to: asOf)), series: series,
                    lists: Summaries.lists(
                        review: review, names: names, policy: store.policy, children: family.children, family: index.family),
                    views: views, overrides: overrides))
        }
        let input = FamilyReportInput(
            family: family, review: fam, instrument: inst, policy: store.policy, latestAssessmentDate: latest?.date,
            coveredCarers: latest?.carers ?? [],
            familyFlags: Summaries.familyFlagWords(family: index.family, review: fam, names: names), children: children,
            gcp2Version: GCP2CLI.version)
        try emit(c, Report.family(input))
    }

    /// The child's and carers' views and the overrides of the child's latest final assessment, read from the
    /// assessment document itself (the index keeps no text).
    static func recorded(
        _ store: Store, family: Family, child: ChildID, latest: ProfileSummary?, asOf: CalendarDate
    ) throws -> (ChildViews?, [OverrideNote]) {
        guard let latest else { return (nil, []) }
        let a = try store.assessment(latest.assessmentId, version: latest.version)
        guard let record = a.profiles.first(where: { $0.childId == child }) else { return (nil, []) }
        let views = ChildViews(
            assessmentId: a.id, date: a.date,
            lines: Render.voiceLines(record, family: family).map { ChildViews.Line(label: $0.0, text: $0.1) })
        let profile = try store.profiles(of: a, family: family, today: asOf).first { $0.childId == child }
        let levels = profile.map { p in p.areas.flatMap { [$0.result] + $0.subAreas.map(\.result) } } ?? []
        let overrides = levels.filter(\.overridden).map { r in
            OverrideNote(
                code: r.code, title: r.title, suggested: r.suggested, rule: r.rule, confirmed: r.confirmed,
                rationale: r.rationale ?? "")
        }
        return (views, overrides)
    }

    @Sendable static func caseload(_ c: Context) throws {
        try refuseJSON(c)
        let store = try c.openStore()
        let (caseload, selection) = try selectedCaseload(c, store)
        let input = CaseloadReportInput(
            caseload: caseload, instrument: try store.currentInstrument(), policy: store.policy, selection: selection,
            gcp2Version: GCP2CLI.version)
        try emit(c, Report.caseload(input))
    }

    /// The caseload the report shows, and the selection in words. The seam for the caseload's filters: today only
    /// `--as-of` and the caseload's filters, sort and limit, applied exactly as `caseload` applies them; the
    /// filters in words are printed under the report's heading, and the counts are of the children listed.
    static func selectedCaseload(_ c: Context, _ store: Store) throws -> (Caseload, [String]) {
        let asOf = try c.args.value(ReportCommands.asOf) ?? c.env.today
        let inst = try store.currentInstrument()
        let query = try CaseloadQuery.bind(c.args, instrument: inst)
        let (caseload, damaged) = try Casework(store).caseload(asOf: asOf)
        for d in damaged { c.out.warn("left out of the caseload: \(d)") }
        guard query.filtered || query.limit != nil || query.sort != .severity else { return (caseload, []) }
        let result = try CaseloadResult(caseload: caseload, query: query, needStaff: false) { try store.assessors(of: $0) }
        ReportCommands.warnUnread(c, result)
        var listed = caseload
        listed.lines = result.listed
        listed.flagCounts = Dictionary(
            uniqueKeysWithValues: CaseFlag.allCases.map { f in
                (f.rawValue, listed.lines.filter { $0.flags.contains(f) }.count)
            })
        for a in inst.areas {
            listed.trendCounts[a.linkId.rawValue] = Dictionary(
                uniqueKeysWithValues: Trend.allCases.map { t in
                    (t.rawValue, listed.lines.filter { l in l.areas.contains { $0.linkId == a.linkId && $0.trend == t } }.count)
                })
        }
        var words = query.describe(inst)
        if query.sort != .severity { words.append("sorted by \(query.sort.rawValue)") }
        if let n = query.limit { words.append("the first \(n)") }
        words.append("\(result.listed.count) of \(caseload.children) children listed")
        return (listed, words)
    }

    static func refuseJSON(_ c: Context) throws {
        if c.json {
            throw UsageError.conflicting(
                "'report' writes HTML and has no --json; `gcp2 summary --json` and `gcp2 caseload --json` give the same data")
        }
    }

    /// Prints the document, or writes it to `--out` atomically with mode 0600, refusing to replace a file without
    /// `--force`.
    static func emit(_ c: Context, _ html: String) throws {
        guard let out = try c.args.value(Self.out) else {
            if c.args.flag(force) { throw UsageError.conflicting("--force only applies with --out FILE") }
            c.out.text(html)
            return
        }
        guard !out.isEmpty else { throw UsageError.invalidValue(option: "--out", value: out, expected: "a file name") }
        let path = out.hasPrefix("/") ? out : c.env.workingDirectory + "/" + out
        do {
            try ExportFile.write(Data(html.utf8), to: path, replace: c.args.flag(force))
        } catch {
            if case .alreadyExists = error {
                throw CLIFailure(
                    message: "\(out) already exists; the report was not written",
                    hint: "give --force to replace it, or choose another file", code: .cannotCreate)
            }
            throw error
        }
        c.out.line("Wrote \(out)")
    }
}
