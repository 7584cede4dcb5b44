import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2Store

/// The strict reader's `Swift.Decoder` against `JSONDecoder`, its reference: on every document of a generated store,
/// the fixtures, the bad-input corpus and mutated documents, the fast path reads the same value or refuses.
@Suite struct TapeDecoderTests {
    /// What the two decoders made of one text, for one type.
    enum Outcome: Equatable {
        case refused
        case value(Data)
    }

    /// Decodes `data` as `T` both ways; a value the fast path reads must be the reference's, byte for byte once
    /// encoded canonically. Returns whether the fast path read it.
    @discardableResult
    static func agree<T: Codable>(_ type: T.Type, _ data: Data, _ what: String) -> Bool {
        let fast = TapeDecoder.decode(T.self, from: data)
        let reference = try? Coding.decoder().decode(T.self, from: data)
        guard let fast else { return false }
        guard let reference else {
            Testing.Issue.record("\(what): the fast decoder read a \(T.self) that JSONDecoder refuses")
            return true
        }
        #expect(Coding.document(fast) == Coding.document(reference), "\(what): the two decoders read different values")
        return true
    }

    /// Every document type of the store, tried on a text: the fast path may only agree or refuse.
    static func agreeAsAnything(_ data: Data, _ what: String) {
        agree(Family.self, data, what)
        agree(FamilyDocument.V0.Mirror.self, data, what)
        agree(Assessment.self, data, what)
        agree(FamilyIndex.self, data, what)
        agree(CaseloadEntry.self, data, what)
        agree(Manifest.self, data, what)
        agree(AuditEntry.self, data, what)
        agree(Policy.self, data, what)
        agree([String: Int].self, data, what)
        agree([Int].self, data, what)
    }

    static func store(families: Int, seed: UInt64) throws -> (TempDir, String) {
        let dir = TempDir()
        try SyntheticStore(families: families, seed: seed).write(to: dir.path + "/s", now: now)
        return (dir, dir.path + "/s")
    }

