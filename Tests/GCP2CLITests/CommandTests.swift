import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

@Suite struct ParsingTests {
    static let a = Argument<String>("A", optional: true, help: "")
    static let b = Argument<String>("B", optional: true, help: "")
    static let child = Option<String>("child", "CHILD", help: "")
    static let items = Flag("items", help: "")
    let spec = Command("compare", "", arguments: [a, b], options: [child, items], examples: []) { _ in }.spec

    @Test func bindsLongOptionsEqualsAndDoubleDash() throws {
        let a = try ArgumentBinder.bind(["--child=f-x-c1", "a1", "--items", "--", "--b2"], to: spec, globals: Commands.globals)
        #expect(try a.value(Self.child) == "f-x-c1")
        #expect(a.flag(Self.items))
        #expect(a.positionals == ["a1", "--b2"])
        #expect(try a.value(Self.a) == "a1" && a.value(Self.b) == "--b2")
    }

    @Test func unknownOptionSuggestsTheNearestOne() {
        #expect(throws: UsageError.unknownOption("--chlid", command: "compare", suggestion: "--child")) {
            try ArgumentBinder.bind(["--chlid", "x"], to: spec, globals: [])
        }
    }

    @Test func missingValueAndExtraArguments() {
        #expect(throws: UsageError.missingValue(option: "--child", placeholder: "CHILD")) {
            try ArgumentBinder.bind(["--child"], to: spec, globals: [])
        }
        #expect(throws: UsageError.unexpectedArgument("c", command: "compare")) {
            try ArgumentBinder.bind(["a", "b", "c"], to: spec, globals: [])
        }
        #expect(throws: UsageError.repeatedOption("--child")) {
            try ArgumentBinder.bind(["--child", "a", "--child", "b"], to: spec, globals: [])
        }
    }
}

@Suite struct CommandTests {
    @Test func helpAndVersionGoToStdoutWithZero() throws {
        let fx = try CLIFixture(populate: false)
        let h = fx.run(["--help"])
        #expect(h.code == 0 && h.out.contains("Usage: gcp2") && h.err.isEmpty)
        let v = fx.run(["--version"])
        #expect(v.code == 0 && v.out == "gcp2 \(GCP2CLI.version)\n")
        let c = fx.run(["help", "compare"])
        #expect(c.code == 0 && c.out.contains("Examples:") && c.out.contains("--child CHILD"))
        let d = fx.run(["record", "--help"])
        #expect(d.code == 0 && d.out.contains("--interactive FAMILY"))
    }

    @Test func usageErrorsExit64WithHint() throws {
        let fx = try CLIFixture(populate: false)
        let r = fx.run(["comapre"])
        #expect(r.code == 64)
        #expect(r.err.contains("error: unknown command 'comapre' (did you mean 'compare'?)"))
        #expect(r.err.contains("hint:"))
        let o = fx.run(["caseload", "--as-off", "2026-01-01"])
        #expect(o.code == 64 && o.err.contains("did you mean '--as-of'?"))
        #expect(fx.run(["caseload", "--as-of", "2026-13-01"]).code == 64)
        #expect(fx.run(["child", "add", "f-test01", "--name", "X"]).code == 64)
    }

    @Test func missingStoreSaysRunInit() throws {
        let fx = try CLIFixture(populate: false)
        let r = fx.run(["caseload"])
        #expect(r.code == 66)
        #expect(r.err.contains("no gcp2 store at"))
        #expect(r.err.contains("gcp2 init"))
    }

    @Test func initFamilyChildCarerByHand() throws {
        let fx = try CLIFixture(populate: false)
        #expect(fx.run(["init"]).code == 0)
        #expect(fx.run(["init"]).code == 73)
        let added = fx.run(["family", "add", "--ref", "NB-1", "--json"])
        #expect(added.code == 0)
        let family = try JSONDecoder().decode(Family.self, from: Data(added.out.utf8))
        let child = fx.run(["child", "add", family.id.rawValue, "--name", "Rae Sample", "--born", "2020-02-02"])
        #expect(child.code == 0 && child.out.contains("\(family.id)-c1"))
        let carer = fx.run(["carer", "add", family.id.rawValue, "--name", "Lou Sample", "--relationship", "stepfather"])
        #expect(carer.code == 0)
        let bad = fx.run(["carer", "add", family.id.rawValue, "--name", "Lou", "--relationship", "friend"])
        #expect(bad.code == 64 && bad.err.contains("foster-carer"))
        let show = fx.run(["family", "show", family.id.rawValue])
        #expect(show.out.contains("Rae Sample") && show.out.contains("stepfather"))
        let list = fx.run(["family", "list"])
        #expect(list.out.contains("NB-1"))
        #expect(fx.run(["family", "show", "f-nope99"]).code == 66)
        #expect(fx.run(["family", "show", "../../etc"]).code == 66)
    }

