import Foundation
import GCP2Core
import GCP2Store

/// `scorecard`: the partnership's figures for a period beside the previous one.
enum ScorecardCommands {
    static let command = Command(
        spec: Commands.spec(
            "scorecard", [],
            [
                OptionSpec(
                    name: "from", value: "DATE", help: "first assessment date of the period (default: the twelve months to --to)"),
                OptionSpec(name: "to", value: "DATE", help: "last assessment date of the period (default: today)"),
                OptionSpec(name: "team", value: "T", help: "only children whose latest final assessment was by team T"),
                OptionSpec(name: "format", value: "FORMAT", help: "text (default), markdown, csv or json"),
                OptionSpec(
                    name: "suppress-below", value: "N",
                    help: "write counts 1 to N−1, and percentages computed from them, as <N (published statistics)"),
            ],
            "the partnership scorecard: each figure with its numerator and denominator, beside the previous period",
            discussion:
                "Every figure is read from each child's one account as of the period's end (Docs/scorecard.md defines each). The previous period has the same length and ends the day before --from.",
            examples: [
                "gcp2 scorecard", "gcp2 scorecard --from 2026-04-01 --to 2027-03-31 --format markdown",
                "gcp2 scorecard --team east --suppress-below 5 --format csv > east.csv",
            ]),
        run: ScorecardCommands.scorecard)

    @Sendable static func scorecard(_ c: Context) throws {
        let store = try c.openStore()
        let to = try c.args.value("to").map { try c.date("--to", $0) } ?? c.env.today
        let from = try c.args.value("from").map { try c.date("--from", $0) } ?? yearBefore(to)
        guard from <= to else {
            throw UsageError.invalidValue(option: "--from", value: from.description, expected: "a date on or before --to \(to)")
        }
        let format = c.json ? "json" : (c.args.value("format") ?? "text")
        guard ["text", "markdown", "csv", "json"].contains(format) else {
            throw UsageError.invalidValue(option: "--format", value: format, expected: "text, markdown, csv or json")
        }
        var suppress = 0
        if let text = c.args.value("suppress-below") {
            guard let n = Int(text), n >= 1 else {
                throw UsageError.invalidValue(option: "--suppress-below", value: text, expected: "a whole number 1 or more")
            }
            suppress = n
        }
        let team = c.args.value("team")
        if let team, team.trimmingCharacters(in: .whitespaces).isEmpty {
            throw UsageError.invalidValue(option: "--team", value: team, expected: "a team's name")
        }
        let period = ScorecardPeriod(from: from, to: to)
        let (card, damaged) = try Casework(store).scorecard(period, team: team)
        for d in damaged { c.out.warn("left out of the scorecard: \(d)") }
        let view = ScorecardView(card: card, team: team, suppressBelow: suppress)
        switch format {
        case "json": c.out.json(ScorecardOutput(view))
        case "markdown": c.out.text(ScorecardTable.markdown(view))
        case "csv": c.out.text(ScorecardTable.csv(view))
        default: c.out.text(ScorecardTable.text(view))
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
