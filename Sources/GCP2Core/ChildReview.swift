/// Everything the change-over-time rules say about one child as of a date.
public struct ChildReview: Codable, Sendable, Equatable {
    public var childId: ChildID
    public var asOf: CalendarDate
    /// Final assessments in the series (after amendments and withdrawals).
    public var assessments: Int
    public var latest: ProfileSummary?
    /// One per area of the instrument that has a graded series, in instrument order.
    public var areas: [LevelReview]
    public var subAreas: [LevelReview]
    public var reviewOverdue: Bool
    /// Days since the latest final assessment.
    public var daysSinceLatest: Int?
    /// When the current run of assessments with any area needing work began.
    public var concernSince: CalendarDate?
    /// Days from `concernSince` to `asOf`.
    public var daysUnderConcern: Int?
    public var targets: [TargetReview]

    /// Counts of each target status.
    public func targetCount(_ status: TargetStatus) -> Int { targets.filter { $0.status == status }.count }
}

/// The series analysis of one area or sub-area.
public struct LevelReview: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var analysis: SeriesAnalysis
}

/// Whether a target was reached.
public enum TargetStatus: String, Codable, Sendable, CaseIterable {
    case met
    case missed
    case open
}

/// A target set in one assessment and what later assessments made of it.
public struct TargetReview: Codable, Sendable, Equatable {
    public var target: Target
    public var setIn: AssessmentID
    public var setOn: CalendarDate
    public var gradeWhenSet: Grade?
    public var status: TargetStatus
    /// The first later assessment date at which the target was reached, and the grade then.
    public var metOn: CalendarDate?
    public var metGrade: Grade?
    /// The latest grade after the target was set.
    public var latestGrade: Grade?
}

extension Policy {
    /// Reviews one child's series of final profile summaries as of `asOf`.
    ///
    /// `series` must hold the child's effective final assessments (amendments applied, withdrawals removed);
    /// it is sorted by date here. `areaIds` and `subAreaIds` give the order of the report (instrument order).
    public func review(
        child: ChildID, series unsorted: [ProfileSummary], areaIds: [LinkID], subAreaIds: [LinkID], asOf: CalendarDate
    ) -> ChildReview {
        let series = unsorted.filter { $0.date <= asOf }.sorted {
            ($0.date, $0.assessmentId.rawValue) < ($1.date, $1.assessmentId.rawValue)
        }
        // Area grades looked up once per assessment: every rule below reads them several times.
        let areaRows = series.map { s in areaIds.map { s.grade($0) } }
        func review(_ id: LinkID, _ grade: (Int) -> Grade?) -> LevelReview? {
            var points: [SeriesPoint] = []
            points.reserveCapacity(series.count)
            for k in series.indices { if let g = grade(k) { points.append(SeriesPoint(date: series[k].date, grade: g)) } }
            return self.analyse(points).map { LevelReview(linkId: id, analysis: $0) }
        }
        let areaReviews = areaIds.indices.compactMap { a in review(areaIds[a]) { areaRows[$0][a] } }
        let subAreaReviews = subAreaIds.compactMap { id in review(id) { series[$0].grade(id) } }
        let latest = series.last
        func needsWork(_ k: Int) -> Bool { areaRows[k].contains { $0.map(self.needsWork) ?? false } }
        var concernSince: CalendarDate?
        if !series.isEmpty, needsWork(series.count - 1) {
            var i = series.count - 1
            while i > 0 && needsWork(i - 1) { i -= 1 }
            concernSince = series[i].date
        }
        let daysSince = latest.map { $0.date.days(to: asOf) }
        let overdue = latest.map { needsWork(series.count - 1) && $0.date.days(to: asOf) > reviewIntervalDays } ?? false

        var targets: [TargetReview] = []
        for (k, s) in series.enumerated() {
            for t in s.targets {
                let later = series[(k + 1)...]
                let reached = later.first { $0.grade(t.linkId).map { $0 <= t.grade } ?? false }
                let status: TargetStatus = reached != nil ? .met : asOf > t.reviewBy ? .missed : .open
                targets.append(
                    TargetReview(
                        target: t, setIn: s.assessmentId, setOn: s.date, gradeWhenSet: s.grade(t.linkId), status: status,
                        metOn: reached?.date, metGrade: reached?.grade(t.linkId),
                        latestGrade: later.last.flatMap { $0.grade(t.linkId) }))
            }
        }
        return ChildReview(
            childId: child, asOf: asOf, assessments: series.count, latest: latest, areas: areaReviews,
            subAreas: subAreaReviews, reviewOverdue: overdue, daysSinceLatest: daysSince, concernSince: concernSince,
            daysUnderConcern: concernSince.map { $0.days(to: asOf) }, targets: targets)
    }
}

/// The family-level checks on the latest final assessment.
public struct FamilyReview: Codable, Sendable, Equatable {
    public var familyId: FamilyID
    public var latestAssessment: AssessmentID?
    public var siblingDisparities: [SiblingDisparity]
    /// Children with no final assessment while a sibling has one.
    public var childrenNotAssessed: [ChildID]
    /// Carers of the family not covered by the latest assessment.
    public var carersNotIncluded: [CarerID]
}

/// A child graded much worse than the best-graded sibling in an area.
public struct SiblingDisparity: Codable, Sendable, Equatable {
    public var childId: ChildID
    public var area: LinkID
    public var grade: Grade
    public var bestSibling: ChildID
    public var bestGrade: Grade
}

/// An assessment as the family checks need it: which carers it covered and each child's summary.
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

extension Policy {
    /// Sibling disparity, children not assessed and carers not included, from the family's final assessments.
    public func review(family: Family, finals: [FamilyAssessmentSummary], areaIds: [LinkID]) -> FamilyReview {
        let latest = finals.max { ($0.date, $0.assessmentId.rawValue) < ($1.date, $1.assessmentId.rawValue) }
        var disparities: [SiblingDisparity] = []
        if let latest {
            for area in areaIds {
                let graded = latest.profiles.compactMap { p in p.grade(area).map { (p.childId, $0) } }
                guard let best = graded.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { continue }
                for (child, g) in graded where g.rawValue - best.1.rawValue >= siblingDisparityGap {
                    disparities.append(
                        SiblingDisparity(childId: child, area: area, grade: g, bestSibling: best.0, bestGrade: best.1))
                }
            }
        }
        let assessed = Set(finals.flatMap { $0.profiles.map(\.childId) })
        let notAssessed =
            assessed.isEmpty
            ? [] : family.children.filter { c in !assessed.contains(c.id) && latest.map { c.born <= $0.date } ?? true }.map(\.id)
        let notIncluded = latest.map { l in family.carers.map(\.id).filter { !l.carers.contains($0) } } ?? []
        return FamilyReview(
            familyId: family.id, latestAssessment: latest?.assessmentId, siblingDisparities: disparities,
            childrenNotAssessed: notAssessed, carersNotIncluded: notIncluded)
    }
}
