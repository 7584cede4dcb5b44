import Foundation
import GCP2Core
import GCP2Report
import GCP2Store

/// `show`, `history`, `compare`, `summary`, `caseload`.
enum ReportCommands {
    static let children = Option<String>("child", "CHILD", repeatable: true, kind: .child, help: "only these children")
    static let evidence = Flag("evidence", help: "include each item's evidence and reasons")
    static let version = Option<Int>(
        "assessment-version", "N", kind: .number, help: "a stored version other than the latest"
    ) { v in
        guard let n = Int(v), n > 0 else {
            throw UsageError.invalidValue(option: "--assessment-version", value: v, expected: "a version number 1, 2, …")
        }
        return n
    }
    static let child = Argument<String>("CHILD", kind: .child, help: "the child's id, full name or first name")
    static let before = Argument<AssessmentID>.id(
        "A", optional: true, kind: .assessment, help: "the earlier assessment (default: the latest but one)")
    static let after = Argument<AssessmentID>.id(
        "B", optional: true, kind: .assessment, help: "the later assessment (default: the latest)")
    static let compareChild = Option<String>(
        "child", "CHILD", required: true, kind: .child, help: "the child (id, full name or first name)")
    static let items = Flag("items", help: "show item rows as well")
    static let summaryChild = Argument<String>(
        "CHILD", optional: true, kind: .child, help: "the child's id, full name or first name")
    static let family = Option<FamilyID>.id("family", "FAMILY", kind: .family, help: "siblings side by side")
    static let asOf = Option.date("as-of", help: "as of this date (default: today)")
    static let summaryFormat = Option<CaseloadQuery.Format>.choice(
        "format", "FORMAT", help: "text (default) or json; with --family also markdown or csv (one row per child)")

    static let commands = [
        Command(
            "show", "one assessment's profiles: grades, bands, strengths, concerns, targets",
            arguments: [AssessmentCommands.assessment], options: [children, evidence, version],
            examples: ["gcp2 show f-k2m9q7-a1", "gcp2 show f-k2m9q7-a1 --child Rae --evidence"], run: show),
        Command(
            "history", "a child's assessments over time", arguments: [child],
            examples: ["gcp2 history f-k2m9q7-c1", "gcp2 history Rae --json"], run: history),
        Command(
            "compare", "compare two assessments of a child (default: the latest two)",
            arguments: [before, after], options: [compareChild, items],
            examples: ["gcp2 compare --child f-k2m9q7-c1", "gcp2 compare f-k2m9q7-a1 f-k2m9q7-a4 --child f-k2m9q7-c1"],
            run: compare),
        Command(
            "summary", "trends and flags over a child's whole series, or a family's", arguments: [summaryChild],
            options: [family, asOf, summaryFormat],
            examples: [
                "gcp2 summary f-k2m9q7-c1", "gcp2 summary --family f-k2m9q7",
                "gcp2 summary --family f-k2m9q7 --format markdown",
            ], run: summary),
        Command(
            "caseload", "the supervisor's view: one line per child, most severe first, with counts per flag",
            options: [asOf] + CaseloadQuery.options,
            discussion:
                "Filters combine: every option must hold, and a repeated option holds if any of its values does. Docs/cli.md lists the CSV columns.",
            examples: [
                "gcp2 caseload --flag drift --overdue --sort overdue --wide",
                "gcp2 caseload --team east --by family --limit 10",
                "gcp2 caseload --area safety --grade-from 4 --format csv > safety.csv",
            ], run: caseload),
    ]

