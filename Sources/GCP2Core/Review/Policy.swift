/// The thresholds of the change-over-time rules; every number is configurable in the store's manifest.
public struct Policy: Codable, Sendable, Equatable {
    /// A grade at or worse than this needs work and is tracked (default 3).
    public var needsWorkFrom: Int
    /// Drift needs at least this many assessments in the run at or worse than `needsWorkFrom` (default 2).
    public var driftMinAssessments: Int
    /// Drift needs the run to span at least this many days (default 90).
    public var driftMinDays: Int
    /// An improvement is sustained once held this many days; spells closer than this merge (default 180).
    public var sustainMinDays: Int
    /// A child with an area that needs work is due a review this many days after the latest assessment (default 90).
    public var reviewIntervalDays: Int
    /// A current spell needing work this long raises `long-term-concern` (default 365).
    public var longTermConcernDays: Int
    /// This many spells needing work raise `recurrent-concern` (default 2).
    public var recurrentConcernSpells: Int
    /// The window for `cumulative-concern`, capped by the child's age (default 730).
    public var cumulativeWindowDays: Int
    /// An area graded at or worse than this is a severe concern (default 5).
    public var severeFrom: Int
    /// Areas with their own severe-concern grade, by link id (default `safety`: 4).
    public var severeFromByArea: [String: Int]
    /// A sibling graded this much worse than the best-graded sibling in an area is flagged (default 2).
    public var siblingDisparityGap: Int
    /// A child this old or older (months) gives a view; "too young" is a reason only below it (default 48).
    public var childViewFromMonths: Int
    /// A child needing work this many days since the later of the spell's start and the latest decision, with no
    /// area that needed work then now better, is due an escalation review (default 180).
    public var escalationReviewDays: Int

    public init(
        needsWorkFrom: Int = 3, driftMinAssessments: Int = 2, driftMinDays: Int = 90, sustainMinDays: Int = 180,
        reviewIntervalDays: Int = 90, longTermConcernDays: Int = 365, recurrentConcernSpells: Int = 2,
        cumulativeWindowDays: Int = 730, severeFrom: Int = 5, severeFromByArea: [String: Int] = ["safety": 4],
        siblingDisparityGap: Int = 2, childViewFromMonths: Int = 48, escalationReviewDays: Int = 180
    ) {
        self.needsWorkFrom = needsWorkFrom
        self.driftMinAssessments = driftMinAssessments
        self.driftMinDays = driftMinDays
        self.sustainMinDays = sustainMinDays
        self.reviewIntervalDays = reviewIntervalDays
        self.longTermConcernDays = longTermConcernDays
        self.recurrentConcernSpells = recurrentConcernSpells
        self.cumulativeWindowDays = cumulativeWindowDays
        self.severeFrom = severeFrom
        self.severeFromByArea = severeFromByArea
        self.siblingDisparityGap = siblingDisparityGap
        self.childViewFromMonths = childViewFromMonths
        self.escalationReviewDays = escalationReviewDays
    }

    public static let `default` = Policy()

    enum CodingKeys: String, CodingKey {
        case needsWorkFrom, driftMinAssessments, driftMinDays, sustainMinDays, reviewIntervalDays, longTermConcernDays
        case recurrentConcernSpells, cumulativeWindowDays, severeFrom, severeFromByArea, siblingDisparityGap
        case childViewFromMonths, escalationReviewDays
    }

