import Foundation
import GCP2Core

/// A `Swift.Decoder` over the strict reader's tape: every `Codable` document type decodes through it unchanged,
/// with `JSONDecoder` (`Coding.decoder()`) kept as the reference it must agree with.
///
/// It decodes exactly what it is sure `JSONDecoder` (ISO-8601 dates, default keys) decodes to the same value, and
/// refuses the rest: a non-strict text (duplicate keys, trailing commas), a number not written as a plain integer
/// where an integer is asked for, a date not in the `YYYY-MM-DDTHH:MM:SSZ` form, `Data`, `URL`, `Decimal`. A refusal
/// or any decoding error returns nil from `decode(_:from:)`, and the caller decodes with `JSONDecoder`, whose
/// errors (file and JSON path) are the ones shown. A refusal poisons the whole decode, so a type that swallows an
/// error with `try?` cannot take a different branch here than under `JSONDecoder`.
struct TapeDecoder {
    /// The value, or nil when the fast path refuses or finds an error (decode with `JSONDecoder` then).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) -> T? {
        decode(T.self, from: ParsedDocument(data))
    }

    /// The value from a document already parsed (for its version probe, say); nil as above.
    static func decode<T: Decodable>(_ type: T.Type, from document: ParsedDocument) -> T? {
        guard let state = document.state else { return nil }
        state.refused = false
        do {
            let value = try state.decode(T.self, at: 0)
            return state.refused ? nil : value
        } catch {
            return nil
        }
    }

    /// Thrown where `JSONDecoder` might decide differently; marks the whole decode as refused.
    struct Refusal: Error {}
}

/// A document's bytes and the strict reader's parse of them (nil when they are not strict JSON), made once for
/// the version probe and the decode. Used by one thread at a time.
struct ParsedDocument {
    let data: Data
    let state: TapeState?

    init(_ data: Data) {
        self.data = data
        guard data.count < JSONTape.maxBytes else {
            state = nil
            return
        }
        state = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> TapeState? in
            guard let tape = try? JSONTape.parse(raw) else { return nil }
            return TapeState(bytes: raw, tokens: tape.tokens)
        }
    }
}

/// The parsed document a decode walks: its bytes (copied), tokens, and whether anything was refused.
final class TapeState {
    let bytes: UnsafeMutableRawBufferPointer
    let tokens: [JSONTape.Token]
    var refused = false

    init(bytes raw: UnsafeRawBufferPointer, tokens: [JSONTape.Token]) {
        bytes = .allocate(byteCount: max(raw.count, 1), alignment: 1)
        if raw.count > 0 { bytes.copyMemory(from: raw) }
        self.tokens = tokens
    }
    deinit { bytes.deallocate() }

