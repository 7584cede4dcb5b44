import Foundation
import GCP2Core

/// What `caseload` was asked to list: filters (AND across options, OR within a repeated one), order, grouping
/// and limit. It reads only fields of the caseload's lines: no rule is computed again here.
struct CaseloadQuery: Sendable {
    /// `--sort` keys; `severity` is the domain's order, every other key falls back to it on ties.
    enum Sort: String, CaseIterable, Sendable {
        case severity, overdue, spell, cumulative, ref, latest

        var words: String {
            switch self {
            case .severity: "most severe first"
            case .overdue: "most overdue first"
            case .spell: "longest current spell needing work first"
            case .cumulative: "most days needing work first"
            case .ref: "by family reference"
            case .latest: "longest since the latest assessment first"
            }
        }
    }

    /// Output formats of `caseload` and `summary --family`.
    enum Format: String, CaseIterable, Sendable {
        case text, markdown, csv, json
    }

    var flags: Set<CaseFlag> = []
    var trends: Set<Trend> = []
    /// Areas `--trend`/`--grade-from` look at; empty means any area.
    var areas: [LinkID] = []
    var gradeFrom: Int?
    /// Lowercased, trimmed.
    var teams: Set<String> = []
    var assessors: Set<String> = []
    /// Family ids or references, lowercased.
    var families: Set<String> = []
    var ageFrom: Int?
    var ageTo: Int?
    var overdue = false
    var needsWorkDays: Int?
    var assessedFrom: CalendarDate?
    var assessedTo: CalendarDate?
    var neverAssessed = false
    var sort: Sort = .severity
    var limit: Int?
    var byFamily = false
    var wide = false
    /// The filters in words, in the order of `describe`.
    var described: [String] = []

    /// Whether any filter is set.
    var filtered: Bool { !described.isEmpty }
    /// Whether the filter needs each line's latest assessors (read from the assessment documents).
    var needsAssessors: Bool { !teams.isEmpty || !assessors.isEmpty }

    /// The options as `caseload` declares them.
    static let flag = Option<CaseFlag>.choice(
        "flag", "F", repeatable: true, help: "children with this flag; repeated: any of them")
    static let trend = Option<Trend>.choice(
        "trend", "T", repeatable: true, help: "children with an area of this trend (with --area: that area)")
    static let area = Option<String>(
        "area", "A", repeatable: true, help: "the area --trend or --grade-from looks at (id or code)")
    static let gradeFrom = Option<Int>(
        "grade-from", "N", kind: .choices(["1", "2", "3", "4", "5"]),
        help: "children with an area graded N or worse (with --area: that area)"
    ) { g in
        guard let n = Int(g), (1...5).contains(n) else {
            throw UsageError.invalidValue(option: "--grade-from", value: g, expected: "a grade 1 to 5")
        }
        return n
    }
    static let team = Option<String>(
        "team", "T", repeatable: true, help: "a team of the latest final assessment's assessors")
    static let assessor = Option<String>(
        "assessor", "NAME", repeatable: true, help: "an assessor of the latest final assessment")
    static let family = Option<String>(
        "family", "F", repeatable: true, kind: .family, help: "a family, by id or reference")
    static let ageFrom = Option.number("age-from", "Y", help: "children at least Y years old on the as-of date")
    static let ageTo = Option.number(
        "age-to", "Y", help: "children at most Y years old (completed years) on the as-of date")
    static let overdue = Flag("overdue", help: "children whose review is overdue")
    static let needsWorkDays = Option.number(
        "needs-work-days", help: "children whose current spell needing work is N days or more")
    static let assessedFrom = Option.date("assessed-from", help: "latest final assessment on or after DATE")
    static let assessedTo = Option.date("assessed-to", help: "latest final assessment on or before DATE")
    static let neverAssessed = Flag("never-assessed", help: "children with no final assessment")
    static let sort = Option<Sort>.choice("sort", "KEY", help: "severity (default), overdue, spell, cumulative, ref or latest")
    static let limit = Option.number("limit", from: 1, help: "list the first N children (with --by family: families)")
    static let by = Option<String>(
        "by", "family", kind: .choices(["family"]), help: "one block per family, families ordered by their first child"
    ) { by in
        guard by == "family" else { throw UsageError.invalidValue(option: "--by", value: by, expected: "family") }
        return by
    }
    static let wide = Flag("wide", help: "add trends, days, spells, team and assessor (wider than 80 columns)")
    static let formatOption = Option<Format>.choice(
        "format", "FORMAT", help: "text (default), markdown, csv or json (same as --json)")
    /// The filters, sort and limit (what `report caseload` shares).
    static let filters: [any OptionDeclaration] = [
        flag, trend, area, gradeFrom, team, assessor, family, ageFrom, ageTo, overdue, needsWorkDays, assessedFrom,
        assessedTo, neverAssessed, sort, limit,
    ]
    static let options: [any OptionDeclaration] = filters + [by, wide, formatOption]

