/// Everything the rules say about one child as of a date: the one account every view, report and fast path asks.
///
/// Built only by `Policy.review(family:finals:levels:asOf:)`, which takes each child at their own latest final
/// assessment; `flags` holds every flag in severity order, and `severity` places the child in the severity order.
public struct ChildReview: Codable, Sendable, Equatable {
    public var childId: ChildID
    public var born: CalendarDate
    public var asOf: CalendarDate
    /// Final assessments in the series (after amendments and withdrawals, one per date).
    public var assessments: Int
    public var latest: ProfileSummary?
    /// One per area of the instrument that has a graded series, in instrument order.
    public var areas: [LevelReview]
    public var subAreas: [LevelReview]
    /// Areas the latest final assessment grades at or worse than their severe-concern grade.
    public var severeAreas: [LinkID]
    /// The worst area grade of the latest final assessment.
    public var worstAreaGrade: Grade?
    public var reviewOverdue: Bool
    /// Days since the latest final assessment.
    public var daysSinceLatest: Int?
    /// Days past the review interval, when a review is overdue.
    public var daysOverdue: Int?
    /// Spells needing work, oldest first, spells less than `sustainMinDays` apart merged into one.
    public var spells: [Spell]
    /// When the current spell needing work began (nil unless the latest assessment needs work).
    public var currentSpellStart: CalendarDate?
    /// Days from `currentSpellStart` to `asOf`.
    public var currentSpellDays: Int?
    /// Days needing work over the whole history (an open spell counted to `asOf`).
    public var cumulativeDays: Int
    /// The window `cumulative-concern` looks at: the smaller of `cumulativeWindowDays` and the child's age in days.
    public var recentWindowDays: Int
    /// Days needing work within `recentWindowDays` before `asOf`.
    public var recentDays: Int
    public var targets: [TargetReview]
    /// Areas where care of this child is graded much worse than a sibling's (siblings assessed close in time).
    public var siblingDisparities: [SiblingDisparity]
    /// No final assessment while a sibling has one.
    public var notAssessed: Bool
    /// Assessed before, but not in the family's latest final assessment while a sibling was.
    public var leftOut: Bool
    /// 13 or older with a younger sibling assessed, when not assessed or left out.
    public var teenager: Bool
    /// Carers living with the children not covered by this child's latest final assessment.
    public var carersNotIncluded: [CarerID]
    /// Every flag that holds, most severe first.
    public var flags: [CaseFlag]
    /// The child's place in the severity order: their most severe flag, else their most severe area trend.
    public var severity: Severity

    /// Counts of each target status.
    public func targetCount(_ status: TargetStatus) -> Int { targets.filter { $0.status == status }.count }
    /// Where the child ranks: most severe item, then worst area grade, cumulative days needing work, younger first.
    public var severityKey: SeverityKey {
        SeverityKey(severity: severity, worstGrade: worstAreaGrade, cumulativeDays: cumulativeDays, born: born)
    }
    /// The area review of `linkId`, if graded.
    public func area(_ linkId: LinkID) -> LevelReview? { areas.first { $0.linkId == linkId } }
}

/// The series analysis of one area or sub-area.
public struct LevelReview: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var analysis: SeriesAnalysis
}

/// A run of final assessments with any area needing work; it ends at the next final assessment with none.
public struct Spell: Codable, Sendable, Equatable {
    public var start: CalendarDate
    /// The first later final assessment needing no work; nil while the spell is open.
    public var end: CalendarDate?
    /// Days from `start` to `end`, or to the as-of date while open.
    public var days: Int
}

/// Whether a target was reached.
public enum TargetStatus: String, Codable, Sendable, CaseIterable {
    case met
    /// Words: "not reached by <date>".
    case missed
    /// The review-by date passed with no final assessment since the target was set.
    case notReviewed = "not-reviewed"
    case open
}

/// A target set in one assessment and what later final assessments made of it.
public struct TargetReview: Codable, Sendable, Equatable {
    public var target: Target
    public var setIn: AssessmentID
    public var setOn: CalendarDate
    public var gradeWhenSet: Grade?
    public var status: TargetStatus
    /// The first later assessment date at which the target was reached, and the grade then.
    public var metOn: CalendarDate?
    public var metGrade: Grade?
    /// The latest grade after the target was set (on or before the as-of date).
    public var latestGrade: Grade?
    /// Met, then a later assessment graded it worse than the target again.
    public var sinceSlipped: Bool

