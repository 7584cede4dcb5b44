import Foundation

/// A strict JSON reader that walks a document's bytes once, in order, handing each value to its caller as it comes:
/// no tape, no tree. A reader built on it (`AssessmentCursorReader`) knows its document's shape and reads each
/// member straight into the value it builds.
///
/// It is never the last word: anything it is not sure of — a key it does not know, a key twice, an escaped key,
/// a number not written as a plain integer where one is asked for, a value of another type, text after the
/// document — is `Refused`, and the caller reads the document the way it did before (the tape and `JSONDecoder`),
/// whose errors are the ones shown. Strings and whitespace are checked by the tape's own code
/// (`JSONTape.scanString`, `JSONTape.skipSpace`), so what it accepts the strict reader accepts.
struct JSONCursor {
    struct Refused: Error {}

    /// A key's bytes: plain ASCII, no escapes (anything else is refused).
    struct Key {
        var start: Int
        var count: Int
    }

    let bytes: UnsafeRawBufferPointer
    var i = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The value `document` reads from the whole of `data` (only whitespace may follow it); nil when refused.
    static func read<T>(_ data: Data, _ document: (inout JSONCursor) throws(Refused) -> T) -> T? {
        // Offsets into escaped strings go through the tape's 32-bit tokens (`JSONTape.string`).
        guard data.count < JSONTape.maxBytes else { return nil }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> T? in
            var c = JSONCursor(raw)
            guard let value = try? document(&c), (try? c.end()) != nil else { return nil }
            return value
        }
    }

    // MARK: Structure

    /// Steps over `b` after any whitespace.
    mutating func expect(_ b: UInt8) throws(Refused) {
        JSONTape.skipSpace(bytes, &i)
        guard i < bytes.count, bytes[i] == b else { throw Refused() }
        i += 1
    }

    /// Steps over `b` after any whitespace if it is there.
    mutating func take(_ b: UInt8) -> Bool {
        JSONTape.skipSpace(bytes, &i)
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }

    /// Opens an object; false when it is empty (and already closed).
    mutating func beginObject() throws(Refused) -> Bool {
        try expect(UInt8(ascii: "{"))
        return !take(UInt8(ascii: "}"))
    }

    /// A member's key and the colon after it.
    mutating func key() throws(Refused) -> Key {
        try expect(UInt8(ascii: "\""))
        let start = i
        guard (try? JSONTape.scanString(bytes, &i)) == 0 else { throw Refused() }
        let key = Key(start: start, count: i - start)
        i += 1
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// After a member: true when a comma says another follows, false at the closing brace.
    mutating func nextMember() throws(Refused) -> Bool {
        if take(UInt8(ascii: ",")) { return true }
        try expect(UInt8(ascii: "}"))
        return false
    }

    /// Opens an array; false when it is empty (and already closed).
    mutating func beginArray() throws(Refused) -> Bool {
        try expect(UInt8(ascii: "["))
        return !take(UInt8(ascii: "]"))
    }

    /// After an element: true when a comma says another follows, false at the closing bracket.
    mutating func nextElement() throws(Refused) -> Bool {
        if take(UInt8(ascii: ",")) { return true }
        try expect(UInt8(ascii: "]"))
        return false
    }

    /// Nothing but whitespace is left.
    mutating func end() throws(Refused) {
        JSONTape.skipSpace(bytes, &i)
        guard i == bytes.count else { throw Refused() }
    }

    /// Whether `key` is `name`.
    func key(_ key: Key, is name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base + key.start, name.utf8Start, key.count) == 0
    }

    // MARK: Values

    /// Steps over `null` if it is the next value.
    mutating func null() -> Bool {
        JSONTape.skipSpace(bytes, &i)
        guard i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "n"), bytes[i + 1] == UInt8(ascii: "u"),
            bytes[i + 2] == UInt8(ascii: "l"), bytes[i + 3] == UInt8(ascii: "l")
        else { return false }
        i += 4
        return true
    }

    /// A string; one of `shared`, when its text is one of them.
    mutating func string(shared: SharedStrings? = nil) throws(Refused) -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        guard let flags = try? JSONTape.scanString(bytes, &i) else { throw Refused() }
        let end = i
        i += 1
        if flags == 0 {
            let text = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            return shared?.string(text) ?? String(decoding: text, as: UTF8.self)
        }
        let token = JSONTape.Token(kind: .string, flags: flags, start: Int32(start), end: Int32(end), next: 0, count: 0)
        return JSONTape.string(token, in: bytes)
    }

    /// A time in the form the store writes (`TapeState.storeDate`); any other form is refused.
    mutating func storeDate() throws(Refused) -> Date {
        try expect(UInt8(ascii: "\""))
        let start = i
        guard (try? JSONTape.scanString(bytes, &i)) == 0,
            let date = TapeState.storeDate(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
        else { throw Refused() }
        i += 1
        return date
    }

    mutating func bool() throws(Refused) -> Bool {
        JSONTape.skipSpace(bytes, &i)
        if word("true") { return true }
        if word("false") { return false }
        throw Refused()
    }

    /// An integer written as one: an optional minus, at most 18 digits, no leading zero; a fraction or an exponent
    /// is refused (`JSONDecoder` may read `2.0` as 2; the caller's fallback decides).
    mutating func int() throws(Refused) -> Int {
        JSONTape.skipSpace(bytes, &i)
        let negative = i < bytes.count && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let start = i
        var v = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            v = v &* 10 &+ Int(bytes[i] - 0x30)
            i += 1
        }
        let digits = i - start
        guard digits > 0, digits <= 18, !(bytes[start] == 0x30 && digits > 1) else { throw Refused() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            throw Refused()
        }
        return negative ? -v : v
    }

    private mutating func word(_ w: StaticString) -> Bool {
        let n = w.utf8CodeUnitCount
        guard i + n <= bytes.count, let base = bytes.baseAddress, memcmp(base + i, w.utf8Start, n) == 0 else { return false }
        i += n
        return true
    }
}

extension JSONCursor {
    /// Reads a value that may be null: nil for null, `read`'s value otherwise.
    mutating func optional<T>(_ read: (inout JSONCursor) throws(Refused) -> T) throws(Refused) -> T? {
        if null() { return nil }
        return try read(&self)
    }

    /// Reads an array, each element by `element`; null reads as empty (as the documents' optional arrays do).
    mutating func array<T>(_ element: (inout JSONCursor) throws(Refused) -> T) throws(Refused) -> [T] {
        if null() { return [] }
        var out: [T] = []
        guard try beginArray() else { return out }
        repeat { out.append(try element(&self)) } while try nextElement()
        return out
    }

    /// Reads an object member by member: `member` reads each value, and returns the bit its key owns in `seen`
    /// (a key seen twice is refused), or nil for a key it does not know (refused).
    mutating func object(_ member: (inout JSONCursor, Key) throws(Refused) -> UInt32?) throws(Refused) {
        guard try beginObject() else { return }
        var seen: UInt32 = 0
        repeat {
            let k = try key()
            guard let bit = try member(&self, k), seen & bit == 0 else { throw Refused() }
            seen |= bit
        } while try nextMember()
    }
}
