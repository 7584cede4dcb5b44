/// Confirmed grades by link id (areas, sub-areas, graded items): a profile summary's grades.
///
/// Kept as two parallel arrays, the ids sorted by their UTF-8 bytes (the order canonical JSON writes them in), not
/// as a hashed dictionary. Many summaries can share one list of ids (every summary the caseload reads from one
/// instrument's entries does), each with its own grades, an id without a grade holding nil: the
/// reviews then find an area's grade by its position, found once per list (`GradeLookup`), and the writers never
/// sort. Equality, iteration, `count` and the `Codable` form see only the ids that have a grade: a table is the
/// dictionary it stands for.
public struct GradeTable: Sendable, Codable, ExpressibleByDictionaryLiteral, Sequence {
    /// The ids, sorted by UTF-8 bytes, each once; possibly shared by many tables.
    package let list: IdList
    /// The grade of `list.ids[k]`, nil where this table has none (any `Int` is a grade the dictionary could hold).
    package private(set) var values: [Int?]

    /// A list of link ids a grade table is over, sorted by UTF-8 bytes, each once (by Swift's equality of strings).
    package final class IdList: Sendable {
        package let ids: [String]
        /// Every id is ASCII: then byte equality is string equality, and a lookup can search by bytes.
        let ascii: Bool

        /// `ids` must be sorted by UTF-8 bytes and hold no two equal strings.
        package convenience init(sorted ids: [String]) {
            self.init(sorted: ids, ascii: ids.allSatisfy(GradeTable.isASCII))
        }

        init(sorted ids: [String], ascii: Bool) {
            self.ids = ids
            self.ascii = ascii
        }
    }

    /// The table of `grades`.
    public init(_ grades: [String: Int]) {
        self.init(sorting: grades.map { ($0.key, $0.value) }, unique: true)
    }

    /// The table of `pairs` as a dictionary built from them in order would hold them: where an id comes twice, the
    /// later grade counts.
    package init(_ pairs: [(String, Int)]) {
        self.init(sorting: pairs, unique: false)
    }

    /// `init(_ pairs:)`, reusing `memo`'s sort when the ids are the last ones sorted with it, byte for byte and in
    /// the same order (a family's profiles mostly grade the same levels and items): the same ids and grades, the
    /// tables then sharing one list of ids.
    package init(_ pairs: [(String, Int)], memo: GradeSortMemo) {
        if let list = memo.list, memo.key.count == pairs.count,
            zip(memo.key, pairs).allSatisfy({ GradeTable.compare($0, $1.0) == 0 })
        {
            self.init(list: list, values: memo.sources.map { pairs[$0].1 })
            return
        }
        // Only ASCII ids are remembered: for them equal bytes are equal strings (as `init(sorting:unique:)` relies on).
        guard pairs.allSatisfy({ GradeTable.isASCII($0.0) }) else {
            self.init(sorting: pairs, unique: false)
            return
        }
        let (ids, sources) = GradeTable.sortedSources(pairs, unique: false)
        let list = IdList(sorted: ids, ascii: true)
        memo.key = pairs.map(\.0)
        memo.list = list
        memo.sources = sources
        self.init(list: list, values: sources.map { pairs[$0].1 })
    }

    /// Sorts by the ids' first sixteen bytes as integers, by whole ids only where those are equal (a profile's
    /// grades are three dozen ids); keeps the last of ids with equal bytes. Ids that are equal strings with different
    /// bytes (not ASCII) are found by a dictionary instead.
    private init(sorting given: [(String, Int)], unique: Bool) {
        let ascii = given.allSatisfy { GradeTable.isASCII($0.0) }
        var pairs = given
        if !unique && !ascii {
            var d: [String: Int] = [:]
            for (id, g) in given { d[id] = g }
            pairs = d.map { ($0.key, $0.value) }
        }
        let (ids, values) = GradeTable.sorted(pairs, unique: unique || !ascii)
        self.init(list: IdList(sorted: ids, ascii: ascii), values: values)
    }

    /// `unique`: no two ids are equal strings; otherwise every id is ASCII, so equal ids have equal bytes and
    /// are next to each other once sorted.
    private static func sorted(_ pairs: [(String, Int)], unique: Bool) -> ([String], [Int?]) {
        let (ids, sources) = sortedSources(pairs, unique: unique)
        return (ids, sources.map { pairs[$0].1 })
    }

    /// `sorted`, with the index in `pairs` each grade comes from in place of the grade.
    private static func sortedSources(_ pairs: [(String, Int)], unique: Bool) -> ([String], [Int]) {
        let prefixes = pairs.map { DirectJSON.prefix16($0.0) }
        let order = pairs.indices.sorted { a, b in
            if prefixes[a] != prefixes[b] { return prefixes[a] < prefixes[b] }
            let c = compare(pairs[a].0, pairs[b].0)
            return c != 0 ? c < 0 : a < b
        }
        var ids: [String] = []
        var sources: [Int] = []
        ids.reserveCapacity(pairs.count)
        sources.reserveCapacity(pairs.count)
        var lastPrefix: (UInt64, UInt64)?
        for k in order {
            if !unique, let last = ids.last, let p = lastPrefix, p == prefixes[k], compare(last, pairs[k].0) == 0 {
                sources[sources.count - 1] = k
            } else {
                ids.append(pairs[k].0)
                sources.append(k)
                lastPrefix = prefixes[k]
            }
        }
        return (ids, sources)
    }