    /// The one rule for a target's status as of a date, used by every view.
    ///
    /// `later` are the child's final assessments after the one that set the target, oldest first; those after
    /// `asOf` are ignored.
    public init(
        target: Target, setIn: AssessmentID, setOn: CalendarDate, gradeWhenSet: Grade?, later: [ProfileSummary],
        asOf: CalendarDate
    ) {
        self.target = target
        self.setIn = setIn
        self.setOn = setOn
        self.gradeWhenSet = gradeWhenSet
        let seen = later.filter { $0.date > setOn && $0.date <= asOf }
        let reached = seen.first { $0.grade(target.linkId).map { $0 <= target.grade } ?? false }
        metOn = reached?.date
        metGrade = reached?.grade(target.linkId)
        let latestGraded = seen.last { $0.grade(target.linkId) != nil }
        latestGrade = latestGraded?.grade(target.linkId)
        sinceSlipped =
            reached != nil
            && latestGraded.map { $0.date > reached!.date && $0.grade(target.linkId)! > target.grade }
                ?? false
        if reached != nil {
            status = .met
        } else if asOf > target.reviewBy {
            status = seen.isEmpty ? .notReviewed : .missed
        } else {
            status = .open
        }
    }
}

/// The family-level checks, each child taken at their own latest final assessment, and every child's account.
public struct FamilyReview: Codable, Sendable, Equatable {
    public var familyId: FamilyID
    public var asOf: CalendarDate
    /// The family's latest final assessment on or before `asOf`.
    public var latestAssessment: AssessmentID?
    /// Children born on or before `asOf`, in family order.
    public var children: [ChildReview]
    /// Children born (or expected) after `asOf`: not listed, counted as expected.
    public var expected: [ChildID]
    public var siblingDisparities: [SiblingDisparity]
    /// Children with no final assessment while a sibling has one.
    public var childrenNotAssessed: [ChildID]
    /// Children assessed before but not in the family's latest final assessment while a sibling was.
    public var childrenLeftOut: [ChildID]
    /// Carers living with the children not covered by the family's latest final assessment.
    public var carersNotIncluded: [CarerID]

    /// The account of `child`, if born by the as-of date.
    public func child(_ id: ChildID) -> ChildReview? { children.first { $0.childId == id } }
}

/// Care of a child graded much worse than care of a sibling in an area.
public struct SiblingDisparity: Codable, Sendable, Equatable {
    public var childId: ChildID
    public var area: LinkID
    public var grade: Grade
    public var bestSibling: ChildID
    public var bestGrade: Grade
}

/// An assessment as the reviews need it: which carers it covered and each child's summary.
public struct FamilyAssessmentSummary: Codable, Sendable, Equatable {
    public var assessmentId: AssessmentID
    public var date: CalendarDate
    public var carers: [CarerID]
    public var profiles: [ProfileSummary]
    public init(assessmentId: AssessmentID, date: CalendarDate, carers: [CarerID], profiles: [ProfileSummary]) {
        self.assessmentId = assessmentId
        self.date = date
        self.carers = carers
        self.profiles = profiles
    }
}

/// What the reviews need of an instrument, prepared once: area and sub-area order, and the strength band's top.
public struct ReviewLevels: Sendable {
    public let areaIds: [LinkID]
    public let subAreaIds: [LinkID]
    public let strengthMax: Int
    public init(_ instrument: ValidatedInstrument, subAreas: Bool = true) {
        areaIds = instrument.areas.map(\.linkId)
        subAreaIds = subAreas ? instrument.areas.flatMap { $0.subAreas.map(\.linkId) } : []
        strengthMax = instrument.bands.strengthMax
    }
    /// The same levels without sub-areas (the caseload reads areas only).
    public var areasOnly: ReviewLevels { ReviewLevels(areaIds: areaIds, subAreaIds: [], strengthMax: strengthMax) }
    init(areaIds: [LinkID], subAreaIds: [LinkID], strengthMax: Int) {
        self.areaIds = areaIds
        self.subAreaIds = subAreaIds
        self.strengthMax = strengthMax
    }
}

extension FamilyAssessmentSummary {
    /// Final assessments in the order a series reads them: by date, then in the order recorded.
    static func ordered(_ finals: [FamilyAssessmentSummary]) -> [FamilyAssessmentSummary] {
        // Each key computed once (the caseload orders every family's finals).
        finals.map { (key: ($0.date, $0.assessmentId.number ?? 0, $0.assessmentId.rawValue), value: $0) }
            .sorted { $0.key < $1.key }.map(\.value)
    }

