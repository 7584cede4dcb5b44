import Foundation
import TestSupport
import Testing

@testable import GCP2Core

let day0 = CalendarDate("2025-01-01")!

func series(_ values: [Int], every days: Int = 60) -> [SeriesPoint] {
    values.enumerated().map { SeriesPoint(date: day0.adding(days: $0.offset * days), grade: Grade(rawValue: $0.element)!) }
}

@Suite struct ChangeOverTimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var grades: [Int]
        var every: Int
        var flags: Set<Flag>
        var trend: Trend
        var testDescription: String { "\(grades) every \(every)d → \(trend)" }
    }

    @Test(arguments: [
        Case(grades: [3], every: 60, flags: [.baseline], trend: .baseline),
        Case(grades: [4, 3], every: 60, flags: [.improved], trend: .improving),
        Case(grades: [2, 3], every: 60, flags: [.deteriorated], trend: .deteriorating),
        // 1→2 stays inside the strength band: a strength held, not news (issue 8, item 7).
        Case(grades: [1, 2], every: 60, flags: [.deteriorated], trend: .stableStrength),
        Case(grades: [2, 1], every: 60, flags: [.improved], trend: .stableStrength),
        Case(grades: [2, 2], every: 60, flags: [.unchanged], trend: .stableStrength),
        Case(grades: [3, 3], every: 30, flags: [.unchanged], trend: .static),
        // 4,4 over 30 days is no change; over 120 days it is drift.
        Case(grades: [4, 4], every: 30, flags: [.unchanged], trend: .static),
        Case(grades: [4, 4], every: 120, flags: [.unchanged, .drift], trend: .drift),
        // A year at 4 after a 5 is drift, not sustained improvement (item 7).
        Case(grades: [5, 4, 4, 4, 4], every: 90, flags: [.unchanged, .drift], trend: .drift),
        // 5,4,3 is still needing work: improving, not sustained (item 7).
        Case(grades: [5, 4, 3], every: 60, flags: [.improved], trend: .improving),
        // 4,3,3: better than 120 days ago, so no drift; still 3, so no change rather than improvement.
        Case(grades: [4, 3, 3], every: 60, flags: [.unchanged], trend: .static),
        // 4,3,3,3: no better than 90 days ago (3 at day 60): drift.
        Case(grades: [4, 3, 3, 3], every: 60, flags: [.unchanged, .drift], trend: .drift),
        // Out of needing work for 120 days only: improving; for 180 days and two assessments: sustained.
        Case(grades: [4, 2, 2], every: 60, flags: [.unchanged], trend: .improving),
        Case(grades: [4, 2, 2], every: 90, flags: [.unchanged, .sustainedImprovement], trend: .sustainedImprovement),
        Case(grades: [4, 2, 2, 2], every: 60, flags: [.unchanged, .sustainedImprovement], trend: .sustainedImprovement),
        // One assessment since the last 3 is not yet held.
        Case(grades: [5, 3, 2], every: 120, flags: [.improved], trend: .improving),
        // 4→2→4: deteriorating, and the improvement was lost.
        Case(grades: [4, 2, 4], every: 60, flags: [.deteriorated, .improvementLost], trend: .deteriorating),
        // 4,2,3,3: improvement reached then lost, unchanged since (not long enough for drift).
        Case(grades: [4, 2, 3, 3], every: 60, flags: [.unchanged, .improvementLost], trend: .improvementLost),
        // The same over longer gaps is drift, which heads improvement lost.
        Case(grades: [4, 2, 3, 3], every: 100, flags: [.unchanged, .improvementLost, .drift], trend: .drift),
        // 3,3,4,4: nothing improved first, so nothing was lost.
        Case(grades: [3, 3, 4, 4], every: 20, flags: [.unchanged], trend: .static),
        Case(grades: [3, 4, 4, 4], every: 60, flags: [.unchanged, .drift], trend: .drift),
        Case(grades: [2, 3, 3], every: 120, flags: [.unchanged, .drift], trend: .drift),
        // 5,4 over 200 days: better than it was, still needs work.
        Case(grades: [5, 4], every: 200, flags: [.improved], trend: .improving),
        Case(grades: [3, 2], every: 60, flags: [.improved], trend: .improving),
        Case(grades: [4, 3, 2, 3], every: 60, flags: [.deteriorated, .improvementLost], trend: .deteriorating),
        Case(grades: [3, 5], every: 120, flags: [.deteriorated, .drift], trend: .deteriorating),
    ])
    func flagsAndTrend(c: Case) throws {
        let a = try #require(Policy.default.analyse(series(c.grades, every: c.every), strengthMax: 2))
        #expect(Set(a.flags) == c.flags)
        #expect(a.trend == c.trend)
    }

    @Test func emptySeriesHasNoAnalysis() {
        #expect(Policy.default.analyse([], strengthMax: 2) == nil)
    }

    @Test func thresholdsComeFromThePolicy() throws {
        // Drift after 30 days when the policy says so.
        var p = Policy.default
        p.driftMinDays = 30
        #expect(try #require(p.analyse(series([4, 4], every: 30), strengthMax: 2)).trend == .drift)
        // Needing three assessments in the run.
        p.driftMinAssessments = 3
        #expect(try #require(p.analyse(series([4, 4], every: 30), strengthMax: 2)).trend == .static)
        #expect(try #require(p.analyse(series([4, 4, 4], every: 30), strengthMax: 2)).trend == .drift)
        // needsWorkFrom 4: a run of 3s is no longer drift.
        var q = Policy.default
        q.needsWorkFrom = 4
        #expect(try #require(q.analyse(series([3, 3], every: 200), strengthMax: 2)).trend == .static)
        #expect(try #require(Policy.default.analyse(series([3, 3], every: 200), strengthMax: 2)).trend == .drift)
    }

    @Test func strengthBandComesFromTheInstrument() throws {
        // With a strength band of 1 only, 1→2 leaves the band: deteriorating.
        #expect(try #require(Policy.default.analyse(series([1, 2]), strengthMax: 1)).trend == .deteriorating)
        #expect(try #require(Policy.default.analyse(series([2, 2]), strengthMax: 1)).trend == .static)
    }

    @Test func driftRunStartIsReported() throws {
        let a = try #require(Policy.default.analyse(series([2, 3, 4, 4], every: 50), strengthMax: 2))
        #expect(a.concernRunStart == day0.adding(days: 50))
    }

    @Test func policyDecodesEmptyObjectAsDefaults() throws {
        let p = try JSONDecoder().decode(Policy.self, from: Data("{}".utf8))
        #expect(p == Policy.default)
    }

    // Property tests over generated series, with a seeded generator of our own.
    @Test func propertiesHoldOverGeneratedSeries() {
        var rng = SplitMix64(seed: 0x6C_7032)
        for _ in 0..<5000 {
            let n = Int(rng.next() % 6) + 1
            var date = day0
            var points: [SeriesPoint] = []
            for _ in 0..<n {
                date = date.adding(days: Int(rng.next() % 200))
                points.append(SeriesPoint(date: date, grade: Grade(rawValue: Int(rng.next() % 5) + 1)!))
            }
            let a = Policy.default.analyse(points, strengthMax: 2)!
            let g = a.latest.grade.rawValue
            if g < 3 { #expect(!a.flags.contains(.drift) && !a.flags.contains(.improvementLost)) }
            // Nothing that needs work is headlined as a strength or a sustained improvement.
            if g >= 3 { #expect(![.stableStrength, .sustainedImprovement].contains(a.trend)) }
            if a.flags.contains(.sustainedImprovement) { #expect(g < 3) }
            // The headline is the first that applies.
            if a.flags.contains(.drift) && a.trend != .deteriorating { #expect(a.trend == .drift) }
            if a.flags.contains(.improvementLost) && ![.deteriorating, .drift].contains(a.trend) {
                #expect(a.trend == .improvementLost)
            }
            // Reversing an improvement (appending the grade before it) never yields an improvement flag.
            if n >= 2, a.flags.contains(.improved) {
                let reversed = points + [SeriesPoint(date: date.adding(days: 30), grade: points[n - 2].grade)]
                let r = Policy.default.analyse(reversed, strengthMax: 2)!
                #expect(!r.flags.contains(.improved))
                // Only being out of needing work can still read as improvement after a step back.
                if [.improving, .sustainedImprovement].contains(r.trend) { #expect(r.latest.grade.rawValue < 3) }
            }
            #expect(a.flags.contains(.baseline) == (n == 1))
            #expect(a.flags.filter { [.improved, .deteriorated, .unchanged].contains($0) }.count == (n == 1 ? 0 : 1))
        }
    }
}