    @Test func templateHasExactlyTheApplicableItems() throws {
        let fx = try CLIFixture()
        let r = fx.run(["template", "f-test01", "--date", "2026-06-01"])
        #expect(r.code == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let profiles = obj["profiles"] as! [[String: Any]]
        let codes = profiles.map { ($0["ratings"] as! [[String: Any]]).map { $0["code"] as! String } }
        // Ada (9): online safety and school-age stimulation. Bo (9 months): neither online safety nor school-age stimulation.
        #expect(codes[0].contains("B.1.c") && codes[0].contains("D.1.b") && !codes[0].contains("D.1.a"))
        #expect(!codes[1].contains("B.1.c") && codes[1].contains("D.1.a") && !codes[1].contains("D.1.b"))
        #expect(codes[0].count == 18 && codes[1].count == 17)
        // An unfilled template records as a draft with everything still to rate, and cannot be final.
        let file = fx.write("blank.json", r.out)
        #expect(fx.run(["record", file, "--final"]).code == 65)
        let draft = fx.run(["record", file])
        #expect(draft.code == 0, "\(draft.err)")
        #expect(draft.out.contains("still to rate"))
    }

    @Test func recordShowHistoryCompareSummaryCaseload() throws {
        let fx = try CLIFixture()
        let first = fx.write("a1.json", try fx.filledTemplate(grade: 4, date: "2025-10-01"))
        let r1 = fx.run(["record", first, "--final"])
        #expect(r1.code == 0, "\(r1.err)")
        #expect(r1.out.contains("Recorded final assessment f-test01-a1"))
        #expect(r1.out.contains("Physical care       4  ████░  concern"))
        let second = fx.write("a2.json", try fx.filledTemplate(grade: 2, date: "2026-03-01"))
        #expect(fx.run(["record", second, "--final"]).code == 0)
        let show = fx.run(["show", "f-test01-a2", "--child", "f-test01-c1"])
        #expect(show.code == 0)
        #expect(show.out.contains("Going well:") && !show.out.contains("Bo Sample,"))
        #expect(show.out.contains("Not covered") == false)
        #expect(fx.run(["show", "f-test01-a9"]).code == 66)
        #expect(fx.run(["show", "f-test01-a1", "--child", "f-test01-c7"]).code == 66)
        let history = fx.run(["history", "f-test01-c1"])
        #expect(history.out.contains("2025-10-01") && history.out.contains("2026-03-01"))
        let cmp = fx.run(["compare", "--child", "f-test01-c1"])
        #expect(cmp.code == 0)
        #expect(cmp.out.contains("↓ better by 2"))
        #expect(cmp.out.contains("(resolved: no longer needs work)"))
        let sum = fx.run(["summary", "f-test01-c1"])
        #expect(sum.out.contains("improving: Physical care from 4 to 2"))
        let fam = fx.run(["summary", "--family", "f-test01"])
        #expect(fam.out.contains("Ada Sample") && fam.out.contains("Bo Sample"))
        let cl = fx.run(["caseload"])
        #expect(cl.code == 0 && cl.out.contains("Caseload as of 2026-06-30: 2 children in 1 family"))
        #expect(fx.run(["compare", "--child", "f-test01-c9"]).code == 66)
        #expect(fx.run(["summary", "f-nope00-c1"]).code == 66)
    }

    @Test func lifecycleByCommand() throws {
        let fx = try CLIFixture()
        let file = fx.write("a.json", try fx.filledTemplate(grade: 3))
        #expect(fx.run(["record", file]).code == 0)
        #expect(fx.run(["finalise", "f-test01-a1"]).code == 0)
        let again = fx.run(["finalise", "f-test01-a1"])
        #expect(again.code == 65 && again.err.contains("already final"))
        #expect(fx.run(["amend", "f-test01-a1", file]).code == 64)
        let amended = fx.run(["amend", "f-test01-a1", file, "--reason", "Evidence corrected"])
        #expect(amended.code == 0 && amended.out.contains("version 2"))
        let w = fx.run(["withdraw", "f-test01-a1", "--reason", "Wrong family"])
        #expect(w.code == 0)
        let h = fx.run(["history", "f-test01-c1"])
        #expect(h.out.contains("withdrawn (not counted)"))
        #expect(fx.run(["doctor"]).code == 0)
        // A draft can be withdrawn too, and stays on record.
        #expect(fx.run(["record", file]).code == 0)
        #expect(fx.run(["withdraw", "f-test01-a2", "--reason", "Started by mistake"]).code == 0)
        #expect(fx.run(["finalise", "f-test01-a2"]).code == 65)
        #expect(fx.run(["doctor"]).code == 0)
    }

