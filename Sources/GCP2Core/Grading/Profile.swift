/// The computed profile of one child in one assessment: grades per level, bands, strengths, concerns.
public struct Profile: Codable, Sendable, Equatable {
    public var childId: ChildID
    public var assessmentId: AssessmentID
    public var version: Int
    public var date: CalendarDate
    public var ageMonths: Int
    public var instrument: InstrumentRef
    public var areas: [AreaResult]
    public var completeness: Completeness
    /// Items graded at least 2 worse than their sub-area's confirmed grade: candidates for targets.
    public var disproportionate: [DisproportionateItem]
    /// Sub-areas in the strength band.
    public var strengths: [LinkID]
    /// Sub-areas in the borderline band.
    public var borderline: [LinkID]
    /// Sub-areas in the concern band.
    public var concerns: [LinkID]
    public var targets: [Target]
}

/// One area's result and its sub-areas.
public struct AreaResult: Codable, Sendable, Equatable {
    public var result: LevelResult
    public var subAreas: [SubAreaResult]
}

/// One sub-area's result and its items.
public struct SubAreaResult: Codable, Sendable, Equatable {
    public var result: LevelResult
    public var items: [ItemResult]
}

/// The suggested and confirmed grade of a sub-area or area.
public struct LevelResult: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var code: String
    public var title: String
    /// What the rule suggests from the level below; nil when nothing below was graded.
    public var suggested: Grade?
    /// The rule that produced the suggestion (or `substitution` when graded from another sub-area).
    public var rule: String
    public var confirmed: Grade?
    public var overridden: Bool
    public var rationale: String?
    public var substitutedFrom: LinkID?
    public var substitutionComment: String?
    public var band: Band?
}

/// One item's rating within a profile.
public struct ItemResult: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var code: String
    public var title: String
    /// Nil when the item applies but has not been rated yet (drafts only).
    public var rating: Rating?
    public var band: Band?
}

extension Rating: Codable {
    enum CodingKeys: String, CodingKey { case kind, grade, evidence, reason }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "graded":
            self = .graded(try c.decode(Grade.self, forKey: .grade), evidence: try c.decode(String.self, forKey: .evidence))
        case "not-scored": self = .notScored(reason: try c.decode(String.self, forKey: .reason))
        default: self = .notApplicable(reason: try c.decode(String.self, forKey: .reason))
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .graded(let g, let e):
            try c.encode("graded", forKey: .kind)
            try c.encode(g, forKey: .grade)
            try c.encode(e, forKey: .evidence)
        case .notApplicable(let r):
            try c.encode("not-applicable", forKey: .kind)
            try c.encode(r, forKey: .reason)
        case .notScored(let r):
            try c.encode("not-scored", forKey: .kind)
            try c.encode(r, forKey: .reason)
        }
    }
}

/// How much of the profile was rated.
public struct Completeness: Codable, Sendable, Equatable {
    /// Items that apply at the child's age.
    public var applicable: Int
    public var rated: Int
    public var notApplicable: Int
    public var notScored: Int
    /// Applicable items with no rating yet.
    public var missing: Int
}

/// An item graded disproportionately worse than its sub-area.
public struct DisproportionateItem: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var grade: Grade
    public var subAreaGrade: Grade
}

/// The compact, evidence-free form of a profile: confirmed grades by link id and targets.
public struct ProfileSummary: Codable, Sendable, Equatable {
    public var assessmentId: AssessmentID
    public var version: Int
    public var childId: ChildID
    public var date: CalendarDate
    public var instrument: InstrumentRef
    /// Confirmed grade per link id (areas, sub-areas, graded items).
    public var grades: GradeTable
    public var targets: [Target]
    /// The child's view, or why it could not be obtained; nil when the profile records neither.
    public var heard: ChildHeard?
    /// Whether the child was seen alone (nil: not recorded).
    public var seenAlone: Bool?

    public init(
        assessmentId: AssessmentID, version: Int, childId: ChildID, date: CalendarDate, instrument: InstrumentRef,
        grades: [String: Int], targets: [Target], heard: ChildHeard? = nil, seenAlone: Bool? = nil
    ) {
        self.init(
            assessmentId: assessmentId, version: version, childId: childId, date: date, instrument: instrument,
            table: GradeTable(grades), targets: targets, heard: heard, seenAlone: seenAlone)
    }

    package init(
        assessmentId: AssessmentID, version: Int, childId: ChildID, date: CalendarDate, instrument: InstrumentRef,
        table grades: GradeTable, targets: [Target], heard: ChildHeard? = nil, seenAlone: Bool? = nil
    ) {
        self.heard = heard
        self.seenAlone = seenAlone
        self.assessmentId = assessmentId
        self.version = version
        self.childId = childId
        self.date = date
        self.instrument = instrument
        self.grades = grades
        self.targets = targets
    }

    /// The confirmed grade of `linkId`, if it was graded.
    public func grade(_ linkId: LinkID) -> Grade? { grades[linkId.rawValue].flatMap(Grade.init(rawValue:)) }
}
