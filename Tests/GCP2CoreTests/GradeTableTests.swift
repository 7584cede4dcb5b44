import Foundation
import TestSupport
import Testing

@testable import GCP2Core

/// A grade table is the dictionary it stands for, whether its ids are its own or a shared list with gaps: the same
/// lookups, equality, iteration order (UTF-8 bytes) and JSON; and a lookup by position reads what a lookup by id reads.
@Suite struct GradeTableTests {
    /// Ids that sort differently by bytes than by length or case, with non-ASCII and a prefix of another.
    static let universe = ["physical", "physical.1", "physical.10", "physical.2", "Safety", "safety", "é", "e\u{301}", "z"]

    /// Random dictionaries over `universe`, each also as a table over the whole (shared) list with gaps.
    static func samples(_ n: Int) -> [([String: Int], GradeTable)] {
        var rng = SplitMix64(seed: 11)
        let shared = GradeTable(Dictionary(universe.map { ($0, 0) }) { a, _ in a }).list
        return (0..<n).map { _ in
            var d: [String: Int] = [:]
            // Keys spelt as the shared list spells them (`é` and `e\u{301}` are one key to a dictionary).
            // Grades out of the scale too: a hand-edited index entry can hold any integer.
            let odd = [Int.min, Int.max, 0, -1, 10_000]
            for id in shared.ids where rng.next() % 2 == 0 {
                d[id] = rng.next() % 5 == 0 ? odd[Int(rng.next() % 5)] : Int(rng.next() % 7) - 1
            }
            let values = shared.ids.map { d[$0] }
            return (d, GradeTable(list: shared, values: values))
        }
    }

