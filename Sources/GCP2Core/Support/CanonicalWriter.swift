import Foundation

/// A direct writer of `CanonicalJSON`'s pretty form: the same bytes `JSONEncoder` writes with `.prettyPrinted`,
/// `.sortedKeys`, `.withoutEscapingSlashes` and ISO-8601 dates, for any `Encodable`, without Foundation's boxing.
///
/// It writes what it is sure of and refuses the rest (a `Float`, `Data`, `URL`, `Decimal`, a non-finite `Double`, a
/// date with fractional seconds or outside 1900–2999, `superEncoder`); `CanonicalJSON.document` then encodes with
/// `JSONEncoder`. Tests compare the two byte for byte on every document and output type.
package enum CanonicalWriter {
    /// The document bytes (trailing newline included), or nil when refused.
    package static func document<T: Encodable>(_ value: T) -> [UInt8]? {
        let root = WriterEncoder(codingPath: [], run: WriterRun())
        do {
            try root.encodeValue(value)
        } catch {
            return nil
        }
        if root.run.refused { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        root.slot.write(into: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    /// Thrown for a value the writer will not risk writing differently from `JSONEncoder`.
    struct Refusal: Error {}
}

/// A type that writes its own JSON, byte-equal to its `Encodable` conformance under `CanonicalJSON` (each one
/// tested against `JSONEncoder`), for the large outputs where a tree of values costs too much.
package protocol DirectJSONWritable: Encodable {
    /// Appends the value's JSON, its nested lines indented from `indent`.
    func writeJSON(into out: inout [UInt8], indent: Int)
}

/// The pieces `DirectJSONWritable` values are written with, in `CanonicalJSON`'s pretty form.
package enum DirectJSON {
    package static func string(_ s: String, into out: inout [UInt8]) { WriterEncoder.quote(s, into: &out) }
    package static func int(_ i: Int, into out: inout [UInt8]) {
        guard i >= 0 && i < 10_000 else { return out.append(contentsOf: String(i).utf8) }
        if i >= 1000 { out.append(0x30 + UInt8(i / 1000)) }
        if i >= 100 { out.append(0x30 + UInt8(i / 100 % 10)) }
        if i >= 10 { out.append(0x30 + UInt8(i / 10 % 10)) }
        out.append(0x30 + UInt8(i % 10))
    }
    package static func bool(_ b: Bool, into out: inout [UInt8]) { out.append(contentsOf: b ? "true".utf8 : "false".utf8) }
    /// A date as its `Codable` form writes it: `"YYYY-MM-DD"`.
    package static func date(_ d: CalendarDate, into out: inout [UInt8]) {
        guard (1000...9999).contains(d.year) else { return string(d.description, into: &out) }
        let y = d.year, m = d.month, day = d.day
        out.append(0x22)
        out.append(0x30 + UInt8(y / 1000))
        out.append(0x30 + UInt8(y / 100 % 10))
        out.append(0x30 + UInt8(y / 10 % 10))
        out.append(0x30 + UInt8(y % 10))
        out.append(0x2D)
        out.append(0x30 + UInt8(m / 10))
        out.append(0x30 + UInt8(m % 10))
        out.append(0x2D)
        out.append(0x30 + UInt8(day / 10))
        out.append(0x30 + UInt8(day % 10))
        out.append(0x22)
    }
    package static func spaces(_ n: Int, into out: inout [UInt8]) {
        for _ in 0..<n { out.append(0x20) }
    }

    /// An array of directly written values, as `JSONEncoder` writes it (`[` newline newline `]` when empty).
    package static func array<T: DirectJSONWritable>(_ items: [T], indent: Int, into out: inout [UInt8]) {
        out.append(0x5B)
        out.append(0x0A)
        if items.isEmpty { out.append(0x0A) }
        for (n, item) in items.enumerated() {
            spaces(indent + 2, into: &out)
            item.writeJSON(into: &out, indent: indent + 2)
            if n + 1 < items.count { out.append(0x2C) }
            out.append(0x0A)
        }
        spaces(indent, into: &out)
        out.append(0x5D)
    }

    /// `array(items, indent:into:)`, its items written in two halves on both cores when there are many (a whole
    /// region's caseload lines): the same bytes.
    package static func array<T: DirectJSONWritable & Sendable>(large items: [T], indent: Int, into out: inout [UInt8]) {
        guard items.count >= 4096 else { return array(items, indent: indent, into: &out) }
        out.append(0x5B)
        out.append(0x0A)
        let half = (items.count + 1) / 2
        let parts = ConcurrentResults<[UInt8]>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            var part: [UInt8] = []
            let range = k == 0 ? 0..<half : half..<items.count
            for n in range {
                spaces(indent + 2, into: &part)
                items[n].writeJSON(into: &part, indent: indent + 2)
                if n + 1 < items.count { part.append(0x2C) }
                part.append(0x0A)
                // Room for the rest once the first few show how long an item is.
                if n == range.lowerBound + 63 { part.reserveCapacity(part.count / 64 * range.count * 9 / 8) }
            }
            parts[k] = part
        }
        let first = parts[0] ?? [], second = parts[1] ?? []
        out.reserveCapacity(out.count + first.count + second.count + 4096)
        out += first
        out += second
        spaces(indent, into: &out)
        out.append(0x5D)
    }

    /// An array of values each written by `write`, as `array` writes it.
    package static func array<T>(
        _ items: [T], indent: Int, into out: inout [UInt8], _ write: (T, inout [UInt8]) -> Void
    ) {
        out.append(0x5B)
        out.append(0x0A)
        if items.isEmpty { out.append(0x0A) }
        for (n, item) in items.enumerated() {
            spaces(indent + 2, into: &out)
            write(item, &out)
            if n + 1 < items.count { out.append(0x2C) }
            out.append(0x0A)
        }
        spaces(indent, into: &out)
        out.append(0x5D)
    }

    /// The first sixteen UTF-8 bytes of `s`, big-endian in two integers, zero-padded.
    static func prefix16(_ s: String) -> (UInt64, UInt64) {
        // From the string's bytes in place: two loads when it has sixteen or more (grade ids mostly do).
        let fast = s.utf8.withContiguousStorageIfAvailable { bytes -> (UInt64, UInt64) in
            guard bytes.count >= 16, let base = bytes.baseAddress else { return prefix16(of: bytes) }
            let raw = UnsafeRawPointer(base)
            return (
                UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            )
        }
        return fast ?? prefix16(of: s.utf8)
    }

    /// `prefix16` of a sequence of UTF-8 bytes, a byte at a time.
    static func prefix16<S: Sequence<UInt8>>(of utf8: S) -> (UInt64, UInt64) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var n = 0
        for byte in utf8 {
            if n < 8 {
                high |= UInt64(byte) << (56 - 8 * n)
            } else if n < 16 {
                low |= UInt64(byte) << (56 - 8 * (n - 8))
            } else {
                break
            }
            n += 1
        }
        return (high, low)
    }

    /// An array of strings.
    package static func strings(_ items: [String], indent: Int, into out: inout [UInt8]) {
        array(items, indent: indent, into: &out) { s, out in string(s, into: &out) }
    }

    /// `object` of strings (an index entry's digests), made here for the callers in other modules.
    package static func object(_ members: [String: String], indent: Int, into out: inout [UInt8]) {
        object(members, indent: indent, into: &out) { s, out in string(s, into: &out) }
    }

    /// `object` of integers (a caseload entry's item grades), made here for the callers in other modules.
    package static func object(_ members: [String: Int], indent: Int, into out: inout [UInt8]) {
        object(members, indent: indent, into: &out) { n, out in int(n, into: &out) }
    }

    /// A dictionary keyed by strings, as `JSONEncoder` writes one: keys in the order of their UTF-8 bytes,
    /// `{` newline newline `}` when empty.
    package static func object<V>(
        _ members: [String: V], indent: Int, into out: inout [UInt8], _ write: (V, inout [UInt8]) -> Void
    ) {
        out.append(0x7B)
        out.append(0x0A)
        if members.isEmpty {
            out.append(0x0A)
        } else {
            // By the keys' first sixteen bytes as two integers (zero-padded, which keeps byte order), the whole
            // keys only where those are equal: a profile's grades are three dozen keys.
            let pairs = Array(members)
            let prefixes = pairs.map { prefix16($0.key) }
            let order = pairs.indices.sorted { a, b in
                if prefixes[a] != prefixes[b] { return prefixes[a] < prefixes[b] }
                return WriterObject.compare(pairs[a].key, pairs[b].key) < 0
            }
            writeMembers(order.lazy.map { pairs[$0] }, count: order.count, indent: indent, into: &out, write)
        }
        spaces(indent, into: &out)
        out.append(0x7D)
    }

    /// A table of grades as `object` writes the dictionary it stands for: its ids are already in byte order.
    package static func grades(_ table: GradeTable, indent: Int, into out: inout [UInt8]) {
        out.append(0x7B)
        out.append(0x0A)
        let count = table.count
        if count == 0 {
            out.append(0x0A)
        } else {
            writeMembers(table, count: count, indent: indent, into: &out) { g, out in int(g, into: &out) }
        }
        spaces(indent, into: &out)
        out.append(0x7D)
    }

    /// An object's members in the order given, each on its own line.
    private static func writeMembers<S: Sequence, V>(
        _ sorted: S, count: Int, indent: Int, into out: inout [UInt8], _ write: (V, inout [UInt8]) -> Void
    ) where S.Element == (key: String, value: V) {
        for (n, member) in sorted.enumerated() {
            spaces(indent + 2, into: &out)
            string(member.key, into: &out)
            out.append(0x20)  // ` : `
            out.append(0x3A)
            out.append(0x20)
            write(member.value, &out)
            if n + 1 < count { out.append(0x2C) }
            out.append(0x0A)
        }
    }
}

/// An object being written directly: the caller gives its keys in byte order.
package struct DirectJSONObject {
    let indent: Int
    var first = true

    package init(indent: Int, out: inout [UInt8]) {
        self.indent = indent
        out.append(0x7B)
        out.append(0x0A)
    }

    /// The separator before a member, its indent, `"key" : `.
    package mutating func key(_ key: StaticString, _ out: inout [UInt8]) {
        if !first {
            out.append(0x2C)
            out.append(0x0A)
        }
        first = false
        DirectJSON.spaces(indent + 2, into: &out)
        out.append(0x22)
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(contentsOf: [0x22, 0x20, 0x3A, 0x20])
    }

    package func close(_ out: inout [UInt8]) {
        out.append(0x0A)
        DirectJSON.spaces(indent, into: &out)
        out.append(0x7D)
    }
}

/// One value being built: a literal already written as JSON text, or a container still being filled.
enum WriterSlot {
    case empty
    case literal([UInt8])
    case direct(any DirectJSONWritable)
    case object(WriterObject)
    case array(WriterArray)

    func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .empty:  // `{}` as JSONEncoder writes it
            out.append(0x7B)
            out.append(0x0A)
            out.append(0x0A)
            spaces(indent, into: &out)
            out.append(0x7D)
        case .literal(let bytes): out.append(contentsOf: bytes)
        case .direct(let value): value.writeJSON(into: &out, indent: indent)
        case .object(let o):
            guard !o.keys.isEmpty else { return WriterSlot.empty.write(into: &out, indent: indent) }
            let order = o.writtenOrder()
            out.append(0x7B)
            out.append(0x0A)
            for (n, i) in order.enumerated() {
                spaces(indent + 2, into: &out)
                WriterEncoder.quote(o.keys[i], into: &out)
                out.append(0x20)  // ` : `
                out.append(0x3A)
                out.append(0x20)
                o.values[i].write(into: &out, indent: indent + 2)
                if n + 1 < order.count { out.append(0x2C) }
                out.append(0x0A)
            }
            spaces(indent, into: &out)
            out.append(0x7D)
        case .array(let a):
            out.append(0x5B)
            out.append(0x0A)
            if a.items.isEmpty { out.append(0x0A) }
            for (n, item) in a.items.enumerated() {
                spaces(indent + 2, into: &out)
                item.write(into: &out, indent: indent + 2)
                if n + 1 < a.items.count { out.append(0x2C) }
                out.append(0x0A)
            }
            spaces(indent, into: &out)
            out.append(0x5D)
        }
    }

    private func spaces(_ n: Int, into out: inout [UInt8]) {
        for _ in 0..<n { out.append(0x20) }
    }
}