    @Sendable static func show(_ c: Context) throws {
        let store = try c.openStore()
        let id = try c.args.required(AssessmentCommands.assessment)
        let version = try c.args.value(Self.version)
        let a = try store.assessment(id, version: version)
        let family = try store.family(a.familyId)
        var profiles = try store.profiles(of: a, family: family, today: c.env.today)
        // Children by id, full name or first name, within the assessment's family.
        let only = try c.args.values(children).map { try c.child($0, in: a.familyId, store: store) }
        if !only.isEmpty {
            for w in only where !profiles.contains(where: { $0.childId == w }) {
                throw StoreError.notFound(kind: "profile for child", id: "\(w) in assessment \(id)")
            }
            profiles = profiles.filter { only.contains($0.childId) }
        }
        // Who recorded, finalised, amended or withdrew it, and when: the audit log's entries for it.
        let events = try Casework(store).audit(AuditFilter(assessment: id))
        if c.json {
            var out = ShowOutput(a, profiles: profiles, family: family)
            out.history = AuditOutput(events: events, changes: [:]).events
            c.out.json(out)
        } else {
            c.out.text(
                Render.assessment(
                    a.shown, profiles: profiles, family: family.shown, evidence: c.args.flag(evidence), events: events))
        }
    }

    /// The child and their family's index, from a child id.
    static func child(_ c: Context, _ store: Store, _ text: String) throws -> (Child, FamilyIndex) {
        try Casework(store).child(try c.child(text, store: store))
    }

    @Sendable static func history(_ c: Context) throws {
        let store = try c.openStore()
        let (child, index) = try child(c, store, c.args.required(Self.child))
        let inst = try store.currentInstrument()
        let rows = index.assessments.compactMap { a -> HistoryOutput.Entry? in
            guard let p = a.profiles.first(where: { $0.childId == child.id }) else { return nil }
            return HistoryOutput.Entry(
                assessmentId: a.id, version: a.version, status: a.status, date: a.date,
                counted: a.status.countsInSeries,
                areas: Dictionary(
                    uniqueKeysWithValues: inst.areas.compactMap { ar in
                        p.grade(ar.linkId).map { (ar.linkId.rawValue, $0.rawValue) }
                    }))
        }
        if c.json {
            c.out.json(HistoryOutput(childId: child.id, familyId: index.family.id, assessments: rows))
            return
        }
        c.out.line("\(child.shown.name) (\(child.id)) · family \(Shown.line(index.family.ref)) · born \(child.born)")
        if rows.isEmpty {
            c.out.line("No assessments yet.")
            return
        }
        c.out.line()
        var table = [["Date", "Assessment", "Status"] + inst.areas.map(\.code)]
        for r in rows {
            let status = r.status.words + (r.counted ? "" : " (not counted)")
            table.append(
                [r.date.description, r.assessmentId.rawValue, status]
                    + inst.areas.map { ar in r.areas[ar.linkId.rawValue].map { "\($0) \(Layout.bar(Grade(rawValue: $0)))" } ?? "–"
                    })
        }
        c.out.text(Layout.table(table, indent: ""))
        c.out.line()
        c.out.text(
            Layout.wrapped(
                "",
                "Grades: 1 best … 5 worst; █ per grade, fewer is better. Areas: "
                    + inst.areas.map { "\($0.code) \($0.title)" }.joined(separator: ", ") + ".",
                indent: "  "))
        c.out.line("`gcp2 summary \(child.id)` shows the trends;")
        c.out.line("`gcp2 compare --child \(child.id)` the latest change.")
    }

    @Sendable static func compare(_ c: Context) throws {
        let childText = try c.args.required(compareChild)
        let store = try c.openStore()
        let childId = try c.child(childText, store: store)
        let ids: (AssessmentID, AssessmentID)?
        switch (try c.args.value(before), try c.args.value(after)) {
        case (let a?, let b?):
            guard a != b else {
                throw UsageError.invalidValue(option: "B", value: b.rawValue, expected: "an assessment other than A")
            }
            ids = (a, b)
        case (nil, _): ids = nil
        case (_?, nil):
            throw UsageError.missingArgument(name: "a second assessment B (or none, for the latest two)", command: "compare")
        }
        let account: Casework.ComparisonAccount
        switch try Casework(store).compare(child: childId, ids?.0, ids?.1) {
        case .success(let found): account = found
        case .failure(.tooFewFinals(let id, let count)):
            throw CLIFailure(
                message: "\(id) has \(count) final assessment\(count == 1 ? "" : "s"); a comparison needs two",
                hint: "record and finalise a review assessment first", code: .dataError)
        }
        for w in account.withdrawn { c.out.warn("\(w) was withdrawn (entered in error); it is compared as recorded") }
        let (cmp, child) = (account.comparison, account.child)
        if c.json {
            c.out.json(CompareOutput(childId: child.id, comparison: cmp))
            return
        }
        c.out.text(
            renderCompare(
                cmp, child: child, items: c.args.flag(items), policy: store.policy, family: account.index.family.family))
    }

