import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// Hostile text (issue 18): refused on input with a located error, and escaped on output when a store holds it
/// from before the rules, so it can neither steer the terminal nor fake a line of gcp2's own.
@Suite struct TerminalInjectionTests {
    static let clear = "\u{1B}[2J\u{1B}[H"
    static let title = "\u{1B}]0;owned\u{07}"
    static let clipboard = "\u{1B}]52;c;cm0gLXJmIH4=\u{07}"
    static let override = "\u{202E}"
    static let fakeError = "\nerror: the store is corrupt, run rm -rf"

    /// No raw control or bidirectional control character other than a newline in what reached the terminal.
    static func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains { TextRule.isControl($0) && $0 != "\n" }
    }

    /// No line of the output starts with gcp2's own `error:` or `warning:` unless gcp2 wrote it.
    static func fakesNoLine(_ text: String) -> Bool {
        !text.split(separator: "\n").contains { $0.hasPrefix("error: the store") }
    }

    // MARK: Input

    @Test func namesReferencesAndNotesRefuseControlCharacters() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let cases: [([String], String)] = [
            (["family", "add", "--ref", "R-1" + Self.clear], "--ref"),
            (["family", "add", "--ref", "R-1\tx"], "--ref"),
            (["family", "add", "--ref", "R-1", "--notes", "note" + Self.override], "--notes"),
            (["family", "add", "--ref", "R-1", "--notes", "note" + Self.title], "--notes"),
            (["child", "add", "f-test01", "--name", "Eve" + Self.fakeError, "--born", "2020-01-01"], "--name"),
            (["child", "add", "f-test01", "--name", "Eve\n", "--born", "2020-01-01"], "--name"),
            (["carer", "add", "f-test01", "--name", "\u{2066}Fay", "--relationship", "mother"], "--name"),
            (["carer", "add", "f-test01", "--name", "Fay\u{85}", "--relationship", "mother"], "--name"),
            (["family", "add", "--ref", "R-1", "--actor", "me" + Self.clipboard], "--actor"),
        ]
        for (args, flag) in cases {
            let r = fx.run(args)
            #expect(r.code == 65, "\(args)")
            #expect(r.err.contains(flag) && r.err.contains("control character U+"), "\(args): \(r.err)")
            #expect(Self.isClean(r.err) && Self.fakesNoLine(r.err), "\(args): \(r.err)")
        }
        #expect(fx.snapshot() == before)
        // Notes may run to several lines, with tabs.
        #expect(fx.run(["family", "add", "--ref", "R-2", "--notes", "first line\n\tsecond line"]).code == 0)
    }

    /// An assessment file with `text` at one field, as `validate` and `record` see it.
    func assessment(_ fx: CLIFixture, _ change: (inout [String: Any]) -> Void) throws -> String {
        var obj = try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate().utf8)) as! [String: Any]
        change(&obj)
        return fx.write("a.json", String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
    }

    static func setRating(_ obj: inout [String: Any], _ key: String, _ value: String) {
        var profiles = obj["profiles"] as! [[String: Any]]
        var ratings = profiles[0]["ratings"] as! [[String: Any]]
        ratings[0][key] = value
        profiles[0]["ratings"] = ratings
        obj["profiles"] = profiles
    }

    static func setProfile(_ obj: inout [String: Any], _ key: String, _ value: String) {
        var profiles = obj["profiles"] as! [[String: Any]]
        profiles[0][key] = value
        obj["profiles"] = profiles
    }

    @Test func assessmentTextIsHeldToItsRule() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("profiles[0].ratings[0].evidence", { Self.setRating(&$0, "evidence", "Seen" + Self.clear) }),
            ("profiles[0].ratings[0].evidence", { Self.setRating(&$0, "evidence", "Seen\r\u{1B}[1Aerror: x") }),
            ("profiles[0].childView", { Self.setProfile(&$0, "childView", "fine" + Self.override + "txet") }),
            (
                "profiles[0].carerViews[0].view",
                {
                    var profiles = $0["profiles"] as! [[String: Any]]
                    profiles[0]["carerViews"] = [["carer": "f-test01-p1", "view": "fine" + Self.clipboard, "agrees": "yes"]]
                    $0["profiles"] = profiles
                }
            ),
            ("profiles[0].dailyLife", { Self.setProfile(&$0, "dailyLife", "naps" + Self.clipboard) }),
            ("assessors[0].team", { $0["assessors"] = [["name": "Sam", "role": "social worker", "team": "East\tside"]] }),
            ("assessors[0].name", { $0["assessors"] = [["name": "Sam\nerror: x", "role": "social worker"]] }),
            ("assessors[0].role", { $0["assessors"] = [["name": "Sam", "role": "\u{200F}worker"]] }),
        ]
        for (path, change) in cases {
            let file = try assessment(fx, change)
            for command in [["validate", file], ["record", file, "--final"]] {
                let r = fx.run(command)
                #expect(r.code == 65, "\(command[0]) \(path): \(r.err)")
                #expect(mentions(r.err, path) && r.err.contains("control character U+"), "\(command[0]) \(path): \(r.err)")
                #expect(Self.isClean(r.err))
            }
        }
        #expect(fx.snapshot() == before)
        // Evidence and views may hold tab and newline.
        let ok = try assessment(fx) {
            Self.setRating(&$0, "evidence", "Seen on both visits:\n\t- fridge stocked\n\t- clean clothes")
            Self.setProfile(&$0, "childView", "Likes school.\nMisses her dad.")
        }
        let r = fx.run(["record", ok, "--final"])
        #expect(r.code == 0, "\(r.err)")
    }

    @Test func instrumentTextIsHeldToItsRule() throws {
        let fx = try CLIFixture(populate: false)
        var obj = try JSONSerialization.jsonObject(with: Data(Instrument.gcp2StructureJSON.utf8)) as! [String: Any]
        obj["title"] = "GCP2" + Self.title
        let file = fx.write("i.json", String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
        for command in [["init", "--instrument", file], ["instrument", "validate", file]] {
            let r = fx.run(command)
            #expect(r.code == 65, "\(command): \(r.out) \(r.err)")
            #expect(r.err.contains("title") && r.err.contains("U+001B"), "\(command): \(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: fx.store))
    }

    // MARK: Output

    /// A store written before the rules: hostile names, notes, views, evidence and instrument title, put in
    /// through the store's own staging so the index, caseload entry and audit chain agree with them.
    func plantedStore() throws -> (CLIFixture, AssessmentID) {
        let fx = try CLIFixture(populate: false)
        var raw = try JSONSerialization.jsonObject(with: Data(Instrument.gcp2StructureJSON.utf8)) as! [String: Any]
        raw["title"] = "Hostile" + Self.title + Self.clear
        let inst = try InstrumentFile.load(from: try JSONSerialization.data(withJSONObject: raw), checksText: false)
        let s = try Store.create(at: fx.store, instrument: inst, now: fixedNow)
        let family = Family(
            id: FamilyID(rawValue: "f-test01")!, ref: "REF" + Self.override + "1",
            children: [
                Child(
                    id: ChildID(rawValue: "f-test01-c1")!, name: "Ada" + Self.clear + Self.fakeError,
                    born: CalendarDate("2017-04-02")!),
                Child(id: ChildID(rawValue: "f-test01-c2")!, name: Self.override + "Bo", born: CalendarDate("2019-04-02")!),
            ],
            carers: [Carer(id: CarerID(rawValue: "f-test01-p1")!, name: "Cy" + Self.clipboard, relationship: .mother)],
            notes: "Quiet house." + Self.fakeError)
        try s.transaction(action: "family.add", record: family.id.rawValue, actor: "t", now: fixedNow) { tx throws(StoreError) in
            try s.stage(family: family, assessments: [], into: &tx, newFamily: true)
        }
        var a = Assessment(
            id: AssessmentID(rawValue: "f-test01-a1")!, familyId: family.id,
            window: ObservationWindow(start: CalendarDate("2026-05-01")!, end: CalendarDate("2026-06-01")!),
            visits: [Visit(date: CalendarDate("2026-05-20")!, announced: false)],
            assessors: [Assessor(name: "Sam" + Self.title, role: "social worker", team: "East" + Self.clear)],
            carers: [CarerID(rawValue: "f-test01-p1")!])
        for child in family.children {
            let age = child.born.wholeMonths(to: a.date)
            let ratings = inst.areas.flatMap { $0.subAreas }.flatMap { inst.applicableItems(in: $0, ageMonths: age) }.map {
                ItemRating($0.linkId, .graded(Grade(rawValue: 4)!, evidence: "Seen" + Self.clear + Self.fakeError))
            }
            a.profiles.append(
                ProfileRecord(
                    childId: child.id, ratings: ratings, childView: "Happy" + Self.fakeError, seenAlone: true,
                    carerViews: [
                        CarerView(carer: CarerID(rawValue: "f-test01-p1")!, view: "Fine" + Self.override + "enif", agrees: .yes)
                    ]))
        }
        a.status = .final
        var ctx = AssessmentContext(instrument: inst, family: family, today: CalendarDate(fx.today)!, requireComplete: true)
        ctx.checksText = false
        let recorded = a.recording(try a.computeProfiles(in: ctx), instrument: inst.reference)
        try s.transaction(action: "record.final", record: a.id.rawValue, actor: "t", now: fixedNow) { tx throws(StoreError) in
            tx.create(Store.assessmentFile(a.id, version: 1, family: family.id), AssessmentDocument.encode(recorded))
            try s.stage(family: family, assessments: [recorded], into: &tx, familyUnchanged: true)
        }
        #expect(fx.run(["doctor"]).code == 0)
        return (fx, a.id)
    }

    @Test func storedTextIsEscapedInEveryTextView() throws {
        let (fx, a) = try plantedStore()
        let views: [[String]] = [
            ["family", "show", "f-test01"], ["family", "list"], ["show", a.rawValue, "--evidence"], ["show", a.rawValue],
            ["summary", "--family", "f-test01"], ["caseload"], ["instrument", "show"], ["history", "f-test01-c1"],
        ]
        for args in views {
            let r = fx.run(args)
            #expect(r.code == 0, "\(args): \(r.err)")
            #expect(Self.isClean(r.out) && Self.isClean(r.err), "\(args) wrote a raw control character")
            #expect(Self.fakesNoLine(r.out), "\(args) let stored text fake a line:\n\(r.out)")
        }
        let family = fx.run(["family", "show", "f-test01"]).out
        #expect(family.contains("Ada\\u{1B}[2J\\u{1B}[H"))
        #expect(family.contains("\\u{202E}Bo"))
        #expect(family.contains("Cy\\u{1B}]52;c;cm0gLXJmIH4=\\u{7}"))
        #expect(family.contains("Quiet house.\n  error: the store is corrupt"))
        let show = fx.run(["show", a.rawValue, "--evidence"]).out
        #expect(show.contains("Happy\n    error: the store is corrupt"))
        #expect(show.contains("Fine\\u{202E}enif"))
        #expect(show.contains("Seen\\u{1B}[2J\\u{1B}[H"))
        #expect(show.contains("Sam\\u{1B}]0;owned\\u{7}"))
        #expect(fx.run(["instrument", "show"]).out.hasPrefix("Hostile\\u{1B}]0;owned\\u{7}"))
        let caseload = fx.run(["caseload"]).out
        #expect(caseload.contains("\\u{202E}Bo") && !caseload.contains("\u{202E}"))
        // A name is one line: its newline is shown escaped, in every view that names the child.
        for args in [["summary", "--family", "f-test01"], ["show", a.rawValue], ["family", "show", "f-test01"]] {
            #expect(fx.run(args).out.contains("Ada\\u{1B}[2J\\u{1B}[H\\u{A}"), "\(args)")
        }
    }

    /// A name holding "\r\n" (one character to Swift) in a hand-edited caseload entry: the table measures it by its
    /// lines without looping for ever, and escapes the carriage return.
    @Test func aCarriageReturnAndNewlineInAStoredNameIsMeasuredAndEscaped() throws {
        let (fx, _) = try plantedStore()
        let entry = fx.store + "/caseload/f-test01.json"
        let text = try String(contentsOfFile: entry, encoding: .utf8)
        let children = try #require(text.range(of: #""children" : ["#))
        let name = try #require(
            text.range(of: #""name" : "[^"]*""#, options: .regularExpression, range: children.upperBound..<text.endIndex))
        try text.replacingCharacters(in: name, with: #""name" : "Eve\r\nerror: the store is corrupt""#)
            .write(toFile: entry, atomically: true, encoding: .utf8)
        #expect(Layout.displayWidth("a\r\nbc") == 2)
        for args in [["caseload"], ["caseload", "--wide"], ["caseload", "--format", "markdown"]] {
            let r = fx.run(args)
            #expect(r.code == 0, "\(args): \(r.err)")
            #expect(Self.isClean(r.out) && Self.fakesNoLine(r.out), "\(args):\n\(r.out)")
        }
    }

    @Test func jsonOutputEscapesEveryControlCharacter() throws {
        let (fx, a) = try plantedStore()
        for args in [["family", "show", "f-test01", "--json"], ["show", a.rawValue, "--json"], ["caseload", "--json"]] {
            let r = fx.run(args)
            #expect(r.code == 0, "\(args): \(r.err)")
            #expect(Self.isClean(r.out), "\(args)")
            // Still the stored text, once decoded.
            let parsed = try JSONSerialization.jsonObject(with: Data(r.out.utf8))
            #expect(String(decoding: try JSONSerialization.data(withJSONObject: parsed), as: UTF8.self).contains("Bo"))
        }
        #expect(fx.run(["family", "show", "f-test01", "--json"]).out.contains(#"\u202eBo"#))
    }

    @Test func anActorWithControlCharactersIsRefusedBeforeAnythingIsWritten() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let r = fx.run(["family", "add", "--ref", "R-9"], env: ["GCP2_ACTOR": "x" + Self.title])
        #expect(r.code == 65)
        #expect(r.err.contains("--actor"), "\(r.err)")
        #expect(fx.snapshot() == before)
    }

    // MARK: The rules and the sinks

    @Test func theRulesAndTheEscape() {
        #expect(TextRule.line.problem(in: "Ada Sample — née Ünal") == nil)
        #expect(TextRule.line.problem(in: "a\tb") == "has the control character U+0009 at character 2")
        #expect(TextRule.block.problem(in: "a\tb\nc") == nil)
        #expect(TextRule.block.problem(in: "a\r\nb") == "has the control character U+000D at character 2")
        for s in [
            "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}", "\u{61C}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202E}",
            "\u{2066}", "\u{2069}",
        ] {
            #expect(TextRule.block.problem(in: s) != nil, "\(s.unicodeScalars.first!.value)")
            #expect(Self.isClean(TextRule.escaped(s)))
        }
        #expect(TextRule.escaped("a\u{1B}[2Jb\nc\td") == "a\\u{1B}[2Jb\nc\\u{9}d")
        #expect(TextRule.escaped("█ grade 4 ░ café") == "█ grade 4 ░ café")
        #expect(Layout.continued("one\nerror: two", indent: "  ") == "one\n  error: two")
        let table = Layout.table([["A.1.a Diet", "4  Seen\nerror: fake", "", ""], ["A.1.b Water", "2  ok", "", ""]])
        #expect(table == "  A.1.a Diet   4  Seen\n               error: fake\n  A.1.b Water  2  ok")
    }

    /// The built executable, as a terminal would receive its bytes.
    @Test func theBinaryRefusesAndEscapes() throws {
        let (fx, _) = try plantedStore()
        let env = ["GCP2_STORE": fx.store, "GCP2_TODAY": fx.today, "GCP2_ACTOR": "tester"]
        let shown = try runProcess(gcp2Binary, ["family", "show", "f-test01"], env: env)
        #expect(shown.code == 0, "\(shown.err)")
        #expect(!shown.out.utf8.contains(0x1B) && !shown.out.utf8.contains(0x07))
        #expect(shown.out.contains("Ada\\u{1B}[2J"))
        let refused = try runProcess(gcp2Binary, ["family", "add", "--ref", "R" + Self.clear], env: env)
        #expect(refused.code == 65)
        #expect(refused.err.contains("--ref") && !refused.err.utf8.contains(0x1B), "\(refused.err)")
    }
}
