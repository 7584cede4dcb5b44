import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2Store

/// The direct readers of assessment documents (the tape reader, and the one-pass reader in front of it) against
/// `JSONDecoder` (and the `TapeDecoder` path they stand in front of): on every assessment of generated stores, the
/// fixtures, the bad-input corpus and mutated documents, each reads the same assessment, the positions of its
/// elements included, or refuses; and a refusal still reads as before.
@Suite struct AssessmentTapeReaderTests {
    /// Every position an assessment keeps (equality ignores them): profiles, ratings, unrated slots, grades,
    /// substitutions and targets.
    static func positions(_ a: Assessment) -> String {
        var out = "profiles \((0..<a.profiles.count).map { a.profileSources($0) })"
        for p in a.profiles {
            out += "; \(p.childId): ratings \((0..<p.ratings.count).map { p.sources.ratings($0) })"
            out += " unrated \(p.sources.unrated.map { "\($0.0)@\($0.1)" })"
            out += " grades \((0..<p.grades.count).map { p.sources.grades($0) })"
            out += " substitutions \((0..<p.substitutions.count).map { p.sources.substitutions($0) })"
            out += " targets \((0..<p.targets.count).map { p.sources.targets($0) })"
        }
        return out
    }

    /// What `reader` read from `data` must be `JSONDecoder`'s assessment: equal as a value, as canonical bytes and
    /// in every position.
    static func matchesJSONDecoder(_ fast: Assessment, _ data: Data, _ what: String, reader: String) {
        guard let reference = try? Coding.decoder().decode(Assessment.self, from: data) else {
            Testing.Issue.record("\(what): \(reader) read an assessment that JSONDecoder refuses")
            return
        }
        #expect(fast == reference, "\(what): \(reader) and JSONDecoder read different assessments")
        #expect(Coding.document(fast) == Coding.document(reference), "\(what): \(reader): different canonical bytes")
        #expect(positions(fast) == positions(reference), "\(what): \(reader): different positions")
    }

    /// Reads `data` both ways; what the reader reads must be `JSONDecoder`'s assessment (`matchesJSONDecoder`) and
    /// `TapeDecoder`'s. Returns whether the reader read it. Also reads `data` with the one-pass reader
    /// (`cursorAgrees`).
    @discardableResult
    static func agree(_ data: Data, _ what: String) -> Bool {
        cursorAgrees(data, what)
        guard let fast = AssessmentTapeReader.read(ParsedDocument(data)) else { return false }
        matchesJSONDecoder(fast, data, what, reader: "the tape reader")
        if let tape = TapeDecoder.decode(Assessment.self, from: data) {
            #expect(fast == tape && positions(fast) == positions(tape), "\(what): the reader and TapeDecoder differ")
        }
        return true
    }

    /// Reads `data` with the one-pass reader; what it reads must be `JSONDecoder`'s assessment and the tape
    /// reader's, from a document of schema version 2 that the strict reader parses. Returns whether it read it.
    @discardableResult
    static func cursorAgrees(_ data: Data, _ what: String) -> Bool {
        guard let fast = AssessmentCursorReader.read(data) else { return false }
        matchesJSONDecoder(fast, data, what, reader: "the one-pass reader")
        let version = try? Coding.decoder().decode(VersionProbe.self, from: data).schemaVersion
        #expect(version == AssessmentDocument.current, "\(what): read a document of schema version \(version as Any)")
        let strict = ParsedDocument(data)
        #expect(strict.state != nil, "\(what): the one-pass reader read a document the strict reader refuses")
        if let tape = AssessmentTapeReader.read(strict) {
            #expect(fast == tape && positions(fast) == positions(tape), "\(what): the one-pass and tape readers differ")
        }
        return true
    }

    static func files(under root: String) -> [String] { TapeDecoderTests.files(under: root) }

