/// Which way a grade moved between two assessments.
public enum Direction: String, Codable, Sendable, CaseIterable {
    case improved
    case worse
    case unchanged
    /// Graded on one side only.
    case notComparable = "not-comparable"
}

/// One level's grades in two assessments.
public struct ComparisonRow: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var level: Level
    public var code: String
    public var title: String
    public var before: Grade?
    public var after: Grade?
    /// `after − before`; negative is better.
    public var change: Int?
    public var direction: Direction
    /// Where the row is listed: the first section that applies (nil when it neither changed nor needs work).
    public var section: ComparisonSection?
    /// Got worse and newly needs work.
    public var new: Bool
    /// Improved and no longer needs work.
    public var resolved: Bool
}

/// The sections of a comparison, worse news first; each row is listed once, in the first that applies.
public enum ComparisonSection: String, Codable, Sendable, CaseIterable {
    case worse = "got-worse"
    case stillNeedsWork = "still-needs-work"
    case improved
}

/// Two assessments of the same child side by side.
public struct Comparison: Codable, Sendable, Equatable {
    public var childId: ChildID
    public var before: ProfileSummary
    public var after: ProfileSummary
    public var daysBetween: Int
    public var rows: [ComparisonRow]
    /// Areas and sub-areas that need work now but did not before.
    public var newConcerns: [LinkID]
    /// Areas and sub-areas that needed work before and no longer do.
    public var resolvedConcerns: [LinkID]
    /// Targets set in the earlier assessment, as the child's review sees them on the later one's date.
    public var targets: [TargetReview]
    /// Link ids graded in one assessment that the other's instrument does not have.
    public var unmatched: [LinkID]

    /// The rows of one section, in instrument order.
    public func rows(in section: ComparisonSection) -> [ComparisonRow] { rows.filter { $0.section == section } }
}

extension Policy {
    /// Compares two profiles of the same child, earlier first whatever order they are given in.
    ///
    /// Rows follow `instrument` (the later assessment's); link ids are matched across instrument versions, and
    /// those graded on one side that `instrument` lacks are listed in `unmatched`. `finals` is the child's series of
    /// final assessments: target statuses are the review's, as of the later assessment's date.
    public func compare(
        _ a: ProfileSummary, _ b: ProfileSummary, instrument: ValidatedInstrument, finals: [ProfileSummary]
    ) -> Comparison {
        let (before, after) = (a.date, a.assessmentId.rawValue) <= (b.date, b.assessmentId.rawValue) ? (a, b) : (b, a)
        var rows: [ComparisonRow] = []
        var newConcerns: [LinkID] = [], resolved: [LinkID] = []
        func row(_ id: LinkID, _ level: Level, _ code: String, _ title: String) {
            let x = before.grade(id), y = after.grade(id)
            let direction: Direction
            var change: Int?
            if let x, let y {
                change = y.rawValue - x.rawValue
                direction = y < x ? .improved : y > x ? .worse : .unchanged
            } else {
                direction = .notComparable
            }
            let was = x.map(needsWork) ?? false, now = y.map(needsWork) ?? false
            let section: ComparisonSection? =
                direction == .worse ? .worse : now ? .stillNeedsWork : direction == .improved ? .improved : nil
            let isNew = direction == .worse && now && !was
            let isResolved = direction == .improved && was && !now
            rows.append(
                ComparisonRow(
                    linkId: id, level: level, code: code, title: title, before: x, after: y, change: change,
                    direction: direction, section: section, new: isNew, resolved: isResolved))
            guard level != .item else { return }
            if now && !was { newConcerns.append(id) }
            if was && !now && y != nil { resolved.append(id) }
        }
        for area in instrument.areas {
            row(area.linkId, .area, area.code, area.title)
            for sub in area.subAreas {
                row(sub.linkId, .subArea, sub.code, sub.title)
                for item in sub.items where before.grade(item.linkId) != nil || after.grade(item.linkId) != nil {
                    row(item.linkId, .item, item.code, item.title)
                }
            }
        }
        let known = Set(rows.map(\.linkId.rawValue))
        let unmatched = Set(before.grades.keys).union(after.grades.keys).subtracting(known).sorted().map { LinkID($0) }
        // The later assessments the review would see on `after`'s date; `after` itself even if not a final.
        var later = finals.filter { $0.date > before.date && $0.date <= after.date && $0.assessmentId != after.assessmentId }
        later.append(after)
        later.sort { $0.date < $1.date }
        let targets = before.targets.map { t in
            TargetReview(
                target: t, setIn: before.assessmentId, setOn: before.date, gradeWhenSet: before.grade(t.linkId),
                later: later, asOf: after.date)
        }
        return Comparison(
            childId: after.childId, before: before, after: after, daysBetween: before.date.days(to: after.date),
            rows: rows, newConcerns: newConcerns, resolvedConcerns: resolved, targets: targets, unmatched: unmatched)
    }
}