    /// Each child's series, one final per date (the one recorded last), oldest first, and the assessment each
    /// child's series ends with; `finals` in the order `ordered` gives.
    static func seriesByChild(
        _ finals: [FamilyAssessmentSummary]
    ) -> ([ChildID: [ProfileSummary]], [ChildID: FamilyAssessmentSummary]) {
        var seriesOf: [ChildID: [ProfileSummary]] = [:]
        var latestOf: [ChildID: FamilyAssessmentSummary] = [:]
        for f in finals {
            for p in f.profiles {
                var s = seriesOf[p.childId, default: []]
                if let last = s.last, last.date == p.date { s.removeLast() }
                s.append(p)
                seriesOf[p.childId] = s
                latestOf[p.childId] = f
            }
        }
        return (seriesOf, latestOf)
    }

    /// One child's series of final assessments, as every review reads it: one per date (the one recorded last),
    /// oldest first.
    public static func series(of child: ChildID, in finals: [FamilyAssessmentSummary]) -> [ProfileSummary] {
        seriesByChild(ordered(finals)).0[child] ?? []
    }
}

extension AssessmentID {
    /// The number after the family's prefix (`<family>-a<n>`): assessments are numbered in the order recorded.
    public var number: Int? {
        // The text after the last `-a` (identifiers are ASCII), read byte by byte rather than by a Foundation search.
        let u = rawValue.utf8
        var i = u.endIndex
        while i > u.startIndex {
            let a = u.index(before: i)
            guard a > u.startIndex else { return nil }
            let dash = u.index(before: a)
            if u[dash] == UInt8(ascii: "-") && u[a] == UInt8(ascii: "a") { return Int(rawValue[i...]) }
            i = a
        }
        return nil
    }
}

extension Policy {
    /// The one account of a family and each of its children as of `asOf`, from the family's final assessments
    /// in force (amendments applied, withdrawals removed).
    ///
    /// Assessments after `asOf` are ignored; children born after it are counted as expected only. Where two
    /// final assessments grade a child on the same date, the one recorded last counts.
    public func review(
        family: Family, finals unsorted: [FamilyAssessmentSummary], levels: ReviewLevels, asOf: CalendarDate
    ) -> FamilyReview {
        let finals = FamilyAssessmentSummary.ordered(unsorted.filter { $0.date <= asOf })
        let born = family.children.filter { $0.born <= asOf }
        let familyLatest = finals.last
        let (seriesOf, latestOf) = FamilyAssessmentSummary.seriesByChild(finals)
        let bornIds = Set(born.map(\.id))
        // Sibling disparity: each child at their own latest, against siblings assessed close in time.
        var disparities: [SiblingDisparity] = []
        let window = 2 * reviewIntervalDays
        let latestProfile: [ChildID: ProfileSummary] = seriesOf.compactMapValues { $0.last }
        for child in born {
            guard let mine = latestProfile[child.id] else { continue }
            let peers = born.compactMap { s -> ProfileSummary? in
                guard s.id != child.id, let p = latestProfile[s.id], abs(p.date.days(to: mine.date)) <= window else {
                    return nil
                }
                return p
            }
            for area in levels.areaIds {
                guard let g = mine.grade(area) else { continue }
                let best = peers.compactMap { p in p.grade(area).map { (p.childId, $0) } }
                    .min { ($0.1, $0.0) < ($1.1, $1.0) }
                if let best, g.rawValue - best.1.rawValue >= siblingDisparityGap {
                    disparities.append(
                        SiblingDisparity(childId: child.id, area: area, grade: g, bestSibling: best.0, bestGrade: best.1))
                }
            }
        }
        let assessed = born.filter { seriesOf[$0.id] != nil }
        let inLatest = Set(familyLatest?.profiles.map(\.childId) ?? [])
        func ageYears(_ c: Child) -> Int { c.born.wholeYears(to: asOf) }
        var notAssessed: [ChildID] = [], leftOut: [ChildID] = [], teenagers: Set<ChildID> = []
        for child in born {
            let siblingsAssessed = assessed.filter { $0.id != child.id }
            if seriesOf[child.id] == nil {
                guard !siblingsAssessed.isEmpty, let latest = familyLatest, child.born <= latest.date else { continue }
                notAssessed.append(child.id)
                if ageYears(child) >= 13, siblingsAssessed.contains(where: { $0.born > child.born }) {
                    teenagers.insert(child.id)
                }
            } else if let latest = familyLatest, !inLatest.contains(child.id),
                latest.profiles.contains(where: { bornIds.contains($0.childId) })
            {
                leftOut.append(child.id)
                let younger = born.filter { $0.born > child.born && inLatest.contains($0.id) }
                if ageYears(child) >= 13, !younger.isEmpty { teenagers.insert(child.id) }
            }
        }
        let household = family.carers.map(\.id)
        let children = born.map { child -> ChildReview in
            let notIncluded = latestOf[child.id].map { l in household.filter { !l.carers.contains($0) } } ?? []
            return review(
                child: child, series: seriesOf[child.id] ?? [], levels: levels, asOf: asOf,
                disparities: disparities.filter { $0.childId == child.id }, notAssessed: notAssessed.contains(child.id),
                leftOut: leftOut.contains(child.id), teenager: teenagers.contains(child.id), carersNotIncluded: notIncluded)
        }
        return FamilyReview(
            familyId: family.id, asOf: asOf, latestAssessment: familyLatest?.assessmentId, children: children,
            expected: family.children.filter { $0.born > asOf }.map(\.id), siblingDisparities: disparities,
            childrenNotAssessed: notAssessed, childrenLeftOut: leftOut,
            carersNotIncluded: familyLatest.map { l in household.filter { !l.carers.contains($0) } } ?? [])
    }