    /// The output format: `format`, or `--json`; both with different formats is a usage error.
    static func format(_ format: Format?, json: Bool) throws(UsageError) -> Format {
        guard let f = format else { return json ? .json : .text }
        if json && f != .json { throw .conflicting("--json asks for JSON and --format for \(f.rawValue): give one") }
        return f
    }

    static func oneOf(_ values: [String]) -> String { Values.oneOf(values) }

    /// Binds the options; every unknown value is a usage error listing the valid ones.
    static func bind(_ args: ParsedArguments, instrument inst: ValidatedInstrument) throws -> CaseloadQuery {
        var q = CaseloadQuery()
        func folded(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).lowercased() }
        q.flags = Set(try args.values(flag))
        q.trends = Set(try args.values(trend))
        for text in try args.values(area) {
            guard
                let a = inst.areas.first(where: {
                    $0.linkId.rawValue == text.lowercased() || $0.code.lowercased() == text.lowercased()
                })
            else {
                throw UsageError.invalidValue(
                    option: "--area", value: text, expected: oneOf(inst.areas.map { "\($0.linkId) (\($0.code))" }))
            }
            if !q.areas.contains(a.linkId) { q.areas.append(a.linkId) }
        }
        q.gradeFrom = try args.value(gradeFrom)
        if !q.areas.isEmpty && q.trends.isEmpty && q.gradeFrom == nil {
            throw UsageError.conflicting("--area needs --trend T or --grade-from N: it says which area they look at")
        }
        q.teams = Set(try args.values(team).map(folded))
        q.assessors = Set(try args.values(assessor).map(folded))
        q.families = Set(try args.values(family).map(folded))
        q.ageFrom = try args.value(ageFrom)
        q.ageTo = try args.value(ageTo)
        if let a = q.ageFrom, let b = q.ageTo, a > b {
            throw UsageError.conflicting("--age-from \(a) is older than --age-to \(b): no child can match")
        }
        q.overdue = args.flag(overdue)
        q.needsWorkDays = try args.value(needsWorkDays)
        q.assessedFrom = try args.value(assessedFrom)
        q.assessedTo = try args.value(assessedTo)
        if let a = q.assessedFrom, let b = q.assessedTo, a > b {
            throw UsageError.conflicting("--assessed-from \(a) is after --assessed-to \(b): no child can match")
        }
        q.neverAssessed = args.flag(neverAssessed)
        if q.neverAssessed && (q.assessedFrom != nil || q.assessedTo != nil) {
            throw UsageError.conflicting(
                "--never-assessed lists children with no final assessment; --assessed-from/--assessed-to need one")
        }
        q.sort = try args.value(sort) ?? .severity
        q.limit = try args.value(limit)
        q.byFamily = try args.value(by) != nil
        q.wide = args.flag(wide)
        q.described = q.describe(inst)
        return q
    }

    /// The filters in words for the header.
    func describe(_ inst: ValidatedInstrument) -> [String] {
        var out: [String] = []
        func list(_ values: [String]) -> String { values.joined(separator: " or ") }
        if !flags.isEmpty { out.append("flag " + list(CaseFlag.allCases.filter(flags.contains).map(\.rawValue))) }
        let inAreas = areas.isEmpty ? "" : " in " + list(areas.map(\.rawValue))
        if !trends.isEmpty { out.append("trend " + list(Trend.allCases.filter(trends.contains).map(\.rawValue)) + inAreas) }
        if let g = gradeFrom { out.append("graded \(g) or worse" + (areas.isEmpty ? " in an area" : inAreas)) }
        if !teams.isEmpty { out.append("team " + list(teams.sorted())) }
        if !assessors.isEmpty { out.append("assessor " + list(assessors.sorted())) }
        if !families.isEmpty { out.append("family " + list(families.sorted())) }
        switch (ageFrom, ageTo) {
        case (let a?, let b?): out.append("aged \(a) to \(b)")
        case (let a?, nil): out.append("aged \(a) or over")
        case (nil, let b?): out.append("aged \(b) or under")
        case (nil, nil): break
        }
        if overdue { out.append("review overdue") }
        if let n = needsWorkDays { out.append("current spell needing work \(n) days or more") }
        switch (assessedFrom, assessedTo) {
        case (let a?, let b?): out.append("latest assessment \(a) to \(b)")
        case (let a?, nil): out.append("latest assessment on or after \(a)")
        case (nil, let b?): out.append("latest assessment on or before \(b)")
        case (nil, nil): break
        }
        if neverAssessed { out.append("never assessed") }
        return out
    }

    /// Whether a line passes every filter; `staff` is the line's latest assessors (needed only for team/assessor).
    func matches(_ l: CaseloadLine, asOf: CalendarDate, staff: [Assessor]?) -> Bool {
        if !flags.isEmpty && !l.flags.contains(where: flags.contains) { return false }
        if !trends.isEmpty || gradeFrom != nil {
            let looked = areas.isEmpty ? l.areas : l.areas.filter { areas.contains($0.linkId) }
            let any = looked.contains { a in
                (trends.isEmpty || a.trend.map(trends.contains) == true)
                    && (gradeFrom.map { g in (a.grade?.rawValue ?? 0) >= g } ?? true)
            }
            if !any { return false }
        }
        if !families.isEmpty && !families.contains(l.familyId.rawValue) && !families.contains(l.familyRef.lowercased()) {
            return false
        }
        if ageFrom != nil || ageTo != nil {
            let age = l.ageYears(on: asOf)
            if let a = ageFrom, age < a { return false }
            if let b = ageTo, age > b { return false }
        }
        if overdue && l.daysOverdue == nil { return false }
        if let n = needsWorkDays, (l.currentSpellDays ?? -1) < n { return false }
        if assessedFrom != nil || assessedTo != nil {
            guard let d = l.latestDate else { return false }
            if let a = assessedFrom, d < a { return false }
            if let b = assessedTo, d > b { return false }
        }
        if neverAssessed && l.latestDate != nil { return false }
        if !teams.isEmpty {
            let theirs = (staff ?? []).compactMap { $0.team.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
            if !theirs.contains(where: teams.contains) { return false }
        }
        if !assessors.isEmpty {
            let theirs = (staff ?? []).map { $0.name.trimmingCharacters(in: .whitespaces).lowercased() }
            if !theirs.contains(where: assessors.contains) { return false }
        }
        return true
    }

    /// Lines (given in the caseload's severity order) in the asked order; ties keep the severity order.
    func ordered(_ lines: [CaseloadLine]) -> [CaseloadLine] {
        func desc(_ v: Int?) -> Int { -(v ?? -1) }
        if sort == .severity { return lines }
        let keyed: [(CaseloadLine, Int)] = lines.enumerated().map { ($0.element, $0.offset) }
        let sorted: [(CaseloadLine, Int)]
        switch sort {
        case .severity: return lines
        case .overdue: sorted = keyed.sorted { (desc($0.0.daysOverdue), $0.1) < (desc($1.0.daysOverdue), $1.1) }
        case .spell: sorted = keyed.sorted { (desc($0.0.currentSpellDays), $0.1) < (desc($1.0.currentSpellDays), $1.1) }
        case .cumulative: sorted = keyed.sorted { (-$0.0.cumulativeDays, $0.1) < (-$1.0.cumulativeDays, $1.1) }
        case .ref:
            sorted = keyed.sorted {
                ($0.0.familyRef, $0.0.familyId.rawValue, $0.1) < ($1.0.familyRef, $1.0.familyId.rawValue, $1.1)
            }
        case .latest:
            // Never assessed first, then the oldest latest assessment.
            sorted = keyed.sorted {
                ($0.0.latestDate?.dayNumber ?? Int.min, $0.1) < ($1.0.latestDate?.dayNumber ?? Int.min, $1.1)
            }
        }
        return sorted.map(\.0)
    }

    /// Ordered lines in family blocks, each family where its first child falls; `limit` counts families.
    func grouped(_ ordered: [CaseloadLine]) -> [[CaseloadLine]] {
        var blocks: [[CaseloadLine]] = []
        var at: [FamilyID: Int] = [:]
        for l in ordered {
            if let i = at[l.familyId] {
                blocks[i].append(l)
            } else {
                at[l.familyId] = blocks.count
                blocks.append([l])
            }
        }
        return limit.map { Array(blocks.prefix($0)) } ?? blocks
    }
}