    var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(bytes) }

    func refuse() -> TapeDecoder.Refusal {
        refused = true
        return TapeDecoder.Refusal()
    }

    func kindName(_ i: Int) -> String {
        switch tokens[i].kind {
        case .object: "a dictionary"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "a bool"
        case .null: "null"
        }
    }

    func mismatch<T>(_ type: T.Type, at i: Int) -> DecodingError {
        if tokens[i].kind == .null {
            return .valueNotFound(
                type, .init(codingPath: path(to: i), debugDescription: "Expected \(type) value but found null instead."))
        }
        return .typeMismatch(
            type,
            .init(codingPath: path(to: i), debugDescription: "Expected to decode \(type) but found \(kindName(i)) instead."))
    }

    /// The coding path of the value at token `target`: the keys and indices from the root down to it.
    ///
    /// Decoders and containers keep only their token, and the path is found from the tape when an error needs it,
    /// so decoding builds no path at all. (The key of an object member is the token just before its value.)
    func path(to target: Int) -> [any CodingKey] {
        var out: [any CodingKey] = []
        var i = 0
        while i < target {
            let t = tokens[i]
            var k = i + 1
            var found = false
            switch t.kind {
            case .object:
                for _ in 0..<Int(t.count) {
                    let v = k + 1
                    let end = Int(tokens[v].next)
                    if target >= v && target < end {
                        out.append(TapeKey(stringValue: JSONTape.string(tokens[k], in: raw)))
                        i = v
                        found = true
                        break
                    }
                    k = end
                }
            case .array:
                for n in 0..<Int(t.count) {
                    let end = Int(tokens[k].next)
                    if target >= k && target < end {
                        out.append(IndexKey(n))
                        i = k
                        found = true
                        break
                    }
                    k = end
                }
            default: break
            }
            if !found { break }
        }
        return out
    }

    // MARK: Values

    func decode<T: Decodable>(_ type: T.Type, at i: Int) throws -> T {
        // The primitives and the types `JSONDecoder` treats specially, before any generic `init(from:)`.
        if T.self == String.self { return try string(at: i) as! T }
        if T.self == Int.self { return try integer(Int.self, at: i) as! T }
        if T.self == Bool.self { return try bool(at: i) as! T }
        if T.self == Date.self { return try date(at: i) as! T }
        if T.self == Double.self { return try double(at: i) as! T }
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self { throw refuse() }
        return try T(from: TapeValueDecoder(state: self, index: i))
    }

    func string(at i: Int) throws -> String {
        let t = tokens[i]
        guard t.kind == .string else { throw mismatch(String.self, at: i) }
        return JSONTape.string(t, in: raw)
    }

    func bool(at i: Int) throws -> Bool {
        switch tokens[i].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, at: i)
        }
    }

    /// An integer written as one (`12`, `-3`); a fraction or exponent, or a value out of range, is refused.
    func integer<T: FixedWidthInteger>(_ type: T.Type, at i: Int) throws -> T {
        let t = tokens[i]
        guard t.kind == .number else { throw mismatch(T.self, at: i) }
        guard t.flags & JSONTape.Token.integer != 0 else { throw refuse() }
        var k = Int(t.start)
        let negative = raw[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        // Up to 18 digits cannot overflow an Int64; a longer integer is refused (JSONDecoder decides it).
        guard Int(t.end) - k <= 18 else { throw refuse() }
        var v: Int64 = 0
        while k < Int(t.end) {
            v = v * 10 + Int64(raw[k] - 0x30)
            k += 1
        }
        if negative { v = -v }
        guard let out = T(exactly: v) else { throw refuse() }
        return out
    }

    func double(at i: Int) throws -> Double {
        let t = tokens[i]
        guard t.kind == .number else { throw mismatch(Double.self, at: i) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: raw[Int(t.start)..<Int(t.end)]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw refuse() }
        return d
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (what the store writes, whole seconds, UTC, years 1900–2999); any other form is refused.
    func date(at i: Int) throws -> Date {
        let t = tokens[i]
        guard t.kind == .string else { throw mismatch(Date.self, at: i) }
        guard t.flags == 0, let date = TapeState.storeDate(UnsafeRawBufferPointer(rebasing: raw[Int(t.start)..<Int(t.end)]))
        else { throw refuse() }
        return date
    }

    /// The time in `text` (a string's bytes, without escapes) if it is in the form the store writes,
    /// `YYYY-MM-DDTHH:MM:SSZ`; nil for any other form (which `JSONDecoder` decides).
    static func storeDate(_ text: UnsafeRawBufferPointer) -> Date? {
        guard text.count == 20 else { return nil }
        func digits(_ from: Int) -> Int? {
            let a = text[from]
            let b = text[from + 1]
            guard a >= 0x30, a <= 0x39, b >= 0x30, b <= 0x39 else { return nil }
            return Int(a - 0x30) * 10 + Int(b - 0x30)
        }
        let day = CalendarDate(String(decoding: UnsafeRawBufferPointer(rebasing: text[0..<10]), as: UTF8.self))
        guard let day, text[10] == UInt8(ascii: "T"), let hour = digits(11), text[13] == UInt8(ascii: ":"),
            let minute = digits(14), text[16] == UInt8(ascii: ":"), let second = digits(17), text[19] == UInt8(ascii: "Z"),
            hour < 24, minute < 60, second < 60
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// The value token of `key` in the object at `i`, nil when absent.
    func member(_ key: some CodingKey, in i: Int) -> Int? {
        let name = key.stringValue
        // An ASCII key is compared in place with each plain key of the object; any other is compared as Swift
        // compares strings (canonically), as `JSONDecoder`'s dictionary of keys does.
        let found = name.utf8.withContiguousStorageIfAvailable { utf8 -> Int?? in
            var ascii = true
            for b in utf8 where b >= 0x80 {
                ascii = false
                break
            }
            guard ascii else { return .some(nil) }
            return .some(plainMember(utf8, name, in: i))
        }
        if let found, let result = found { return result }
        return slowMember(name, in: i)
    }

    /// The value token of the ASCII key `key` in the object at `i`, nil when absent.
    func member(_ key: StaticString, in i: Int) -> Int? {
        plainMember(
            UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), key.description, in: i)
    }

    /// `member` for an ASCII key given as bytes (and as a string, for an object's escaped or non-ASCII keys).
    private func plainMember(_ utf8: UnsafeBufferPointer<UInt8>, _ name: @autoclosure () -> String, in i: Int) -> Int? {
        let count = Int(tokens[i].count)
        let base = raw.baseAddress!
        var k = i + 1
        for _ in 0..<count {
            let t = tokens[k]
            if t.flags == 0 {
                if Int(t.end - t.start) == utf8.count
                    && (utf8.isEmpty || memcmp(base + Int(t.start), utf8.baseAddress!, utf8.count) == 0)
                {
                    return k + 1
                }
            } else if JSONTape.string(t, in: raw) == name() {
                return k + 1
            }
            k = Int(tokens[k + 1].next)
        }
        return nil
    }

    /// `member` comparing every key as a Swift string.
    private func slowMember(_ name: String, in i: Int) -> Int? {
        let count = Int(tokens[i].count)
        var k = i + 1
        for _ in 0..<count {
            if JSONTape.string(tokens[k], in: raw) == name { return k + 1 }
            k = Int(tokens[k + 1].next)
        }
        return nil
    }
}

/// A key of the coding path found from the tape (an object member's name).
struct TapeKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One value of the document seen as a `Decoder`; its coding path is found from the tape when asked for.
struct TapeValueDecoder: Decoder {
    let state: TapeState
    let index: Int
    var codingPath: [any CodingKey] { state.path(to: index) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard state.tokens[index].kind == .object else {
            throw state.mismatch([String: Any].self, at: index)
        }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(state: state, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard state.tokens[index].kind == .array else { throw state.mismatch([Any].self, at: index) }
        return TapeUnkeyedContainer(state: state, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}

extension TapeValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { state.tokens[index].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try state.bool(at: index) }
    func decode(_ type: String.Type) throws -> String { try state.string(at: index) }
    func decode(_ type: Double.Type) throws -> Double { try state.double(at: index) }
    func decode(_ type: Float.Type) throws -> Float { throw state.refuse() }
    func decode(_ type: Int.Type) throws -> Int { try state.integer(Int.self, at: index) }
    func decode(_ type: Int8.Type) throws -> Int8 { try state.integer(Int8.self, at: index) }
    func decode(_ type: Int16.Type) throws -> Int16 { try state.integer(Int16.self, at: index) }
    func decode(_ type: Int32.Type) throws -> Int32 { try state.integer(Int32.self, at: index) }
    func decode(_ type: Int64.Type) throws -> Int64 { try state.integer(Int64.self, at: index) }
    func decode(_ type: UInt.Type) throws -> UInt { try state.integer(UInt.self, at: index) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try state.integer(UInt8.self, at: index) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try state.integer(UInt16.self, at: index) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try state.integer(UInt32.self, at: index) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try state.integer(UInt64.self, at: index) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try state.decode(T.self, at: index) }
}

/// An object's members by key.
struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: TapeState
    let object: Int
    var codingPath: [any CodingKey] { state.path(to: object) }

    var allKeys: [Key] {
        var keys: [Key] = []
        var k = object + 1
        for _ in 0..<state.tokens[object].count {
            if let key = Key(stringValue: JSONTape.string(state.tokens[k], in: state.raw)) { keys.append(key) }
            k = Int(state.tokens[k + 1].next)
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { state.member(key, in: object) != nil }

    func value(_ key: Key) throws -> Int {
        guard let v = state.member(key, in: object) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { state.tokens[try value(key)].kind == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try state.decode(T.self, at: try value(key))
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try state.bool(at: try value(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try state.string(at: try value(key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try state.integer(Int.self, at: try value(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = state.member(key, in: object), state.tokens[v].kind != .null else { return nil }
        return try state.decode(T.self, at: v)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let v = state.member(key, in: object), state.tokens[v].kind != .null else { return nil }
        return try state.string(at: v)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let v = state.member(key, in: object), state.tokens[v].kind != .null else { return nil }
        return try state.bool(at: v)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let v = state.member(key, in: object), state.tokens[v].kind != .null else { return nil }
        return try state.integer(Int.self, at: v)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try TapeValueDecoder(state: state, index: try value(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TapeValueDecoder(state: state, index: try value(key)).unkeyedContainer()
    }

    // `superDecoder` reads a value that `JSONDecoder` treats as null when absent; not used by any document.
    func superDecoder() throws -> any Decoder { throw state.refuse() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw state.refuse() }
}

/// An array's elements in order.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let state: TapeState
    let array: Int
    private(set) var currentIndex = 0
    /// The token of the current element.
    private var token: Int

    init(state: TapeState, array: Int) {
        self.state = state
        self.array = array
        token = array + 1
    }

    var codingPath: [any CodingKey] { state.path(to: array) }
    var count: Int? { Int(state.tokens[array].count) }
    var isAtEnd: Bool { currentIndex >= Int(state.tokens[array].count) }

    private mutating func next() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self,
                .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        let here = token
        token = Int(state.tokens[here].next)
        currentIndex += 1
        return here
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { _ = try next(); return false }
        if state.tokens[token].kind == .null {
            _ = try next()
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try state.decode(T.self, at: try next())
    }
    mutating func decode(_ type: String.Type) throws -> String {
        try state.string(at: try next())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try TapeValueDecoder(state: state, index: try next()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try TapeValueDecoder(state: state, index: try next()).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { throw state.refuse() }
}