    /// One child's account from their series (one final per date, oldest first) and the family checks about them.
    private func review(
        child: Child, series: [ProfileSummary], levels: ReviewLevels, asOf: CalendarDate,
        disparities: [SiblingDisparity], notAssessed: Bool, leftOut: Bool, teenager: Bool, carersNotIncluded: [CarerID]
    ) -> ChildReview {
        // Area grades looked up once per assessment: every rule below reads them several times.
        let areaRows = series.map { s in levels.areaIds.map { s.grade($0) } }
        func review(_ id: LinkID, _ grade: (Int) -> Grade?) -> LevelReview? {
            var points: [SeriesPoint] = []
            points.reserveCapacity(series.count)
            for k in series.indices { if let g = grade(k) { points.append(SeriesPoint(date: series[k].date, grade: g)) } }
            return analyse(points, strengthMax: levels.strengthMax).map { LevelReview(linkId: id, analysis: $0) }
        }
        let areas = levels.areaIds.indices.compactMap { a in review(levels.areaIds[a]) { areaRows[$0][a] } }
        let subAreas = levels.subAreaIds.compactMap { id in review(id) { series[$0].grade(id) } }
        let n = series.count
        let latest = series.last
        let needsWork = areaRows.map { row in row.contains { $0.map(self.needsWork) ?? false } }
        let severe =
            latest.map { l in
                levels.areaIds.filter { a in l.grade(a).map { $0.rawValue >= severeFrom(area: a) } ?? false }
            } ?? []
        let daysSince = latest.map { $0.date.days(to: asOf) }
        let overdue =
            n > 0 && (needsWork[n - 1] || (n >= 2 && needsWork[n - 2])) && (daysSince ?? 0) > reviewIntervalDays
        let spells = self.spells(dates: series.map(\.date), needsWork: needsWork, asOf: asOf)
        let current = spells.last.flatMap { $0.end == nil ? $0 : nil }
        let cumulative = spells.reduce(0) { $0 + $1.days }
        let recentWindow = max(0, min(cumulativeWindowDays, child.born.days(to: asOf)))
        let windowStart = asOf.adding(days: -recentWindow)
        let recent = spells.reduce(0) { total, s in
            let from = max(s.start, windowStart), to = s.end ?? asOf
            return total + max(0, from.days(to: to))
        }
        var targets: [TargetReview] = []
        for (k, s) in series.enumerated() {
            for t in s.targets {
                targets.append(
                    TargetReview(
                        target: t, setIn: s.assessmentId, setOn: s.date, gradeWhenSet: s.grade(t.linkId),
                        later: Array(series[(k + 1)...]), asOf: asOf))
            }
        }
        var flags: Set<CaseFlag> = []
        if !severe.isEmpty { flags.insert(.severeConcern) }
        for a in areas {
            switch a.analysis.trend {
            case .deteriorating: flags.insert(.deteriorating)
            case .drift: flags.insert(.drift)
            case .improvementLost: flags.insert(.improvementLost)
            default: break
            }
        }
        if let current, current.days >= longTermConcernDays { flags.insert(.longTermConcern) }
        if recent * 2 >= recentWindow && recent >= 90 { flags.insert(.cumulativeConcern) }
        if spells.count >= recurrentConcernSpells { flags.insert(.recurrentConcern) }
        if overdue { flags.insert(.reviewOverdue) }
        if notAssessed { flags.insert(.childNotAssessed) }
        if leftOut { flags.insert(.childLeftOut) }
        if !disparities.isEmpty { flags.insert(.siblingDisparity) }
        if targets.contains(where: { $0.status == .missed }) { flags.insert(.targetMissed) }
        if targets.contains(where: { $0.status == .notReviewed }) { flags.insert(.targetNotReviewed) }
        if !carersNotIncluded.isEmpty { flags.insert(.carerNotIncluded) }
        let ordered = CaseFlag.allCases.filter(flags.contains)
        let severity =
            ordered.map { $0.severity(teenager: teenager) }.min()
            ?? areas.map { $0.analysis.trend.severity }.min() ?? .notYetAssessed
        return ChildReview(
            childId: child.id, born: child.born, asOf: asOf, assessments: n, latest: latest, areas: areas,
            subAreas: subAreas, severeAreas: severe, worstAreaGrade: areaRows.last?.compactMap { $0 }.max(),
            reviewOverdue: overdue, daysSinceLatest: daysSince,
            daysOverdue: overdue ? (daysSince ?? 0) - reviewIntervalDays : nil, spells: spells,
            currentSpellStart: current?.start, currentSpellDays: current?.days, cumulativeDays: cumulative,
            recentWindowDays: recentWindow, recentDays: recent, targets: targets, siblingDisparities: disparities,
            notAssessed: notAssessed, leftOut: leftOut, teenager: teenager, carersNotIncluded: carersNotIncluded,
            flags: ordered, severity: severity)
    }