    @Test func validateChecksWithoutStoring() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let file = fx.write("a.json", try fx.filledTemplate(grade: 2))
        let r = fx.run(["validate", file, "--final"])
        #expect(r.code == 0 && r.out.contains("is valid"))
        #expect(fx.snapshot() == before)
    }

    @Test func instrumentCommands() throws {
        let fx = try CLIFixture()
        let show = fx.run(["instrument", "show"])
        #expect(show.out.contains("A.1.a") && show.out.contains("Substitution"))
        let json = fx.run(["instrument", "show", "--json"])
        let file = fx.write("inst.json", json.out)
        #expect(fx.run(["instrument", "validate", file]).code == 0)
        let broken = fx.write("broken.json", json.out.replacingOccurrences(of: "\"A.1.a\"", with: "\"A.1.b\""))
        let r = fx.run(["instrument", "validate", broken])
        #expect(r.code == 65 && r.err.contains("duplicate code"))
    }

    @Test func storeBusyExits75() throws {
        let fx = try CLIFixture()
        let held = try FileLock(path: fx.store + "/.lock", exclusive: true, timeout: 1)
        let r = fx.run(["family", "add", "--ref", "X"], env: ["GCP2_LOCK_TIMEOUT": "0.2"])
        #expect(r.code == 75 && r.err.contains("busy"))
        withExtendedLifetime(held) {}
    }

    @Test func noSwiftTypeNamesOrEvidenceInErrors() throws {
        let fx = try CLIFixture()
        let file = fx.write(
            "bad.json",
            #"{"familyId":"f-test01","window":{"start":"2026-01-01","end":"2026-01-05"},"profiles":[{"childId":"f-test01-c1","ratings":[{"linkId":"physical.hygiene.overall","kind":"graded","grade":9,"evidence":"SECRET EVIDENCE"}]}]}"#
        )
        let r = fx.run(["record", file])
        #expect(r.code == 65)
        #expect(!r.err.contains("SECRET"))
        #expect(!r.err.contains("DecodingError") && !r.err.contains("Swift."))
        #expect(mentions(r.err, "profiles[0].ratings[0].grade"))
    }
}

@Suite struct LicenseeStoreTests {
    /// A store created with a licensee's instrument grades, shows and summarises with it end to end.
    @Test func storeGradesWithALicenseeInstrument() throws {
        let fx = try CLIFixture(populate: false)
        let file = fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GCP2CoreTests/Fixtures/licensee-instrument.json").path
        let created = fx.run(["init", "--instrument", file])
        #expect(created.code == 0 && created.out.contains("riverside-gcp-local 2.1.0"), "\(created.err)")
        #expect(fx.run(["instrument", "show"]).out.contains("Older child feeding"))
        let fam = try JSONDecoder().decode(
            Family.self, from: Data(fx.run(["family", "add", "--ref", "LIC-9", "--json"]).out.utf8))
        #expect(fx.run(["child", "add", fam.id.rawValue, "--name", "Io Sample", "--born", "2020-03-03"]).code == 0)
        let t = fx.run(["template", fam.id.rawValue, "--date", "2026-06-01"])
        #expect(
            t.out.contains("physical.food.older") && !t.out.contains("physical.food.infant")
                && !t.out.contains("physical.nutrition"))
        var obj = try JSONSerialization.jsonObject(with: Data(t.out.utf8)) as! [String: Any]
        var profiles = obj["profiles"] as! [[String: Any]]
        var ratings = profiles[0]["ratings"] as! [[String: Any]]
        for i in ratings.indices {
            ratings[i]["grade"] = ratings[i]["linkId"] as! String == "physical.food.routine" ? 4 : 2
            ratings[i]["evidence"] = "Seen."
        }
        profiles[0]["ratings"] = ratings
        profiles[0]["childView"] = "Likes the park."
        profiles[0]["seenAlone"] = true
        obj["profiles"] = profiles
        obj["assessors"] = [["name": "Sam Worker", "role": "social worker", "team": "East"]]
        obj["visits"] = [["date": (obj["window"] as! [String: Any])["end"]!, "announced": true]]
        let filled = fx.write("lic.json", String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
        let r = fx.run(["record", filled, "--final"])
        #expect(r.code == 0, "\(r.err)")
        // Food by mode-worse over 2, 4, 2 → 2; Physical by worst over Food 2 and Home 2 → 2.
        #expect(r.out.contains("A.1 Food      2  ██░░░  strength"))
        #expect(r.out.contains("A.1.b Routine graded 4 (sub-area 2)"))
        let wrongInstrument = fx.write(
            "wrong.json", t.out.replacingOccurrences(of: "physical.food.variety", with: "physical.nutrition.quality"))
        #expect(fx.run(["validate", wrongInstrument]).err.contains("unknown item \"physical.nutrition.quality\""))
        #expect(fx.run(["caseload"]).code == 0)
        #expect(fx.run(["doctor"]).code == 0)
        let bad = try CLIFixture(populate: false)
        let broken = bad.write("broken.json", "{\"schemaVersion\": 1}")
        let refused = bad.run(["init", "--instrument", broken])
        #expect(refused.code == 65 && refused.err.contains("missing key"))
        #expect(!FileManager.default.fileExists(atPath: bad.store))
    }
}
