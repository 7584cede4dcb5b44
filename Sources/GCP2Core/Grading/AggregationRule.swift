/// A named rule that suggests a grade for a level from the grades of the level below.
///
/// Not-applicable and not-scored ratings never reach a rule; a level with nothing rated has no grade.
public enum AggregationRule: String, Codable, Sendable, CaseIterable {
    /// Mean of the grades, rounded to nearest; an exact half goes to the worse grade. The default.
    case meanHalfWorse = "mean-half-worse"
    /// Median; with an even count, the worse of the two middle grades.
    case medianWorse = "median-worse"
    /// Most frequent grade; a tie goes to the worse grade.
    case modeWorse = "mode-worse"
    /// The worst grade.
    case worst = "worst"

    /// The suggested grade for `grades`, or nil when there are none.
    public func apply(_ grades: [Grade]) -> Grade? {
        guard !grades.isEmpty else { return nil }
        let values = grades.map(\.rawValue)
        switch self {
        case .meanHalfWorse:
            // round(sum / n) with halves up (worse): floor((2·sum + n) / (2n)), all in integers.
            let sum = values.reduce(0, +)
            return Grade(unchecked: (2 * sum + values.count) / (2 * values.count))
        case .medianWorse:
            let sorted = values.sorted()
            return Grade(unchecked: sorted[sorted.count / 2])
        case .modeWorse:
            var counts = [Int](repeating: 0, count: 6)
            for v in values { counts[v] += 1 }
            var best = values[0]
            for v in Grade.scale where counts[v] >= counts[best] { best = v }
            return Grade(unchecked: best)
        case .worst:
            return Grade(unchecked: values.max()!)
        }
    }
}

extension AggregationRule {
    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
}