    /// The child's final assessments in force, as the review reads them.
    static func finalSeries(_ index: FamilyIndex, child: ChildID) -> [ProfileSummary] {
        FamilyAssessmentSummary.series(of: child, in: index.effectiveFinals)
    }

    static func renderCompare(_ cmp: Comparison, child: Child, items: Bool, policy: Policy, family: Family) -> String {
        var s =
            "\(child.name): \(cmp.before.assessmentId) (\(cmp.before.date)) → \(cmp.after.assessmentId) (\(cmp.after.date))\n\(cmp.daysBetween) day\(cmp.daysBetween == 1 ? "" : "s") apart\n\n"
        var rows = [["", "Before", "After", "Change"]]
        for r in cmp.rows where r.level != .item || items {
            let indent = r.level == .area ? "" : r.level == .subArea ? "  " : "    "
            var change = Layout.arrow(r.direction)
            if let d = r.change, d != 0 { change += " by \(abs(d))" }
            rows.append(["\(indent)\(r.code) \(r.title)", Layout.grade(r.before), Layout.grade(r.after), change])
        }
        s += Layout.table(rows) + "\n"
        s += "  Grades: 1 best … 5 worst; \(policy.needsWorkFrom) or worse needs work.\n\n"
        func line(_ r: ComparisonRow) -> String {
            var text = "\(r.code) \(r.title): \(Layout.grade(r.before)) → \(Layout.grade(r.after))"
            if r.new { text += " (new: now needs work)" }
            if r.resolved { text += " (resolved: no longer needs work)" }
            if r.section == .stillNeedsWork && r.before == nil { text += " (not graded before)" }
            return text
        }
        let headings: [(ComparisonSection, String)] = [
            (.worse, "Got worse"), (.stillNeedsWork, "Still needs work (\(policy.needsWorkFrom) or worse in both)"),
            (.improved, "Improved"),
        ]
        for (section, heading) in headings {
            let listed = cmp.rows(in: section).filter { $0.level != .item || items || section == .worse }
            s += "\(heading):\n" + Layout.bullets(listed.isEmpty ? ["nothing"] : listed.map(line))
        }
        let titles = Dictionary(cmp.rows.map { ($0.linkId, "\($0.code) \($0.title)") }, uniquingKeysWith: { a, _ in a })
        if !cmp.targets.isEmpty {
            s += "Targets set on \(cmp.before.date), as of \(cmp.after.date):\n"
            s += Layout.bullets(
                cmp.targets.map { t in
                    let label = titles[t.target.linkId] ?? t.target.linkId.rawValue
                    let plan = t.target.planWords(in: family)
                    return
                        "\(label) to reach \(t.target.grade): \(t.statusWords); was \(Layout.grade(t.gradeWhenSet)), now \(Layout.grade(t.latestGrade))"
                        + (plan.isEmpty ? "" : "; plan: \(plan)")
                })
        }
        if !cmp.unmatched.isEmpty {
            s += "Not compared (not in this instrument version): \(cmp.unmatched.map(\.rawValue).joined(separator: ", "))\n"
        }
        return s
    }