/// A caseload after a query: what matched, what is listed, and each listed child's latest assessors.
struct CaseloadResult: Sendable {
    var caseload: Caseload
    var query: CaseloadQuery
    /// Every line that passed the filters, in the asked order.
    var matched: [CaseloadLine]
    /// What is listed: one block per family with `--by family`, else one block.
    var blocks: [[CaseloadLine]]
    /// The latest final assessment's assessors, by assessment (read when a filter or the format needs them).
    var staff: [AssessmentID: [Assessor]]
    /// The assessments whose assessors were asked for but could not be read.
    var unread: Set<AssessmentID>

    /// Shared with the one block when there is one (no copy of a whole caseload).
    var listed: [CaseloadLine] { blocks.count == 1 ? blocks[0] : blocks.flatMap { $0 } }
    var matchedFamilies: Int { Set(matched.map(\.familyId)).count }

    /// Filters, orders, groups and limits the caseload; `assessors` reads the latest assessors of a set of
    /// assessments, called at most once for the lines that passed every other filter (or, with `needStaff`, for
    /// the listed ones).
    init(
        caseload: Caseload, query: CaseloadQuery, needStaff: Bool,
        assessors: (Set<AssessmentID>) throws -> [AssessmentID: [Assessor]]
    ) rethrows {
        self.caseload = caseload
        self.query = query
        var q = query
        var kept = caseload.lines
        var staff: [AssessmentID: [Assessor]] = [:]
        var asked: Set<AssessmentID> = []
        if query.needsAssessors {
            // Cheap filters first; the documents are read only for the children still in.
            q.teams = []
            q.assessors = []
            kept = kept.filter { q.matches($0, asOf: caseload.asOf, staff: nil) }
            asked = Set(kept.compactMap(\.latestAssessment))
            staff = try assessors(asked)
            kept = kept.filter { l in query.matches(l, asOf: caseload.asOf, staff: l.latestAssessment.flatMap { staff[$0] }) }
        } else if query.filtered {
            kept = kept.filter { q.matches($0, asOf: caseload.asOf, staff: nil) }
        }
        let ordered = query.ordered(kept)
        let blocks =
            query.byFamily ? query.grouped(ordered) : [query.limit.map { Array(ordered.prefix($0)) } ?? ordered]
        matched = ordered
        self.blocks = blocks
        if needStaff {
            let missing = Set(blocks.flatMap { $0 }.compactMap(\.latestAssessment)).subtracting(staff.keys)
            asked.formUnion(missing)
            if !missing.isEmpty { staff.merge(try assessors(missing)) { a, _ in a } }
        }
        self.staff = staff
        unread = asked.subtracting(staff.keys)
    }

    /// The latest final assessment's assessors of a line, if read.
    func assessors(of l: CaseloadLine) -> [Assessor] { l.latestAssessment.flatMap { staff[$0] } ?? [] }
}