/// An object being filled: members by key, in the order they were set.
final class WriterObject {
    var keys: [String] = []
    var values: [WriterSlot] = []

    /// Sets a member; a key set again replaces the earlier value when written (as `JSONEncoder` does).
    func set(_ key: String, _ value: WriterSlot) {
        keys.append(key)
        values.append(value)
    }

    /// The value last set for `key`.
    func slot(_ key: String) -> WriterSlot? {
        keys.lastIndex { WriterObject.compare($0, key) == 0 }.map { values[$0] }
    }

    /// The indices of the members to write, in `JSONEncoder`'s order: by the keys' UTF-8 bytes before escaping;
    /// of a key set twice, the later value stands.
    ///
    /// Members mostly arrive in their type's declaration order, a few to a few dozen of them: an insertion sort of
    /// indices, comparing bytes in place, with a check for keys already in order first.
    func writtenOrder() -> [Int] {
        let n = keys.count
        var inOrder = true
        var k = 1
        while k < n {
            if WriterObject.compare(keys[k - 1], keys[k]) >= 0 {
                inOrder = false
                break
            }
            k += 1
        }
        if inOrder { return Array(0..<n) }
        var order = Array(0..<n)
        // Stable: equal keys keep their positions, so the last of a run is the one set last.
        for i in 1..<n {
            let x = order[i]
            var j = i
            while j > 0 && WriterObject.compare(keys[x], keys[order[j - 1]]) < 0 {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = x
        }
        var kept: [Int] = []
        kept.reserveCapacity(n)
        for (m, i) in order.enumerated() {
            if m + 1 < n, WriterObject.compare(keys[order[m + 1]], keys[i]) == 0 { continue }
            kept.append(i)
        }
        return kept
    }

    /// Compares two keys by their UTF-8 bytes: negative, zero or positive.
    static func compare(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Int in
                let common = min(x.count, y.count)
                if common > 0 {
                    let c = memcmp(x.baseAddress!, y.baseAddress!, common)
                    if c != 0 { return Int(c) }
                }
                return x.count - y.count
            }
        }
        if let fast, let result = fast { return result }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}

