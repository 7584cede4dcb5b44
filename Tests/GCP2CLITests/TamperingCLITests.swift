import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 11 as a user meets it: tampering is refused or named by `doctor`, with the exit codes of Docs/cli.md.
@Suite struct TamperingCLITests {
    /// A store with one final assessment `f-test01-a1` graded 2 throughout.
    func recorded() throws -> CLIFixture {
        let fx = try CLIFixture()
        let r = fx.run(["record", fx.write("a.json", try fx.filledTemplate(grade: 2)), "--final"])
        #expect(r.code == 0, "\(r.err)")
        return fx
    }

    var a1: String { "families/f-test01/assessments/f-test01-a1.v1.json" }

    @Test func aTamperedDocumentIsRefusedByReadsAndARepairExits65WithoutSpreadingIt() throws {
        let fx = try recorded()
        let file = fx.store + "/" + a1
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"grade\" : 2", with: "\"grade\" : 5").write(
            toFile: file, atomically: false, encoding: .utf8)
        for args in [
            ["show", "f-test01-a1"], ["show", "f-test01-a1", "--assessment-version", "1"], ["report", "family", "f-test01"],
        ] {
            let r = fx.run(args)
            #expect(r.code == 74 && r.err.contains(file) && r.err.contains("changed outside gcp2"), "\(args): \(r.err)")
        }
        let ignored = fx.run(["show", "f-test01-a1", "--ignore-integrity"])
        #expect(ignored.code == 0, "\(ignored.err)")
        #expect(ignored.err.contains("warning: --ignore-integrity") && ignored.err.contains(file), "\(ignored.err)")
        // The index and caseload entries are gone: a repair must not rebuild them from the tampered grades.
        try FileManager.default.removeItem(atPath: fx.store + "/index/f-test01.json")
        try FileManager.default.removeItem(atPath: fx.store + "/caseload/f-test01.json")
        let repair = fx.run(["doctor", "--repair"])
        #expect(repair.code == 65, "\(repair.out)\(repair.err)")
        #expect(repair.out.contains(file) && repair.out.contains("differs from what the audit log recorded"), "\(repair.out)")
        #expect(!FileManager.default.fileExists(atPath: fx.store + "/index/f-test01.json"))
        #expect(!FileManager.default.fileExists(atPath: fx.store + "/caseload/f-test01.json"))
        #expect(fx.run(["doctor"]).code == 65)
    }

    @Test func aDocumentNoAuditLineMentionsIsNotCountedAndDoctorNamesIt() throws {
        let fx = try recorded()
        let before = (
            fx.run(["family", "show", "f-test01", "--json"]).out, fx.run(["history", "f-test01-c1", "--json"]).out,
            fx.run(["summary", "f-test01-c1", "--json"]).out
        )
        let planted = fx.store + "/families/f-test01/assessments/f-test01-a9.v1.json"
        let text = try String(contentsOfFile: fx.store + "/" + a1, encoding: .utf8)
        try text.replacingOccurrences(of: "f-test01-a1", with: "f-test01-a9").replacingOccurrences(
            of: "2026-06-01", with: "2026-06-02"
        ).replacingOccurrences(of: "\"grade\" : 2", with: "\"grade\" : 5").write(
            toFile: planted, atomically: false, encoding: .utf8)
        #expect(fx.run(["family", "show", "f-test01", "--json"]).out == before.0)
        #expect(fx.run(["history", "f-test01-c1", "--json"]).out == before.1)
        #expect(fx.run(["summary", "f-test01-c1", "--json"]).out == before.2)
        let shown = fx.run(["show", "f-test01-a9"])
        #expect(shown.code == 74 && shown.err.contains(planted), "\(shown.err)")
        for args in [["doctor"], ["doctor", "--repair"]] {
            let r = fx.run(args)
            #expect(r.code == 65, "\(args)")
            #expect(r.out.contains("\(planted): not recorded in the audit log"), "\(r.out)")
        }
        #expect(fx.run(["family", "show", "f-test01", "--json"]).out == before.0)
        #expect(fx.run(["summary", "f-test01-c1", "--json"]).out == before.2)
    }

    @Test func loosenedModesAreReportedAndRestored() throws {
        let fx = try CLIFixture()
        let doc = fx.store + "/families/f-test01/family.json"
        #expect(chmod(doc, 0o644) == 0 && chmod(fx.store + "/families/f-test01", 0o755) == 0)
        let r = fx.run(["doctor"])
        #expect(r.code == 65 && r.out.contains("\(doc): mode 644, expected 600"), "\(r.out)")
        let repair = fx.run(["doctor", "--repair"])
        #expect(repair.code == 0, "\(repair.out)\(repair.err)")
        #expect(repair.out.contains("(restored)"))
        #expect(fx.run(["doctor"]).code == 0)
    }

    @Test func anUnreadableJournalSurvivesARepair() throws {
        let fx = try CLIFixture()
        let file = fx.store + "/journal.json"
        try Data("{\"writes\": [".utf8).write(to: URL(fileURLWithPath: file))
        let r = fx.run(["doctor", "--repair"])
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.contains(file))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data("{\"writes\": [".utf8))
        #expect(fx.run(["family", "list"]).code == 0)
    }

    @Test func aStoreThatLostItsManifestIsNotReinitialised() throws {
        let fx = try CLIFixture()
        try FileManager.default.removeItem(atPath: fx.store + "/manifest.json")
        let before = fx.snapshot()
        let list = fx.run(["family", "list"])
        #expect(list.code == 66)
        #expect(list.err.contains("looks like a damaged store") && !list.err.contains("gcp2 init` to create"), "\(list.err)")
        let initAgain = fx.run(["init"])
        #expect(initAgain.code == 73, "\(initAgain.err)")
        #expect(fx.snapshot() == before)
    }

    @Test func anEmptyStoreVariableIsUnset() throws {
        let fx = try CLIFixture(populate: false)
        let r = fx.run(["family", "list"], env: ["GCP2_STORE": "", "HOME": fx.root + "/home", "XDG_DATA_HOME": ""])
        #expect(r.code == 66)
        #expect(r.err.contains(fx.root + "/home/.local/share/gcp2"), "\(r.err)")
    }

    @Test func aFamilyListedInTheIndexButMissingOnDiskIsReported() throws {
        let fx = try recorded()
        try FileManager.default.removeItem(atPath: fx.store + "/families/f-test01")
        for args in [["family", "list"], ["caseload"]] {
            let r = fx.run(args)
            #expect(r.code == 0, "\(r.err)")
            #expect(
                r.err.contains(fx.store + "/families/f-test01")
                    && r.err.contains("listed in the index but its folder is missing"),
                "\(args): \(r.err)")
        }
    }

    @Test func deletedAuditLinesAreFoundAndStopChanges() throws {
        let fx = try CLIFixture()
        let log = fx.store + "/audit.log"
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        try (lines.dropLast().joined(separator: "\n") + "\n").write(toFile: log, atomically: false, encoding: .utf8)
        let r = fx.run(["doctor"])
        #expect(r.code == 65 && r.out.contains("\(log): the log ends at entry \(lines.count - 1)"), "\(r.out)")
        let before = fx.snapshot()
        let add = fx.run(["carer", "add", "f-test01", "--name", "Em", "--relationship", "aunt"])
        #expect(add.code == 74 && add.err.contains(log), "\(add.err)")
        #expect(fx.snapshot() == before)
    }

    @Test func theHeadIsPrintedForSafekeepingAndCheckedLater() throws {
        let fx = try CLIFixture()
        let head = fx.run(["doctor", "--head"])
        #expect(head.code == 0)
        let text = head.out.trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = try #require(ChainHead(text))
        #expect(parsed.seq == 6)  // init, family add, two children, two carers
        #expect(fx.run(["carer", "add", "f-test01", "--name", "Em", "--relationship", "aunt"]).code == 0)
        #expect(fx.run(["doctor", "--expect-head", text]).code == 0)
        let wrong = "\(parsed.seq):" + String(repeating: "0", count: 64)
        let r = fx.run(["doctor", "--expect-head", wrong])
        #expect(r.code == 65 && r.out.contains("differs from the head kept outside the store"), "\(r.out)")
        #expect(fx.run(["doctor", "--expect-head", "nonsense"]).code == 64)
    }
}
