import Foundation
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
        Case(grades: [2, 2], every: 60, flags: [.unchanged], trend: .stableStrength),
        Case(grades: [3, 3], every: 30, flags: [.unchanged], trend: .static),
        // 4,4 over 30 days is static; over 120 days it is drift
        Case(grades: [4, 4], every: 30, flags: [.unchanged], trend: .static),
        Case(grades: [4, 4], every: 120, flags: [.unchanged, .drift], trend: .drift),
        // 4,3,3 is a sustained improvement, not drift (latest better than the start of the run)
        Case(grades: [4, 3, 3], every: 60, flags: [.unchanged, .sustainedImprovement], trend: .sustainedImprovement),
        Case(grades: [4, 2, 2], every: 60, flags: [.unchanged, .sustainedImprovement], trend: .sustainedImprovement),
        Case(grades: [5, 3, 2], every: 60, flags: [.improved, .sustainedImprovement], trend: .sustainedImprovement),
        // 4→2→4 is deteriorating and carries relapse
        Case(grades: [4, 2, 4], every: 60, flags: [.deteriorated, .relapse], trend: .deteriorating),
        // 4,2,3,3: improvement reached then lost, now unchanged → relapse headline
        Case(grades: [4, 2, 3, 3], every: 60, flags: [.unchanged, .relapse, .sustainedImprovement], trend: .relapse),
        // 3,4,4,4 over months: drift (run started at 3, latest no better)
        Case(grades: [3, 4, 4, 4], every: 60, flags: [.unchanged, .drift], trend: .drift),
        // 2,3,3 over 120 days: run of two at 3 spanning 120 days → drift
        Case(grades: [2, 3, 3], every: 120, flags: [.unchanged, .drift], trend: .drift),
        // 5,4: improved, still needs work, latest better than run start → no drift
        Case(grades: [5, 4], every: 200, flags: [.improved], trend: .improving),
        // 3,2: improved out of concern
        Case(grades: [3, 2], every: 60, flags: [.improved], trend: .improving),
        // 4,3,2,3: relapse flagged, deteriorated takes the headline
        Case(grades: [4, 3, 2, 3], every: 60, flags: [.deteriorated, .relapse], trend: .deteriorating),
    ])
    func flagsAndTrend(c: Case) throws {
        let a = try #require(Policy.default.analyse(series(c.grades, every: c.every)))
        #expect(Set(a.flags) == c.flags)
        #expect(a.trend == c.trend)
    }

    @Test func emptySeriesHasNoAnalysis() {
        #expect(Policy.default.analyse([]) == nil)
    }

    @Test func thresholdsComeFromThePolicy() throws {
        // Drift after 30 days when the policy says so.
        var p = Policy.default
        p.driftMinDays = 30
        #expect(try #require(p.analyse(series([4, 4], every: 30))).trend == .drift)
        // Needing three assessments in the run.
        p.driftMinAssessments = 3
        #expect(try #require(p.analyse(series([4, 4], every: 30))).trend == .static)
        #expect(try #require(p.analyse(series([4, 4, 4], every: 30))).trend == .drift)
        // needsWorkFrom 4: a run of 3s is no longer drift.
        var q = Policy.default
        q.needsWorkFrom = 4
        #expect(try #require(q.analyse(series([3, 3], every: 200))).trend == .static)
        #expect(try #require(Policy.default.analyse(series([3, 3], every: 200))).trend == .drift)
    }

    @Test func driftRunStartIsReported() throws {
        let a = try #require(Policy.default.analyse(series([2, 3, 4, 4], every: 50)))
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
            let a = Policy.default.analyse(points)!
            #expect(Trend.allCases.contains(a.trend))
            if a.latest.grade.rawValue < 3 { #expect(!a.flags.contains(.drift)) }
            if a.latest.grade.rawValue < 3 { #expect(!a.flags.contains(.relapse)) }
            // Reversing an improvement (appending the grade before it) never yields an improvement flag.
            if n >= 2, a.flags.contains(.improved) {
                let reversed = points + [SeriesPoint(date: date.adding(days: 30), grade: points[n - 2].grade)]
                let r = Policy.default.analyse(reversed)!
                #expect(!r.flags.contains(.improved))
                #expect(r.trend != .improving && r.trend != .sustainedImprovement)
            }
            #expect(a.flags.contains(.baseline) == (n == 1))
            #expect(a.flags.filter { [.improved, .deteriorated, .unchanged].contains($0) }.count == (n == 1 ? 0 : 1))
        }
    }
}

/// A small seeded generator (SplitMix64) so generated cases repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
