/// The thresholds of the change-over-time rules; every number is configurable in the store's manifest.
public struct Policy: Codable, Sendable, Equatable {
    /// A grade at or worse than this needs work and is tracked (default 3).
    public var needsWorkFrom: Int
    /// Drift needs at least this many assessments in the run at or worse than `needsWorkFrom` (default 2).
    public var driftMinAssessments: Int
    /// Drift needs the run to span at least this many days (default 90).
    public var driftMinDays: Int
    /// A child with an area that needs work is due a review this many days after the latest assessment (default 90).
    public var reviewIntervalDays: Int
    /// A sibling graded this much worse than the best-graded sibling in an area is flagged (default 2).
    public var siblingDisparityGap: Int

    public init(
        needsWorkFrom: Int = 3, driftMinAssessments: Int = 2, driftMinDays: Int = 90, reviewIntervalDays: Int = 90,
        siblingDisparityGap: Int = 2
    ) {
        self.needsWorkFrom = needsWorkFrom
        self.driftMinAssessments = driftMinAssessments
        self.driftMinDays = driftMinDays
        self.reviewIntervalDays = reviewIntervalDays
        self.siblingDisparityGap = siblingDisparityGap
    }

    public static let `default` = Policy()

    enum CodingKeys: String, CodingKey {
        case needsWorkFrom, driftMinAssessments, driftMinDays, reviewIntervalDays, siblingDisparityGap
    }

    /// Missing keys take their defaults, so `{}` is the default policy and older manifests keep working.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Policy()
        needsWorkFrom = try c.decodeIfPresent(Int.self, forKey: .needsWorkFrom) ?? d.needsWorkFrom
        driftMinAssessments = try c.decodeIfPresent(Int.self, forKey: .driftMinAssessments) ?? d.driftMinAssessments
        driftMinDays = try c.decodeIfPresent(Int.self, forKey: .driftMinDays) ?? d.driftMinDays
        reviewIntervalDays = try c.decodeIfPresent(Int.self, forKey: .reviewIntervalDays) ?? d.reviewIntervalDays
        siblingDisparityGap = try c.decodeIfPresent(Int.self, forKey: .siblingDisparityGap) ?? d.siblingDisparityGap
    }

    /// Problems with the numbers, if any.
    public func validate(at path: String = "policy") -> [Issue] {
        var out: [Issue] = []
        if !Grade.scale.contains(needsWorkFrom) {
            out.append(Issue("\(path).needsWorkFrom", "\(needsWorkFrom) is off the scale", expected: "a grade 1 to 5"))
        }
        if driftMinAssessments < 1 {
            out.append(Issue("\(path).driftMinAssessments", "\(driftMinAssessments) is too small", expected: "1 or more"))
        }
        for (k, v) in [("driftMinDays", driftMinDays), ("reviewIntervalDays", reviewIntervalDays)] where v < 0 {
            out.append(Issue("\(path).\(k)", "\(v) is negative", expected: "0 or more days"))
        }
        if siblingDisparityGap < 1 {
            out.append(Issue("\(path).siblingDisparityGap", "\(siblingDisparityGap) is too small", expected: "1 or more"))
        }
        return out
    }

    /// Whether `grade` needs work under this policy.
    public func needsWork(_ grade: Grade) -> Bool { grade.rawValue >= needsWorkFrom }
}