    /// Missing keys take their defaults, so `{}` is the default policy and older manifests gain the keys added later.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Policy()
        func int(_ key: CodingKeys, _ fallback: Int) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? fallback }
        needsWorkFrom = try int(.needsWorkFrom, d.needsWorkFrom)
        driftMinAssessments = try int(.driftMinAssessments, d.driftMinAssessments)
        driftMinDays = try int(.driftMinDays, d.driftMinDays)
        sustainMinDays = try int(.sustainMinDays, d.sustainMinDays)
        reviewIntervalDays = try int(.reviewIntervalDays, d.reviewIntervalDays)
        longTermConcernDays = try int(.longTermConcernDays, d.longTermConcernDays)
        recurrentConcernSpells = try int(.recurrentConcernSpells, d.recurrentConcernSpells)
        cumulativeWindowDays = try int(.cumulativeWindowDays, d.cumulativeWindowDays)
        severeFrom = try int(.severeFrom, d.severeFrom)
        severeFromByArea = try c.decodeIfPresent([String: Int].self, forKey: .severeFromByArea) ?? d.severeFromByArea
        siblingDisparityGap = try int(.siblingDisparityGap, d.siblingDisparityGap)
        childViewFromMonths = try int(.childViewFromMonths, d.childViewFromMonths)
        escalationReviewDays = try int(.escalationReviewDays, d.escalationReviewDays)
    }

    /// Every key, except those added by issue 14 (`childViewFromMonths`, `escalationReviewDays`), which are written
    /// only when they differ from their defaults: a manifest written before they existed re-encodes to the same
    /// bytes, so the audit log's digest of it still holds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(needsWorkFrom, forKey: .needsWorkFrom)
        try c.encode(driftMinAssessments, forKey: .driftMinAssessments)
        try c.encode(driftMinDays, forKey: .driftMinDays)
        try c.encode(sustainMinDays, forKey: .sustainMinDays)
        try c.encode(reviewIntervalDays, forKey: .reviewIntervalDays)
        try c.encode(longTermConcernDays, forKey: .longTermConcernDays)
        try c.encode(recurrentConcernSpells, forKey: .recurrentConcernSpells)
        try c.encode(cumulativeWindowDays, forKey: .cumulativeWindowDays)
        try c.encode(severeFrom, forKey: .severeFrom)
        try c.encode(severeFromByArea, forKey: .severeFromByArea)
        try c.encode(siblingDisparityGap, forKey: .siblingDisparityGap)
        let d = Policy.default
        if childViewFromMonths != d.childViewFromMonths { try c.encode(childViewFromMonths, forKey: .childViewFromMonths) }
        if escalationReviewDays != d.escalationReviewDays { try c.encode(escalationReviewDays, forKey: .escalationReviewDays) }
    }

    /// Problems with the numbers, if any.
    public func validate(at path: String = "policy") -> [Issue] {
        var out: [Issue] = []
        func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        for (k, v) in [("needsWorkFrom", needsWorkFrom), ("severeFrom", severeFrom)] where !Grade.scale.contains(v) {
            out.append(Issue(at(k), "\(v) is off the scale", expected: "a grade 1 to 5"))
        }
        for (area, v) in severeFromByArea.sorted(by: { $0.key < $1.key }) where !Grade.scale.contains(v) {
            out.append(Issue(at("severeFromByArea.\(area)"), "\(v) is off the scale", expected: "a grade 1 to 5"))
        }
        for (k, v) in [
            ("driftMinAssessments", driftMinAssessments), ("recurrentConcernSpells", recurrentConcernSpells),
            ("siblingDisparityGap", siblingDisparityGap),
        ] where v < 1 {
            out.append(Issue(at(k), "\(v) is too small", expected: "1 or more"))
        }
        for (k, v) in [
            ("driftMinDays", driftMinDays), ("sustainMinDays", sustainMinDays), ("reviewIntervalDays", reviewIntervalDays),
            ("longTermConcernDays", longTermConcernDays), ("cumulativeWindowDays", cumulativeWindowDays),
            ("escalationReviewDays", escalationReviewDays),
        ] where v < 0 {
            out.append(Issue(at(k), "\(v) is negative", expected: "0 or more days"))
        }
        if childViewFromMonths < 0 {
            out.append(Issue(at("childViewFromMonths"), "\(childViewFromMonths) is negative", expected: "0 or more months"))
        }
        return out
    }

    /// Problems with this policy together with an instrument's bands: the strength band must end below
    /// `needsWorkFrom`, or a grade could be a strength and need work at once.
    public func validate(bands: BandThresholds, at path: String = "policy") -> [Issue] {
        guard bands.strengthMax >= needsWorkFrom else { return [] }
        return [
            Issue(
                path.isEmpty ? "needsWorkFrom" : "\(path).needsWorkFrom",
                "the instrument's strength band ends at \(bands.strengthMax), at or worse than needsWorkFrom \(needsWorkFrom)",
                expected: "needsWorkFrom above the strength band (at least \(bands.strengthMax + 1))")
        ]
    }

    /// Whether `grade` needs work under this policy.
    public func needsWork(_ grade: Grade) -> Bool { grade.rawValue >= needsWorkFrom }

    /// The grade from which `area` is a severe concern.
    public func severeFrom(area: LinkID) -> Int { severeFromByArea[area.rawValue] ?? severeFrom }
}