    public init(dictionaryLiteral elements: (String, Int)...) {
        self.init(Dictionary(elements) { _, last in last })
    }

    /// A table over a shared list of ids: `values[k]` is the grade of `list.ids[k]`, nil for none.
    package init(list: IdList, values: [Int?]) {
        precondition(list.ids.count == values.count, "a grade table needs one value per id")
        self.list = list
        self.values = values
    }

    /// The ids of the list the table is over (some may have no grade here).
    package var ids: [String] { list.ids }

    /// The grade recorded for `id`, if any.
    public subscript(id: String) -> Int? {
        guard let k = position(of: id) else { return nil }
        return values[k]
    }

    /// The grade here of each of `wanted`'s ids in its order, nil where there is none: `wanted.ids.map { self[$0] }`,
    /// found by walking the two sorted lists side by side when both are ASCII (many ids looked up in one table).
    package func values(along wanted: IdList) -> [Int?] {
        if wanted === list { return values }
        guard list.ascii, wanted.ascii else { return wanted.ids.map { self[$0] } }
        let ids = list.ids
        var out = [Int?](repeating: nil, count: wanted.ids.count)
        var j = 0
        for (k, id) in wanted.ids.enumerated() {
            while j < ids.count {
                let c = GradeTable.compare(ids[j], id)
                if c < 0 {
                    j += 1
                    continue
                }
                if c == 0 { out[k] = values[j] }
                break
            }
        }
        return out
    }

    /// Where `id` is in the list (whether or not it has a grade here), found as `[String: Int]` would find it.
    package func position(of id: String) -> Int? {
        let ids = list.ids
        // Not all ASCII: a string can equal another with different bytes (`é` precomposed or not, the Kelvin
        // sign and `K`), so each id is compared as a string.
        guard list.ascii, GradeTable.isASCII(id) else { return ids.firstIndex(of: id) }
        var low = 0, high = ids.count
        while low < high {
            let mid = (low + high) / 2
            let c = GradeTable.compare(ids[mid], id)
            if c == 0 { return mid }
            if c < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// The ids with a grade, in byte order.
    public var keys: [String] { zip(list.ids, values).filter { $0.1 != nil }.map(\.0) }
    /// How many ids have a grade.
    public var count: Int { values.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    public var isEmpty: Bool { !values.contains { $0 != nil } }
    /// The same grades as a dictionary.
    public var dictionary: [String: Int] {
        var d = [String: Int](minimumCapacity: values.count)
        for (id, v) in self { d[id] = v }
        return d
    }

    /// Each id with a grade and its grade, in byte order of the ids.
    public func makeIterator() -> Iterator { Iterator(table: self) }

    public struct Iterator: IteratorProtocol {
        let table: GradeTable
        var k = 0
        public mutating func next() -> (key: String, value: Int)? {
            while k < table.values.count {
                defer { k += 1 }
                if let v = table.values[k] { return (table.list.ids[k], v) }
            }
            return nil
        }
    }

    /// UTF-8 byte order, as canonical JSON sorts keys.
    static func compare(_ a: String, _ b: String) -> Int { WriterObject.compare(a, b) }

    static func isASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }

    // MARK: Codable: an object of id to grade, exactly as `[String: Int]` codes.

    public init(from decoder: any Decoder) throws {
        self.init(try [String: Int](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try dictionary.encode(to: encoder)
    }
}

extension GradeTable: Equatable {
    /// Equal when the same ids have the same grades, however the ids are shared.
    public static func == (a: GradeTable, b: GradeTable) -> Bool {
        if a.list === b.list { return a.values == b.values }
        guard a.list.ascii && b.list.ascii else { return a.dictionary == b.dictionary }
        return a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension GradeTable: CustomStringConvertible {
    public var description: String { dictionary.description }
}

/// Finds the same ids (an instrument's areas, say) in many grade tables: their positions are found once for each
/// list of ids the tables share, then every table's grades are read by position.
///
/// Holds the list it last searched, so the list cannot be freed and another made at its address while the
/// positions are kept.
package struct GradeLookup {
    let wanted: [String]
    private var list: GradeTable.IdList?
    private var positions: [Int] = []

    package init(_ wanted: [String]) { self.wanted = wanted }

    /// The grade of each wanted id in `table`, nil where it has none (or one out of the grade scale).
    package mutating func grades(_ table: GradeTable) -> [Grade?] {
        if list !== table.list {
            list = table.list
            positions = wanted.map { table.position(of: $0) ?? -1 }
        }
        return positions.map { k in k < 0 ? nil : table.values[k].flatMap(Grade.init(rawValue:)) }
    }
}

/// The last sort of a profile's ids, for `GradeTable.init(_:memo:)`: one per thread of work (it is not locked).
package final class GradeSortMemo {
    var key: [String] = []
    var list: GradeTable.IdList?
    var sources: [Int] = []

    package init() {}
}
