import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// The direct JSON writer against `JSONEncoder`, its reference: the same bytes for `caseload --json` on generated
/// stores at several as-of dates, for every document a generated store holds, and for awkward strings and numbers.
@Suite struct CanonicalWriterTests {
    /// The writer's bytes equal `JSONEncoder`'s (and the writer did not refuse).
    static func same<T: Encodable>(_ value: T, _ what: String) {
        let fast = CanonicalWriter.document(value)
        #expect(fast != nil, "\(what): the writer refused")
        if let fast, Data(fast) != CanonicalJSON.referenceDocument(value) {
            let a = String(decoding: fast, as: UTF8.self).split(separator: "\n")
            let b = String(decoding: CanonicalJSON.referenceDocument(value), as: UTF8.self).split(separator: "\n")
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Testing.Issue.record(
                "\(what): the writer's bytes differ at line \(first + 1): \(first < a.count ? a[first] : "(end)") vs \(first < b.count ? b[first] : "(end)")"
            )
        }
    }

    @Test func caseloadJSONEqualsJSONEncoderAtSeveralDates() throws {
        let fx = try CLIFixture(populate: false)
        try SyntheticStore(families: 30, seed: 23).write(to: fx.store, now: fixedNow)
        let store = try Store.open(at: fx.store)
        for asOf in ["2024-03-31", "2025-06-30", "2026-06-30", "2026-10-31"] {
            let (caseload, _) = try store.caseload(asOf: CalendarDate(asOf)!)
            for query in [CaseloadQuery(), CaseloadQuery(flags: [.drift], sort: .overdue, limit: 7)] {
                let result = CaseloadResult(caseload: caseload, query: query, needStaff: false) { _ in [:] }
                Self.same(CaseloadOutput(result), "caseload as of \(asOf)")
            }
            // And the command prints exactly the reference document.
            let r = fx.run(["caseload", "--json", "--as-of", asOf])
            #expect(r.code == 0)
            let result = CaseloadResult(caseload: caseload, query: CaseloadQuery(), needStaff: false) { _ in [:] }
            let reference = String(decoding: CanonicalJSON.referenceDocument(CaseloadOutput(result)), as: UTF8.self)
            #expect(r.out == Output.jsonEscaped(reference), "caseload --json as of \(asOf)")
        }
    }

    @Test func everyStoredDocumentIsWrittenAsJSONEncoderWritesIt() throws {
        let fx = try CLIFixture(populate: false)
        try SyntheticStore(families: 12, seed: 31).write(to: fx.store, now: fixedNow)
        let store = try Store.open(at: fx.store)
        for id in try store.familyIDs() {
            let index = try store.familyIndex(id)
            Self.same(index, "index \(id)")
            Self.same(try store.family(id), "family \(id)")
            for a in index.assessments {
                for v in try store.assessmentVersions(a.id) { Self.same(v, "\(a.id) v\(v.version)") }
            }
            for d in index.allDecisions { Self.same(d, "decision \(d.id)") }
            let entry = try Coding.decode(
                CaseloadEntry.self, from: Data(contentsOf: URL(fileURLWithPath: store.full(Store.caseloadFile(id)))))
            Self.same(entry, "caseload entry \(id)")
        }
    }

