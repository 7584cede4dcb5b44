import Foundation
import GCP2Core

/// A scorecard as printed: each figure's numbers in words, suppressed where asked.
struct ScorecardView {
    let card: Scorecard
    let team: String?
    let agency: Agency?
    /// Counts 1…N−1 (and percentages computed from them) are written `<N`; 0 or 1 suppresses nothing.
    let suppressBelow: Int
    /// Rows hidden by secondary suppression, per period.
    private(set) var secondary: (current: Set<Int>, previous: Set<Int>) = ([], [])

    init(card: Scorecard, team: String?, agency: Agency? = nil, suppressBelow: Int) {
        self.card = card
        self.team = team
        self.agency = agency
        self.suppressBelow = suppressBelow
        secondary = secondarySuppression()
    }

    /// One value as printed: numerator, denominator (nil for a count) and percentage (nil for a count or an
    /// empty denominator).
    struct Cell {
        var numerator: String
        var denominator: String?
        var percent: String?
    }

    /// A count as printed: `<N` for 1…N−1.
    func count(_ n: Int) -> (String, suppressed: Bool) {
        suppressBelow > 1 && n >= 1 && n < suppressBelow ? ("<\(suppressBelow)", true) : (String(n), false)
    }

    /// Which period's figures.
    enum Period { case current, previous }

    /// Row `k`'s value for a period as printed, with both kinds of suppression.
    func cell(_ k: Int, _ period: Period) -> Cell {
        let v = period == .current ? card.current[k] : card.previous[k]
        guard (period == .current ? secondary.current : secondary.previous).contains(k) else { return cell(v) }
        return Cell(
            numerator: ScorecardView.hidden, denominator: v.denominator.map { count($0).0 },
            percent: v.denominator == 0 ? nil : ScorecardView.hidden)
    }

    /// The mark of a figure hidden only so a suppressed one cannot be worked out by subtraction.
    static let hidden = "[c]"

    /// Secondary suppression: in a group of figures sharing one denominator (consecutive rows of a section with
    /// the same `of` and the same denominator), when exactly one count is suppressed, the smallest other count
    /// above 0 is hidden too — else the suppressed one is the denominator minus the others.
    private func secondarySuppression() -> (current: Set<Int>, previous: Set<Int>) {
        guard suppressBelow > 1 else { return ([], []) }
        func hide(_ values: [ScorecardValue]) -> Set<Int> {
            var out: Set<Int> = []
            var k = 0
            while k < card.rows.count {
                var group = [k]
                while let last = group.last, last + 1 < card.rows.count, let of = card.rows[k].of,
                    card.rows[last + 1].of == of, card.rows[last + 1].section == card.rows[k].section,
                    values[last + 1].denominator == values[k].denominator
                {
                    group.append(last + 1)
                }
                k = group.last! + 1
                guard group.count > 1 else { continue }
                let primary = group.filter { count(values[$0].numerator).suppressed }
                guard primary.count == 1 else { continue }
                let other = group.filter { $0 != primary[0] && values[$0].numerator > 0 }
                    .min { (values[$0].numerator, $0) < (values[$1].numerator, $1) }
                if let other { out.insert(other) }
            }
            return out
        }
        return (hide(card.current), hide(card.previous))
    }

    func cell(_ v: ScorecardValue) -> Cell {
        let (n, hidden) = count(v.numerator)
        guard let d = v.denominator else { return Cell(numerator: n, denominator: nil, percent: nil) }
        let (dd, hiddenD) = count(d)
        let pct: String? =
            d == 0
            ? nil : (hidden || hiddenD) ? "<\(suppressBelow)" : String(Int((Double(v.numerator) * 100 / Double(d)).rounded()))
        return Cell(numerator: n, denominator: dd, percent: pct)
    }

    /// The period (and previous period) in words.
    var heading: String {
        let p = card.period, q = card.period.previous
        return
            "Scorecard\(team.map { " for team \($0)" } ?? "")\(agency.map { " for \($0.words)" } ?? ""): final assessments dated \(p.from) to \(p.to), "
            + "beside \(q.from) to \(q.to)"
    }

    var note: String {
        suppressBelow > 1
            ? "Counts from 1 to \(suppressBelow - 1), and percentages computed from them, are shown as <\(suppressBelow); \(ScorecardView.hidden) hides a second figure of the same group so the first cannot be worked out by subtraction."
            : ""
    }

    /// Row indices grouped by section, in order.
    var sections: [(ScorecardSection, [Int])] {
        ScorecardSection.allCases.compactMap { s in
            let rows = card.rows.indices.filter { card.rows[$0].section == s }
            return rows.isEmpty ? nil : (s, rows)
        }
    }
}

/// The scorecard as 80-column text, Markdown and CSV.
enum ScorecardTable {
    /// `12/140 9%`, or a count alone.
    static func compact(_ c: ScorecardView.Cell) -> String {
        guard let d = c.denominator else { return c.numerator }
        return "\(c.numerator)/\(d)" + (c.percent.map { " \($0)\(Int($0) == nil ? "" : "%")" } ?? " –")
    }