    static func files(under root: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: root)
        var out: [String] = []
        while let rel = e?.nextObject() as? String {
            if rel.hasSuffix(".json") { out.append(rel) }
        }
        return out.sorted()
    }

    @Test func everyGeneratedDocumentDecodesFastAndEqual() throws {
        let (dir, root) = try Self.store(families: 25, seed: 11)
        _ = dir
        var counts: [String: Int] = [:]
        for rel in Self.files(under: root) {
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + rel))
            let read: Bool
            if rel.hasPrefix("families/"), rel.hasSuffix("/family.json") {
                read = Self.agree(Family.self, data, rel)
            } else if rel.hasPrefix("families/"), rel.contains("/decisions/") {
                read = Self.agree(Decision.self, data, rel)
                counts["decisions", default: 0] += 1
            } else if rel.hasPrefix("families/") {
                read = Self.agree(Assessment.self, data, rel)
            } else if rel.hasPrefix("index/") {
                read = Self.agree(FamilyIndex.self, data, rel)
            } else if rel.hasPrefix("caseload/") {
                read = Self.agree(CaseloadEntry.self, data, rel)
            } else if rel == "manifest.json" {
                read = Self.agree(Manifest.self, data, rel)
            } else {
                continue
            }
            #expect(read, "\(rel): the fast decoder refused a document the store wrote")
            counts[String(rel.prefix { $0 != "/" }), default: 0] += 1
        }
        #expect(counts["families", default: 0] > 25 * 2)
        #expect(counts["index"] == 25 && counts["caseload"] == 25)
        #expect(counts["decisions", default: 0] > 0)  // the generator records decisions (issue 14)
        let audit = try Data(contentsOf: URL(fileURLWithPath: root + "/audit.log"))
        for line in audit.split(separator: 0x0A) {
            #expect(Self.agree(AuditEntry.self, Data(line), "audit line"))
        }
    }

    @Test func amendedAndWithdrawnDocumentsDecodeFastAndEqual() throws {
        let fx = try Fixture()
        let a = try fx.store.record(
            fx.assessment(on: "2026-05-01", grade: 2), final: true, file: nil, actor: "t", now: now, today: today
        ).assessment
        _ = try fx.store.amend(
            a.id, with: fx.assessment(on: "2026-05-01", grade: 3), reason: "wrong grade", file: nil, actor: "t", now: now,
            today: today)
        let b = try fx.store.record(
            fx.assessment(on: "2026-06-01", grade: 4), final: true, file: nil, actor: "t", now: now, today: today
        ).assessment
        _ = try fx.store.withdraw(b.id, reason: "entered twice", actor: "t", now: now)
        let root = fx.store.path
        for rel in Self.files(under: root) where !rel.hasPrefix("instruments/") {
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + rel))
            let type: any Codable.Type =
                rel.hasSuffix("/family.json")
                ? Family.self
                : rel.hasPrefix("families/")
                    ? Assessment.self
                    : rel.hasPrefix("index/") ? FamilyIndex.self : rel.hasPrefix("caseload/") ? CaseloadEntry.self : Manifest.self
            let read = Self.agree(type, data, rel)
            #expect(read, "\(rel)")
        }
    }

    @Test func fixturesAndTheBadInputCorpusAgreeOrRefuse() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        var seen = 0
        for sub in ["GCP2StoreTests/Fixtures", "GCP2CLITests/Fixtures", "GCP2CoreTests/Fixtures"] {
            for rel in Self.files(under: tests.path + "/" + sub) {
                let data = try Data(contentsOf: tests.appendingPathComponent(sub + "/" + rel))
                Self.agreeAsAnything(data, rel)
                seen += 1
            }
        }
        #expect(seen >= 20)
        // The version 0 family fixture reads through its own type, both ways.
        let v0 = try Data(contentsOf: tests.appendingPathComponent("GCP2StoreTests/Fixtures/family-v0.json"))
        #expect(Self.agree(FamilyDocument.V0.Mirror.self, v0, "family-v0.json"))
    }

    /// Seeded mutations of real documents (a byte dropped, changed, or a value's type swapped): whatever the fast
    /// path reads, `JSONDecoder` reads the same.
    @Test func mutatedDocumentsAgreeOrRefuse() throws {
        let (dir, root) = try Self.store(families: 3, seed: 3)
        _ = dir
        var rng = SplitMix64(seed: 19)
        let samples = Self.files(under: root).filter { !$0.hasPrefix("instruments/") }
        let replacements: [[UInt8]] = [
            Array("null".utf8), Array("1.0".utf8), Array("\"x\"".utf8), Array("[]".utf8), Array("{}".utf8), Array("1e2".utf8),
            Array("-0".utf8), Array("\"2026-13-01\"".utf8), Array("\"\\u0041\"".utf8), Array(",".utf8),
        ]
        for rel in samples {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + rel)))
            for _ in 0..<25 {
                var bytes = original
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes.remove(at: at)
                case 1: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                default:
                    let r = replacements[Int(rng.next() % UInt64(replacements.count))]
                    bytes.replaceSubrange(at..<min(bytes.count, at + r.count), with: r)
                }
                Self.agreeAsAnything(Data(bytes), "\(rel) mutated at \(at)")
            }
        }
    }

    @Test(arguments: [
        (#"{"a": 1, "a": 2}"#, "duplicate keys"),
        (#"{"a": [1, 2,]}"#, "a trailing comma"),
        (#"{"a": 1.0}"#, "an integer written with a fraction"),
        (#"{"a": 1e2}"#, "an integer written with an exponent"),
        (#"{"a": 99999999999999999999}"#, "an integer out of range"),
        (#"{"a": 9999999999999999999}"#, "19 digits, beyond Int64"),
        (#"{"a": -9999999999999999999}"#, "19 digits and a sign"),
    ])
    func refusesWhatJSONDecoderMightReadDifferently(text: String, what: String) {
        #expect(TapeDecoder.decode([String: Int].self, from: Data(text.utf8)) == nil, "\(what)")
    }

    struct Stamp: Codable, Equatable {
        var at: Date
        var note: String?
        var n: Int
    }

    @Test(arguments: [
        "2026-05-28T20:26:40Z", "2024-02-29T00:00:00Z", "1970-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2100-03-01T12:00:00Z",
    ])
    func readsStoreTimestampsAsJSONDecoderDoes(stamp: String) throws {
        let data = Data(#"{"at": "\#(stamp)", "note": null, "n": -3}"#.utf8)
        let fast = try #require(TapeDecoder.decode(Stamp.self, from: data))
        #expect(fast == (try Coding.decoder().decode(Stamp.self, from: data)))
        #expect(fast.note == nil && fast.n == -3)
    }

    @Test(arguments: ["2026-05-28T20:26:40.5Z", "2026-05-28T20:26:40+01:00", "2023-02-29T00:00:00Z", "2026-05-28 20:26:40Z"])
    func refusesOtherTimestampForms(stamp: String) {
        #expect(TapeDecoder.decode(Stamp.self, from: Data(#"{"at": "\#(stamp)", "n": 1}"#.utf8)) == nil)
    }

    @Test func integersAtTheEdgeOfEighteenDigitsAreReadExactly() throws {
        for text in ["999999999999999999", "-999999999999999999", "0", "-0", "123"] {
            let data = Data("[\(text)]".utf8)
            #expect(TapeDecoder.decode([Int].self, from: data) == (try Coding.decoder().decode([Int].self, from: data)))
        }
        #expect(TapeDecoder.decode([UInt8].self, from: Data("[256]".utf8)) == nil)
    }

    @Test func keysAreComparedAsSwiftComparesThem() throws {
        // An escaped key, and a key equal to `n` only canonically (no such key: a Kelvin sign is not `n`).
        let data = Data(#"{"\u0061t": "2026-01-01T00:00:00Z", "note": "Zo\u00eb \"Z\" 李", "n": 7}"#.utf8)
        let fast = try #require(TapeDecoder.decode(Stamp.self, from: data))
        #expect(fast == (try Coding.decoder().decode(Stamp.self, from: data)))
        #expect(fast.note == "Zoë \"Z\" 李")
        let decomposed = Data("{\"at\": \"2026-01-01T00:00:00Z\", \"n\": 1, \"note\": \"e\u{301}\"}".utf8)
        #expect(TapeDecoder.decode(Stamp.self, from: decomposed)?.note == "é")
    }

    @Test func aDocumentTheFastPathRefusesIsStillReadByJSONDecoder() throws {
        let fx = try Fixture()
        let rel = Store.familyFile(fx.family.id)
        let text = try String(contentsOfFile: fx.store.full(rel), encoding: .utf8)
        // A key given twice (the same value): not strict JSON, so the fast path refuses; JSONDecoder reads it.
        let twice = text.replacingOccurrences(of: "\"ref\" : \"RX-1\",", with: "\"ref\" : \"RX-1\",\n  \"ref\" : \"RX-1\",")
        #expect(twice != text)
        #expect(TapeDecoder.decode(Family.self, from: Data(twice.utf8)) == nil)
        let read = try fx.store.decodeFamily(Data(twice.utf8), at: rel)
        #expect(Coding.document(read) == Coding.document(fx.family))
    }

    @Test func errorsStillNameTheJSONPath() throws {
        let fx = try Fixture()
        let rel = Store.familyFile(fx.family.id)
        var text = try String(contentsOfFile: fx.store.full(rel), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"2017-04-02\"", with: "17")
        #expect(TapeDecoder.decode(Family.self, from: Data(text.utf8)) == nil)
        do {
            _ = try fx.store.decodeFamily(Data(text.utf8), at: rel)
            Testing.Issue.record("a wrong type was read")
        } catch {
            guard case .corrupt(_, let issue) = error else {
                Testing.Issue.record("expected a corrupt document, got \(error)")
                return
            }
            #expect(issue.path == "children[0].born")
        }
    }
}

extension FamilyDocument.V0 {
    /// Version 0 as a `Codable` type, to compare the two decoders' readings of it.
    struct Mirror: Codable {
        var id: FamilyID
        var reference: String
        var children: [Child]?
        var carers: [Carer]?
        var notes: String?
    }
}
