import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The contract of Docs/reliability.md as a user meets it: input read strictly, output that cannot fail the
/// change, and exit codes on either side of the commit point.
@Suite struct CommitPointCLITests {
    @Test(arguments: [999, 0, 3, -1])
    func aRecordFileWithAnotherSchemaVersionIsRefused(version: Int) throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let text = try fx.filledTemplate().replacingOccurrences(
            of: "\"schemaVersion\" : 2", with: "\"schemaVersion\" : \(version)")
        #expect(text.contains("\"schemaVersion\" : \(version)"))
        let file = fx.write("v.json", text)
        for args in [["record", file, "--final"], ["validate", file]] {
            let r = fx.run(args)
            #expect(r.code == 65, "\(r.err)")
            #expect(r.err.contains("schemaVersion: unsupported version \(version)"), "\(r.err)")
        }
        #expect(fx.snapshot() == before)
    }

    @Test func aDuplicateKeyIsAnErrorNamingItsPathNotTheFirstValueWinning() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        // A reviewer (jq, Python) sees grade 5 where Foundation's decoder would store grade 1.
        let text = try fx.filledTemplate(grade: 1).replacingOccurrences(
            of: "\"grade\" : 1,", with: "\"grade\" : 1, \"grade\" : 5,")
        let r = fx.run(["record", fx.write("dup.json", text), "--final"])
        #expect(r.code == 65)
        #expect(mentions(r.err, "profiles[0].ratings[0].grade") && r.err.contains("grade: duplicate key `grade`"), "\(r.err)")
        #expect(fx.snapshot() == before)
    }

    @Test func aTrailingCommaIsAnErrorNamingItsPath() throws {
        let fx = try CLIFixture()
        let text = try fx.filledTemplate().replacingOccurrences(of: "\"East\"", with: "\"East\",")
        let r = fx.run(["validate", fx.write("comma.json", text)])
        #expect(r.code == 65)
        #expect(r.err.contains("assessors[0]: trailing comma before `}`"), "\(r.err)")
    }

    @Test func standardInputHasTheSameLimitAsAFile() throws {
        let fx = try CLIFixture()
        let line = String(repeating: " ", count: 1_048_575)
        let r = fx.run(["record", "-"], input: Array(repeating: line, count: 9))
        #expect(r.code == 65)
        #expect(r.err.contains("standard input is more than 8 MiB"), "\(r.err)")
    }

    @Test func anInstrumentTheStoreCouldNotReadBackIsRefusedAndNothingIsCreated() throws {
        let fx = try CLIFixture(populate: false)
        // Compact input just within the input limit whose canonical (indented) form is over it.
        var object =
            try JSONSerialization.jsonObject(with: InstrumentFile.canonicalJSON(Instrument.gcp2Structure)) as! [String: Any]
        object["title"] = String(repeating: "t", count: 8_382_500)
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(data.count <= Store.maxDocumentBytes)
        #expect(FileManager.default.createFile(atPath: fx.root + "/big.json", contents: data))
        let r = fx.run(["init", "--instrument", "big.json"])
        #expect(r.code == 65, "\(r.err)")
        #expect(r.err.contains("over the limit of 8388608 bytes (8 MiB)"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: fx.store))
    }

    @Test func outputThatCannotBeWrittenBeforeTheCommitPointEndsQuietlyWithNothingChanged() throws {
        let fx = try CLIFixture()
        let file = fx.write("a.json", try fx.filledTemplate())
        let before = fx.snapshot()
        let full: @Sendable () -> String? = { "No space left on device" }
        for args in [
            ["record", file, "--final"], ["family", "list"], ["child", "add", "f-test01", "--name", "X", "--born", "2020-01-01"],
        ] {
            let r = fx.run(args, outputFailure: full)
            #expect(r.code == 74, "\(args): \(r.err)")
            #expect(r.err.isEmpty, "\(args): \(r.err)")
        }
        #expect(fx.snapshot() == before)
    }

    @Test func aFailureAfterTheCommitPointIsAWarningWithTheRecordAndTheNextCommandCompletesIt() throws {
        let fx = try CLIFixture()
        let file = fx.write("a.json", try fx.filledTemplate())
        // The first new document is linked into place after the journal is durable.
        let plan = FaultInjection(.link, failing: 1, errno: ENOSPC)
        let r = FaultInjection.$current.withValue(plan) { fx.run(["record", file, "--final"]) }
        #expect(plan.fired)
        #expect(r.code == 0)
        #expect(r.out.contains("Recorded final assessment f-test01-a1"))
        #expect(
            r.err
                == "warning: the change was saved; applying it to the store files failed (cannot read or write \(fx.store)/families/f-test01/assessments/f-test01-a1.v1.json: No space left on device); the next gcp2 command completes it (f-test01-a1)\n"
        )
        #expect(FileManager.default.fileExists(atPath: fx.store + "/journal.json"))
        let next = fx.run(["family", "show", "f-test01", "--json"])
        #expect(next.code == 0 && next.out.contains("f-test01-a1") && !next.out.contains("f-test01-a2"))
        #expect(fx.run(["doctor"]).code == 0)
    }

    @Test func anUnreadableJournalStopsWritingCommandsWith74AndDoctorExplains() throws {
        let fx = try CLIFixture()
        #expect(FileManager.default.createFile(atPath: fx.store + "/journal.json", contents: Data("garbage".utf8)))
        let add = fx.run(["child", "add", "f-test01", "--name", "X", "--born", "2020-01-01"])
        #expect(add.code == 74)
        #expect(add.err.contains("\(fx.store)/journal.json holds an interrupted change that cannot be read"), "\(add.err)")
        #expect(fx.run(["family", "list"]).code == 0)
        let doctor = fx.run(["doctor"])
        #expect(doctor.code == 65)
        #expect(doctor.out.contains("journal.json: an interrupted change cannot be read"), "\(doctor.out)")
        #expect(FileManager.default.fileExists(atPath: fx.store + "/journal.json"))
    }
}