    /// 80 columns: each section's heading, then a figure a row (its words wrapped in the first 46 columns) with the
    /// period's and the previous period's numbers in two columns of 17.
    static func text(_ v: ScorecardView) -> String {
        let numbers = 17, label = 80 - 2 * numbers
        func pad(_ t: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - Layout.displayWidth(t))) + t }
        var s = Layout.wrapped("", v.heading, indent: "  ") + "\n"
        if !v.note.isEmpty { s += Layout.wrapped("", v.note, indent: "  ") + "\n" }
        s += "n/d: n of the d counted, and n as a % of d.\n"
        for (section, rows) in v.sections {
            s += "\n" + Layout.wrapped("", section.title, indent: "", width: 80) + "\n"
            s += String(repeating: " ", count: label) + pad("this period", numbers) + pad("previous", numbers) + "\n"
            // A share's denominator is said once above the figures that share it.
            var of: String?
            for k in rows {
                let row = v.card.rows[k]
                if let o = row.of, o != of { s += Layout.wrapped("  Of ", o + ":", indent: "    ") + "\n" }
                of = row.of
                let lead = row.of == nil ? "  " : "    "
                let lines = Layout.wrapped(lead, row.words, indent: lead + "  ", width: label - 1).split(separator: "\n")
                    .map(String.init)
                for l in lines.dropLast() { s += l + "\n" }
                let last = lines.last ?? ""
                s +=
                    last + String(repeating: " ", count: max(0, label - Layout.displayWidth(last)))
                    + pad(compact(v.cell(k, .current)), numbers) + pad(compact(v.cell(k, .previous)), numbers) + "\n"
            }
        }
        return s
    }

    static func markdown(_ v: ScorecardView) -> String {
        var s = "## \(CaseloadTable.markdownCell(v.heading))\n\n"
        if !v.note.isEmpty { s += CaseloadTable.markdownCell(v.note) + "\n\n" }
        for (section, rows) in v.sections {
            s += "### \(section.title)\n\n| figure | of | this period | % | previous | % |\n|---|---|---:|---:|---:|---:|\n"
            for k in rows {
                let row = v.card.rows[k]
                let now = v.cell(k, .current), then = v.cell(k, .previous)
                func n(_ c: ScorecardView.Cell) -> String { c.denominator.map { "\(c.numerator) of \($0)" } ?? c.numerator }
                func p(_ c: ScorecardView.Cell) -> String { c.percent.map { Int($0) == nil ? $0 : "\($0)%" } ?? "" }
                let cells = [row.words, row.of ?? "", n(now), p(now), n(then), p(then)]
                s += "| " + cells.map(CaseloadTable.markdownCell).joined(separator: " | ") + " |\n"
            }
            s += "\n"
        }
        return s
    }

    static let csvColumns = [
        "section", "figure_id", "figure", "of", "from", "to", "numerator", "denominator", "percent", "previous_from",
        "previous_to", "previous_numerator", "previous_denominator", "previous_percent",
    ]

    static func csv(_ v: ScorecardView) -> String {
        var s = csvColumns.joined(separator: ",") + "\n"
        let p = v.card.period, q = p.previous
        for (section, rows) in v.sections {
            for k in rows {
                let row = v.card.rows[k]
                let now = v.cell(k, .current), then = v.cell(k, .previous)
                let fields =
                    [section.rawValue, row.id, row.words, row.of ?? "", p.from.description, p.to.description]
                    + [now.numerator, now.denominator ?? "", now.percent ?? "", q.from.description, q.to.description]
                    + [then.numerator, then.denominator ?? "", then.percent ?? ""]
                s += fields.map(CaseloadTable.csvField).joined(separator: ",") + "\n"
            }
        }
        return s
    }
}

/// `scorecard --json`: each figure with its numerator, denominator and percentage for the period and the previous
/// one; a suppressed value is the string `<N`.
struct ScorecardOutput: Encodable {
    var schemaVersion = 1
    var period: ScorecardPeriod
    var previousPeriod: ScorecardPeriod
    var team: String?
    var agency: Agency?
    var suppressBelow: Int?
    var figures: [Figure]

    struct Figure: Encodable {
        var id: String
        var section: ScorecardSection
        var words: String
        var of: String?
        var current: Value
        var previous: Value
    }

    /// A number, or `<N` where suppressed.
    enum Number: Encodable {
        case value(Int)
        case suppressed(String)
        init(_ text: String) { self = Int(text).map(Number.value) ?? .suppressed(text) }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .value(let n): try c.encode(n)
            case .suppressed(let s): try c.encode(s)
            }
        }
    }

    struct Value: Encodable {
        var numerator: Number
        var denominator: Number?
        var percent: Number?
        init(_ c: ScorecardView.Cell) {
            numerator = Number(c.numerator)
            denominator = c.denominator.map(Number.init)
            percent = c.percent.map(Number.init)
        }
    }

    init(_ v: ScorecardView) {
        period = v.card.period
        previousPeriod = v.card.period.previous
        team = v.team
        agency = v.agency
        suppressBelow = v.suppressBelow > 1 ? v.suppressBelow : nil
        figures = v.card.rows.indices.map { k in
            let row = v.card.rows[k]
            return Figure(
                id: row.id, section: row.section, words: row.words, of: row.of, current: .init(v.cell(k, .current)),
                previous: .init(v.cell(k, .previous)))
        }
    }
}
