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
    /// Every review the rules asked for: one after each final assessment that, or the one before it, has an area
    /// needing work, due `reviewIntervalDays` later, done at the next final assessment (if any by `asOf`).
    /// `reviewOverdue` holds exactly when the last of them follows the latest assessment, is not done and is past
    /// its due date.
    public var reviews: [ReviewDue]
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
    /// Carers of this child living with the children, not covered by this child's latest final assessment.
    public var carersNotIncluded: [CarerID]
    /// No father of this child is recorded among the carers, and no reason is given.
    public var fatherNotRecorded: Bool
    /// The child's father and male carers (resident or not), when none of them is covered by the child's latest
    /// final assessment; empty otherwise.
    public var fathersNotIncluded: [CarerID]
    /// The latest final assessment records neither the child's view nor why it could not be obtained.
    public var childViewMissing: Bool
    /// At the latest final assessment the child was not seen alone, or their view was not obtained because they
    /// declined or were not seen alone.
    public var notSeenAlone: Bool
    /// The latest final assessment needs work and none of its visits was unannounced.
    public var noUnannouncedVisit: Bool
    /// Decisions in force about this child on or before the as-of date, oldest first.
    public var decisions: [Decision]
    /// The latest of `decisions`: the child's current level.
    public var decision: Decision? { decisions.last }
    /// When the escalation clock started: the later of the current spell's start and the latest decision (nil
    /// unless the current spell is open).
    public var escalationSince: CalendarDate?
    /// The child has needed work for `escalationReviewDays` or more since `escalationSince`, and no area that
    /// needed work then is now better than `needsWorkFrom`.
    public var escalationReviewDue: Bool
    /// Assessments of this child still in draft, dated on or before the as-of date: recorded, but counted nowhere
    /// until finalised.
    public var pendingDrafts: [AssessmentID] = []
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

/// A review the rules ask for after a final assessment.
public struct ReviewDue: Codable, Sendable, Equatable {
    /// The final assessment after which the review is due.
    public var after: CalendarDate
    /// `after` plus `reviewIntervalDays`.
    public var due: CalendarDate
    /// The child's next final assessment, if one was made by the as-of date.
    public var doneOn: CalendarDate?
    /// Done on or before its due date.
    public var onTime: Bool { doneOn.map { $0 <= due } ?? false }
}

extension ChildReview {
    /// The worst area grade of the child's first final assessment (the areas whose series start on the first
    /// assessment date).
    public var firstWorstAreaGrade: Grade? {
        // Two passes over the areas without building an array (the scorecard asks for every child, six times).
        var first: CalendarDate?
        for a in areas where first.map({ a.analysis.first.date < $0 }) ?? true { first = a.analysis.first.date }
        guard let first else { return nil }
        var worst: Grade?
        for a in areas where a.analysis.first.date == first {
            if worst.map({ a.analysis.first.grade > $0 }) ?? true { worst = a.analysis.first.grade }
        }
        return worst
    }
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
    public init<Later: Collection<ProfileSummary>>(
        target: Target, setIn: AssessmentID, setOn: CalendarDate, gradeWhenSet: Grade?, later: Later, asOf: CalendarDate
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
    /// How many of its visits were unannounced; nil when not known (an index entry written before it was kept).
    public var unannouncedVisits: Int?
    /// The teams of its assessors; nil when not known.
    public var teams: [String]?
    /// The agencies of its assessors (one entry per assessor who named one); nil when none or not known.
    public var agencies: [Agency]?
    public init(
        assessmentId: AssessmentID, date: CalendarDate, carers: [CarerID], profiles: [ProfileSummary],
        unannouncedVisits: Int? = nil, teams: [String]? = nil, agencies: [Agency]? = nil
    ) {
        self.assessmentId = assessmentId
        self.date = date
        self.carers = carers
        self.profiles = profiles
        self.unannouncedVisits = unannouncedVisits
        self.teams = teams
        self.agencies = agencies
    }

    /// Whether assessors from more than one agency took part (a multi-agency assessment).
    public var multiAgency: Bool { Set(agencies ?? []).count >= 2 }

    /// Whether any visit was unannounced (false when not known).
    public var unannouncedVisit: Bool { (unannouncedVisits ?? 0) > 0 }
}

/// An assessment still in draft, as the reviews need it: its date and the children it profiles.
public struct PendingDraft: Codable, Sendable, Equatable {
    public var assessmentId: AssessmentID
    public var date: CalendarDate
    public var children: [ChildID]
    public init(assessmentId: AssessmentID, date: CalendarDate, children: [ChildID]) {
        self.assessmentId = assessmentId
        self.date = date
        self.children = children
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
        // Each key computed once (the caseload orders every family's finals); finals already in order (as the stored
        // entries keep them) are returned as they are.
        let keys = finals.map { ($0.date, $0.assessmentId.number ?? 0, $0.assessmentId.rawValue) }
        if zip(keys, keys.dropFirst()).allSatisfy({ !($1 < $0) }) { return finals }
        return finals.indices.sorted { keys[$0] < keys[$1] }.map { finals[$0] }
    }

