/// A flag on a child in the supervisor's caseload view.
public enum CaseFlag: String, Codable, Sendable, CaseIterable {
    case deteriorating
    case relapse
    case drift
    case reviewOverdue = "review-overdue"
    case longTermConcern = "long-term-concern"
    case targetMissed = "target-missed"
    case siblingDisparity = "sibling-disparity"
    case notAssessed = "not-assessed"
    case carerNotIncluded = "carer-not-included"

    /// Words for the caseload key.
    public var words: String {
        switch self {
        case .deteriorating: "an area got worse at the latest assessment"
        case .relapse: "an improvement was reached, then lost"
        case .drift: "an area has stayed at 3 or worse without improving"
        case .reviewOverdue: "review overdue"
        case .longTermConcern: "under concern for 12 months or more"
        case .targetMissed: "a target passed its review date unmet"
        case .siblingDisparity: "graded much worse than a sibling"
        case .notAssessed: "never assessed while a sibling was"
        case .carerNotIncluded: "a household carer was left out of the latest assessment"
        }
    }
}

/// One child's line in the caseload.
public struct CaseloadLine: Codable, Sendable, Equatable {
    public var familyId: FamilyID
    public var familyRef: String
    public var childId: ChildID
    public var childName: String
    public var assessments: Int
    public var latestDate: CalendarDate?
    public var areas: [CaseloadArea]
    public var daysUnderConcern: Int?
    public var flags: [CaseFlag]
}

/// An area's latest grade and trend on a caseload line.
public struct CaseloadArea: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var code: String
    public var grade: Grade?
    public var trend: Trend?
}

/// The whole caseload: lines sorted by family reference then child, and counts.
public struct Caseload: Codable, Sendable, Equatable {
    public var asOf: CalendarDate
    public var families: Int
    public var children: Int
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
    /// Days under concern from which `long-term-concern` is raised (default 365).
    public var longTermDays = 365
    private var lines: [CaseloadLine] = []
    private var families = 0
    private var flagCounts: [String: Int]
    private var trendCounts: [String: [String: Int]] = [:]
    private let areaIds: [LinkID]
    private let subAreaIds: [LinkID]

    public init(policy: Policy, instrument: ValidatedInstrument, asOf: CalendarDate) {
        self.policy = policy
        self.instrument = instrument
        self.asOf = asOf
        areaIds = instrument.areas.map(\.linkId)
        subAreaIds = instrument.areas.flatMap { $0.subAreas.map(\.linkId) }
        flagCounts = Dictionary(uniqueKeysWithValues: CaseFlag.allCases.map { ($0.rawValue, 0) })
        for a in instrument.areas {
            trendCounts[a.linkId.rawValue] = Dictionary(uniqueKeysWithValues: Trend.allCases.map { ($0.rawValue, 0) })
        }
    }

    /// The child and family reviews for one family, as the caseload computes them; `subAreas` adds the
    /// sub-area series (the caseload itself needs only areas).
    public func reviews(
        family: Family, finals: [FamilyAssessmentSummary], subAreas: Bool = true
    ) -> ([ChildReview], FamilyReview) {
        let visible = finals.filter { $0.date <= asOf }
        let children = family.children.map { child in
            policy.review(
                child: child.id, series: visible.flatMap { $0.profiles.filter { $0.childId == child.id } },
                areaIds: areaIds, subAreaIds: subAreas ? subAreaIds : [], asOf: asOf)
        }
        return (children, policy.review(family: family, finals: visible, areaIds: areaIds))
    }

    /// One family's caseload lines, computed without touching the builder (safe to run in parallel).
    public func evaluate(family: Family, finals: [FamilyAssessmentSummary]) -> FamilyLines {
        let (children, fam) = reviews(family: family, finals: finals, subAreas: false)
        var out = FamilyLines()
        for (child, review) in zip(family.children, children) {
            var flags: Set<CaseFlag> = []
            for a in review.areas {
                switch a.analysis.trend {
                case .deteriorating: flags.insert(.deteriorating)
                case .relapse: flags.insert(.relapse)
                case .drift: flags.insert(.drift)
                default: break
                }
                if a.analysis.flags.contains(.relapse) { flags.insert(.relapse) }
                if a.analysis.flags.contains(.drift) { flags.insert(.drift) }
                out.trends.append((a.linkId.rawValue, a.analysis.trend.rawValue))
            }
            if review.reviewOverdue { flags.insert(.reviewOverdue) }
            if (review.daysUnderConcern ?? 0) >= longTermDays { flags.insert(.longTermConcern) }
            if review.targets.contains(where: { $0.status == .missed }) { flags.insert(.targetMissed) }
            if fam.siblingDisparities.contains(where: { $0.childId == child.id }) { flags.insert(.siblingDisparity) }
            if fam.childrenNotAssessed.contains(child.id) { flags.insert(.notAssessed) }
            if review.assessments > 0 && !fam.carersNotIncluded.isEmpty { flags.insert(.carerNotIncluded) }
            let areas = instrument.areas.map { area in
                CaseloadArea(
                    linkId: area.linkId, code: area.code, grade: review.latest?.grade(area.linkId),
                    trend: review.areas.first { $0.linkId == area.linkId }?.analysis.trend)
            }
            out.lines.append(
                CaseloadLine(
                    familyId: family.id, familyRef: family.ref, childId: child.id, childName: child.name,
                    assessments: review.assessments, latestDate: review.latest?.date, areas: areas,
                    daysUnderConcern: review.daysUnderConcern, flags: CaseFlag.allCases.filter(flags.contains)))
        }
        return out
    }

    /// Adds one family's children to the caseload.
    public mutating func add(family: Family, finals: [FamilyAssessmentSummary]) {
        add(evaluate(family: family, finals: finals))
    }

    /// Adds lines computed by `evaluate`.
    public mutating func add(_ evaluated: FamilyLines) {
        families += 1
        for (area, trend) in evaluated.trends { trendCounts[area, default: [:]][trend, default: 0] += 1 }
        for line in evaluated.lines {
            for f in line.flags { flagCounts[f.rawValue, default: 0] += 1 }
            lines.append(line)
        }
    }

    /// The finished caseload.
    public func build() -> Caseload {
        Caseload(
            asOf: asOf, families: families, children: lines.count,
            lines: lines.sorted { ($0.familyRef, $0.familyId, $0.childId) < ($1.familyRef, $1.familyId, $1.childId) },
            flagCounts: flagCounts, trendCounts: trendCounts)
    }
}

/// One family's contribution to a caseload.
public struct FamilyLines: Sendable {
    public var lines: [CaseloadLine] = []
    var trends: [(String, String)] = []
    public init() {}
}
