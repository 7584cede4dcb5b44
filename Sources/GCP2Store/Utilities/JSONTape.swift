/// The strict JSON reader's parse (RFC 8259): one flat table of tokens over the bytes, in document order.
///
/// Every JSON value is one token; an object's members follow it as key token, value tokens, and `next` jumps past
/// a value with everything inside it. Strings and numbers stay as byte ranges until something asks for them, so
/// parsing a document allocates one array. `MiniJSON` (a tree) and `TapeDecoder` (a `Swift.Decoder`) are built on
/// it. Unlike Foundation's reader it refuses duplicate keys and trailing commas, naming the JSON path.
struct JSONTape {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Token {
        var kind: Kind
        /// Strings: the bytes need unescaping (`escaped`) or are not all ASCII (`nonASCII`). Numbers: `integer` when
        /// written without fraction or exponent.
        var flags: UInt8
        /// Byte range: a string's between its quotes, a number's text, a container's opening bracket.
        var start: Int32
        var end: Int32
        /// The index of the token after this value and everything inside it.
        var next: Int32
        /// Members of an object, elements of an array.
        var count: Int32

        static let escaped: UInt8 = 1
        static let nonASCII: UInt8 = 2
        static let integer: UInt8 = 4
    }

    var tokens: [Token]

    /// The largest document the tape addresses (offsets are 32-bit); the store's own limits are far below it.
    static let maxBytes = Int(Int32.max)

