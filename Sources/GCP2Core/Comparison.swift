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
}

/// A target from the earlier assessment and what the later one made of it.
public struct TargetOutcome: Codable, Sendable, Equatable {
    public var target: Target
    public var before: Grade?
    public var after: Grade?
    public var status: TargetStatus
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
    public var targets: [TargetOutcome]
    /// Link ids graded in one assessment that the other's instrument does not have.
    public var unmatched: [LinkID]

    public var targetsMet: [TargetOutcome] { targets.filter { $0.status == .met } }
    public var targetsMissed: [TargetOutcome] { targets.filter { $0.status == .missed } }
}

extension Policy {
    /// Compares two profiles of the same child, earlier first whatever order they are given in.
    ///
    /// Rows follow `instrument` (the later assessment's); link ids are matched across instrument versions, and
    /// those graded on one side that `instrument` lacks are listed in `unmatched`.
    public func compare(_ a: ProfileSummary, _ b: ProfileSummary, instrument: ValidatedInstrument) -> Comparison {
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
            rows.append(
                ComparisonRow(
                    linkId: id, level: level, code: code, title: title, before: x, after: y, change: change,
                    direction: direction))
            guard level != .item else { return }
            let was = x.map(needsWork) ?? false, now = y.map(needsWork) ?? false
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
        let targets = before.targets.map { t in
            let y = after.grade(t.linkId)
            let status: TargetStatus
            if let y, y <= t.grade {
                status = .met
            } else {
                status = after.date >= t.reviewBy ? .missed : .open
            }
            return TargetOutcome(target: t, before: before.grade(t.linkId), after: y, status: status)
        }
        return Comparison(
            childId: after.childId, before: before, after: after, daysBetween: before.date.days(to: after.date),
            rows: rows, newConcerns: newConcerns, resolvedConcerns: resolved, targets: targets, unmatched: unmatched)
    }
}
