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
