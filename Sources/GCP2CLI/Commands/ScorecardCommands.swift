import Foundation
import GCP2Core
import GCP2Store

/// `scorecard`: the partnership's figures for a period beside the previous one.
enum ScorecardCommands {
    enum Format: String, CaseIterable, Sendable { case text, markdown, csv, json }

    static let from = Option.date(
        "from", help: "first assessment date of the period (default: the twelve months to --to)")
    static let to = Option.date("to", help: "last assessment date of the period (default: today)")
    static let team = Option<String>("team", "T", help: "only children whose latest final assessment was by team T")
    static let agency = Option<Agency>.choice(
        "agency", "A", help: "only children whose latest final assessment had an assessor of agency A")
    static let format = Option<Format>.choice("format", "FORMAT", help: "text (default), markdown, csv or json")
    static let suppressBelow = Option.number(
        "suppress-below", from: 1,
        help: "write counts 1 to N−1, and percentages computed from them, as <N (published statistics)")

    static let command = Command(
        "scorecard",
        "the partnership scorecard: each figure with its numerator and denominator, beside the previous period",
        options: [from, to, team, agency, format, suppressBelow],
        discussion:
            "Every figure is read from each child's one account as of the period's end (Docs/scorecard.md defines each). The previous period has the same length and ends the day before --from.",
        examples: [
            "gcp2 scorecard", "gcp2 scorecard --from 2026-04-01 --to 2027-03-31 --format markdown",
            "gcp2 scorecard --team east --suppress-below 5 --format csv > east.csv",
            "gcp2 scorecard --agency health-visiting --format markdown",
        ],
        run: scorecard)

    @Sendable static func scorecard(_ c: Context) throws {
        let store = try c.openStore()
        let to = try c.args.value(Self.to) ?? c.env.today
        let from = try c.args.value(Self.from) ?? yearBefore(to)
        guard from <= to else {
            throw UsageError.invalidValue(option: "--from", value: from.description, expected: "a date on or before --to \(to)")
        }
        let format = c.json ? .json : (try c.args.value(Self.format) ?? .text)
        let suppress = try c.args.value(suppressBelow) ?? 0
        let team = try c.args.value(Self.team)
        if let team, team.trimmingCharacters(in: .whitespaces).isEmpty {
            throw UsageError.invalidValue(option: "--team", value: team, expected: "a team's name")
        }
        let period = ScorecardPeriod(from: from, to: to)
        let agency = try c.args.value(Self.agency)
        let (card, damaged) = try Casework(store).scorecard(period, team: team, agency: agency)
        for d in damaged { c.out.warn("left out of the scorecard: \(d)") }
        let view = ScorecardView(card: card, team: team, agency: agency, suppressBelow: suppress)
        switch format {
        case .json: c.out.json(ScorecardOutput(view))
        case .markdown: c.out.text(ScorecardTable.markdown(view))
        case .csv: c.out.text(ScorecardTable.csv(view))
        case .text: c.out.text(ScorecardTable.text(view))
        }
    }

    /// The day after the same date a year earlier: the default period is the twelve months to `to`.
    static func yearBefore(_ to: CalendarDate) -> CalendarDate {
        let sameDay =
            CalendarDate(year: to.year - 1, month: to.month, day: to.day)
            ?? CalendarDate(year: to.year - 1, month: to.month, day: 28)
        return sameDay?.adding(days: 1) ?? to.adding(days: -364)
    }
}
