import Foundation
import GCP2Core

/// The caseload as text (80 columns by default, `--wide` for more), Markdown and CSV; every value read from the
/// caseload's lines.
enum CaseloadTable {
    /// The short code of each flag in the 80-column table; the legend gives the words.
    static func code(_ f: CaseFlag) -> String {
        switch f {
        case .severeConcern: "SEV"
        case .deteriorating: "DET"
        case .escalationReviewDue: "ESC"
        case .drift: "DRF"
        case .improvementLost: "LST"
        case .longTermConcern: "LTC"
        case .cumulativeConcern: "CUM"
        case .recurrentConcern: "REC"
        case .reviewOverdue: "OVD"
        case .childNotAssessed: "NAS"
        case .childLeftOut: "OUT"
        case .siblingDisparity: "SIB"
        case .targetMissed: "TMS"
        case .targetNotReviewed: "TNR"
        case .childViewMissing: "CVM"
        case .childNotSeenAlone: "NSA"
        case .fatherNotIncluded: "FNI"
        case .fatherNotRecorded: "FNR"
        case .noUnannouncedVisit: "NUV"
        case .carerNotIncluded: "CNI"
        case .draftPending: "DRP"
        }
    }

    /// A line's flag codes, most severe first; not assessed or left out marked `*` for a teenager.
    static func codes(_ l: CaseloadLine) -> [String] {
        l.flags.map { f in code(f) + (l.teenager && (f == .childNotAssessed || f == .childLeftOut) ? "*" : "") }
    }

    /// The latest grade of each area, "–" for none, separated by spaces (`Layout.grade` of each, joined).
    static func grades(_ l: CaseloadLine) -> String {
        var s = ""
        for (k, a) in l.areas.enumerated() {
            if k > 0 { s += " " }
            s += Layout.grade(a.grade)
        }
        return s
    }

    /// "7y", or "8m" under two years.
    static func age(_ l: CaseloadLine, on date: CalendarDate) -> String {
        let months = l.born.wholeMonths(to: date)
        return months < 24 ? "\(months)m" : "\(l.ageYears(on: date))y"
    }

    static let width = 80

