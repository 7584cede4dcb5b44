/// A period of assessment dates, its first and last day included.
public struct ScorecardPeriod: Codable, Sendable, Equatable {
    public var from: CalendarDate
    public var to: CalendarDate
    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }
    /// Days in the period, both ends included.
    public var days: Int { from.days(to: to) + 1 }
    /// The period of the same length that ends the day before this one begins.
    public var previous: ScorecardPeriod {
        let end = from.adding(days: -1)
        return ScorecardPeriod(from: end.adding(days: 1 - days), to: end)
    }
    public func contains(_ d: CalendarDate) -> Bool { d >= from && d <= to }
}

/// What the scorecard reads of one family for one period: the one account as of the period's last day, how many final
/// assessments each child's series held the day before it began, the children counted and the final assessments in
/// the period counted.
public struct ScorecardFamily: Sendable {
    public var period: ScorecardPeriod
    /// The family's account as of `period.to`.
    public var end: FamilyReview
    /// Final assessments in each child's series as of the day before `period.from` (the series rule of the review,
    /// `FamilyAssessmentSummary.seriesByChild`: one per date, amendments and withdrawals applied).
    public var assessmentsBefore: [ChildID: Int]
    /// The children counted: every child born by the period's end, or only a team's.
    public var children: [ChildReview]
    /// Final assessments in force dated in the period (a team's, with a team).
    public var assessments: [FamilyAssessmentSummary]

    /// Final assessments in the child's series the day before the period began.
    public func before(_ c: ChildReview) -> Int { assessmentsBefore[c.childId] ?? 0 }
    /// Final assessments of the child dated in the period.
    public func assessedInPeriod(_ c: ChildReview) -> Int { c.assessments - before(c) }
}

extension Policy {
    /// One family's part of a scorecard: the one account at the period's end (`review(family:finals:levels:asOf:)`)
    /// and each child's series count the day before it began. With `team`, only the children whose latest final assessment by the
    /// period's end (or, never assessed, whose family's latest) had an assessor of that team, and only the
    /// assessments in the period with one (team names compared ignoring case and surrounding spaces); with `agency`,
    /// the same for an assessor of that agency. `end`, when given, is the review as of the period's last day, already
    /// made.
    public func scorecardFamily(
        family: Family, finals: [FamilyAssessmentSummary], decisions: [Decision] = [], levels: ReviewLevels,
        period: ScorecardPeriod, team: String? = nil, agency: Agency? = nil, end known: FamilyReview? = nil
    ) -> ScorecardFamily {
        let end = known ?? review(family: family, finals: finals, levels: levels, asOf: period.to, decisions: decisions)
        // Only the count of each child's series is read as of the day before: the series rule, not a whole review.
        let dayBefore = period.from.adding(days: -1)
        let before = FamilyAssessmentSummary.seriesByChild(
            FamilyAssessmentSummary.ordered(finals.filter { $0.date <= dayBefore })
        ).0.mapValues(\.count)
        var children = end.children
        var inPeriod = finals.filter { period.contains($0.date) }
        if let team {
            let wanted = Scorecard.folded(team)
            let byId = Dictionary(finals.map { ($0.assessmentId, $0) }, uniquingKeysWith: { a, _ in a })
            func ofTeam(_ id: AssessmentID?) -> Bool {
                id.flatMap { byId[$0] }.map { ($0.teams ?? []).contains { Scorecard.folded($0) == wanted } } ?? false
            }
            children = children.filter { ofTeam($0.latest?.assessmentId ?? end.latestAssessment) }
            inPeriod = inPeriod.filter { ofTeam($0.assessmentId) }
        }
        if let agency {
            let byId = Dictionary(finals.map { ($0.assessmentId, $0) }, uniquingKeysWith: { a, _ in a })
            func ofAgency(_ id: AssessmentID?) -> Bool {
                id.flatMap { byId[$0] }.map { ($0.agencies ?? []).contains(agency) } ?? false
            }
            children = children.filter { ofAgency($0.latest?.assessmentId ?? end.latestAssessment) }
            inPeriod = inPeriod.filter { ofAgency($0.assessmentId) }
        }
        return ScorecardFamily(
            period: period, end: end, assessmentsBefore: before, children: children, assessments: inPeriod)
    }
}