final class WriterArray {
    var items: [WriterSlot] = []
}

/// What one `document` call shares: whether anything was refused where an error could not be thrown.
final class WriterRun {
    var refused = false
}

/// The `Encoder` of one value: its slot holds what was encoded.
final class WriterEncoder: Encoder {
    let codingPath: [any CodingKey]
    let run: WriterRun
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var slot: WriterSlot = .empty

    init(codingPath: [any CodingKey], run: WriterRun) {
        self.codingPath = codingPath
        self.run = run
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: WriterObject
        if case .object(let o) = slot {
            object = o
        } else {
            object = WriterObject()
            slot = .object(object)
        }
        return KeyedEncodingContainer(WriterKeyed<Key>(object: object, codingPath: codingPath, run: run))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: WriterArray
        if case .array(let a) = slot {
            array = a
        } else {
            array = WriterArray()
            slot = .array(array)
        }
        return WriterUnkeyed(array: array, codingPath: codingPath, run: run)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { WriterSingle(encoder: self) }

    /// Encodes a value into this encoder's slot.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if let literal = try WriterEncoder.literal(value) {
            slot = .literal(literal)
        } else if let direct = value as? any DirectJSONWritable, !(value is String) {
            slot = .direct(direct)
        } else {
            try value.encode(to: self)
        }
    }

    /// The slot of a value encoded on its own, at `path`.
    static func slot<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey], run: WriterRun) throws -> WriterSlot {
        if let literal = try literal(value) { return .literal(literal) }
        if let direct = value as? any DirectJSONWritable { return .direct(direct) }
        let e = WriterEncoder(codingPath: path(), run: run)
        try value.encode(to: e)
        return e.slot
    }

    /// The JSON text of a primitive (or a type `JSONEncoder` treats specially), nil for anything else.
    static func literal<T: Encodable>(_ value: T) throws -> [UInt8]? {
        switch value {
        case let s as String: return quoted(s)
        case let i as Int: return Array(String(i).utf8)
        case let b as Bool: return Array((b ? "true" : "false").utf8)
        case let d as Double: return try double(d)
        case let d as Date: return try date(d)
        case let i as any BinaryInteger: return Array("\(i)".utf8)
        case is Float, is Data, is URL, is Decimal: throw CanonicalWriter.Refusal()
        default: return nil
        }
    }

    /// A `Double` as `JSONEncoder` writes it: Swift's shortest form without a trailing `.0`.
    static func double(_ d: Double) throws -> [UInt8] {
        guard d.isFinite else { throw CanonicalWriter.Refusal() }
        var text = d.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return Array(text.utf8)
    }

    /// An ISO-8601 whole-second UTC timestamp, `YYYY-MM-DDTHH:MM:SSZ`.
    static func date(_ date: Date) throws -> [UInt8] {
        let t = date.timeIntervalSince1970
        guard t == t.rounded(.down), abs(t) < 1e12 else { throw CanonicalWriter.Refusal() }
        let seconds = Int(t)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let day = CalendarDate(dayNumber: days)
        guard (1900...2999).contains(day.year) else { throw CanonicalWriter.Refusal() }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return quoted("\(day)T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z")
    }

    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

    /// A JSON string as `JSONEncoder` writes it: `"` and `\` escaped, `\b \f \n \r \t`, other C0 controls as
    /// `\u00xx`, everything else (slashes, DEL, non-ASCII) as it is.
    static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        quote(s, into: &out)
        return out
    }

    /// Appends `s` as `quoted` writes it.
    static func quote(_ s: String, into out: inout [UInt8]) {
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C { return false }
            out.append(0x22)
            out.append(contentsOf: bytes)
            out.append(0x22)
            return true
        }
        if plain == true { return }
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20: out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigit(b >> 4), hexDigit(b & 15)])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}