    @Test func aTableReadsAsItsDictionary() throws {
        for (d, sharedForm) in GradeTableTests.samples(300) {
            let own = GradeTable(d)
            for t in [own, sharedForm] {
                for id in GradeTableTests.universe + ["", "physical.3", "zz"] { #expect(t[id] == d[id], "\(id) in \(d)") }
                #expect(t.dictionary == d)
                #expect(t.count == d.count)
                #expect(t.isEmpty == d.isEmpty)
                #expect(Set(t.keys) == Set(d.keys))
                // Iteration in byte order of the ids, as canonical JSON writes keys.
                let ids = t.map(\.key)
                #expect(ids == d.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            }
            #expect(own == sharedForm)
            #expect((GradeTable(d) == GradeTable(d.merging(["zz": 1]) { a, _ in a })) == (d["zz"] == 1))
        }
    }

    /// Many ids looked up at once (`values(along:)`, the caseload entry's grade string) find what one lookup each
    /// finds: ASCII lists walked side by side, non-ASCII ones (either side) by lookups, the table's own list as is.
    @Test func manyLookupsAlongASortedListFindWhatEachLookupFinds() throws {
        let long = ["physical.hygiene.overall", "physical.hygiene.overalls", "physical.hygiene.a", "safety.home.b"]
        let lists = [
            GradeTableTests.universe, GradeTableTests.universe.filter(GradeTable.isASCII), long, long + ["e\u{301}x"],
            ["physical", "zz", ""], [],
        ].map { GradeTable(Dictionary($0.map { ($0, 0) }) { a, _ in a }).list }
        var rng = SplitMix64(seed: 17)
        let pool = GradeTableTests.universe + long + ["e\u{301}x", "éx", "zz", ""]
        for (d, sharedForm) in GradeTableTests.samples(100) {
            var more = d
            for id in pool where rng.next() % 3 == 0 { more[id] = Int(rng.next() % 5) + 1 }
            for t in [GradeTable(d), sharedForm, GradeTable(more)] {
                for wanted in lists + [t.list] {
                    #expect(t.values(along: wanted) == wanted.ids.map { t[$0] }, "\(wanted.ids) in \(t.dictionary)")
                }
            }
        }
    }

    /// A table built reusing a memo of the last sort holds what one built on its own holds — ids, grades, lookups,
    /// JSON — whether the ids repeat the last ones (grades changed), differ in order, repeat an id, or are not ASCII.
    @Test func tablesSortedWithAMemoAreTheTablesSortedAlone() {
        var rng = SplitMix64(seed: 29)
        let ids = GradeTableTests.universe + ["physical.hygiene.overall", "physical.hygiene.overalls", "physical.hygiene.a"]
        let memo = GradeSortMemo()
        var last: [(String, Int)] = []
        for round in 0..<600 {
            var pairs: [(String, Int)]
            switch rng.next() % 4 {
            case 0,
                1 where !last.isEmpty:
                // The last ids again, with other grades (or in another order).
                pairs = last.map { ($0.0, Int(rng.next() % 5) + 1) }
                if round % 5 == 0 { pairs.reverse() }
            default:
                let pool = round % 3 == 0 ? ids : ids.filter(GradeTable.isASCII)
                pairs = (0..<Int(rng.next() % 12)).map { _ in
                    (pool[Int(rng.next() % UInt64(pool.count))], Int(rng.next() % 5) + 1)
                }
            }
            last = pairs
            let alone = GradeTable(pairs)
            let remembered = GradeTable(pairs, memo: memo)
            #expect(remembered == alone, "\(pairs)")
            #expect(remembered.ids == alone.ids, "\(pairs)")
            #expect(remembered.map(\.key) == alone.map(\.key) && remembered.map(\.value) == alone.map(\.value))
            for id in ids { #expect(remembered[id] == alone[id], "\(id) in \(pairs)") }
            var a: [UInt8] = []
            var b: [UInt8] = []
            DirectJSON.grades(remembered, indent: 2, into: &a)
            DirectJSON.grades(alone, indent: 2, into: &b)
            #expect(a == b, "\(pairs)")
        }
    }

    /// The sort key of ids and keys: their first sixteen bytes, big-endian, zero-padded, however long the text.
    @Test func theSixteenByteSortKeyIsTheFirstSixteenBytes() {
        for text in [
            "", "a", "physical", "physical.nutrit", "physical.nutriti", "physical.nutrition", "é李😀xxxxxxxxxxxx", "\u{0}z",
        ] {
            var bytes = Array(text.utf8.prefix(16))
            bytes += [UInt8](repeating: 0, count: 16 - bytes.count)
            let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let key = DirectJSON.prefix16(text)
            #expect(key.0 == high && key.1 == low, "\(text)")
            // A substring (not native contiguous storage of its own) gives the same.
            let sub = ("-" + text).dropFirst()
            let viaSequence = DirectJSON.prefix16(of: sub.utf8)
            #expect(viaSequence.0 == high && viaSequence.1 == low, "\(text)")
        }
    }

    /// Built from pairs (an assessment's levels, then its items), a table holds what a dictionary filled in the same
    /// order holds: the later grade of an id given twice, even when the two spell it with different bytes.
    @Test func fromPairsAsADictionaryFilledInOrder() {
        var rng = SplitMix64(seed: 5)
        let ids = GradeTableTests.universe + ["physical.hygiene.overall", "physical.hygiene.overalls", "physical.hygiene.a"]
        for round in 0..<400 {
            // Every other round ASCII ids only (the sorted path), else any (the dictionary path).
            let pool = round % 2 == 0 ? ids.filter(GradeTable.isASCII) : ids
            let pairs = (0..<Int(rng.next() % 12)).map { _ in
                (pool[Int(rng.next() % UInt64(pool.count))], Int(rng.next() % 5) + 1)
            }
            var d: [String: Int] = [:]
            for (id, g) in pairs { d[id] = g }
            let t = GradeTable(pairs)
            #expect(t.dictionary == d, "\(pairs)")
            #expect(t == GradeTable(d))
            #expect(t.map(\.key) == GradeTable(d).map(\.key))
        }
    }

    @Test func equalityComparesGradesNotStorage() {
        let samples = GradeTableTests.samples(60)
        for (a, ta) in samples {
            for (b, tb) in samples.prefix(20) {
                #expect((ta == tb) == (a == b))
                #expect((GradeTable(a) == tb) == (a == b))
            }
        }
    }

    @Test func codesExactlyAsTheDictionary() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        for (d, t) in GradeTableTests.samples(100) {
            let asTable = try encoder.encode(t)
            #expect(asTable == (try encoder.encode(d)))
            #expect(try JSONDecoder().decode(GradeTable.self, from: asTable) == t)
            // The canonical writer's direct path writes the same bytes, without sorting.
            var out: [UInt8] = []
            DirectJSON.grades(t, indent: 0, into: &out)
            var reference: [UInt8] = []
            DirectJSON.object(d, indent: 0, into: &reference) { g, out in DirectJSON.int(g, into: &out) }
            #expect(out == reference)
        }
    }

    @Test func lookupByPositionReadsWhatLookupByIdReads() throws {
        let wanted = ["safety", "physical", "missing", "é"]
        var lookup = GradeLookup(wanted)
        let samples = GradeTableTests.samples(200)
        // Alternate shared and own lists, so the positions are found again whenever the list changes.
        for (k, (d, sharedForm)) in samples.enumerated() {
            let t = k % 3 == 0 ? GradeTable(d) : sharedForm
            #expect(lookup.grades(t) == wanted.map { id in t[id].flatMap(Grade.init(rawValue:)) })
        }
    }

    @Test func anEmptyTable() {
        let t: GradeTable = [:]
        #expect(t.isEmpty && t.count == 0 && t["physical"] == nil && t == GradeTable([:]))
        var lookup = GradeLookup(["physical"])
        #expect(lookup.grades(t) == [nil])
    }
}
