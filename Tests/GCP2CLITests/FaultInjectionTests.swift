import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A store with a final assessment (a1), a draft (a2) and the input files the commands under test read,
/// built once and copied for every run.
final class FaultBase: @unchecked Sendable {
    static let shared = try! FaultBase()
    let fixture: CLIFixture

    init() throws {
        let fx = try CLIFixture()
        let a1 = fx.write("a1.json", try fx.filledTemplate(grade: 3, date: "2026-05-01"))
        let a2 = fx.write("a2.json", try fx.filledTemplate(grade: 2, date: "2026-05-20"))
        _ = fx.write("new.json", try fx.filledTemplate(grade: 2, date: "2026-06-20"))
        _ = fx.write("fix.json", try fx.filledTemplate(grade: 4, date: "2026-05-01"))
        precondition(fx.run(["record", a1, "--final"]).code == 0)
        precondition(fx.run(["record", a2]).code == 0)
        fixture = fx
    }
}

/// Fails the N-th system call of each kind, for every N a command reaches, and checks the contract of
/// Docs/reliability.md after each run.
@Suite(.tags(.slow)) struct FaultInjectionTests {
    /// One writing command, and what its change must look like once saved.
    struct Command: CustomTestStringConvertible, Sendable {
        var name: String
        var args: [String]
        /// The store the command changes, relative to the fixture's folder.
        var store = "store"
        /// Exit codes a failure before the commit point may give.
        var failureCodes: Set<Int32> = [74]
        /// Checks the change is in the store, exactly once.
        var saved: @Sendable (Store) throws -> Void
        var testDescription: String { name }
    }

    static let commands: [Command] = [
        Command(name: "record", args: ["record", "new.json", "--final"]) { s in
            let all = try s.familyIndex(FamilyID(rawValue: "f-test01")!).assessments
            #expect(all.map(\.id.rawValue) == ["f-test01-a1", "f-test01-a2", "f-test01-a3"])
            #expect(try s.assessment(AssessmentID(rawValue: "f-test01-a3")!).status == .final)
            #expect(try s.assessmentVersions(AssessmentID(rawValue: "f-test01-a1")!).count == 1)
        },
        Command(name: "amend", args: ["amend", "f-test01-a1", "fix.json", "--reason", "wrong grade"]) { s in
            let versions = try s.assessmentVersions(AssessmentID(rawValue: "f-test01-a1")!)
            #expect(versions.map(\.status) == [.final, .amended])
        },
        Command(name: "withdraw", args: ["withdraw", "f-test01-a1", "--reason", "wrong family"]) { s in
            let versions = try s.assessmentVersions(AssessmentID(rawValue: "f-test01-a1")!)
            #expect(versions.map(\.status) == [.final, .enteredInError])
        },
        Command(name: "finalise", args: ["finalise", "f-test01-a2"]) { s in
            let versions = try s.assessmentVersions(AssessmentID(rawValue: "f-test01-a2")!)
            #expect(versions.map(\.status) == [.final])
        },
        Command(name: "family add", args: ["family", "add", "--ref", "NEW-1"]) { s in
            let families = try s.allFamilies().families.map(\.family.ref)
            #expect(families == ["NEW-1", "TEST-1"])
        },
        Command(name: "init", args: ["--store", "fresh", "init"], store: "fresh", failureCodes: [73, 74]) { s throws in
            #expect(try s.allFamilies().families.isEmpty)
            #expect(try s.currentInstrument().digest == Instrument.gcp2Structure.digest)
        },
        Command(name: "child add", args: ["child", "add", "f-test01", "--name", "Cal Sample", "--born", "2020-02-02"]) { s in
            let children = try s.family(FamilyID(rawValue: "f-test01")!).children.map(\.name)
            #expect(children == ["Ada Sample", "Bo Sample", "Cal Sample"])
        },
    ]

    /// The errors injected: every kind with EIO, and the disk filling up where it can.
    static let faults: [(FaultInjection.Kind, Int32)] =
        FaultInjection.Kind.allCases.map { ($0, EIO) } + [(.write, ENOSPC), (.fsync, ENOSPC), (.mkdir, ENOSPC), (.link, ENOSPC)]

    /// What one command's loop exercised.
    struct Tally {
        /// Runs whose chosen call was reached and failed (the others end each kind's loop).
        var points = 0
        var failedBefore = 0, savedAndApplied = 0, savedApplyFailed = 0
    }

    /// Every injection point of one command (each kind of call, each N it reaches) honours the contract.
    @Test(arguments: commands)
    func everyInjectedFailureKeepsTheContract(_ command: Command) throws {
        let base = FaultBase.shared.fixture
        let before = base.snapshot()
        var tally = Tally()
        for (kind, errno) in Self.faults {
            var n = 1
            while true {
                let fx = try CLIFixture(copying: base)
                let plan = FaultInjection(kind, failing: n, errno: errno)
                let r = FaultInjection.$current.withValue(plan) { fx.run(command.args) }
                let label = "\(command.name): \(kind) #\(n) failing with \(Errno(rawValue: errno))"
                if plan.fired { tally.points += 1 }
                if r.code == 0 {
                    // Saved: the output says so, and any failure after the commit point is a warning, never an error.
                    #expect(!r.out.isEmpty, "\(label): nothing printed")
                    #expect(!r.err.contains("error:"), "\(label): \(r.err)")
                    if r.err.contains("applying it to the store files failed") {
                        #expect(r.err.contains("the next gcp2 command completes it"), "\(label): \(r.err)")
                        tally.savedApplyFailed += 1
                    } else {
                        #expect(r.err.isEmpty, "\(label): \(r.err)")
                        if plan.fired { tally.savedAndApplied += 1 }
                    }
                } else {
                    // Failed before the commit point: an I/O error (or, making a store's folders, 73), and nothing changed.
                    #expect(command.failureCodes.contains(r.code), "\(label): exit \(r.code) \(r.err)")
                    #expect(r.err.hasPrefix("error: "), "\(label): \(r.err)")
                    #expect(fx.snapshot() == before, "\(label): the store changed")
                    tally.failedBefore += 1
                }
                // The next command completes whatever was saved; then the store is whole.
                let path = fx.root + "/" + command.store
                let next = fx.run(["--store", path, "family", "list"])
                if r.code != 0 && command.store != "store" {
                    #expect(next.code == 66, "\(label): a store that failed to be created opens: \(next.err)")
                } else {
                    #expect(next.code == 0, "\(label): \(next.err)")
                    let store = try Store.open(at: path)
                    let report = try store.doctor()
                    #expect(report.isClean, "\(label): \(report.findings)")
                    if r.code == 0 { try command.saved(store) }
                }
                if r.code != 0 { #expect(fx.snapshot() == before, "\(label): the next command changed the store") }
                if !plan.fired { break }
                n += 1
            }
        }
        // Every kind was reached at least once, and both sides of the commit point were exercised.
        #expect(tally.failedBefore > 0 && tally.savedApplyFailed > 0, "\(tally)")
        FaultInjectionTally.shared.add(command.name, tally)
    }
}

/// Collects the loops' figures, printed once for Docs/reliability.md (`swift test --filter FaultInjection`).
final class FaultInjectionTally: @unchecked Sendable {
    static let shared = FaultInjectionTally()
    private let lock = NSLock()
    func add(_ name: String, _ t: FaultInjectionTests.Tally) {
        lock.withLock {
            print(
                "fault injection \(name): \(t.points) injection points; \(t.failedBefore) failed before the commit point "
                    + "(an error exit, nothing changed), \(t.savedApplyFailed) saved with applying deferred (exit 0, warning), "
                    + "\(t.savedAndApplied) saved and applied (the failed call was best-effort cleanup)")
        }
    }
}