    /// Each child's series, one final per date (the one recorded last), oldest first, and the assessment each
    /// child's series ends with; `finals` in the order `ordered` gives.
    static func seriesByChild(
        _ finals: [FamilyAssessmentSummary]
    ) -> ([ChildID: [ProfileSummary]], [ChildID: FamilyAssessmentSummary]) {
        var seriesOf: [ChildID: [ProfileSummary]] = [:]
        var latestOf: [ChildID: FamilyAssessmentSummary] = [:]
        // Each series is appended to in place (read out and written back, it would be copied at every step).
        func append(_ p: ProfileSummary, to s: inout [ProfileSummary]) {
            if let last = s.last, last.date == p.date { s.removeLast() }
            s.append(p)
        }
        for f in finals {
            for p in f.profiles {
                append(p, to: &seriesOf[p.childId, default: []])
                latestOf[p.childId] = f
            }
        }
        return (seriesOf, latestOf)
    }

    /// `seriesByChild` for the children `ids` only, by position: each one's series (empty when never assessed) and
    /// the position in `finals` of the assessment it ends with. Families are small: ids are searched in order, and
    /// each series is appended to in place.
    static func series(
        of ids: [ChildID], in finals: [FamilyAssessmentSummary]
    ) -> (series: [[ProfileSummary]], latest: [Int?]) {
        var series = [[ProfileSummary]](repeating: [], count: ids.count)
        var latest = [Int?](repeating: nil, count: ids.count)
        for (fi, f) in finals.enumerated() {
            for p in f.profiles {
                guard let ci = ids.firstIndex(of: p.childId) else { continue }
                if let last = series[ci].last, last.date == p.date { series[ci].removeLast() }
                series[ci].append(p)
                latest[ci] = fi
            }
        }
        // An id listed twice (a hand-edited family) has the one series, as a dictionary keyed by id would give.
        for ci in ids.indices {
            if let first = ids.firstIndex(of: ids[ci]), first != ci {
                series[ci] = series[first]
                latest[ci] = latest[first]
            }
        }
        return (series, latest)
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
        family: Family, finals unsorted: [FamilyAssessmentSummary], levels: ReviewLevels, asOf: CalendarDate,
        decisions: [Decision] = [], drafts: [PendingDraft] = []
    ) -> FamilyReview {
        // Each list is filtered only when something in it is after the as-of date (rarely, for today's caseload).
        let finals = FamilyAssessmentSummary.ordered(
            unsorted.allSatisfy { $0.date <= asOf } ? unsorted : unsorted.filter { $0.date <= asOf })
        let pending = drafts.allSatisfy { $0.date <= asOf } ? drafts : drafts.filter { $0.date <= asOf }
        let born =
            family.children.allSatisfy { $0.born <= asOf } ? family.children : family.children.filter { $0.born <= asOf }
        let familyLatest = finals.last
        // Families are small: lists searched in order, not sets hashed. Each born child's series, and its area
        // grades looked up once per assessment (every rule below reads them several times).
        let bornIds = born.map(\.id)
        let (seriesOfBorn, latestOfBorn) = FamilyAssessmentSummary.series(of: bornIds, in: finals)
        var lookup = GradeLookup(levels.areaIds.map(\.rawValue))
        let rowsOfBorn = seriesOfBorn.map { series in series.map { lookup.grades($0.grades) } }
        // Sibling disparity: each child at their own latest, against siblings assessed close in time.
        var disparities: [SiblingDisparity] = []
        let window = 2 * reviewIntervalDays
        for (i, child) in born.enumerated() {
            guard let mine = seriesOfBorn[i].last, let mineRow = rowsOfBorn[i].last else { continue }
            let peers = born.indices.filter { j in
                guard born[j].id != child.id, let p = seriesOfBorn[j].last else { return false }
                return abs(p.date.days(to: mine.date)) <= window
            }
            for (a, area) in levels.areaIds.enumerated() {
                guard let g = mineRow[a] else { continue }
                let best = peers.compactMap { j in rowsOfBorn[j].last![a].map { (born[j].id, $0) } }
                    .min { ($0.1, $0.0) < ($1.1, $1.0) }
                if let best, g.rawValue - best.1.rawValue >= siblingDisparityGap {
                    disparities.append(
                        SiblingDisparity(childId: child.id, area: area, grade: g, bestSibling: best.0, bestGrade: best.1))
                }
            }
        }
        let assessed = born.indices.filter { !seriesOfBorn[$0].isEmpty }.map { born[$0] }
        let inLatest = familyLatest?.profiles.map(\.childId) ?? []
        func ageYears(_ c: Child) -> Int { c.born.wholeYears(to: asOf) }
        var notAssessed: [ChildID] = [], leftOut: [ChildID] = [], teenagers: [ChildID] = []
        for (i, child) in born.enumerated() {
            let siblingsAssessed = assessed.filter { $0.id != child.id }
            if seriesOfBorn[i].isEmpty {
                guard !siblingsAssessed.isEmpty, let latest = familyLatest, child.born <= latest.date else { continue }
                notAssessed.append(child.id)
                if ageYears(child) >= 13, siblingsAssessed.contains(where: { $0.born > child.born }) {
                    teenagers.append(child.id)
                }
            } else if let latest = familyLatest, !inLatest.contains(child.id),
                latest.profiles.contains(where: { bornIds.contains($0.childId) })
            {
                leftOut.append(child.id)
                let younger = born.filter { $0.born > child.born && inLatest.contains($0.id) }
                if ageYears(child) >= 13, !younger.isEmpty { teenagers.append(child.id) }
            }
        }
        let household = family.carers.filter(\.livesWithChildren).map(\.id)
        let decided = Decision.inForce(decisions.filter { $0.date <= asOf })
        let children = born.indices.map { i -> ChildReview in
            let child = born[i]
            let latest = latestOfBorn[i].map { finals[$0] }
            let theirs = family.carers.filter { $0.relationship(to: child.id) != nil }
            let men = theirs.filter { $0.isMaleCarer(of: child.id) }.map(\.id)
            let recording = RecordingChecks(
                carersNotIncluded: latest.map { l in
                    theirs.filter { $0.livesWithChildren && !l.carers.contains($0.id) }.map(\.id)
                } ?? [],
                fatherNotRecorded: !theirs.contains { $0.relationship(to: child.id) == .father }
                    && child.fatherNotRecorded == nil,
                fathersNotIncluded: latest.map { l in men.contains(where: l.carers.contains) ? [] : men } ?? [],
                unannouncedVisit: latest?.unannouncedVisit ?? false,
                pendingDrafts: pending.filter { $0.children.contains(child.id) }.map(\.assessmentId))
            return review(
                child: child, series: seriesOfBorn[i], areaRows: rowsOfBorn[i], levels: levels, asOf: asOf,
                disparities: disparities.filter { $0.childId == child.id }, notAssessed: notAssessed.contains(child.id),
                leftOut: leftOut.contains(child.id), teenager: teenagers.contains(child.id), recording: recording,
                decisions: decided.filter { $0.concerns(child.id) })
        }
        return FamilyReview(
            familyId: family.id, asOf: asOf, latestAssessment: familyLatest?.assessmentId, children: children,
            expected: family.children.filter { $0.born > asOf }.map(\.id), siblingDisparities: disparities,
            childrenNotAssessed: notAssessed, childrenLeftOut: leftOut,
            carersNotIncluded: familyLatest.map { l in household.filter { !l.carers.contains($0) } } ?? [])
    }