/// A part of the scorecard, in the order printed.
public enum ScorecardSection: String, Codable, Sendable, CaseIterable {
    case activity
    case change
    case needingWork = "needing-work"
    case reviews
    case targets
    case practice

    /// The section's heading.
    public var title: String {
        switch self {
        case .activity: "Assessments in the period"
        case .change: "Change from first to latest assessment (children assessed at least twice)"
        case .needingWork: "Children needing work at the end of the period"
        case .reviews: "Reviews of children needing work"
        case .targets: "Targets whose review date fell in the period"
        case .practice: "Practice"
        }
    }
}

/// One figure's definition: what it counts in one family, as a numerator and (for a share) a denominator.
///
/// Every definition reads only the family's reviews (`ScorecardFamily`), never a rule of its own; `Docs/scorecard.md`
/// gives each in words. Adding a figure is adding one row to `Scorecard.rows`.
public struct ScorecardRow: Sendable {
    public var id: String
    public var section: ScorecardSection
    /// What is counted, in words.
    public var words: String
    /// For a share, what it is a share of, in words; nil for a count.
    public var of: String?
    let count: @Sendable (ScorecardFamily) -> (numerator: Int, denominator: Int)
    /// For a share of children: which children are counted and which of them hold; `Tally` reads every such row
    /// in one pass over a family's children.
    let perChild: (counted: @Sendable (ChildReview) -> Bool, holds: @Sendable (ChildReview) -> Bool)?

    init(
        id: String, section: ScorecardSection, words: String, of: String?,
        count: @escaping @Sendable (ScorecardFamily) -> (numerator: Int, denominator: Int)
    ) {
        (self.id, self.section, self.words, self.of, self.count, perChild) = (id, section, words, of, count, nil)
    }

    init(
        id: String, section: ScorecardSection, words: String, of: String,
        counted: @escaping @Sendable (ChildReview) -> Bool, holds: @escaping @Sendable (ChildReview) -> Bool
    ) {
        (self.id, self.section, self.words, self.of) = (id, section, words, of)
        perChild = (counted, holds)
        count = { f in
            var n = 0, d = 0
            for c in f.children where counted(c) {
                d += 1
                if holds(c) { n += 1 }
            }
            return (n, d)
        }
    }
}

