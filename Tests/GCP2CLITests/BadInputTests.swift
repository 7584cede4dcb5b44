import Foundation
import TestSupport
import Testing

@Suite struct BadInputTests {
    static let expectations: [String: [String]] = {
        let data = (try? Data(contentsOf: fixtures.appendingPathComponent("bad-input-expectations.json"))) ?? Data("{}".utf8)
        return (try? JSONDecoder().decode([String: [String]].self, from: data)) ?? [:]
    }()

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("bad-input").path)) ?? []).sorted()
    }

    @Test func everyFixtureHasExpectations() {
        #expect(!Self.files.isEmpty)
        #expect(Set(Self.files) == Set(Self.expectations.keys))
    }

    @Test(arguments: files)
    func badFileGetsAClearErrorAndChangesNothing(name: String) throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let path = fixtures.appendingPathComponent("bad-input/\(name)").path
        for args in [["record", path], ["record", path, "--final"], ["validate", path]] {
            let r = fx.run(args)
            #expect(r.code == 65, "\(name): exit \(r.code) \(r.err)")
            #expect(r.err.hasPrefix("error: \(path) is not valid"), "\(name): \(r.err)")
            for words in Self.expectations[name] ?? [] {
                #expect(mentions(r.err, words), "\(name): expected '\(words)' in \(r.err)")
            }
            #expect(r.out.isEmpty)
        }
        #expect(fx.snapshot() == before, "\(name) changed the store")
    }

    @Test func fiftyMegabyteFileIsRefusedUnread() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let path = fx.root + "/huge.json"
        FileManager.default.createFile(atPath: path, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.truncate(atOffset: 50 * 1024 * 1024)
        try h.close()
        let r = fx.run(["record", path])
        #expect(r.code == 65)
        #expect(r.err.contains("50 MiB"))
        #expect(fx.snapshot() == before)
    }

    @Test func missingFileIsNotFound() throws {
        let fx = try CLIFixture()
        let r = fx.run(["record", "nowhere.json"])
        #expect(r.code == 66 && r.err.contains("no file nowhere.json"))
    }

    @Test func allProblemsAreReportedTogether() throws {
        let fx = try CLIFixture()
        let text = #"""
            {"familyId":"f-test01","window":{"start":"2026-05-10","end":"2027-06-01"},"carers":["f-test01-p9"],
             "profiles":[{"childId":"f-test01-c1","ratings":[
               {"linkId":"physical.hygiene.overall","kind":"graded","grade":7},
               {"linkId":"nope.nope.nope","kind":"graded","grade":2,"evidence":"x"},
               {"linkId":"physical.health.overall","kind":"not-scored","reason":""}]}]}
            """#
        let r = fx.run(["record", fx.write("many.json", text)])
        #expect(r.code == 65)
        for path in [
            "window.end", "carers[0]", "profiles[0].ratings[0].grade", "profiles[0].ratings[1].linkId",
            "profiles[0].ratings[2].reason",
        ] {
            #expect(mentions(r.err, path), "missing \(path) in \(r.err)")
        }
    }
}
