/// A flag on a child, declared in the severity order of `Docs/rules.md` (most severe first).
public enum CaseFlag: String, Codable, Sendable, CaseIterable {
    case severeConcern = "severe-concern"
    case deteriorating
    case escalationReviewDue = "escalation-review-due"
    case drift
    case improvementLost = "improvement-lost"
    case longTermConcern = "long-term-concern"
    case cumulativeConcern = "cumulative-concern"
    case recurrentConcern = "recurrent-concern"
    case reviewOverdue = "review-overdue"
    case childNotAssessed = "child-not-assessed"
    case childLeftOut = "child-left-out"
    case siblingDisparity = "sibling-disparity"
    case targetMissed = "target-missed"
    case targetNotReviewed = "target-not-reviewed"
    case childViewMissing = "child-view-missing"
    case childNotSeenAlone = "child-not-seen-alone"
    case fatherNotIncluded = "father-not-included"
    case fatherNotRecorded = "father-not-recorded"
    case noUnannouncedVisit = "no-unannounced-visit"
    case carerNotIncluded = "carer-not-included"
    case draftPending = "draft-pending"

    /// The flag's words, the same in the caseload key and in every summary; about the care, never the child.
    public func words(_ p: Policy) -> String {
        switch self {
        case .severeConcern:
            "severe concern: care in an area is graded \(p.severeFrom)\(p.severeFromSummary) at the latest assessment"
        case .deteriorating: "deteriorating: care in an area got worse at the latest assessment"
        case .escalationReviewDue:
            "escalation review due: care has needed work for \(p.escalationReviewDays) days or more since the spell began or the latest decision, and no area that needed work then is now better"
        case .drift:
            "drift: care in an area has been graded \(p.needsWorkFrom) or worse for \(p.driftMinDays) days or more without getting better"
        case .improvementLost: "improvement lost: care in an area got better, then the improvement was lost"
        case .longTermConcern:
            "long-term concern: care has been graded \(p.needsWorkFrom) or worse for \(p.longTermConcernDays) days or more without a break"
        case .cumulativeConcern:
            "cumulative concern: care was graded \(p.needsWorkFrom) or worse for at least half of the last \(p.cumulativeWindowDays) days (or of the child's life)"
        case .recurrentConcern:
            "recurrent concern: care has needed work in \(p.recurrentConcernSpells) or more separate spells (the start-again pattern)"
        case .reviewOverdue:
            "review overdue: care needed work at one of the last two assessments and the latest is over \(p.reviewIntervalDays) days old"
        case .childNotAssessed: "child not assessed: no final assessment of this child while a sibling has one"
        case .childLeftOut: "child left out: not in the latest assessment while a sibling was"
        case .siblingDisparity:
            "sibling disparity: care of this child is graded \(p.siblingDisparityGap) or more worse than a sibling's in an area"
        case .targetMissed: "target missed: a target was not reached by its review date"
        case .targetNotReviewed: "target not reviewed: a target's review date passed with no assessment since it was set"
        case .childViewMissing:
            "child's view missing: the latest assessment records neither the child's view nor why it could not be obtained"
        case .childNotSeenAlone:
            "child not seen alone: at the latest assessment the child was not seen alone, or declined to give a view"
        case .fatherNotIncluded:
            "father not included: the child's father or a male carer is recorded but was not covered by the latest assessment"
        case .fatherNotRecorded: "father not recorded: no father of the child is recorded and no reason is given"
        case .noUnannouncedVisit:
            "no unannounced visit: care needed work and every visit of the latest assessment was announced"
        case .carerNotIncluded: "carer not included: a carer in the household was not covered by the latest assessment"
        case .draftPending: "draft pending: an assessment of this child is still a draft, counted nowhere until it is finalised"
        }
    }

    /// The flag's place in the severity order; not assessed or left out ranks higher for a teenager.
    public func severity(teenager: Bool) -> Severity {
        switch self {
        case .severeConcern: .severeConcern
        case .deteriorating: .deteriorating
        case .escalationReviewDue: .escalationReviewDue
        case .drift: .drift
        case .improvementLost: .improvementLost
        case .longTermConcern: .longTermConcern
        case .cumulativeConcern: .cumulativeConcern
        case .recurrentConcern: .recurrentConcern
        case .reviewOverdue: .reviewOverdue
        case .childNotAssessed, .childLeftOut: teenager ? .teenagerNotAssessedOrLeftOut : .childNotAssessedOrLeftOut
        case .siblingDisparity: .siblingDisparity
        case .targetMissed: .targetMissed
        case .targetNotReviewed: .targetNotReviewed
        case .childViewMissing: .childViewMissing
        case .childNotSeenAlone: .childNotSeenAlone
        case .fatherNotIncluded: .fatherNotIncluded
        case .fatherNotRecorded: .fatherNotRecorded
        case .noUnannouncedVisit: .noUnannouncedVisit
        case .carerNotIncluded: .carerNotIncluded
        case .draftPending: .draftPending
        }
    }
}

