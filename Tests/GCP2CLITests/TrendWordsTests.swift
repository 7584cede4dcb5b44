import Foundation
import Testing

@testable import GCP2CLI
@testable import GCP2Core

/// Worse news first in the words of a trend: an area out of needing work but worse than last time never reads as
/// if the last step were the improvement.
@Suite struct TrendWordsTests {
    func words(_ grades: [Int]) -> String {
        let start = CalendarDate("2025-01-01")!
        let points = grades.enumerated().map { k, g in SeriesPoint(date: start.adding(days: 60 * k), grade: Grade(rawValue: g)!) }
        let analysis = Policy.default.analyse(points, strengthMax: 2)!
        return Render.sentence(
            LevelReview(linkId: LinkID("emotional"), analysis: analysis), title: "Emotional care", policy: .default)
    }

    @Test func improvingButWorseThanLastTimeShowsTheWholeSeries() {
        let w = words([3, 1, 2])
        #expect(w.hasPrefix("improving: "))
        #expect(w.contains("(3 → 1 → 2)") && w.contains("worse than last time"), "\(w)")
        #expect(!w.contains("from 1 to 2"))
        // A plain improvement still says where it came from.
        #expect(words([4, 2]).contains("from 4 to 2"))
    }
}
