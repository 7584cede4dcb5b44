import Testing

@testable import GCP2Core

func grades(_ v: [Int]) -> [Grade] { v.map { Grade(rawValue: $0)! } }

@Suite struct AggregationRuleTests {
    @Test(arguments: [
        // mean-half-worse: halves go to the worse grade
        (AggregationRule.meanHalfWorse, [2, 3], 3),
        (.meanHalfWorse, [1, 2], 2),
        (.meanHalfWorse, [1, 1, 2], 1),
        (.meanHalfWorse, [1, 2, 2], 2),
        (.meanHalfWorse, [1, 2, 3, 4], 3),
        (.meanHalfWorse, [4], 4),
        (.meanHalfWorse, [1, 1, 1, 4], 2),
        (.meanHalfWorse, [5, 5, 1], 4),
        // median-worse: even count takes the worse middle
        (.medianWorse, [1, 2, 3], 2),
        (.medianWorse, [1, 2, 3, 4], 3),
        (.medianWorse, [4, 1], 4),
        (.medianWorse, [2, 2, 5, 1, 1], 2),
        // mode-worse: ties go to the worse grade
        (.modeWorse, [1, 1, 2], 1),
        (.modeWorse, [1, 2], 2),
        (.modeWorse, [3, 3, 1, 1, 2], 3),
        (.modeWorse, [5], 5),
        // worst
        (.worst, [1, 2, 4, 2], 4),
        (.worst, [1], 1),
    ])
    func ruleSuggests(rule: AggregationRule, values: [Int], expected: Int) {
        #expect(rule.apply(grades(values)) == Grade(rawValue: expected))
    }

    @Test(arguments: AggregationRule.allCases)
    func emptyLevelHasNoGrade(rule: AggregationRule) {
        #expect(rule.apply([]) == nil)
    }

    @Test func ruleNamesAreTheDocumentedOnes() {
        #expect(AggregationRule.allCases.map(\.rawValue) == ["mean-half-worse", "median-worse", "mode-worse", "worst"])
    }

    @Test func defaultBands() {
        let b = BandThresholds()
        #expect(grades([1, 2, 3, 4, 5]).map(b.band(of:)) == [.strength, .strength, .borderline, .concern, .concern])
    }
}