extension CaseFlag {
    /// Every flag in severity order, built once (`allCases` builds its array at every call).
    static let severityOrder: [CaseFlag] = allCases

    /// A set of flags as bits in severity order: what a review collects for each child, without hashing.
    struct Set {
        private var bits: UInt64 = 0
        mutating func insert(_ f: CaseFlag) { bits |= 1 << UInt64(CaseFlag.severityOrder.firstIndex(of: f)!) }
        /// The flags held, most severe first.
        var inSeverityOrder: [CaseFlag] {
            guard bits != 0 else { return [] }
            return CaseFlag.severityOrder.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { CaseFlag.severityOrder[$0] }
        }
    }
}

extension Policy {
    /// ", 4 in Care of safety"-style words for the areas with their own severe-concern grade.
    var severeFromSummary: String {
        let own = severeFromByArea.sorted { $0.key < $1.key }.filter { $0.value != severeFrom }
        return own.isEmpty ? " or worse" : " or worse (" + own.map { "\($0.value) for \($0.key)" }.joined(separator: ", ") + ")"
    }
}

/// The one severity order of `Docs/rules.md`, used by every view and sort (most severe first).
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case severeConcern = "severe-concern"
    case deteriorating
    case escalationReviewDue = "escalation-review-due"
    case drift
    case improvementLost = "improvement-lost"
    case longTermConcern = "long-term-concern"
    case cumulativeConcern = "cumulative-concern"
    case recurrentConcern = "recurrent-concern"
    case reviewOverdue = "review-overdue"
    case teenagerNotAssessedOrLeftOut = "teenager-not-assessed-or-left-out"
    case childNotAssessedOrLeftOut = "child-not-assessed-or-left-out"
    case siblingDisparity = "sibling-disparity"
    case targetMissed = "target-missed"
    case targetNotReviewed = "target-not-reviewed"
    case childViewMissing = "child-view-missing"
    case childNotSeenAlone = "child-not-seen-alone"
    case fatherNotIncluded = "father-not-included"
    case fatherNotRecorded = "father-not-recorded"
    case noUnannouncedVisit = "no-unannounced-visit"
    case carerNotIncluded = "carer-not-included"
    case draftPending = "draft-pending"
    case noChange = "static"
    case improving
    case sustainedImprovement = "sustained-improvement"
    case stableStrength = "stable-strength"
    case baseline
    /// No final assessment and no flag.
    case notYetAssessed = "not-yet-assessed"

    /// The position in the order (of declaration, as `allCases`), 0 most severe: a jump, not a search, since sorting
    /// a caseload compares severities some hundred thousand times (a test checks it against `allCases`).
    public var rank: Int {
        switch self {
        case .severeConcern: 0
        case .deteriorating: 1
        case .escalationReviewDue: 2
        case .drift: 3
        case .improvementLost: 4
        case .longTermConcern: 5
        case .cumulativeConcern: 6
        case .recurrentConcern: 7
        case .reviewOverdue: 8
        case .teenagerNotAssessedOrLeftOut: 9
        case .childNotAssessedOrLeftOut: 10
        case .siblingDisparity: 11
        case .targetMissed: 12
        case .targetNotReviewed: 13
        case .childViewMissing: 14
        case .childNotSeenAlone: 15
        case .fatherNotIncluded: 16
        case .fatherNotRecorded: 17
        case .noUnannouncedVisit: 18
        case .carerNotIncluded: 19
        case .draftPending: 20
        case .noChange: 21
        case .improving: 22
        case .sustainedImprovement: 23
        case .stableStrength: 24
        case .baseline: 25
        case .notYetAssessed: 26
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

extension Trend {
    /// The trend's place in the severity order.
    public var severity: Severity {
        switch self {
        case .deteriorating: .deteriorating
        case .drift: .drift
        case .improvementLost: .improvementLost
        case .sustainedImprovement: .sustainedImprovement
        case .improving: .improving
        case .stableStrength: .stableStrength
        case .static: .noChange
        case .baseline: .baseline
        }
    }
}

/// How two children compare in the severity order: most severe item, then the worst area grade, then cumulative
/// days needing work, then the younger child. Never a total or mean across areas.
public struct SeverityKey: Comparable, Sendable {
    public var severity: Severity
    public var worstGrade: Grade?
    public var cumulativeDays: Int
    public var born: CalendarDate

    public static func < (a: SeverityKey, b: SeverityKey) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        let ga = a.worstGrade?.rawValue ?? 0, gb = b.worstGrade?.rawValue ?? 0
        if ga != gb { return ga > gb }
        if a.cumulativeDays != b.cumulativeDays { return a.cumulativeDays > b.cumulativeDays }
        return a.born > b.born
    }
}

/// One child's line in the caseload: what the child's review says, nothing computed again.
public struct CaseloadLine: Codable, Sendable, Equatable {
    public var familyId: FamilyID
    public var familyRef: String
    public var childId: ChildID
    public var childName: String
    public var born: CalendarDate
    public var assessments: Int
    /// The latest final assessment of the child (its team and assessors are in that document).
    public var latestAssessment: AssessmentID?
    public var latestDate: CalendarDate?
    public var areas: [CaseloadArea]
    /// The worst area grade of the latest final assessment.
    public var worstGrade: Grade?
    public var daysSinceLatest: Int?
    public var daysOverdue: Int?
    public var currentSpellDays: Int?
    public var cumulativeDays: Int
    public var spells: Int
    public var flags: [CaseFlag]
    public var teenager: Bool
    public var severity: Severity
    /// The level of the latest decision in force about the child, as of the caseload's date.
    public var level: DecisionLevel?

    /// The line's place in the severity order (the review's key).
    public var severityKey: SeverityKey {
        SeverityKey(severity: severity, worstGrade: worstGrade, cumulativeDays: cumulativeDays, born: born)
    }

    /// The child's age in completed years on `date` (the age the rules use for "teenager").
    public func ageYears(on date: CalendarDate) -> Int { born.wholeYears(to: date) }
}

/// An area's latest grade and trend on a caseload line.
public struct CaseloadArea: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var code: String
    public var grade: Grade?
    public var trend: Trend?
}

