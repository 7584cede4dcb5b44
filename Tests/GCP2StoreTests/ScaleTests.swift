import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2Store

@Suite(.tags(.slow)) struct ScaleTests {
    /// Speed never buys wrong answers: the caseload read from the compact caseload entries equals the
    /// caseload computed by decoding every document, on a generated store.
    @Test func caseloadThroughTheIndexMatchesAFullScan() throws {
        let dir = TempDir()
        let path = dir.path + "/store"
        try SyntheticStore(families: 200, seed: 42).write(to: path, now: now)
        let store = try Store.open(at: path)
        for asOf in [SyntheticStore.today, CalendarDate("2025-06-30")!] {
            let (viaIndex, damaged) = try store.caseload(asOf: asOf)
            #expect(damaged.isEmpty)
            let viaScan = FullScan.caseload(try FullScan.read(store: path), policy: store.policy, asOf: asOf)
            #expect(viaIndex.children == viaScan.children)
            #expect(viaIndex.flagCounts == viaScan.flagCounts)
            #expect(viaIndex.trendCounts == viaScan.trendCounts)
            #expect(viaIndex == viaScan)
        }
        // The generated store is sound and shows the mix of trends it is meant to.
        let report = try store.doctor()
        #expect(report.isClean, "\(report.findings.prefix(5))")
        let (c, _) = try store.caseload(asOf: SyntheticStore.today)
        for flag in [
            "severe-concern", "deteriorating", "drift", "improvement-lost", "long-term-concern", "cumulative-concern",
            "review-overdue", "target-missed", "sibling-disparity", "carer-not-included",
        ] {
            #expect((c.flagCounts[flag] ?? 0) > 0, "no child with \(flag)")
        }
        let versions = try FullScan.read(store: path).assessments
        #expect(versions.contains { $0.status == .amended })
        #expect(versions.contains { $0.status == .enteredInError })
    }

    @Test func generatorIsDeterministic() throws {
        let a = TempDir(), b = TempDir()
        try SyntheticStore(families: 5, seed: 9).write(to: a.path + "/s", now: now)
        try SyntheticStore(families: 5, seed: 9).write(to: b.path + "/s", now: now)
        let ra = try FullScan.read(store: a.path + "/s"), rb = try FullScan.read(store: b.path + "/s")
        #expect(ra.families == rb.families)
        #expect(ra.assessments == rb.assessments)
        let evidence = ra.assessments.flatMap { $0.profiles.flatMap(\.ratings) }.compactMap { r -> Int? in
            if case .graded(_, let e) = r.rating { return e.count }
            return nil
        }
        #expect(evidence.allSatisfy { (100...300).contains($0) })
    }

    @Test func fallsBackToTheFullIndexWhenACaseloadEntryIsDamaged() throws {
        let dir = TempDir()
        let path = dir.path + "/store"
        try SyntheticStore(families: 6, seed: 3).write(to: path, now: now)
        let store = try Store.open(at: path)
        let (before, _) = try store.caseload(asOf: SyntheticStore.today)
        let victim = store.full(Store.caseloadFile(SyntheticStore.familyID(2)))
        try Data("{\"schemaVersion\": 1, \"fam".utf8).write(to: URL(fileURLWithPath: victim))
        let (after, damaged) = try store.caseload(asOf: SyntheticStore.today)
        #expect(damaged.isEmpty)
        #expect(after == before)
        #expect(try store.doctor().findings.map(\.path) == [victim])
        _ = try store.doctor(repair: true)
        #expect(try store.doctor().isClean)
    }
}