/// The built binary's standard streams: never a trap or SIGPIPE, and the exit code the contract gives.
@Suite(.serialized) struct OutputFailureBinaryTests {
    /// Runs the binary with standard output going to `/dev/full` or to a pipe whose reader has gone.
    func run(_ args: [String], stdout: String, env: [String: String]) throws -> (code: Int32, signal: Bool, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gcp2Binary)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let err = Pipe()
        p.standardError = err
        let closed = Pipe()
        if stdout == "full" {
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        } else {
            try closed.fileHandleForReading.close()
            p.standardOutput = closed
        }
        try p.run()
        if stdout != "full" { try closed.fileHandleForWriting.close() }
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason == .uncaughtSignal, String(decoding: e, as: UTF8.self))
    }

    @Test(arguments: ["full", "closed pipe"])
    func afterTheCommitPointTheChangeIsSavedAndTheRunSucceeds(stdout: String) throws {
        let fx = try CLIFixture()
        let file = fx.write("a.json", try fx.filledTemplate())
        let env = ["GCP2_STORE": fx.store, "GCP2_TODAY": fx.today]
        let r = try run(["record", file, "--final"], stdout: stdout, env: env)
        #expect(!r.signal && r.code == 0, "\(r)")
        #expect(r.err.hasPrefix("warning: the change was saved (f-test01-a1); writing its output failed"), "\(r.err)")
        let list = fx.run(["family", "show", "f-test01", "--json"])
        #expect(list.out.contains("f-test01-a1") && !list.out.contains("f-test01-a2"))
    }

    @Test(arguments: ["full", "closed pipe"])
    func beforeTheCommitPointTheRunEndsQuietlyWith74(stdout: String) throws {
        let fx = try CLIFixture()
        let r = try run(["family", "list"], stdout: stdout, env: ["GCP2_STORE": fx.store])
        #expect(!r.signal && r.code == 74 && r.err.isEmpty, "\(r)")
    }

    static let canHideProc: Bool = {
        (try? runProcess("/bin/sh", ["-c", "unshare -m --propagation private sh -c 'umount -l /proc && true'"]).code) == 0
    }()

    @Test(.enabled(if: canHideProc, "needs unshare and mount rights to hide /proc"))
    func aCommandLineThatCannotBeReadIsAnErrorNotAnEmptyOne() throws {
        let fx = try CLIFixture()
        let r = try runProcess(
            "/bin/sh", ["-c", "unshare -m --propagation private sh -c 'umount -l /proc && exec \"$G\" family add --ref X'"],
            env: ["GCP2_STORE": fx.store, "G": gcp2Binary])
        #expect(r.code == 1, "\(r)")
        #expect(r.err.hasPrefix("error: the command line cannot be read"), "\(r.err)")
        #expect(r.out.isEmpty)
    }
}