/// The whole caseload: lines in severity order, and counts.
public struct Caseload: Codable, Sendable, Equatable {
    public var asOf: CalendarDate
    public var families: Int
    public var children: Int
    /// Children born (or expected) after the as-of date: counted here, never listed.
    public var expected: Int
    public var lines: [CaseloadLine]
    /// Children carrying each flag (every flag listed, zero included).
    public var flagCounts: [String: Int]
    /// Per area, children whose series headline is each trend.
    public var trendCounts: [String: [String: Int]]
}

/// Builds a caseload one family at a time, so a caller never holds more than one family's records.
public struct CaseloadBuilder: Sendable {
    public let policy: Policy
    public let instrument: ValidatedInstrument
    public let asOf: CalendarDate
    /// The lines so far, in segments of `segment` lines: one growing array would be reallocated by doubling, holding
    /// its old and new storage at once (at 75,000 children, tens of megabytes).
    private var segments: [[CaseloadLine]] = []
    private static let segment = 4096
    private var families = 0
    private var expected = 0
    private var flagCounts: [String: Int]
    private var trendCounts: [String: [String: Int]] = [:]
    private let levels: ReviewLevels

    public init(policy: Policy, instrument: ValidatedInstrument, asOf: CalendarDate) {
        self.policy = policy
        self.instrument = instrument
        self.asOf = asOf
        levels = ReviewLevels(instrument)
        flagCounts = Dictionary(uniqueKeysWithValues: CaseFlag.allCases.map { ($0.rawValue, 0) })
        for a in instrument.areas {
            trendCounts[a.linkId.rawValue] = Dictionary(uniqueKeysWithValues: Trend.allCases.map { ($0.rawValue, 0) })
        }
    }

    /// The account of a family and its children, as every view computes it; `subAreas` adds the sub-area series
    /// (the caseload itself needs only areas, and no flag depends on sub-areas).
    public func review(
        family: Family, finals: [FamilyAssessmentSummary], decisions: [Decision] = [], drafts: [PendingDraft] = [],
        subAreas: Bool = true
    ) -> FamilyReview {
        policy.review(
            family: family, finals: finals, levels: subAreas ? levels : levels.areasOnly, asOf: asOf, decisions: decisions,
            drafts: drafts)
    }