    /// `lead` then `text` wrapped at word boundaries to `width`, continuation lines indented by `hanging`.
    static func wrap(_ text: String, lead: String = "", width: Int = width, hanging: String = "  ") -> String {
        var lines: [String] = []
        var current = lead
        var fresh = true
        for word in text.split(separator: " ") {
            let w = String(word)
            if fresh {
                current += w
                fresh = false
            } else if Layout.displayWidth(current) + 1 + Layout.displayWidth(w) > width {
                lines.append(current)
                current = hanging + w
            } else {
                current += " " + w
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n") + "\n"
    }

    /// "136 children in 54 families".
    static func count(_ children: Int, _ families: Int) -> String {
        "\(children) \(children == 1 ? "child" : "children") in \(families) \(families == 1 ? "family" : "families")"
    }

    /// The header: as-of date, counts before and after filtering, the filters, the order, the limit.
    static func header(_ r: CaseloadResult) -> [String] {
        let c = r.caseload
        var first = "Caseload as of \(c.asOf): "
        if r.query.filtered {
            first += "\(count(r.matched.count, r.matchedFamilies)) match, of \(count(c.children, c.families))"
        } else {
            first += count(c.children, c.families)
        }
        if c.expected > 0 { first += " (and \(c.expected) expected, not listed)" }
        first += "; " + r.query.sort.words
        var out = [first]
        if r.query.filtered { out.append("Filters: " + r.query.described.joined(separator: "; ")) }
        let listed = r.listed.count
        if r.query.byFamily, let n = r.query.limit, r.matchedFamilies > n {
            out.append("Listing the first \(r.blocks.count) of \(r.matchedFamilies) families (\(listed) children).")
        } else if !r.query.byFamily, listed < r.matched.count {
            out.append("Listing the first \(listed) of \(r.matched.count) children.")
        }
        return out
    }

    // MARK: Text

    static func text(_ r: CaseloadResult, instrument inst: ValidatedInstrument, policy: Policy) -> String {
        var s = header(r).map { wrap($0) }.joined()
        s += "\n"
        if r.caseload.lines.isEmpty { return s + "No children in the store yet.\n" }
        if r.matched.isEmpty { return s + "No child matches these filters.\n" }
        let asOf = r.caseload.asOf
        let areaCodes = inst.areas.map(\.code)
        let indent = r.query.byFamily ? "  " : ""
        let lines = r.listed
        var head: [String]
        // A row's cells are made when needed (for the widths, then to render), not held for every row at once; the
        // narrow table's costly ones (name, flags) are made once and kept.
        let cells: @Sendable (Int) -> [String]
        if r.query.wide {
            head = [
                "Family", "Child (age)", "Id", "Latest", areaCodes.joined(separator: " "),
                "Trends " + areaCodes.joined(separator: "/"),
                "Since", "Overdue", "Spell", "Days", "Level", "Team", "Assessor", "Flags",
            ]
            cells = { i in
                let l = lines[i]
                let first = r.assessors(of: l).first
                return [
                    Shown.line(l.familyRef), "\(Shown.line(l.childName)) (\(age(l, on: asOf)))", l.childId.rawValue,
                    l.latestDate?.description ?? "none",
                    l.areas.map { Layout.grade($0.grade) }.joined(separator: " "),
                    l.areas.map { Render.short($0.trend) }.joined(separator: "/"), l.daysSinceLatest.map(String.init) ?? "–",
                    l.daysOverdue.map(String.init) ?? "–", l.currentSpellDays.map(String.init) ?? "–", "\(l.cumulativeDays)",
                    l.level?.rawValue ?? "–", (first?.team).map(Shown.line) ?? "–", first.map { Shown.line($0.name) } ?? "–",
                    codes(l).joined(separator: " "),
                ]
            }
        } else {
            head = ["Child (age)", "Id", "Latest", areaCodes.joined(separator: " "), "Flags"]
            let idW = max(2, lines.map { Layout.displayWidth($0.childId.rawValue) }.max() ?? 0)
            let gradesW = Layout.displayWidth(head[3])
            let fixed = Layout.displayWidth(indent) + idW + 10 + gradesW + 2 * 4
            let nameMax = max(12, width - fixed - 15)
            // The two cells that take fitting (name, flags) are made once per row, on both cores, and kept.
            let names = inHalves(lines.count) { range in
                range.map { fit(name: Shown.line(lines[$0].childName), age: age(lines[$0], on: asOf), width: nameMax) }
            }.flatMap { $0 }
            let nameW = max(Layout.displayWidth(head[0]), names.map(Layout.displayWidth).max() ?? 0)
            let flagsW = max(5, width - fixed - nameW)
            // The other cells too, once per row (short strings, held inline): the widths and the rows read them.
            let rest = inHalves(lines.count) { range in
                range.map { i in
                    let l = lines[i]
                    return (
                        l.latestDate?.description ?? "none", grades(l),
                        fit(codes: codes(l), width: flagsW)
                    )
                }
            }.flatMap { $0 }
            cells = { i in [names[i], lines[i].childId.rawValue, rest[i].0, rest[i].1, rest[i].2] }
        }
        var widths = Layout.columnWidths([head])
        let columns = head.count
        let columnWidths = inHalves(lines.count) { half in
            var w = [Int](repeating: 0, count: columns)
            for i in half { for (c, x) in cells(i).enumerated() { w[c] = max(w[c], Layout.displayWidth(x)) } }
            return w
        }
        for w in columnWidths { for (i, x) in w.enumerated() { widths[i] = max(widths[i], x) } }
        let padded = widths
        s += Layout.render([head], widths: widths, indent: indent) + "\n"
        // Each block's rows rendered into one buffer (in two halves on both cores when long), never row by row into
        // strings: a whole region's caseload is tens of thousands of rows.
        var at = 0
        for block in r.blocks {
            if r.query.byFamily, let l = block.first {
                s += wrap("\(Shown.line(l.familyRef)) (\(l.familyId))")
            }
            let first = at
            let halves = inHalves(block.count) { range in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(range.count * (padded.reduce(0, +) + 2 * padded.count + 1))
                for i in range {
                    Layout.renderRow(cells(first + i), widths: padded, indent: indent, into: &bytes)
                    bytes.append(0x0A)
                }
                return bytes
            }
            for bytes in halves { s += String(decoding: bytes, as: UTF8.self) }
            at += block.count
        }
        s += "\n" + footer(r, instrument: inst, policy: policy)
        return s
    }

    /// `xs.map(f)`, in two halves on both cores when long (a whole partnership's caseload has tens of thousands of
    /// lines).
    static func parallelMap<T: Sendable, U: Sendable>(_ xs: [T], _ f: @escaping @Sendable (T) -> U) -> [U] {
        guard xs.count >= 2048 else { return xs.map(f) }
        let halves = chunks(xs)
        let out = ConcurrentResults<[U]>(count: halves.count)
        DispatchQueue.concurrentPerform(iterations: halves.count) { k in out[k] = halves[k].map(f) }
        return out.values.flatMap { $0 ?? [] }
    }

    /// `f` of `0..<count` in two halves, on both cores when long.
    static func inHalves<U: Sendable>(_ count: Int, _ f: @escaping @Sendable (Range<Int>) -> U) -> [U] {
        guard count >= 2048 else { return [f(0..<count)] }
        let half = (count + 1) / 2
        let ranges = [0..<half, half..<count]
        let out = ConcurrentResults<U>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in out[k] = f(ranges[k]) }
        return out.values.compactMap { $0 }
    }

    /// `xs` in two halves.
    static func chunks<T>(_ xs: [T]) -> [[T]] {
        let half = (xs.count + 1) / 2
        return [Array(xs.prefix(half)), Array(xs.dropFirst(half))]
    }

    /// "Name (7y)", the name shortened with "…" to fit `width`.
    static func fit(name: String, age: String, width: Int) -> String {
        let full = "\(name) (\(age))"
        if Layout.displayWidth(full) <= width { return full }
        let room = max(1, width - Layout.displayWidth(" (\(age))") - 1)
        return String(name.prefix(room)) + "… (\(age))"
    }

    /// As many codes as fit `width`, then "+n" for the rest.
    static func fit(codes: [String], width: Int) -> String {
        // Widths added up rather than strings joined and measured: the codes are one line each, so a joined string's
        // width is theirs plus the spaces (25,000 rows each call this once).
        let widths = codes.map(Layout.displayWidth)
        var used = widths.reduce(0, +) + max(0, codes.count - 1)
        if used <= width { return codes.joined(separator: " ") }
        for k in stride(from: codes.count - 1, through: 0, by: -1) {
            let more = "+\(codes.count - k)"
            // The first k codes, a space, and "+n" (no space when k is 0).
            used = widths[..<k].reduce(0, +) + k + more.utf8.count
            if used <= width { return (codes.prefix(k) + [more]).joined(separator: " ") }
        }
        return "+\(codes.count)"
    }

    /// The legend with counts per flag among the children that match, the grade and area key, and trends per area.
    static func footer(_ r: CaseloadResult, instrument inst: ValidatedInstrument, policy: Policy) -> String {
        // Tallied by position (flags and trends in `allCases` order, areas in the instrument's, as every line lists
        // them): 25,000 lines are counted without hashing a name.
        let allFlags = CaseFlag.allCases, allTrends = Trend.allCases
        var flagTally = [Int](repeating: 0, count: allFlags.count)
        var trendTally = [[Int]](repeating: [Int](repeating: 0, count: allTrends.count), count: inst.areas.count)
        var byName: [LinkID: [Trend: Int]] = [:]
        var teen = false
        for l in r.matched {
            for f in l.flags { flagTally[allFlags.firstIndex(of: f)!] += 1 }
            teen = teen || (l.teenager && l.flags.contains { $0 == .childNotAssessed || $0 == .childLeftOut })
            let inOrder = l.areas.count == inst.areas.count
            for (k, a) in l.areas.enumerated() {
                guard let t = a.trend else { continue }
                if inOrder && a.linkId == inst.areas[k].linkId {
                    trendTally[k][allTrends.firstIndex(of: t)!] += 1
                } else {
                    byName[a.linkId, default: [:]][t, default: 0] += 1
                }
            }
        }
        var counts: [CaseFlag: Int] = [:]
        for (k, n) in flagTally.enumerated() where n > 0 { counts[allFlags[k]] = n }
        var trends = byName
        for (k, area) in inst.areas.enumerated() {
            for (j, n) in trendTally[k].enumerated() where n > 0 {
                trends[area.linkId, default: [:]][allTrends[j], default: 0] += n
            }
        }
        var s =
            r.query.filtered
            ? "Children with each flag (of those that match), most severe first:\n"
            : "Children with each flag, most severe first:\n"
        let numW = max(1, CaseFlag.allCases.map { String(counts[$0] ?? 0).count }.max() ?? 1)
        // The whole caseload lists every flag, zero included; a filtered one only the flags its children carry.
        for f in CaseFlag.allCases where !r.query.filtered || counts[f] != nil {
            let n = String(counts[f] ?? 0)
            let lead = "  \(code(f))  " + String(repeating: " ", count: numW - n.count) + n + "  "
            s += wrap(f.words(policy), lead: lead, hanging: String(repeating: " ", count: lead.count))
        }
        if teen { s += "  * a teenager not assessed or left out while a younger sibling was assessed\n" }
        s += "\n"
        s += wrap(
            "Grades: 1 best … 5 worst; \(policy.needsWorkFrom) or worse needs work. Areas: "
                + inst.areas.map { "\($0.code) \($0.title)" }.joined(separator: ", ") + ".")
        s += "\nLatest trend per area (children):\n"
        var rows = [["Trend"] + inst.areas.map(\.code)]
        for t in Trend.allCases {
            rows.append([t.rawValue] + inst.areas.map { "\(trends[$0.linkId]?[t] ?? 0)" })
        }
        s += Layout.table(rows) + "\n"
        return s
    }

    // MARK: Markdown

    /// A cell safe inside a Markdown table: `|` and `\` escaped, HTML characters as entities, one line.
    static func markdownCell(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(ch)
            }
        }
        return out.isEmpty ? " " : out
    }

    /// The columns of a Markdown row: the wide text's content, one cell per area.
    static func markdownRow(_ l: CaseloadLine, _ r: CaseloadResult) -> [String] {
        let first = r.assessors(of: l).first
        let who = [
            l.familyRef, l.childName, age(l, on: r.caseload.asOf), l.childId.rawValue, l.latestDate?.description ?? "none",
        ]
        let areas = l.areas.map { a -> String in
            guard let g = a.grade else { return "–" }
            return "\(g.rawValue)" + (a.trend.map { " \(Render.short($0))" } ?? "")
        }
        let flags = l.flags.map { f -> String in
            f.rawValue + (l.teenager && (f == .childNotAssessed || f == .childLeftOut) ? " (teenager)" : "")
        }
        let days: [String] = [dash(l.daysOverdue), dash(l.currentSpellDays), "\(l.cumulativeDays)"]
        return who + areas + days + [
            l.level?.words ?? "–", first?.team ?? "–", first?.name ?? "–", flags.joined(separator: ", "),
        ]
    }

    /// A number, or "–" for none.
    static func dash(_ v: Int?) -> String { v.map { "\($0)" } ?? "–" }

    /// A number, or empty for none (CSV).
    static func number(_ v: Int?) -> String { v.map { "\($0)" } ?? "" }

    static func markdownTable(_ lines: [CaseloadLine], _ r: CaseloadResult, instrument inst: ValidatedInstrument) -> String {
        let head =
            ["Family", "Child", "Age", "Id", "Latest"] + inst.areas.map { "\($0.code) \($0.title)" }
            + ["Days overdue", "Current spell (days)", "Days needing work", "Level", "Team", "Assessor", "Flags"]
        var s = markdownLine(head)
        s += "|" + head.map { _ in " --- |" }.joined() + "\n"
        // Rows made on both cores (a whole region's caseload is tens of thousands), joined in order.
        s += parallelMap(lines) { l in markdownLine(markdownRow(l, r)) }.joined()
        return s
    }

    /// One Markdown table row of `cells`.
    static func markdownLine(_ cells: [String]) -> String { "| " + cells.map(markdownCell).joined(separator: " | ") + " |\n" }

    /// The caseload as a Markdown document: a heading, the header in words, one table (or one per family).
    static func markdown(_ r: CaseloadResult, instrument inst: ValidatedInstrument, policy: Policy, title: String? = nil)
        -> String
    {
        var h = header(r)
        let first = h.removeFirst()
        var s = "## " + markdownCell(title ?? first) + "\n\n"
        for line in h { s += markdownCell(line) + "\n\n" }
        if r.matched.isEmpty { return s + "No child matches.\n" }
        if r.query.byFamily {
            for block in r.blocks {
                guard let l = block.first else { continue }
                s +=
                    "### " + markdownCell("\(l.familyRef) (\(l.familyId))") + "\n\n" + markdownTable(block, r, instrument: inst)
                    + "\n"
            }
        } else {
            s += markdownTable(r.listed, r, instrument: inst) + "\n"
        }
        s += "Grades: 1 best … 5 worst; \(policy.needsWorkFrom) or worse needs work.\n"
        return s
    }

    // MARK: CSV

    /// The CSV columns, in order; `<area>` stands for each area's link id in instrument order.
    static func csvColumns(_ inst: ValidatedInstrument) -> [String] {
        [
            "family_id", "family_ref", "child_id", "child_name", "born", "age_years", "assessments", "latest_assessment",
            "latest_date",
        ]
            + inst.areas.flatMap { ["\($0.linkId)_grade", "\($0.linkId)_trend"] }
            + [
                "worst_grade", "days_since_latest", "days_overdue", "current_spell_days", "cumulative_days", "spells",
                "severity", "flags", "teenager", "team", "assessor", "level",
            ]
    }

    /// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; a leading `=`, `+`, `-`, `@`, tab or CR
    /// prefixed with `'` so a spreadsheet shows it as text instead of running it.
    static func csvField(_ text: String) -> String {
        var v = text
        if let first = v.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    /// The listed lines as CSV: a header row, one row per child, CRLF line ends, ISO dates.
    static func csv(_ r: CaseloadResult, instrument inst: ValidatedInstrument) -> String {
        let asOf = r.caseload.asOf
        let rows = parallelMap(r.listed) { l in
            let first = r.assessors(of: l).first
            let cells: [String] =
                [
                    l.familyId.rawValue, l.familyRef, l.childId.rawValue, l.childName, l.born.description,
                    "\(l.ageYears(on: asOf))", "\(l.assessments)", l.latestAssessment?.rawValue ?? "",
                    l.latestDate?.description ?? "",
                ]
                + l.areas.flatMap { [number($0.grade?.rawValue), $0.trend?.rawValue ?? ""] }
                + [
                    number(l.worstGrade?.rawValue), number(l.daysSinceLatest), number(l.daysOverdue), number(l.currentSpellDays),
                    "\(l.cumulativeDays)", "\(l.spells)", l.severity.rawValue,
                    l.flags.map(\.rawValue).joined(separator: ";"), l.teenager ? "true" : "false", first?.team ?? "",
                    first?.name ?? "", l.level?.rawValue ?? "",
                ]
            return cells.map(csvField).joined(separator: ",") + "\r\n"
        }
        return csvColumns(inst).map(csvField).joined(separator: ",") + "\r\n" + rows.joined()
    }
}