    /// Parses one JSON value; anything but whitespace after it is an error.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(MiniJSON.ParseError) -> JSONTape {
        guard bytes.count < maxBytes else {
            throw MiniJSON.ParseError(offset: 0, problem: "the text is too large", expected: "less than 2 GiB")
        }
        var p = Parser(bytes: bytes)
        p.tokens.reserveCapacity(bytes.count / 12 + 4)
        try p.value(depth: 0)
        p.skipSpace()
        if p.i != bytes.count {
            throw MiniJSON.ParseError(offset: p.i, problem: "more text after the JSON value", expected: "one JSON value")
        }
        return JSONTape(tokens: p.tokens)
    }

    /// The text of string token `t`, unescaped; nil only for bytes that are not UTF-8 (the parser has checked them).
    static func string(_ t: Token, in bytes: UnsafeRawBufferPointer) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)])
        if t.flags & Token.escaped == 0 { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let c = raw[i]
            i += 1
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            let e = raw[i]
            i += 1
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(raw, i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(raw, i + 2) - 0xDC00)
                    i += 6
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default: out.append(e)  // `"`, `\`, `/`
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Four hex digits the parser has already checked.
    private static func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in at..<at + 4 {
            let c = raw[k]
            let d: UInt8 = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Steps `i` over JSON whitespace. A run of spaces (a pretty-printed line's indent) is stepped over eight bytes
    /// at a time: the first byte of a word that is not a space ends it.
    static func skipSpace(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        while i < n {
            switch bytes[i] {
            case 0x20:
                guard i + 8 <= n else {
                    i += 1
                    continue
                }
                let other = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ 0x2020_2020_2020_2020
                // The first byte in the low bits; each zero byte is a space.
                i += other == 0 ? 8 : other.trailingZeroBitCount >> 3
            case 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    /// Checks a string's bytes from `i` (just after its opening quote) to its closing quote, where it leaves `i`:
    /// escapes, surrogate pairs, control characters, UTF-8. Returns the token's flags (`escaped`, `nonASCII`).
    /// Shared by the tape and `JSONCursor`, so both refuse exactly the same strings.
    static func scanString(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) throws(MiniJSON.ParseError) -> UInt8 {
        typealias ParseError = MiniJSON.ParseError
        let start = i
        var high: UInt8 = 0
        // Fast path: no escapes. Eight bytes at a time while none of them is a quote, a backslash or a control
        // character (the loop after it decides every byte it stops at), noting any non-ASCII byte.
        if let base = bytes.baseAddress {
            var seen: UInt64 = 0
            while i + 8 <= bytes.count {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let q = w ^ 0x2222_2222_2222_2222
                let b = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let stop =
                    ((q &- 0x0101_0101_0101_0101) & ~q) | ((b &- 0x0101_0101_0101_0101) & ~b)
                    | ((w &- 0x2020_2020_2020_2020) & ~w)
                let found = stop & 0x8080_8080_8080_8080
                if found != 0 {
                    // The lowest flagged byte is the first quote, backslash or control character (a flag above it
                    // may be a borrow's, never one below): the bytes before it are the string's.
                    let k = found.trailingZeroBitCount >> 3
                    if k > 0 { seen |= w & (UInt64.max >> (64 - 8 * k)) }
                    i += k
                    break
                }
                seen |= w
                i += 8
            }
            if seen & 0x8080_8080_8080_8080 != 0 { high |= 0x80 }
        }
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 {
            high |= bytes[i]
            i += 1
        }
        guard i < bytes.count else { throw ParseError(offset: i) }
        var flags: UInt8 = 0
        if bytes[i] != UInt8(ascii: "\"") {
            flags |= Token.escaped
            while true {
                guard i < bytes.count else { throw ParseError(offset: i) }
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { break }
                if c < 0x20 { throw ParseError(offset: i - 1) }
                high |= c
                guard c == UInt8(ascii: "\\") else { continue }
                guard i < bytes.count else { throw ParseError(offset: i) }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"):
                    let at = i
                    try checkHex4(bytes, &i)
                    let scalar = hex4(bytes, at)
                    if scalar >= 0x80 { high |= 0x80 }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw ParseError(offset: i)
                        }
                        i += 2
                        let lowAt = i
                        try checkHex4(bytes, &i)
                        guard (0xDC00...0xDFFF).contains(hex4(bytes, lowAt)) else { throw ParseError(offset: i) }
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw ParseError(offset: i)
                    }
                default: throw ParseError(offset: i - 1)
                }
            }
            i -= 1  // back onto the closing quote
        }
        if high >= 0x80 {
            flags |= Token.nonASCII
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
            guard String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) != nil else {
                throw ParseError(offset: start)
            }
        }
        return flags
    }

    /// Four hex digits at `i`, stepped over.
    private static func checkHex4(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) throws(MiniJSON.ParseError) {
        guard i + 4 <= bytes.count else { throw MiniJSON.ParseError(offset: i) }
        for _ in 0..<4 {
            switch bytes[i] {
            case 0x30...0x39, 0x41...0x46, 0x61...0x66: i += 1
            default: throw MiniJSON.ParseError(offset: i)
            }
        }
    }

    private struct Parser {
        typealias ParseError = MiniJSON.ParseError
        let bytes: UnsafeRawBufferPointer
        var i = 0
        var tokens: [Token] = []
        /// The key tokens of the objects being parsed, innermost last: one array for the whole parse.
        var keyStack: [Int] = []

        mutating func skipSpace() { JSONTape.skipSpace(bytes, &i) }

        mutating func expect(_ b: UInt8) throws(ParseError) {
            guard i < bytes.count, bytes[i] == b else {
                throw ParseError(
                    offset: i, problem: i < bytes.count ? "not valid JSON" : "not valid JSON: it ends too soon",
                    expected: "`\(Character(Unicode.Scalar(b)))`")
            }
            i += 1
        }

        mutating func push(_ kind: Kind, _ flags: UInt8 = 0, _ start: Int, _ end: Int) {
            let n = Int32(tokens.count)
            tokens.append(Token(kind: kind, flags: flags, start: Int32(start), end: Int32(end), next: n + 1, count: 0))
        }

        /// Whether key token `a` and key token `b` name the same key (as Swift compares strings: canonically).
        func sameKey(_ a: Token, _ b: Token) -> Bool {
            if (a.flags | b.flags) & (Token.escaped | Token.nonASCII) == 0 {
                guard a.end - a.start == b.end - b.start else { return false }
                for k in 0..<Int(a.end - a.start) where bytes[Int(a.start) + k] != bytes[Int(b.start) + k] { return false }
                return true
            }
            return JSONTape.string(a, in: bytes) == JSONTape.string(b, in: bytes)
        }

        mutating func value(depth: Int) throws(ParseError) {
            guard depth < 64 else {
                throw ParseError(offset: i, problem: "nested more than 64 levels deep", expected: "at most 64 levels")
            }
            skipSpace()
            guard i < bytes.count else { throw ParseError(offset: i, problem: "not valid JSON: it ends too soon") }
            switch bytes[i] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true", .true)
            case UInt8(ascii: "f"): try literal("false", .false)
            case UInt8(ascii: "n"): try literal("null", .null)
            default: try number()
            }
        }

        /// Pushes a container's token and steps over its opening bracket; true when it closes at once (empty).
        mutating func open(_ kind: Kind, closedBy close: UInt8) -> Bool {
            push(kind, 0, i, i + 1)
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == close else { return false }
            i += 1
            return true
        }

        /// After a member or element: true for a comma (another follows), false at the closing bracket.
        mutating func more(closedBy close: UInt8) throws(ParseError) -> Bool {
            skipSpace()
            guard i < bytes.count else { throw ParseError(offset: i, problem: "not valid JSON: it ends too soon") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                return true
            }
            try expect(close)
            return false
        }

        mutating func object(depth: Int) throws(ParseError) {
            let at = tokens.count
            if open(.object, closedBy: UInt8(ascii: "}")) { return }
            let base = keyStack.count  // keyStack[base...]: the token index of each key of this object
            var seen: Set<String>?
            while true {
                skipSpace()
                if keyStack.count > base, i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    throw ParseError(offset: i, problem: "trailing comma before `}`", expected: "no comma after the last member")
                }
                let keyOffset = i
                try string()
                let k = tokens.count - 1
                let key = tokens[k]
                // Duplicate keys: a linear scan for the small objects documents are made of, a set beyond.
                var duplicate = false
                if keyStack.count - base < 16 {
                    for n in base..<keyStack.count where sameKey(tokens[keyStack[n]], key) {
                        duplicate = true
                        break
                    }
                } else {
                    if seen == nil { seen = Set(keyStack[base...].map { JSONTape.string(tokens[$0], in: bytes) }) }
                    duplicate = !seen!.insert(JSONTape.string(key, in: bytes)).inserted
                }
                if duplicate {
                    let name = JSONTape.string(key, in: bytes)
                    throw ParseError(
                        offset: keyOffset, problem: "duplicate key `\(name)`", expected: "each key once in an object",
                        path: [.key(name)])
                }
                keyStack.append(k)
                skipSpace()
                try expect(UInt8(ascii: ":"))
                do {
                    try value(depth: depth + 1)
                } catch {
                    throw error.inside(.key(JSONTape.string(key, in: bytes)))
                }
                if try more(closedBy: UInt8(ascii: "}")) { continue }
                tokens[at].next = Int32(tokens.count)
                tokens[at].count = Int32(keyStack.count - base)
                keyStack.removeLast(keyStack.count - base)
                return
            }
        }

        mutating func array(depth: Int) throws(ParseError) {
            let at = tokens.count
            if open(.array, closedBy: UInt8(ascii: "]")) { return }
            var count = 0
            while true {
                skipSpace()
                if count > 0, i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    throw ParseError(
                        offset: i, problem: "trailing comma before `]`", expected: "no comma after the last element",
                        path: [.index(count)])
                }
                do {
                    try value(depth: depth + 1)
                } catch {
                    throw error.inside(.index(count))
                }
                count += 1
                if try more(closedBy: UInt8(ascii: "]")) { continue }
                tokens[at].next = Int32(tokens.count)
                tokens[at].count = Int32(count)
                return
            }
        }

        mutating func literal(_ word: StaticString, _ kind: Kind) throws(ParseError) {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { throw ParseError(offset: i) }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw ParseError(offset: i + k) }
            push(kind, 0, i, i + n)
            i += n
        }

        mutating func number() throws(ParseError) {
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
            if !isInteger {
                // A number Swift cannot read as a Double (none the grammar allows, today) is refused here, as before.
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                guard Double(text) != nil else { throw ParseError(offset: start) }
            }
            push(.number, isInteger ? Token.integer : 0, start, i)
        }

        /// A string token: the bytes between the quotes, checked (escapes, surrogate pairs, UTF-8) but not copied.
        mutating func string() throws(ParseError) {
            try expect(UInt8(ascii: "\""))
            let start = i
            let flags = try JSONTape.scanString(bytes, &i)
            push(.string, flags, start, i)
            i += 1
        }
    }
}
