/// A flag on one area's or sub-area's series of confirmed grades; all that hold are reported.
public enum Flag: String, Codable, Sendable, CaseIterable {
    case baseline
    case improved
    case deteriorated
    case unchanged
    case sustainedImprovement = "sustained-improvement"
    case improvementLost = "improvement-lost"
    case drift
}

/// The one-word headline for a series; the first that applies, in the order declared here.
public enum Trend: String, Codable, Sendable, CaseIterable {
    case deteriorating
    case drift
    case improvementLost = "improvement-lost"
    case sustainedImprovement = "sustained-improvement"
    case improving
    case stableStrength = "stable-strength"
    case `static`
    case baseline

    /// Words for a person reading a report.
    public var words: String {
        switch self {
        case .deteriorating: "deteriorating"
        case .drift: "drift"
        case .improvementLost: "improvement lost"
        case .sustainedImprovement: "sustained improvement"
        case .improving: "improving"
        case .stableStrength: "stable strength"
        case .static: "no change"
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
    /// When the current run of grades at or worse than `needsWorkFrom` began (nil when the latest grade is better).
    public var concernRunStart: CalendarDate?
    public var count: Int
    /// Every grade of the series, oldest first.
    public var grades: [Grade]

    /// Whether the latest grade is better than the one before it.
    public var improvedAtLatest: Bool { previous.map { latest.grade < $0.grade } ?? false }
}

extension Policy {
    /// Applies the change-over-time rules of `Docs/rules.md` to grades ordered by date (oldest first).
    ///
    /// `strengthMax` is the top of the instrument's strength band. Returns nil for an empty series.
    public func analyse(_ points: [SeriesPoint], strengthMax: Int) -> SeriesAnalysis? {
        guard let last = points.last, let first = points.first else { return nil }
        let n = points.count
        // The grades kept for the result, read as integers without a second array.
        let grades = points.map(\.grade)
        let g = grades.lazy.map(\.rawValue)
        let gn = g[n - 1]
        let nw = needsWorkFrom
        var flags: [Flag] = []
        if n == 1 { flags.append(.baseline) }
        if n >= 2 {
            let prev = g[n - 2]
            flags.append(gn < prev ? .improved : gn > prev ? .deteriorated : .unchanged)
        }
        // Out of needing work, and held: at least two assessments and `sustainMinDays` since the last one that needed work.
        var sustained = false
        if gn < nw, let m = g.lastIndex(where: { $0 >= nw }) {
            sustained = n - 1 - m >= 2 && points[m].date.days(to: last.date) >= sustainMinDays
            if sustained { flags.append(.sustainedImprovement) }
        }
        // An improvement reached (g(i) better than g(i−1)), then lost (gn worse than g(i)), ending needing work.
        if gn >= nw, n >= 3, (1..<(n - 1)).contains(where: { g[$0] < g[$0 - 1] && gn > g[$0] }) {
            flags.append(.improvementLost)
        }
        var runStart: CalendarDate?
        if gn >= nw {
            var j = n - 1
            while j > 0 && g[j - 1] >= nw { j -= 1 }
            runStart = points[j].date
            if n - j >= driftMinAssessments, points[j].date.days(to: last.date) >= driftMinDays {
                // k: the latest assessment of the run at least `driftMinDays` before the latest.
                let k = (j..<n).last { points[$0].date.days(to: last.date) >= driftMinDays } ?? j
                if gn >= g[k] { flags.append(.drift) }
            }
        }
        let earlierNeededWork = g.dropLast().contains { $0 >= nw }
        let trend: Trend
        if flags.contains(.deteriorated) && gn > strengthMax {
            trend = .deteriorating
        } else if flags.contains(.drift) {
            trend = .drift
        } else if flags.contains(.improvementLost) {
            trend = .improvementLost
        } else if sustained {
            trend = .sustainedImprovement
        } else if (flags.contains(.improved) && g[n - 2] > strengthMax) || (gn < nw && earlierNeededWork) {
            trend = .improving
        } else if n >= 2 && gn <= strengthMax && g[n - 2] <= strengthMax {
            trend = .stableStrength
        } else if n == 1 {
            trend = .baseline
        } else {
            // What is left is unchanged outside the strength band: every other n ≥ 2 case was taken above.
            trend = .static
        }
        return SeriesAnalysis(
            flags: flags, trend: trend, latest: last, previous: n >= 2 ? points[n - 2] : nil, first: first,
            concernRunStart: runStart, count: n, grades: grades)
    }
}