    /// The directly written parts of the index and caseload entries, with every optional present and absent,
    /// awkward strings and keys, numbers past the digits written in place and a date outside four-digit years.
    @Test func everyFieldOfTheDirectlyWrittenEntriesIsWrittenAsJSONEncoderWritesIt() {
        var rng = SplitMix64(seed: 43)
        let awkward = ["plain", "a \"q\" \\ /", "tab\there", "é李😀", "\u{1}\u{7F}", "", "Zed", "e\u{301}"]
        for n in 0..<96 {
            func maybe<T>(_ v: @autoclosure () -> T) -> T? { rng.next() % 2 == 0 ? v() : nil }
            func text() -> String { awkward[Int(rng.next() % UInt64(awkward.count))] }
            func number() -> Int { [0, 7, 10, 99, 100, 999, 1000, 9999, 10_000, 123_456, -1, -42][Int(rng.next() % 12)] }
            let day = [CalendarDate("2026-06-09")!, CalendarDate("1999-12-31")!, CalendarDate(dayNumber: -700_000)][n % 3]
            let child = Child(
                id: ChildID(unchecked: "f-a-c1"), name: text(), born: day, expected: maybe(rng.next() % 2 == 0),
                fatherNotRecorded: maybe(FatherNotRecorded(reason: .other, text: maybe(text()))))
            let carer = Carer(
                id: CarerID(unchecked: "f-a-p1"), name: text(), relationship: .mothersPartner,
                children: maybe([ChildRelationship(child: child.id, relationship: .stepfather)]),
                livesWithChildren: rng.next() % 2 == 0, gender: maybe(.female))
            let target = Target(
                linkId: LinkID(n % 2 == 0 ? "physical.nutrition.quality" : "physical"), grade: Grade(rawValue: 2)!,
                reviewBy: day, action: maybe(text()),
                owner: maybe(TargetOwner(kind: .agency, carer: maybe(carer.id), name: maybe(text()))), support: maybe(text()))
            var grades = ["physical": 2, "physical.nutrition": 3, "physical.nutrition.quality": number(), "safety": 1]
            for _ in 0..<Int(rng.next() % 4) { grades[text() + "\(number())"] = number() }
            let summary = ProfileSummary(
                assessmentId: AssessmentID(unchecked: "f-a-a1"), version: number(), childId: child.id, date: day,
                instrument: InstrumentRef(id: text(), version: "1.0.0", digest: Instrument.gcp2Structure.digest),
                grades: grades, targets: maybe([target, target]) ?? [], heard: maybe(.tooYoung), seenAlone: maybe(true))
            let assessment = IndexedAssessment(
                id: AssessmentID(unchecked: "f-a-a1"), version: number(), status: [.final, .draft, .amended][n % 3],
                date: day, carers: maybe([carer.id]) ?? [], profiles: maybe([summary, summary]) ?? [],
                digests: maybe(["1": "x", "10": "y", "2": text()]) ?? [:], unannounced: maybe(number()),
                teams: maybe([text(), text()]), agencies: maybe([.school, .earlyHelp]))
            let first = Decision(
                id: DecisionID(unchecked: "f-a-d1"), familyId: FamilyID(unchecked: "f-a"), date: day,
                level: DecisionLevel.allCases[n % DecisionLevel.allCases.count], reason: text(),
                children: maybe([child.id, ChildID(unchecked: "f-a-c2")]) ?? [])
            let correction = Decision(
                id: DecisionID(unchecked: "f-a-d2"), familyId: FamilyID(unchecked: "f-a"), date: day, level: .closed,
                reason: text(), children: maybe([child.id]) ?? [], supersedes: maybe(first.id))
            let index = FamilyIndex(
                schemaVersion: 2,
                family: IndexedFamily(
                    Family(
                        id: FamilyID(unchecked: "f-a"), ref: text(), children: maybe([child, child]) ?? [],
                        carers: maybe([carer]) ?? [])),
                assessments: [assessment, assessment], familyDigest: maybe("d"),
                decisions: maybe([first, correction].map { IndexedDecision(decision: $0, digest: text()) }))
            Self.same(index, "index \(n)")
            Self.same(first, "decision \(n)")
            Self.same(correction, "correcting decision \(n)")
            Self.same(CaseloadEntry(index: index, instrument: Instrument.gcp2Structure), "caseload entry \(n)")
            Self.same(summary, "profile summary \(n)")
        }
    }

    struct Awkward: Codable {
        var text: String
        var numbers: [Double]
        var ints: [Int64]
        var small: [UInt8]
        var flags: [String: Bool]
        var nothing: Int?
        var empty: [String]
        var emptyObject: [String: Int]
        var nested: [[String: [Int]]]
        var at: Date
    }

    @Test func awkwardValuesAreWrittenAsJSONEncoderWritesThem() {
        var rng = SplitMix64(seed: 41)
        let scalars: [String] = [
            "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "\u{2028}", "é",
            "e\u{301}", "李", "😀", "a", "Z", "_", "-", "1",
        ]
        for _ in 0..<200 {
            func text() -> String {
                (0..<Int(rng.next() % 8)).map { _ in scalars[Int(rng.next() % UInt64(scalars.count))] }.joined()
            }
            let value = Awkward(
                text: text(),
                numbers: [0, -0.0, 0.1, 1e21, 1e-7, 2.5, 123_456_789, Double(Int64(bitPattern: rng.next()) >> 12) / 1024],
                ints: [Int64.min, Int64.max, Int64(bitPattern: rng.next())], small: [0, 255],
                flags: Dictionary(uniqueKeysWithValues: (0..<Int(rng.next() % 6)).map { i in (text() + "\(i)", i % 2 == 0) }),
                nothing: rng.next() % 2 == 0 ? nil : 3, empty: [], emptyObject: [:], nested: [[:], ["k": []], ["k": [1, 2]]],
                at: Date(timeIntervalSince1970: Double(rng.next() % 4_000_000_000)))
            Self.same(value, "awkward value")
        }
    }

    @Test func refusesWhatJSONEncoderMightWriteDifferently() {
        #expect(CanonicalWriter.document([Float(0.1)]) == nil)
        #expect(CanonicalWriter.document([Double.nan]) == nil)
        #expect(CanonicalWriter.document([Date(timeIntervalSince1970: 0.5)]) == nil)
        #expect(CanonicalWriter.document([Data([1, 2])]) == nil)
        // What it refuses is still written, by JSONEncoder.
        #expect(CanonicalJSON.document([Float(0.5)]) == CanonicalJSON.referenceDocument([Float(0.5)]))
    }
}