    /// Spells needing work from a series' dates and whether each assessment needs work; spells less than
    /// `sustainMinDays` apart (end of one to start of the next) merge into one.
    func spells(dates: [CalendarDate], needsWork: [Bool], asOf: CalendarDate) -> [Spell] {
        var raw: [(start: CalendarDate, end: CalendarDate?)] = []
        for (k, date) in dates.enumerated() {
            if needsWork[k] {
                if raw.last.map({ $0.end != nil }) ?? true { raw.append((date, nil)) }
            } else if let last = raw.last, last.end == nil {
                raw[raw.count - 1].end = date
            }
        }
        var merged: [(start: CalendarDate, end: CalendarDate?)] = []
        for s in raw {
            if let last = merged.last, let end = last.end, end.days(to: s.start) < sustainMinDays {
                merged[merged.count - 1].end = s.end
            } else {
                merged.append(s)
            }
        }
        return merged.map { Spell(start: $0.start, end: $0.end, days: $0.start.days(to: $0.end ?? asOf)) }
    }
}

/// How a child's areas and sub-areas are presented: the presentation rule of `Docs/rules.md`, in one place.
public struct Presentation: Sendable, Equatable {
    /// Areas whose latest grade and every sub-area's latest grade are better than `needsWorkFrom`.
    public var goingWell: [LevelReview]
    /// Areas and sub-areas at or worse than `needsWorkFrom` that improved at the latest assessment.
    public var progressStillNeedsWork: [LevelReview]
    /// Every other area and sub-area at or worse than `needsWorkFrom`, and any that is deteriorating.
    public var needsAttention: [LevelReview]
}

extension Policy {
    /// Sorts a child's areas and sub-areas into what is going well, progress that still needs work, and what needs
    /// attention. Nothing at or worse than `needsWorkFrom` is ever going well.
    public func present(_ review: ChildReview) -> Presentation {
        var out = Presentation(goingWell: [], progressStillNeedsWork: [], needsAttention: [])
        func needs(_ r: LevelReview) -> Bool { needsWork(r.analysis.latest.grade) }
        for area in review.areas {
            let prefix = area.linkId.rawValue + "."
            let subs = review.subAreas.filter { $0.linkId.rawValue.hasPrefix(prefix) }
            if !needs(area) && !subs.contains(where: needs) && area.analysis.trend != .deteriorating {
                out.goingWell.append(area)
            }
            for r in [area] + subs where needs(r) || r.analysis.trend == .deteriorating {
                if needs(r) && r.analysis.improvedAtLatest {
                    out.progressStillNeedsWork.append(r)
                } else {
                    out.needsAttention.append(r)
                }
            }
        }
        return out
    }
}
