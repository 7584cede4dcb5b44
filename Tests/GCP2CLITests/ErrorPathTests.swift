import Foundation
import TestSupport
import Testing

/// Every command's error paths: the exit code a script can rely on and an `error:` line a person can act on.
@Suite struct ErrorPathTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var args: [String]
        var code: Int32
        var words: String
        var testDescription: String { "gcp2 \(args.joined(separator: " ")) → \(code)" }
    }

    @Test(arguments: [
        Case(args: ["init", "--policy", "nowhere.json"], code: 66, words: "no file nowhere.json"),
        Case(args: ["family", "add"], code: 64, words: "needs --ref REF"),
        Case(args: ["family", "add", "--ref", " "], code: 65, words: "--ref"),
        Case(args: ["family", "show"], code: 64, words: "needs FAMILY"),
        Case(args: ["family", "frob"], code: 64, words: "'family' needs one of: add, list, show"),
        Case(args: ["child", "add", "f-zzzz99", "--name", "A", "--born", "2020-01-01"], code: 66, words: "no family f-zzzz99"),
        Case(args: ["child", "add", "f-test01", "--name", "A", "--born", "yesterday"], code: 64, words: "a date YYYY-MM-DD"),
        Case(args: ["carer", "add", "f-test01", "--name", "A"], code: 64, words: "needs --relationship R"),
        Case(args: ["template", "f-zzzz99"], code: 66, words: "no family f-zzzz99"),
        Case(args: ["template", "f-test01", "--child", "f-test01-c9"], code: 66, words: "no child"),
        Case(args: ["template", "f-test01", "--date", "2025-01-01", "--child", "f-test01-c2"], code: 65, words: "not yet born"),
        Case(args: ["record"], code: 64, words: "needs FILE (or --interactive FAMILY)"),
        Case(args: ["record", "a.json", "--interactive", "f-test01"], code: 64, words: "not both"),
        Case(args: ["record", "--interactive", "f-zzzz99"], code: 66, words: "no family f-zzzz99"),
        Case(args: ["finalise", "f-test01-a9"], code: 66, words: "no assessment f-test01-a9"),
        Case(args: ["finalise", "../etc/passwd"], code: 66, words: "no assessment"),
        Case(args: ["amend", "f-test01-a1", "x.json"], code: 64, words: "needs --reason R"),
        Case(args: ["withdraw", "f-test01-a9", "--reason", "typo"], code: 66, words: "no assessment f-test01-a9"),
        Case(args: ["withdraw", "f-test01-a9"], code: 64, words: "needs --reason R"),
        Case(args: ["show", "f-test01-a9"], code: 66, words: "no assessment f-test01-a9"),
        Case(args: ["show", "f-test01-a1", "--assessment-version", "zero"], code: 64, words: "version number"),
        Case(args: ["history", "f-test01-c9"], code: 66, words: "no child f-test01-c9"),
        Case(args: ["compare"], code: 64, words: "needs --child CHILD"),
        Case(args: ["compare", "--child", "f-test01-c1"], code: 65, words: "a comparison needs two"),
        Case(args: ["compare", "f-test01-a1", "--child", "f-test01-c1"], code: 64, words: "a second assessment"),
        Case(args: ["summary"], code: 64, words: "needs CHILD (or --family FAMILY)"),
        Case(args: ["summary", "f-test01-c1", "--family", "f-test01"], code: 64, words: "not both"),
        Case(args: ["summary", "--family", "f-zzzz99"], code: 66, words: "no family f-zzzz99"),
        Case(args: ["caseload", "--as-of", "soon"], code: 64, words: "a date YYYY-MM-DD"),
        Case(args: ["validate", "nowhere.json"], code: 66, words: "no file nowhere.json"),
        Case(args: ["instrument", "validate", "nowhere.json"], code: 66, words: "no file nowhere.json"),
        Case(args: ["help", "frobnicate"], code: 64, words: "unknown command"),
        Case(args: ["show", "f-test01-a1", "--evidnce"], code: 64, words: "did you mean '--evidence'?"),
    ])
    func errorPath(c: Case) throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let r = fx.run(c.args)
        #expect(r.code == c.code, "\(r.err)")
        #expect(r.err.hasPrefix("error: "), "\(r.err)")
        #expect(r.err.contains(c.words), "\(r.err)")
        #expect(r.err.contains("hint: "))
        #expect(fx.snapshot() == before)
    }

    @Test func doctorReportsProblemsWithExit65AndRepairFixesTheIndex() throws {
        let fx = try CLIFixture()
        try FileManager.default.removeItem(atPath: fx.store + "/index/f-test01.json")
        let r = fx.run(["doctor"])
        #expect(r.code == 65)
        #expect(r.out.contains("index entry missing"))
        #expect(fx.run(["doctor", "--repair"]).code == 0)
        #expect(fx.run(["doctor"]).code == 0)
    }

    @Test func damagedAndNewerDocumentsExit74() throws {
        let fx = try CLIFixture()
        let file = fx.store + "/families/f-test01/family.json"
        try Data("{\"schemaVersion\": 7}".utf8).write(to: URL(fileURLWithPath: file))
        let changed = fx.run(["family", "show", "f-test01"])
        #expect(changed.code == 74 && changed.err.contains("changed outside gcp2") && changed.err.contains(file))
        let newer = fx.run(["family", "show", "f-test01", "--ignore-integrity"])
        #expect(newer.code == 74 && newer.err.contains("newer than this gcp2"))
        try Data("{ broken".utf8).write(to: URL(fileURLWithPath: file))
        let broken = fx.run(["family", "show", "f-test01"])
        #expect(broken.code == 74 && broken.err.contains("is damaged") && broken.err.contains("gcp2 doctor"))
    }

    @Test func initWithAPolicyFileUsesItAndRejectsBadOnes() throws {
        let fx = try CLIFixture(populate: false)
        let good = fx.write("policy.json", #"{"driftMinDays": 120}"#)
        #expect(fx.run(["init", "--policy", good]).code == 0)
        let manifest = try String(contentsOfFile: fx.store + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"driftMinDays\" : 120"))
        let other = try CLIFixture(populate: false)
        let bad = other.write("policy.json", #"{"needsWorkFrom": 9}"#)
        let r = other.run(["init", "--policy", bad])
        #expect(r.code == 65 && r.err.contains("needsWorkFrom"))
        #expect(!FileManager.default.fileExists(atPath: other.store))
    }
}