    /// One family's caseload lines, computed without touching the builder (safe to run in parallel).
    public func evaluate(
        family: Family, finals: [FamilyAssessmentSummary], decisions: [Decision] = [], drafts: [PendingDraft] = []
    ) -> FamilyLines {
        let fam = review(family: family, finals: finals, decisions: decisions, drafts: drafts, subAreas: false)
        var out = FamilyLines()
        out.expected = fam.expected.count
        var lookup = GradeLookup(levels.areaIds.map(\.rawValue))
        for review in fam.children {
            guard let child = family.child(review.childId) else { continue }
            for a in review.areas { out.trends.append((a.linkId.rawValue, a.analysis.trend.rawValue)) }
            out.lines.append(
                CaseloadLine(
                    child: child, family: family, review: review, instrument: instrument,
                    latestGrades: review.latest.map { lookup.grades($0.grades) }))
        }
        return out
    }

    /// Adds one family's children to the caseload.
    public mutating func add(
        family: Family, finals: [FamilyAssessmentSummary], decisions: [Decision] = [], drafts: [PendingDraft] = []
    ) {
        add(evaluate(family: family, finals: finals, decisions: decisions, drafts: drafts))
    }

    /// Adds lines computed by `evaluate`.
    public mutating func add(_ evaluated: FamilyLines) {
        families += 1
        expected += evaluated.expected
        for (area, trend) in evaluated.trends { trendCounts[area, default: [:]][trend, default: 0] += 1 }
        for line in evaluated.lines {
            for f in line.flags { flagCounts[f.rawValue, default: 0] += 1 }
            if segments.last.map({ $0.count == CaseloadBuilder.segment }) ?? true {
                segments.append([])
                segments[segments.count - 1].reserveCapacity(CaseloadBuilder.segment)
            }
            segments[segments.count - 1].append(line)
        }
    }

    /// The finished caseload, in severity order (ties by family reference and child id).
    public consuming func build() -> Caseload {
        // The segments joined into one array of exactly the lines' count, each segment let go once copied.
        var lines: [CaseloadLine] = []
        lines.reserveCapacity(segments.reduce(0) { $0 + $1.count })
        for k in segments.indices {
            lines += segments[k]
            segments[k] = []
        }
        // Positions are sorted, not lines: a line is large, and moving it is most of a sort's cost.
        let keys = lines.map(\.severityKey)
        let order = lines.indices.sorted { i, j in
            if keys[i] < keys[j] { return true }
            if keys[j] < keys[i] { return false }
            return (lines[i].familyRef, lines[i].familyId, lines[i].childId)
                < (lines[j].familyRef, lines[j].familyId, lines[j].childId)
        }
        // The lines put in that order in place, one cycle of the permutation at a time: a whole region's caseload
        // is never held twice.
        var sorted = lines
        lines = []  // `sorted` is now the only reference: swapped in place, never copied
        var placed = [Bool](repeating: false, count: sorted.count)
        for start in sorted.indices where !placed[start] {
            var k = start
            while order[k] != start {
                sorted.swapAt(k, order[k])
                placed[k] = true
                k = order[k]
            }
            placed[k] = true
        }
        return Caseload(
            asOf: asOf, families: families, children: sorted.count, expected: expected, lines: sorted,
            flagCounts: flagCounts, trendCounts: trendCounts)
    }
}

extension CaseloadLine {
    /// The line of one child: every field read from the child's review.
    /// `latestGrades`: the latest assessment's grade of each of the instrument's areas, in order.
    init(child: Child, family: Family, review: ChildReview, instrument: ValidatedInstrument, latestGrades: [Grade?]?) {
        self.init(
            familyId: family.id, familyRef: family.ref, childId: child.id, childName: child.name, born: child.born,
            assessments: review.assessments, latestAssessment: review.latest?.assessmentId,
            latestDate: review.latest?.date,
            areas: instrument.areas.indices.map { a in
                let area = instrument.areas[a]
                return CaseloadArea(
                    linkId: area.linkId, code: area.code, grade: latestGrades?[a],
                    trend: review.area(area.linkId)?.analysis.trend)
            }, worstGrade: review.worstAreaGrade, daysSinceLatest: review.daysSinceLatest, daysOverdue: review.daysOverdue,
            currentSpellDays: review.currentSpellDays, cumulativeDays: review.cumulativeDays, spells: review.spells.count,
            flags: review.flags, teenager: review.teenager, severity: review.severity, level: review.decision?.level)
    }
}

/// One family's contribution to a caseload.
public struct FamilyLines: Sendable {
    public var lines: [CaseloadLine] = []
    /// Each child's headline trend per area (area id, trend), and the children expected (born after the date).
    package internal(set) var trends: [(String, String)] = []
    package internal(set) var expected = 0
    public init() {}
}
