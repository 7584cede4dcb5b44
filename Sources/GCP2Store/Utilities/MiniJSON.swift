import GCP2Core

/// The one strict JSON reader (RFC 8259) of the package, as a tree over `JSONTape`'s parse: the caseload's hot path, where `JSONDecoder`'s
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
        let tape = try JSONTape.parse(bytes)
        return tape.tokens.withUnsafeBufferPointer { tokens in
            var i = 0
            return tree(tokens, bytes, &i)
        }
    }

    /// The value at token `i` of a tape, `i` moved past it.
    private static func tree(
        _ tokens: UnsafeBufferPointer<JSONTape.Token>, _ bytes: UnsafeRawBufferPointer, _ i: inout Int
    ) -> MiniJSON {
        let t = tokens[i]
        i += 1
        switch t.kind {
        case .object:
            var members: [(String, MiniJSON)] = []
            members.reserveCapacity(Int(t.count))
            for _ in 0..<t.count {
                let key = JSONTape.string(tokens[i], in: bytes)
                i += 1
                members.append((key, tree(tokens, bytes, &i)))
            }
            return .object(members)
        case .array:
            var items: [MiniJSON] = []
            items.reserveCapacity(Int(t.count))
            for _ in 0..<t.count { items.append(tree(tokens, bytes, &i)) }
            return .array(items)
        case .string: return .string(JSONTape.string(t, in: bytes))
        case .number:
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)]), as: UTF8.self)
            if t.flags & JSONTape.Token.integer != 0, let v = Int(text) { return .number(Double(v)) }
            return .number(Double(text)!)
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        }
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
}