struct WriterKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: WriterObject
    let codingPath: [any CodingKey]
    let run: WriterRun

    mutating func encodeNil(forKey key: Key) { object.set(key.stringValue, .literal(Array("null".utf8))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try WriterEncoder.slot(value, path: codingPath + [key], run: run))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let e = WriterEncoder(codingPath: codingPath + [key], run: run)
        if let existing = object.slot(key.stringValue) { e.slot = existing }
        let c = e.container(keyedBy: keyType)
        object.set(key.stringValue, e.slot)
        return c
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let e = WriterEncoder(codingPath: codingPath + [key], run: run)
        if let existing = object.slot(key.stringValue) { e.slot = existing }
        let c = e.unkeyedContainer()
        object.set(key.stringValue, e.slot)
        return c
    }

    mutating func superEncoder() -> any Encoder { refusing() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { refusing() }

    func refusing() -> any Encoder {
        run.refused = true
        return WriterEncoder(codingPath: codingPath, run: run)
    }
}

struct WriterUnkeyed: UnkeyedEncodingContainer {
    let array: WriterArray
    let codingPath: [any CodingKey]
    let run: WriterRun
    var count: Int { array.items.count }

    mutating func encodeNil() { array.items.append(.literal(Array("null".utf8))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try WriterEncoder.slot(value, path: codingPath + [IndexKey(count)], run: run))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let e = WriterEncoder(codingPath: codingPath + [IndexKey(count)], run: run)
        let c = e.container(keyedBy: keyType)
        array.items.append(e.slot)
        return c
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let e = WriterEncoder(codingPath: codingPath + [IndexKey(count)], run: run)
        let c = e.unkeyedContainer()
        array.items.append(e.slot)
        return c
    }

    mutating func superEncoder() -> any Encoder {
        run.refused = true
        return WriterEncoder(codingPath: codingPath, run: run)
    }
}

struct WriterSingle: SingleValueEncodingContainer {
    let encoder: WriterEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    mutating func encodeNil() { encoder.slot = .literal(Array("null".utf8)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}

/// The coding key of an array element (`Index 3`), as Foundation's coders name it in a coding path.
package struct IndexKey: CodingKey {
    package var intValue: Int?
    package var stringValue: String { "Index \(intValue!)" }
    package init(_ i: Int) { intValue = i }
    package init?(stringValue: String) { nil }
    package init?(intValue: Int) { self.intValue = intValue }
}
