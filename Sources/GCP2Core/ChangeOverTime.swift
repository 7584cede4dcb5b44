/// A flag on one area's or sub-area's series of confirmed grades; all that hold are reported.
public enum Flag: String, Codable, Sendable, CaseIterable {
    case baseline
    case improved
    case deteriorated
    case unchanged
    case sustainedImprovement = "sustained-improvement"
    case relapse
    case drift
}

/// The one-word headline for a series; the first that applies, in the order declared here.
public enum Trend: String, Codable, Sendable, CaseIterable {
    case deteriorating
    case relapse
    case drift
    case sustainedImprovement = "sustained-improvement"
    case improving
    case stableStrength = "stable-strength"
    case `static`
    case baseline

    /// Words for a person reading a report.
    public var words: String {
        switch self {
        case .deteriorating: "deteriorating"
        case .relapse: "relapse"
        case .drift: "drift"
        case .sustainedImprovement: "sustained improvement"
        case .improving: "improving"
        case .stableStrength: "stable strength"
        case .static: "static"
        case .baseline: "baseline"
        }
    }
}

/// One confirmed grade of a series, from a final assessment.
public struct SeriesPoint: Codable, Sendable, Equatable {
    public var date: CalendarDate
    public var grade: Grade
    public init(date: CalendarDate, grade: Grade) {
        self.date = date
        self.grade = grade
    }
}

/// The flags and headline trend of one series.
public struct SeriesAnalysis: Codable, Sendable, Equatable {
    public var flags: [Flag]
    public var trend: Trend
    public var latest: SeriesPoint
    public var previous: SeriesPoint?
    public var first: SeriesPoint
    /// For drift: when the current run at or worse than `needsWorkFrom` began.
    public var concernRunStart: CalendarDate?
    public var count: Int
    /// Every grade of the series, oldest first.
    public var grades: [Grade]
}

extension Policy {
    /// Applies the change-over-time rules to grades ordered by date (oldest first).
    ///
    /// Returns nil for an empty series. Ties in date keep the given order.
    public func analyse(_ points: [SeriesPoint]) -> SeriesAnalysis? {
        guard let last = points.last, let first = points.first else { return nil }
        let n = points.count
        let g = points.map(\.grade.rawValue)
        let gn = g[n - 1]
        var flags: [Flag] = []
        if n == 1 { flags.append(.baseline) }
        if n >= 2 {
            let prev = g[n - 2]
            flags.append(gn < prev ? .improved : gn > prev ? .deteriorated : .unchanged)
        }
        if n >= 3, g[n - 2] < g[0], gn < g[0], gn <= g[n - 2] { flags.append(.sustainedImprovement) }
        let nw = needsWorkFrom
        if gn >= nw, n >= 3, g[1..<(n - 1)].contains(where: { $0 < gn }) { flags.append(.relapse) }
        var runStart: CalendarDate?
        if gn >= nw {
            var j = n - 1
            while j > 0 && g[j - 1] >= nw { j -= 1 }
            runStart = points[j].date
            if n - j >= driftMinAssessments, points[j].date.days(to: last.date) >= driftMinDays, gn >= g[j] {
                flags.append(.drift)
            }
        }
        let trend: Trend =
            flags.contains(.deteriorated)
            ? .deteriorating
            : flags.contains(.relapse)
                ? .relapse
                : flags.contains(.drift)
                    ? .drift
                    : flags.contains(.sustainedImprovement)
                        ? .sustainedImprovement
                        : flags.contains(.improved)
                            ? .improving
                            : flags.contains(.unchanged) && gn <= 2
                                ? .stableStrength
                                : flags.contains(.unchanged)
                                    ? .static
                                    : .baseline
        return SeriesAnalysis(
            flags: flags, trend: trend, latest: last, previous: n >= 2 ? points[n - 2] : nil, first: first,
            concernRunStart: runStart, count: n, grades: points.map(\.grade))
    }
}