/// One figure's value over a whole scorecard.
public struct ScorecardValue: Codable, Sendable, Equatable {
    public var numerator: Int
    /// Nil for a count.
    public var denominator: Int?
    public init(numerator: Int, denominator: Int?) {
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// The partnership scorecard: each figure for a period beside the previous period of the same length.
public struct Scorecard: Sendable {
    public var period: ScorecardPeriod
    public var rows: [ScorecardRow]
    /// One value per row, for `period` and for `period.previous`.
    public var current: [ScorecardValue]
    public var previous: [ScorecardValue]

    static func folded(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).lowercased() }

    /// Sums of each row over the families added.
    public struct Tally: Sendable {
        public let rows: [ScorecardRow]
        var numerators: [Int]
        var denominators: [Int]
        let childRows: [Int]
        let otherRows: [Int]
        public init(rows: [ScorecardRow]) {
            self.rows = rows
            numerators = Array(repeating: 0, count: rows.count)
            denominators = numerators
            childRows = rows.indices.filter { rows[$0].perChild != nil }
            otherRows = rows.indices.filter { rows[$0].perChild == nil }
        }
        /// Adds one family's counts.
        public mutating func add(_ f: ScorecardFamily) {
            // Shares of children in one pass over the children (each account read once, not once per figure), the
            // other figures each by their own count.
            for c in f.children {
                for k in childRows {
                    let (counted, holds) = rows[k].perChild!
                    if counted(c) {
                        denominators[k] += 1
                        if holds(c) { numerators[k] += 1 }
                    }
                }
            }
            for k in otherRows {
                let (n, d) = rows[k].count(f)
                numerators[k] += n
                denominators[k] += d
            }
        }
        /// Adds another tally over the same rows.
        public mutating func add(_ other: Tally) {
            for k in rows.indices {
                numerators[k] += other.numerators[k]
                denominators[k] += other.denominators[k]
            }
        }
        public var values: [ScorecardValue] {
            rows.indices.map { k in
                ScorecardValue(numerator: numerators[k], denominator: rows[k].of == nil ? nil : denominators[k])
            }
        }
    }

    public init(period: ScorecardPeriod, current: Tally, previous: Tally) {
        self.period = period
        rows = current.rows
        self.current = current.values
        self.previous = previous.values
    }

    /// Every figure, in the order printed: adding one is adding one entry here (and its definition in
    /// `Docs/scorecard.md`). `areas` are the instrument's areas (id and title), for the change per area.
    public static func rows(policy p: Policy, areas: [(LinkID, String)]) -> [ScorecardRow] {
        func count(_ id: String, _ s: ScorecardSection, _ w: String, _ f: @escaping @Sendable (ScorecardFamily) -> Int)
            -> ScorecardRow
        {
            ScorecardRow(id: id, section: s, words: w, of: nil) { (f($0), 0) }
        }
        /// A share of children: `of` says which children are counted, `holds` which of them the figure counts.
        func children(
            _ id: String, _ s: ScorecardSection, _ w: String, of: String, _ counted: @escaping @Sendable (ChildReview) -> Bool,
            _ holds: @escaping @Sendable (ChildReview) -> Bool
        ) -> ScorecardRow {
            ScorecardRow(id: id, section: s, words: w, of: of, counted: counted, holds: holds)
        }
        let needsWork: @Sendable (ChildReview) -> Bool = { $0.currentSpellStart != nil }
        let twice: @Sendable (ChildReview) -> Bool = { $0.assessments >= 2 }
        var rows: [ScorecardRow] = [
            count("families-assessed", .activity, "families with a final assessment") { f in
                f.children.contains { f.assessedInPeriod($0) > 0 } ? 1 : 0
            },
            count("children-assessed", .activity, "children with a final assessment") { f in
                f.children.filter { f.assessedInPeriod($0) > 0 }.count
            },
            count("first-assessments", .activity, "first assessments (a child's first final one)") { f in
                f.children.filter { f.assessedInPeriod($0) > 0 && f.before($0) == 0 }.count
            },
            count("review-assessments", .activity, "review assessments (a child's second or later)") { f in
                f.children.reduce(0) { n, c in
                    let k = f.assessedInPeriod(c)
                    return n + (f.before(c) == 0 ? max(0, k - 1) : k)
                }
            },
        ]
        // Change from first to latest: worse before same before better, overall (worst area) then per area.
        func change(_ id: String, _ w: String, _ grades: @escaping @Sendable (ChildReview) -> (Grade, Grade)?) {
            let of = "children assessed at least twice\(id == "overall" ? "" : ", graded in the area twice")"
            let ways: [(String, String, @Sendable (Grade, Grade) -> Bool)] = [
                ("worse", "worse", { @Sendable a, b in b > a }), ("same", "the same", { @Sendable a, b in b == a }),
                ("better", "better", { @Sendable a, b in b < a }),
            ]
            for (suffix, word, holds) in ways {
                rows.append(
                    children("change-\(id)-\(suffix)", .change, "\(w): \(word)", of: of, { twice($0) && grades($0) != nil }) {
                        let (a, b) = grades($0)!
                        return holds(a, b)
                    })
            }
        }
        change("overall", "worst area") { c in
            guard let first = c.firstWorstAreaGrade, let latest = c.worstAreaGrade else { return nil }
            return (first, latest)
        }
        for (area, title) in areas {
            change(area.rawValue, title) { c in
                guard let a = c.area(area), a.analysis.count >= 2 else { return nil }
                return (a.analysis.first.grade, a.analysis.latest.grade)
            }
        }
        let withFinal: @Sendable (ChildReview) -> Bool = { $0.assessments > 0 }
        let needing = "children needing work"
        rows += [
            children(
                "needing-work", .needingWork, "needing work (an area graded \(p.needsWorkFrom) or worse at the latest)",
                of: "children with a final assessment", withFinal, needsWork),
            children(
                "spell-6-months", .needingWork, "needing work for 182 days (6 months) or more", of: needing, needsWork
            ) { ($0.currentSpellDays ?? 0) >= 182 },
            children(
                "spell-12-months", .needingWork, "needing work for 365 days (12 months) or more", of: needing, needsWork
            ) { ($0.currentSpellDays ?? 0) >= 365 },
            children("recurrent-concern", .needingWork, "recurrent concern", of: needing, needsWork) {
                $0.flags.contains(.recurrentConcern)
            },
            children("cumulative-concern", .needingWork, "cumulative concern", of: needing, needsWork) {
                $0.flags.contains(.cumulativeConcern)
            },
            children("severe-concern", .needingWork, "severe concern", of: needing, needsWork) {
                $0.flags.contains(.severeConcern)
            },
            count("reviews-due", .reviews, "reviews due in the period") { f in
                f.children.reduce(0) { n, c in n + c.reviews.filter { f.period.contains($0.due) }.count }
            },
            ScorecardRow(
                id: "reviews-on-time", section: .reviews, words: "done within \(p.reviewIntervalDays) days",
                of: "reviews due in the period"
            ) { f in
                let due = f.children.flatMap { c in c.reviews.filter { f.period.contains($0.due) } }
                return (due.filter(\.onTime).count, due.count)
            },
            children(
                "review-overdue", .reviews, "review overdue at the end of the period",
                of: "children with a review due after their latest assessment",
                { c in c.reviews.last.map { $0.after == c.latest?.date } ?? false }, \.reviewOverdue),
        ]
        // Targets: not reached and not reviewed before met (worse news first).
        for (status, words) in [
            (TargetStatus.missed, "not reached"), (.notReviewed, "not reviewed (no assessment since it was set)"),
            (.met, "met"), (.open, "not yet met, review date the period's last day"),
        ] {
            rows.append(
                ScorecardRow(
                    id: "targets-\(status.rawValue)", section: .targets, words: words,
                    of: "targets whose review date fell in the period"
                ) { f in
                    let due = f.children.flatMap { c in c.targets.filter { f.period.contains($0.target.reviewBy) } }
                    return (due.filter { $0.status == status }.count, due.count)
                })
        }
        rows += [
            ScorecardRow(
                id: "not-assessed-or-left-out", section: .practice,
                words: "children not assessed, or left out, while a sibling was",
                of: "children in families with a final assessment"
            ) { f in
                guard f.end.latestAssessment != nil else { return (0, 0) }
                return (f.children.filter { $0.notAssessed || $0.leftOut }.count, f.children.count)
            },
            ScorecardRow(
                id: "unannounced-visit", section: .practice, words: "assessments with an unannounced visit",
                of: "final assessments in the period"
            ) { f in
                let known = f.assessments.compactMap(\.unannouncedVisits)
                return (known.filter { $0 > 0 }.count, known.count)
            },
            ScorecardRow(
                id: "multi-agency", section: .practice, words: "assessments with assessors from more than one agency",
                of: "final assessments in the period"
            ) { f in (f.assessments.filter(\.multiAgency).count, f.assessments.count) },
            // Issue 14's practice data, each read from the child's one account at the period's end.
            children(
                "father-not-recorded", .practice, "no father recorded, and no reason given",
                of: "children with a final assessment",
                withFinal, \.fatherNotRecorded),
            children(
                "father-not-included", .practice, "father or male carer recorded but not in the latest assessment",
                of: "children with a final assessment", withFinal
            ) { !$0.fathersNotIncluded.isEmpty },
            children(
                "child-view-recorded", .practice, "the child's view recorded at the latest assessment",
                of: "children with a final assessment, aged \(p.childViewFromMonths) months or more at it",
                { c in c.latest.map { c.born.wholeMonths(to: $0.date) >= p.childViewFromMonths } ?? false }
            ) { $0.latest?.heard == .view },
            children(
                "seen-alone", .practice, "seen alone at the latest assessment", of: "children with a final assessment",
                withFinal
            ) { $0.latest?.seenAlone == true },
            children(
                "escalation-review-due", .practice, "escalation review due (\(p.escalationReviewDays) days without change)",
                of: needing, needsWork
            ) { $0.flags.contains(.escalationReviewDue) },
        ]
        for level in DecisionLevel.allCases {
            rows.append(
                children(
                    "level-\(level.rawValue)", .practice, "at \(level.words) (the latest decision in force)",
                    of: "children with a final assessment", withFinal
                ) { $0.decision?.level == level })
        }
        return rows
    }
}
