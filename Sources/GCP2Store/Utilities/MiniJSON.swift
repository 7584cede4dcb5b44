import GCP2Core

/// The one strict JSON reader (RFC 8259) of the package: the caseload's hot path, where `JSONDecoder`'s
/// `Decodable` machinery costs more than the parse, and the check every untrusted input passes before it is
/// decoded. Unlike Foundation's reader it refuses duplicate keys and trailing commas, naming the JSON path.
/// Objects keep their members in document order.
enum MiniJSON: Equatable {
    case object([(String, MiniJSON)])
    case array([MiniJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Where and why a text is not strict JSON.
    struct ParseError: Error, Equatable {
        /// Byte offset of the problem.
        var offset: Int
        var problem = "not valid JSON"
        var expected = "a JSON document"
        /// Object keys and array indexes from the root to the value holding the problem, innermost last.
        var path: [PathStep] = []

        enum PathStep: Equatable {
            case key(String)
            case index(Int)
        }

        /// The path as the rest of gcp2 writes it (`profiles[0].ratings[3].grade`).
        var pathText: String {
            var p = JSONPath()
            for step in path {
                switch step {
                case .key(let k): p = p.key(k)
                case .index(let i): p = p.index(i)
                }
            }
            return p.text
        }

        /// The error seen from one level up: the step into the failing value prepended.
        func inside(_ step: PathStep) -> ParseError {
            var e = self
            e.path.insert(step, at: 0)
            return e
        }
    }

    /// Checks that `data` is one strict JSON value; the issue (path, problem, expected) when it is not.
    static func strictIssue(in data: [UInt8]) -> Issue? {
        let failure = data.withUnsafeBytes { (b: UnsafeRawBufferPointer) -> ParseError? in
            do throws(ParseError) { _ = try parse(b) } catch { return error }
            return nil
        }
        if let error = failure {
            let before = data.prefix(min(error.offset, data.count))
            let line = before.count(where: { $0 == 0x0A }) + 1
            let column = before.count - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return Issue(
                error.pathText, "\(error.problem) (line \(line), column \(column))", expected: error.expected)
        }
        return nil
    }

    static func == (a: MiniJSON, b: MiniJSON) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        case (.array(let x), .array(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    /// Parses one JSON value; anything but whitespace after it is an error.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> MiniJSON {
        var p = Parser(bytes: bytes)
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i != bytes.count {
            throw ParseError(offset: p.i, problem: "more text after the JSON value", expected: "one JSON value")
        }
        return v
    }

    /// The member `key` of an object.
    subscript(_ key: String) -> MiniJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var array: [MiniJSON]? { if case .array(let a) = self { a } else { nil } }
    var int: Int? {
        if case .number(let d) = self, d == d.rounded(), abs(d) < 1e15 { Int(d) } else { nil }
    }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ b: UInt8) throws(ParseError) {
            guard i < bytes.count, bytes[i] == b else {
                throw ParseError(
                    offset: i, problem: i < bytes.count ? "not valid JSON" : "not valid JSON: it ends too soon",
                    expected: "`\(Character(Unicode.Scalar(b)))`")
            }
            i += 1
        }

        mutating func value(depth: Int) throws(ParseError) -> MiniJSON {
            guard depth < 64 else {
                throw ParseError(offset: i, problem: "nested more than 64 levels deep", expected: "at most 64 levels")
            }
            skipSpace()
            guard i < bytes.count else { throw ParseError(offset: i, problem: "not valid JSON: it ends too soon") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, MiniJSON)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(members)
                }
                var seen: Set<String>?
                while true {
                    skipSpace()
                    if !members.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                        throw ParseError(
                            offset: i, problem: "trailing comma before `}`", expected: "no comma after the last member")
                    }
                    let keyOffset = i
                    let key = try string()
                    // Duplicate keys: a linear scan for the small objects documents are made of, a set beyond.
                    if members.count < 16 {
                        if members.contains(where: { $0.0 == key }) {
                            throw ParseError(
                                offset: keyOffset, problem: "duplicate key `\(key)`", expected: "each key once in an object",
                                path: [.key(key)])
                        }
                    } else {
                        if seen == nil { seen = Set(members.map(\.0)) }
                        if !seen!.insert(key).inserted {
                            throw ParseError(
                                offset: keyOffset, problem: "duplicate key `\(key)`", expected: "each key once in an object",
                                path: [.key(key)])
                        }
                    }
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    do {
                        members.append((key, try value(depth: depth + 1)))
                    } catch {
                        throw error.inside(.key(key))
                    }
                    skipSpace()
                    guard i < bytes.count else { throw ParseError(offset: i, problem: "not valid JSON: it ends too soon") }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [MiniJSON] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(items)
                }
                while true {
                    skipSpace()
                    if !items.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                        throw ParseError(
                            offset: i, problem: "trailing comma before `]`", expected: "no comma after the last element",
                            path: [.index(items.count)])
                    }
                    do {
                        items.append(try value(depth: depth + 1))
                    } catch {
                        throw error.inside(.index(items.count))
                    }
                    skipSpace()
                    guard i < bytes.count else { throw ParseError(offset: i, problem: "not valid JSON: it ends too soon") }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    try expect(UInt8(ascii: "]"))
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        mutating func literal(_ word: StaticString, _ v: MiniJSON) throws(ParseError) -> MiniJSON {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { throw ParseError(offset: i) }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw ParseError(offset: i + k) }
            i += n
            return v
        }

        mutating func number() throws(ParseError) -> MiniJSON {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            let digitsStart = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > digitsStart, !(bytes[digitsStart] == 0x30 && i - digitsStart > 1) else { throw ParseError(offset: start) }
            var isInteger = true
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                isInteger = false
                i += 1
                let f = i
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                guard i > f else { throw ParseError(offset: i) }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                isInteger = false
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                let e = i
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                guard i > e else { throw ParseError(offset: i) }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            if isInteger, let v = Int(text) { return .number(Double(v)) }
            guard let d = Double(text) else { throw ParseError(offset: start) }
            return .number(d)
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw ParseError(offset: i) }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw ParseError(offset: i)
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func string() throws(ParseError) -> String {
            try expect(UInt8(ascii: "\""))
            let start = i
            // Fast path: no escapes.
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
            guard i < bytes.count else { throw ParseError(offset: i) }
            if bytes[i] == UInt8(ascii: "\"") {
                let s = String(
                    validating: UnsafeRawBufferPointer(rebasing: bytes[start..<i]).bindMemory(to: UInt8.self), as: UTF8.self)
                guard let s else { throw ParseError(offset: start) }
                i += 1
                return s
            }
            var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
            while true {
                guard i < bytes.count else { throw ParseError(offset: i) }
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { break }
                if c < 0x20 { throw ParseError(offset: i - 1) }
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    continue
                }
                guard i < bytes.count else { throw ParseError(offset: i) }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw ParseError(offset: i)
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw ParseError(offset: i) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw ParseError(offset: i) }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw ParseError(offset: i - 1)
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw ParseError(offset: start) }
            return s
        }
    }
}
