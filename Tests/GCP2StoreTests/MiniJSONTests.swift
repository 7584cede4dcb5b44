import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2Store

/// The strict JSON reader beside its module's tests: what it parses, what it refuses, and that the caseload's
/// fast decode equals `JSONDecoder`.
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

    /// Strings and whitespace are scanned eight bytes at a time: every kind of string content (plain, non-ASCII,
    /// escaped, a control character, a byte that is not UTF-8, a bad escape) at every position in a word, after
    /// every length of indent, and near the end of the text, parses to what it says or is refused.
    @Test func stringsAndSpacesAreReadAtEveryAlignment() throws {
        let contents: [([UInt8], String?)] = [
            (Array("abc".utf8), "abc"), (Array("é".utf8), "é"), (Array("\\n".utf8), "\n"), (Array("\\u00e9".utf8), "é"),
            (Array("\\\"".utf8), "\""), ([0x01], nil), ([0x1F], nil), ([0x7F], "\u{7F}"), ([0xFF], nil),
            (Array("\\x".utf8), nil), (Array("😀".utf8), "😀"), ([], ""),
        ]
        var checked = 0
        for (content, expected) in contents {
            for before in 0...17 {
                for after in [0, 1, 7, 8, 9] {
                    for indent in [0, 1, 7, 8, 9, 16, 17] {
                        let pad = [UInt8]("\n".utf8) + [UInt8](repeating: 0x20, count: indent)
                        let body =
                            [UInt8](repeating: UInt8(ascii: "a"), count: before) + content
                            + [UInt8](repeating: UInt8(ascii: "z"), count: after)
                        let text = [UInt8]("[".utf8) + pad + [0x22] + body + [0x22] + pad + [UInt8]("]".utf8)
                        let parsed = text.withUnsafeBytes { try? MiniJSON.parse($0) }
                        let want = expected.map {
                            String(repeating: "a", count: before) + $0 + String(repeating: "z", count: after)
                        }
                        #expect(parsed == want.map { .array([.string($0)]) }, "\(text)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 12 * 18 * 5 * 7)
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

    @Test func unannouncedVisitsAndTeamsReadAlikeOrDecline() throws {
        let dir = TempDir()
        try SyntheticStore(families: 6, seed: 9).write(to: dir.path + "/s", now: now)
        let texts = try (0..<6).map {
            try String(contentsOfFile: dir.path + "/s/caseload/\(SyntheticStore.familyID($0)).json", encoding: .utf8)
        }
        let text = try #require(texts.first { $0.contains("\"finals\" : [\n") })
        let entry = try #require(CaseloadEntry.fastDecode(Data(text.utf8)))
        // Every final records its unannounced visits and teams, and both readers read them alike.
        #expect(!entry.finals.isEmpty && entry.finals.allSatisfy { $0.unannounced != nil && $0.teams?.isEmpty == false })
        // A key of the wrong type is declined by the fast reader (and refused by JSONDecoder), never read as absent.
        for (from, to) in [("\"unannounced\" : ", "\"unannounced\" : \"1\", \"x\" : "), ("\"teams\" : [", "\"teams\" : [1, ")] {
            let bad = Data(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(bad != Data(text.utf8))
            #expect(CaseloadEntry.fastDecode(bad) == nil)
            #expect((try? Coding.decoder().decode(CaseloadEntry.self, from: bad)) == nil)
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

/// The strict reader every untrusted input passes: duplicate keys and trailing commas are errors naming the path.
@Suite struct StrictJSONTests {
    func issue(_ text: String) -> GCP2Core.Issue? { MiniJSON.strictIssue(in: Array(text.utf8)) }

    @Test(arguments: [
        (#"{"a": 1, "a": 5}"#, "a", "duplicate key `a`"),
        (#"{"p": [{"g": 1}, {"g": 1, "x": 2, "g": 5}]}"#, "p[1].g", "duplicate key `g`"),
        (#"{"a": 1,}"#, "", "trailing comma before `}`"),
        (#"{"list": [1, 2,]}"#, "list[2]", "trailing comma before `]`"),
        (#"{"a": {"b": [tru]}}"#, "a.b[0]", "not valid JSON"),
        (#"{"a": 1} x"#, "", "more text after the JSON value"),
    ])
    func refused(text: String, path: String, problem: String) throws {
        let found = try #require(issue(text))
        #expect(found.path == path)
        #expect(found.problem.hasPrefix(problem), "\(found.problem)")
        #expect(found.problem.contains("line 1, column"))
    }

    @Test func aDuplicateInALargeObjectIsFoundToo() throws {
        let members = (0..<40).map { "\"k\($0)\": \($0)" } + ["\"k7\": 0"]
        let found = try #require(issue("{" + members.joined(separator: ", ") + "}"))
        #expect(found.path == "k7" && found.problem.hasPrefix("duplicate key `k7`"))
    }

    @Test func strictJSONIsAccepted() {
        #expect(issue(#"{"a": [1, 2, {"b": null, "c": "\u00e9"}], "d": -1.5e3, "e": {}}"#) == nil)
    }
}

/// The caseload's fast entry reader either reads exactly what `JSONDecoder` reads or declines (and the caller falls
/// back): on every entry of a generated store, and on every single-value change of one that a hand might make.
@Suite struct FastEntryReaderTests {
    /// Every entry of a generated store (carers per child, genders, non-resident parents, decisions and their
    /// corrections, fathers not recorded) is read, and read alike.
    @Test func readsEveryGeneratedEntryAlike() throws {
        let dir = TempDir()
        try SyntheticStore(families: 60, seed: 11).write(to: dir.path + "/s", now: now)
        var withDecisions = 0
        for id in (0..<60).map(SyntheticStore.familyID) {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/s/caseload/\(id).json"))
            let slow = try Coding.decoder().decode(CaseloadEntry.self, from: data)
            if slow.drafts != nil {
                #expect(CaseloadEntry.fastDecode(data) == nil)
                continue
            }
            #expect(CaseloadEntry.fastDecode(data) == slow)
            if slow.decisions != nil { withDecisions += 1 }
        }
        #expect(withDecisions > 0)
    }

    /// Each value of an entry replaced by `null`, by a value of another kind, or removed: the fast reader gives
    /// what `JSONDecoder` gives, or declines; it never reads an entry `JSONDecoder` refuses.
    @Test func everyChangedValueIsReadAlikeOrDeclined() throws {
        let dir = TempDir()
        try SyntheticStore(families: 12, seed: 3).write(to: dir.path + "/s", now: now)
        let texts = try (0..<12).map {
            try Data(contentsOf: URL(fileURLWithPath: dir.path + "/s/caseload/\(SyntheticStore.familyID($0)).json"))
        }
        // The entry with the most to change.
        let base = try #require(texts.max { $0.count < $1.count })
        let tree = try JSONSerialization.jsonObject(with: base)
        var checked = 0, declined = 0
        for path in paths(in: tree) {
            for replacement in [NSNull(), "7" as Any, 7 as Any, [Any]() as Any, [String: Any]() as Any, nil] {
                let changed = try JSONSerialization.data(withJSONObject: replacing(tree, at: path, with: replacement))
                let slow = try? Coding.decoder().decode(CaseloadEntry.self, from: changed)
                let fast = CaseloadEntry.fastDecode(changed)
                if let fast {
                    #expect(fast == slow, "\(path) → \(String(describing: replacement))")
                } else {
                    declined += 1
                }
                checked += 1
            }
        }
        #expect(checked > 300 && declined > 0)
        // Keys written with escapes, and a plan on a target, are left to the generic decoder.
        let text = String(decoding: base, as: UTF8.self)
        #expect(CaseloadEntry.fastDecode(Data(text.replacingOccurrences(of: "\"levels\"", with: "\"lev\\u0065ls\"").utf8)) == nil)
    }

    /// Every path to a value in a JSON tree (object keys and array positions).
    func paths(in v: Any, _ prefix: [Any] = []) -> [[Any]] {
        if let o = v as? [String: Any] {
            return o.keys.sorted().flatMap { k in [prefix + [k]] + paths(in: o[k]!, prefix + [k]) }
        }
        if let a = v as? [Any] { return a.indices.flatMap { i in [prefix + [i]] + paths(in: a[i], prefix + [i]) } }
        return []
    }

    /// The tree with the value at `path` replaced (nil: the key removed, or the element dropped).
    func replacing(_ v: Any, at path: [Any], with new: Any?) -> Any {
        guard let head = path.first else { return new as Any }
        let rest = Array(path.dropFirst())
        if var o = v as? [String: Any], let k = head as? String {
            if rest.isEmpty, new == nil { o[k] = nil } else { o[k] = replacing(o[k]!, at: rest, with: new) }
            return o
        }
        if var a = v as? [Any], let i = head as? Int {
            if rest.isEmpty, new == nil { a.remove(at: i) } else { a[i] = replacing(a[i], at: rest, with: new) }
            return a
        }
        return v
    }
}
