import Foundation
import GCP2Core
import GCP2Synth
import Testing

@testable import GCP2Store

@Suite struct ScaleTests {
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

@Suite struct MiniJSONTests {
    func parse(_ text: String) throws -> MiniJSON {
        try Data(text.utf8).withUnsafeBytes { (b: UnsafeRawBufferPointer) throws -> MiniJSON in try MiniJSON.parse(b) }
    }

    @Test func parsesWhatJSONSerializationParses() throws {
        let v = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00", "c": {}} "#)
        #expect(v["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(v["b"]?.string == "x\"\\/\né😀")
        #expect(v["c"] == .object([]))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\\x\"", "tru", "{\"a\" 1}", "\"a\nb\"", "[1] 2", "\"\\ud800\"",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: MiniJSON.ParseError.self) { try parse(text) }
    }

    @Test func fastDecodeEqualsJSONDecoder() throws {
        let dir = TempDir()
        try SyntheticStore(families: 20, seed: 5).write(to: dir.path + "/s", now: now)
        for id in (0..<20).map(SyntheticStore.familyID) {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/s/caseload/\(id).json"))
            let slow = try Coding.decoder().decode(CaseloadEntry.self, from: data)
            #expect(CaseloadEntry.fastDecode(data) == slow)
        }
    }

    @Test func fastDecodeHandlesUnicodeAndEscapesInNames() throws {
        let fx = try Fixture()
        _ = try fx.store.addChild(
            to: fx.family.id, name: "Zoë \"Ziggy\" Ó'Brien \\ 李", born: CalendarDate("2019-01-01")!, actor: "t", now: now,
            today: today)
        let data = try Data(contentsOf: URL(fileURLWithPath: fx.store.full(Store.caseloadFile(fx.family.id))))
        let fast = try #require(CaseloadEntry.fastDecode(data))
        #expect(fast == (try Coding.decoder().decode(CaseloadEntry.self, from: data)))
        #expect(fast.family.children.last?.name == "Zoë \"Ziggy\" Ó'Brien \\ 李")
    }
}