    /// What the household and the latest final assessment say about who was included and how the child was seen.
    private struct RecordingChecks {
        var carersNotIncluded: [CarerID]
        var fatherNotRecorded: Bool
        var fathersNotIncluded: [CarerID]
        var unannouncedVisit: Bool
        var pendingDrafts: [AssessmentID]
    }

    /// One child's account from their series (one final per date, oldest first), the family checks about them, and
    /// the decisions in force about them (oldest first, none after the as-of date).
    private func review(
        child: Child, series: [ProfileSummary], areaRows: [[Grade?]], levels: ReviewLevels, asOf: CalendarDate,
        disparities: [SiblingDisparity], notAssessed: Bool, leftOut: Bool, teenager: Bool, recording: RecordingChecks,
        decisions: [Decision]
    ) -> ChildReview {
        // One buffer of points for every area's series in turn.
        var points: [SeriesPoint] = []
        points.reserveCapacity(series.count)
        func review(_ id: LinkID, _ grade: (Int) -> Grade?) -> LevelReview? {
            points.removeAll(keepingCapacity: true)
            for k in series.indices { if let g = grade(k) { points.append(SeriesPoint(date: series[k].date, grade: g)) } }
            return analyse(points, strengthMax: levels.strengthMax).map { LevelReview(linkId: id, analysis: $0) }
        }
        let areas = levels.areaIds.indices.compactMap { a in review(levels.areaIds[a]) { areaRows[$0][a] } }
        let subAreas = levels.subAreaIds.compactMap { id in review(id) { series[$0].grade(id) } }
        let n = series.count
        let latest = series.last
        let needsWork = areaRows.map { row in row.contains { $0.map(self.needsWork) ?? false } }
        let severe =
            areaRows.last.map { row in
                levels.areaIds.indices.filter { a in row[a].map { $0.rawValue >= severeFrom(area: levels.areaIds[a]) } ?? false }
                    .map { levels.areaIds[$0] }
            } ?? []
        let daysSince = latest.map { $0.date.days(to: asOf) }
        // A review is due after each assessment that, or the one before it, needs work; the latest one's is overdue
        // once past its date.
        let reviews = series.indices.compactMap { k -> ReviewDue? in
            guard needsWork[k] || (k >= 1 && needsWork[k - 1]) else { return nil }
            return ReviewDue(
                after: series[k].date, due: series[k].date.adding(days: reviewIntervalDays),
                doneOn: k + 1 < n ? series[k + 1].date : nil)
        }
        let overdue = reviews.last.map { $0.doneOn == nil && $0.after == latest?.date && asOf > $0.due } ?? false
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
                        later: series[(k + 1)...], asOf: asOf))
            }
        }
        // Escalation: needing work since the later of the spell's start and the latest decision, and no area that
        // needed work then now better than needsWorkFrom.
        var escalationSince: CalendarDate?
        var escalationDue = false
        if let current {
            let since = max(current.start, decisions.last?.date ?? current.start)
            escalationSince = since
            // The areas that needed work then: at the spell's last assessment needing work on or before `since`,
            // else (a decision taken while care did not need work) at its first one after.
            let inSpell = series.indices.filter { series[$0].date >= current.start && needsWork[$0] }
            let then = inSpell.last { series[$0].date <= since } ?? inSpell.first { series[$0].date > since }
            if since.days(to: asOf) >= escalationReviewDays, let then {
                let improved = levels.areaIds.indices.contains { a in
                    (areaRows[then][a].map(self.needsWork) ?? false) && !(areaRows[n - 1][a].map(self.needsWork) ?? true)
                }
                escalationDue = !improved
            }
        }
        let heard = latest?.heard
        let viewMissing = latest != nil && heard == nil
        // A child too young to give a view is not expected to be seen alone.
        let notSeenAlone =
            latest != nil && (heard == .declined || heard == .notSeenAlone || (latest?.seenAlone == false && heard != .tooYoung))
        let noUnannounced = n > 0 && needsWork[n - 1] && !recording.unannouncedVisit
        var flags = CaseFlag.Set()
        if !severe.isEmpty { flags.insert(.severeConcern) }
        if escalationDue { flags.insert(.escalationReviewDue) }
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
        if viewMissing { flags.insert(.childViewMissing) }
        if notSeenAlone { flags.insert(.childNotSeenAlone) }
        if !recording.fathersNotIncluded.isEmpty { flags.insert(.fatherNotIncluded) }
        if recording.fatherNotRecorded { flags.insert(.fatherNotRecorded) }
        if noUnannounced { flags.insert(.noUnannouncedVisit) }
        if !recording.carersNotIncluded.isEmpty { flags.insert(.carerNotIncluded) }
        if !recording.pendingDrafts.isEmpty { flags.insert(.draftPending) }
        let ordered = flags.inSeverityOrder
        let severity =
            ordered.map { $0.severity(teenager: teenager) }.min()
            ?? areas.map { $0.analysis.trend.severity }.min() ?? .notYetAssessed
        return ChildReview(
            childId: child.id, born: child.born, asOf: asOf, assessments: n, latest: latest, areas: areas,
            subAreas: subAreas, severeAreas: severe, worstAreaGrade: areaRows.last?.compactMap { $0 }.max(),
            reviewOverdue: overdue, reviews: reviews, daysSinceLatest: daysSince,
            daysOverdue: overdue ? (daysSince ?? 0) - reviewIntervalDays : nil, spells: spells,
            currentSpellStart: current?.start, currentSpellDays: current?.days, cumulativeDays: cumulative,
            recentWindowDays: recentWindow, recentDays: recent, targets: targets, siblingDisparities: disparities,
            notAssessed: notAssessed, leftOut: leftOut, teenager: teenager,
            carersNotIncluded: recording.carersNotIncluded, fatherNotRecorded: recording.fatherNotRecorded,
            fathersNotIncluded: recording.fathersNotIncluded, childViewMissing: viewMissing, notSeenAlone: notSeenAlone,
            noUnannouncedVisit: noUnannounced, decisions: decisions, escalationSince: escalationSince,
            escalationReviewDue: escalationDue, pendingDrafts: recording.pendingDrafts, flags: ordered, severity: severity)
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
    /// Targets met and held whose latest grade is better than `needsWorkFrom`: the only targets going well.
    public var targetsMet: [TargetReview] = []
    /// Targets met and held whose latest grade is still at or worse than `needsWorkFrom` (a target of 3, say):
    /// progress, never "going well".
    public var targetsMetStillNeedingWork: [TargetReview] = []
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
        for t in review.targets where t.status == .met && !t.sinceSlipped {
            if let now = t.latestGrade ?? t.metGrade, needsWork(now) {
                out.targetsMetStillNeedingWork.append(t)
            } else {
                out.targetsMet.append(t)
            }
        }
        return out
    }
}