    /// A generated store of two families, its first assessment's path and text (keep the folder while using them).
    static func firstAssessment() throws -> (TempDir, Store, String, String) {
        let (dir, root) = try TapeDecoderTests.store(families: 2, seed: 5)
        let rel = try #require(files(under: root).first { $0.contains("/assessments/") && $0.hasSuffix(".v1.json") })
        return (dir, try Store.open(at: root), rel, try String(contentsOfFile: root + "/" + rel, encoding: .utf8))
    }

    @Test(arguments: [(25, 11 as UInt64), (12, 7)])
    func everyGeneratedAssessmentIsReadAndEqual(families: Int, seed: UInt64) throws {
        let (dir, root) = try TapeDecoderTests.store(families: families, seed: seed)
        _ = dir
        var read = 0
        for rel in Self.files(under: root) where rel.contains("/assessments/") {
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + rel))
            #expect(Self.agree(data, rel), "\(rel): the reader refused a document the store wrote")
            #expect(Self.cursorAgrees(data, rel), "\(rel): the one-pass reader refused a document the store wrote")
            read += 1
        }
        #expect(read > families * 2)
    }

    @Test func amendedAndWithdrawnVersionsAreReadAndEqual() throws {
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
        var read = 0
        for rel in Self.files(under: fx.store.path) where rel.contains("/assessments/") {
            let data = try Data(contentsOf: URL(fileURLWithPath: fx.store.path + "/" + rel))
            #expect(Self.agree(data, rel) && Self.cursorAgrees(data, rel), "\(rel)")
            read += 1
        }
        #expect(read == 4)
    }

    /// Every optional field present, and absent or null; items not yet rated (a null grade, no grade at all);
    /// not-applicable and not-scored ratings with and without a reason; keys the type does not know; escapes.
    @Test func everyFieldAndUnratedSlotsAreReadAsJSONDecoderReadsThem() throws {
        let text = #"""
            {"schemaVersion": 2, "id": "f-x1-a3", "version": 2, "familyId": "f-x1", "status": "amended",
             "supersedes": 1, "reason": "a \"quoted\" reason\nwith a line", "unknown": {"deep": [1, 2.5, null]},
             "instrument": {"id": "gcp2-structure", "version": "1.0.0", "digest": "abc"},
             "window": {"start": "2026-01-02", "end": "2026-02-03"},
             "visits": [{"date": "2026-01-05", "announced": false}, {"date": "2026-01-09", "announced": true}],
             "assessors": [{"name": "A", "role": "sw", "team": "T", "agency": "health-visiting"},
                           {"name": "B", "role": "hv", "team": null}],
             "carers": ["f-x1-p1", "f-x1-p2"],
             "profiles": [
               {"childId": "f-x1-c1",
                "ratings": [
                  {"linkId": "physical.nutrition.quality", "kind": "graded", "grade": 3, "evidence": "é \u00e9 😀"},
                  {"linkId": "physical.nutrition.weight", "kind": "graded", "grade": null},
                  {"linkId": "physical.housing.decor", "kind": "graded"},
                  {"linkId": "physical.housing.facilities", "kind": "graded", "grade": 1},
                  {"linkId": "safety.absence.overall", "kind": "not-applicable", "reason": "no absences"},
                  {"linkId": "safety.presence.online", "kind": "not-scored"}],
                "grades": [{"linkId": "physical", "grade": 2, "rationale": "r", "suggested": 3, "rule": "mean"},
                           {"linkId": "safety", "grade": null, "suggested": null}],
                "substitutions": [{"subArea": "safety.absence", "comment": "c"}],
                "targets": [{"linkId": "physical.nutrition", "grade": 2, "reviewBy": "2026-06-01", "action": "a",
                             "owner": {"kind": "carer", "carer": "f-x1-p1"}, "support": "s"},
                            {"linkId": "safety", "grade": 1, "reviewBy": "2026-07-01",
                             "owner": {"kind": "agency", "name": "school", "carer": null}}],
                "childView": "fine", "childViewNotObtained": {"reason": "other", "text": "t"}, "dailyLife": "d",
                "seenAlone": false, "notSeenAloneReason": "n",
                "carerViews": [{"carer": "f-x1-p1", "view": "v", "agrees": "partly", "jointly": true},
                               {"carer": null, "view": "w"}]},
               {"childId": "f-x1-c2", "ratings": null, "grades": [], "targets": null, "carerViews": null,
                "childViewNotObtained": {"reason": "too-young"}},
               {"childId": "f-x1-c3"}]}
            """#
        let data = Data(text.utf8)
        #expect(Self.agree(data, "every field"))
        let a = try #require(AssessmentTapeReader.read(ParsedDocument(data)))
        #expect(a.profiles[0].ratings.count == 4 && a.profiles[0].sources.unrated.count == 2)
        #expect(
            Self.positions(a).contains(
                "ratings [0, 3, 4, 5] unrated [\"physical.nutrition.weight@1\", \"physical.housing.decor@2\"]"))
        // The whole document's other fields, with the defaults of what is absent.
        let minimal = Data(#"{"familyId": "f-x1", "window": {"start": "2026-01-02", "end": "2026-01-02"}}"#.utf8)
        #expect(Self.agree(minimal, "the fewest fields"))
        let m = try #require(AssessmentTapeReader.read(ParsedDocument(minimal)))
        #expect(m.id.rawValue == "new" && m.version == 1 && m.status == .draft && m.profiles.isEmpty)
    }

    @Test func fixturesAndTheBadInputCorpusAgreeOrRefuse() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        var read = 0
        for sub in ["GCP2StoreTests/Fixtures", "GCP2CLITests/Fixtures", "GCP2CoreTests/Fixtures"] {
            for rel in Self.files(under: tests.path + "/" + sub) {
                if Self.agree(try Data(contentsOf: tests.appendingPathComponent(sub + "/" + rel)), rel) { read += 1 }
            }
        }
        #expect(read >= 4)  // the version 1 store's assessments at least
    }

    /// Seeded mutations of real assessments (a byte dropped or changed, a value's type swapped): whatever the
    /// reader reads, `JSONDecoder` reads the same.
    @Test func mutatedAssessmentsAgreeOrRefuse() throws {
        let (dir, root) = try TapeDecoderTests.store(families: 3, seed: 3)
        _ = dir
        var rng = SplitMix64(seed: 29)
        let replacements: [[UInt8]] = [
            Array("null".utf8), Array("1.0".utf8), Array("\"x\"".utf8), Array("[]".utf8), Array("{}".utf8), Array("1e2".utf8),
            Array("-0".utf8), Array("\"2026-13-01\"".utf8), Array("\"\\u0041\"".utf8), Array(",".utf8), Array("7".utf8),
            Array("\"graded\"".utf8), Array("\"not-scored\"".utf8), Array("true".utf8),
        ]
        var read = 0
        var refused = 0
        var cursorRead = 0
        for rel in Self.files(under: root) where rel.contains("/assessments/") {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + rel)))
            for _ in 0..<60 {
                var bytes = original
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes.remove(at: at)
                case 1: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                default:
                    let r = replacements[Int(rng.next() % UInt64(replacements.count))]
                    bytes.replaceSubrange(at..<min(bytes.count, at + r.count), with: r)
                }
                if Self.agree(Data(bytes), "\(rel) mutated at \(at)") { read += 1 } else { refused += 1 }
                if AssessmentCursorReader.read(Data(bytes)) != nil { cursorRead += 1 }
            }
        }
        #expect(read > 0 && refused > 0)
        #expect(cursorRead > 0 && cursorRead < read + refused)
    }

    /// The one-pass reader in front of `decodeAssessment`: on targeted edits of a real document (keys twice,
    /// escaped or unknown; trailing commas and text; other schema versions; grades written otherwise; nulls where a
    /// value is required; values of other types), the store reads the same assessment as through the tape and
    /// `JSONDecoder`, or fails with the same error.
    @Test func theOnePassReaderChangesNothingTheStoreReads() throws {
        let (dir, store, rel, text) = try Self.firstAssessment()
        _ = dir
        #expect(Self.cursorAgrees(Data(text.utf8), rel))
        let edits: [(String, String)] = [
            ("\"familyId\" : ", "\"familyId\" : \"f-zz\", \"familyId\" : "), ("\"id\" : ", "\"\\u0069d\" : "),
            ("\"schemaVersion\" : 2", "\"schemaVersion\" : 1"), ("\"schemaVersion\" : 2", "\"schemaVersion\" : 2.0"),
            ("\"schemaVersion\" : 2", "\"schemaVersion\" : \"2\""), ("\"schemaVersion\" : 2", "\"schemaVersion\" : null"),
            ("\"schemaVersion\" : 2,", ""), ("\"schemaVersion\" : 2", "\"schemaVersion\" : 3"),
            ("\"grade\" : 2,", "\"grade\" : 2.0,"), ("\"grade\" : 2,", "\"grade\" : 1e0,"), ("\"grade\" : 2,", "\"grade\" : 6,"),
            ("\"grade\" : 2,", "\"grade\" : 02,"), ("\"grade\" : 2,", "\"grade\" : -2,"), ("\"grade\" : 2,", "\"grade\" : null,"),
            ("\"grade\" : 2,", "\"grade\" : \"2\","), ("\"grade\" : 2,", ""),
            ("\"kind\" : \"graded\"", "\"kind\" : \"not-scored\""),
            ("\"childId\" : ", "\"extra\" : 1, \"childId\" : "), ("\"familyId\" : \"", "\"familyId\" : null, \"x\" : \""),
            ("\"window\" : {", "\"window\" : null, \"w\" : {"), ("\"linkId\" : \"", "\"linkId\" : 7, \"l\" : \""),
            ("\"role\" : \"", "\"role\" : null, \"r\" : \""), ("\"status\" : \"", "\"status\" : \"finalised\", \"s\" : \""),
            ("]\n}", "],\n}"), ("\n  ],", ",\n  ],"), ("\"carers\" : [", "\"carers\" : [\"f-a\" \"f-b\", "),
            ("{", "\u{FEFF}{"), ("{", "// note\n{"), ("\"announced\" : false", "\"announced\" : 0"),
            ("\"childView\" : \"", "\"childView\" : \"\\ud800 "), ("\"childView\" : \"", "\"childView\" : \"\\u00e9\\n\\\" "),
            ("\"rule\" : \"", "\"rule\" : \"\u{1}"), ("\"version\" : 1", "\"version\" : 18446744073709551616"),
        ]
        func attempt(_ body: () throws(StoreError) -> Assessment) -> Result<Assessment, StoreError> {
            do throws(StoreError) { return .success(try body()) } catch { return .failure(error) }
        }
        var read = 0
        var refused = 0
        for (n, (from, to)) in edits.enumerated() {
            for variant in [text.replacingOccurrences(of: from, with: to), text + "x", text + "{}", String(text.dropLast(3))]
            where variant != text {
                let data = Data(variant.utf8)
                if Self.cursorAgrees(data, "edit \(n)") { read += 1 } else { refused += 1 }
                let now = attempt { () throws(StoreError) in try store.decodeAssessment(data, at: rel) }
                let before = attempt { () throws(StoreError) in
                    try store.decodeVersioned(data, at: rel, current: AssessmentDocument.current, AssessmentDocument.decode)
                }
                switch (now, before) {
                case (.success(let a), .success(let b)):
                    #expect(a == b && Self.positions(a) == Self.positions(b), "edit \(n): \(to)")
                case (.failure(let a), .failure(let b)):
                    #expect("\(a)" == "\(b)", "edit \(n): \(to)")
                default: Testing.Issue.record("edit \(n) (\(to)): read \(now) now, \(before) before")
                }
            }
        }
        #expect(read > 0 && refused > 20, "read \(read), refused \(refused)")
    }

    /// What the reader refuses is read as before: `JSONDecoder` reads a grade written `2.0`, and a wrong type is
    /// still reported with its JSON path.
    @Test func aRefusedDocumentIsReadOrReportedAsBefore() throws {
        let (dir, store, rel, text) = try Self.firstAssessment()
        _ = dir
        let original = try store.decodeAssessment(Data(text.utf8), at: rel)

        let fraction = text.replacingOccurrences(of: "\"grade\" : 2,", with: "\"grade\" : 2.0,")
        try #require(fraction != text)
        #expect(AssessmentTapeReader.read(ParsedDocument(Data(fraction.utf8))) == nil)
        let read = try store.decodeAssessment(Data(fraction.utf8), at: rel)
        #expect(read == original && Self.positions(read) == Self.positions(original))

        let wrong = text.replacingOccurrences(of: "\"familyId\" : \"", with: "\"familyId\" : 7, \"was\" : \"")
        try #require(wrong != text)
        #expect(AssessmentTapeReader.read(ParsedDocument(Data(wrong.utf8))) == nil)
        do {
            _ = try store.decodeAssessment(Data(wrong.utf8), at: rel)
            Testing.Issue.record("a family id written as a number was read")
        } catch {
            guard case .corrupt(_, let issue) = error else {
                Testing.Issue.record("expected a corrupt document, got \(error)")
                return
            }
            #expect(issue.path == "familyId")
        }
    }
}

/// The assessors of an assessment, read from the token table (`caseload --wide`, `--team`), are what the strict
/// reader's tree gives, on every generated document and on mutated ones (assessor fields of other kinds,
/// escaped keys, no assessors).
@Suite struct AssessorsMemberTests {
    /// The reading it replaced: the tree's `assessors`, each with a string `name`.
    static func byTree(_ data: Data) -> [Assessor]? {
        guard let json = data.withUnsafeBytes({ try? MiniJSON.parse($0) }), let people = json["assessors"]?.array else {
            return nil
        }
        return people.compactMap { a in
            a["name"]?.string.map { Assessor(name: $0, role: a["role"]?.string ?? "", team: a["team"]?.string) }
        }
    }

    @Test func readsWhatTheTreeReads() throws {
        let (dir, root) = try TapeDecoderTests.store(families: 6, seed: 8)
        _ = dir
        var rng = SplitMix64(seed: 41)
        let swaps: [(String, String)] = [
            ("\"name\"", "\"\\u006eame\""), ("\"team\"", "\"te\\u0061m\""), ("\"role\" : \"", "\"role\" : 7, \"x\" : \""),
            ("\"assessors\"", "\"assessor\""), ("\"team\" : \"", "\"team\" : null, \"y\" : \""),
            ("\"assessors\" : [", "\"assessors\" : [ 3, \"z\", {}, "),
        ]
        var compared = 0
        for rel in AssessmentTapeReaderTests.files(under: root) where rel.contains("/assessments/") {
            let text = try String(contentsOfFile: root + "/" + rel, encoding: .utf8)
            var variants = [text]
            for _ in 0..<4 {
                let (from, to) = swaps[Int(rng.next() % UInt64(swaps.count))]
                variants.append(text.replacingOccurrences(of: from, with: to))
            }
            for v in variants {
                let data = Data(v.utf8)
                #expect(Store.assessorsMember(data) == Self.byTree(data), "\(rel)")
                compared += 1
            }
        }
        #expect(compared > 20)
        #expect(Store.assessorsMember(Data("[1]".utf8)) == nil && Store.assessorsMember(Data("{".utf8)) == nil)
    }
}