    @Sendable static func summary(_ c: Context) throws {
        let format = try CaseloadQuery.format(try c.args.value(summaryFormat), json: c.json)
        let asOf = try c.args.value(Self.asOf) ?? c.env.today
        let store = try c.openStore()
        let work = Casework(store)
        if let fid = try c.args.value(family) {
            if try c.args.value(summaryChild) != nil {
                throw UsageError.conflicting("give either CHILD or --family FAMILY, not both")
            }
            let account = try work.reviewFamily(fid, asOf: asOf)
            let (index, fam, inst) = (account.index, account.review, account.instrument)
            switch format {
            case .json: c.out.json(FamilySummaryOutput(familyId: fid, asOf: asOf, family: fam))
            case .text:
                c.out.text(
                    Summaries.family(index: index.shown, review: fam, instrument: inst, policy: store.policy, asOf: asOf))
            case .csv, .markdown:
                // One row per child, the caseload's lines for this family.
                var one = CaseloadBuilder(policy: store.policy, instrument: inst, asOf: asOf)
                one.add(index)
                let r = try CaseloadResult(caseload: one.build(), query: CaseloadQuery(), needStaff: true) {
                    try store.assessors(of: $0)
                }
                warnUnread(c, r)
                if format == .csv {
                    c.env.write(CaseloadTable.csv(r, instrument: inst))
                } else {
                    let flags = Summaries.familyFlagWords(family: index.family, review: fam, names: Summaries.titles(inst))
                    c.out.text(
                        CaseloadTable.markdown(
                            r, instrument: inst, policy: store.policy,
                            title: "Family \(index.family.ref) (\(fid)) as of \(asOf)")
                            + "\nFamily flags:\n\n"
                            + (flags.isEmpty ? ["none"] : flags).map { "- " + CaseloadTable.markdownCell($0) + "\n" }.joined())
                }
            }
            return
        }
        if format == .csv || format == .markdown {
            throw UsageError.conflicting(
                "--format \(format.rawValue) applies to `summary --family FAMILY`; a child's summary is text or json")
        }
        guard let text = try c.args.value(summaryChild) else {
            throw UsageError.missingArgument(name: "CHILD (or --family FAMILY)", command: "summary")
        }
        let account = try work.reviewChild(try c.child(text, store: store), asOf: asOf)
        let (child, index, fam, inst) = (account.child, account.family.index, account.family.review, account.family.instrument)
        guard let review = account.review else {
            throw CLIFailure(
                message:
                    "\(child.name) (\(child.id)) is expected on \(child.born), after \(asOf): there is nothing to summarise yet",
                hint: "give --as-of on or after \(child.born)", code: .dataError)
        }
        if format == .json {
            c.out.json(ChildSummaryOutput(review: review))
            return
        }
        c.out.text(
            Summaries.child(
                child.shown, review: review, family: fam, index: index.shown, instrument: inst, policy: store.policy))
    }

    @Sendable static func caseload(_ c: Context) throws {
        let format = try CaseloadQuery.format(try c.args.value(CaseloadQuery.formatOption), json: c.json)
        let asOf = try c.args.value(Self.asOf) ?? c.env.today
        let store = try c.openStore()
        let inst = try store.currentInstrument()
        let query = try CaseloadQuery.bind(c.args, instrument: inst)
        let (caseload, damaged) = try Casework(store).caseload(asOf: asOf)
        for d in damaged { c.out.warn("left out of the caseload: \(d)") }
        let needStaff = format == .csv || format == .markdown || (format == .text && query.wide)
        let result = try CaseloadResult(caseload: caseload, query: query, needStaff: needStaff) {
            try store.assessors(of: $0)
        }
        warnUnread(c, result)
        switch format {
        case .json: c.out.json(CaseloadOutput(result))
        case .csv: c.env.write(CaseloadTable.csv(result, instrument: inst))  // CRLF rows, written as they are
        case .markdown: c.out.text(CaseloadTable.markdown(result, instrument: inst, policy: store.policy))
        case .text: c.out.text(CaseloadTable.text(result, instrument: inst, policy: store.policy))
        }
    }

    /// Warns when an assessment's assessors were needed but its document could not be read.
    static func warnUnread(_ c: Context, _ r: CaseloadResult) {
        guard !r.unread.isEmpty else { return }
        let some = r.unread.sorted().prefix(3).map(\.rawValue).joined(separator: ", ")
        c.out.warn(
            "the assessors of \(r.unread.count) assessment\(r.unread.count == 1 ? "" : "s") could not be read (\(some)\(r.unread.count > 3 ? ", …" : "")); `gcp2 doctor` checks them"
        )
    }
}
