import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Starts `/bin/sh -c script` in its own process group so the whole loop can be killed at once.
func spawnGroup(_ script: String, env: [String: String]) -> pid_t {
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attr, 0)
    var vars = ProcessInfo.processInfo.environment
    for (k, v) in env { vars[k] = v }
    let words: [String] = ["/bin/sh", "-c", script]
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = vars.map { strdup("\($0.key)=\($0.value)") } + [nil]
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/bin/sh", nil, &attr, argv, envp)
    argv.forEach { free($0) }
    envp.forEach { free($0) }
    posix_spawnattr_destroy(&attr)
    return rc == 0 ? pid : -1
}

func waitFor(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return status
}

/// Assessment ids the loop printed as recorded: only complete lines count.
func acknowledged(_ file: String) -> [String] {
    let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { line in
        guard line.hasPrefix("ACK ") else { return nil }
        return String(line.dropFirst(4))
    }
}

@Suite(.serialized, .tags(.slow)) struct ReliabilityTests {
    // Drafts: a child has at most one final assessment per date, and the loop records the same file each time.
    static let loop = #"""
        while true; do
          out=$("$GCP2" record "$FILE") || exit 1
          id=$(printf '%s\n' "$out" | sed -n 's/^Recorded draft \([^ ]*\) .*/\1/p')
          echo "ACK $id" >> "$ACKS"
          [ -n "$COUNT" ] && { n=$((n+1)); [ "$n" -ge "$COUNT" ] && exit 0; }
        done
        """#

    @Test func killedWritersLeaveAConsistentStoreWithEveryAcknowledgedRecord() throws {
        let fx = try CLIFixture()
        let file = fx.write("a.json", try fx.filledTemplate(grade: 3))
        let acks = fx.root + "/acks.txt"
        var rng = SystemRandomNumberGenerator()
        var total = 0
        for round in 0..<12 {
            let pid = spawnGroup(
                Self.loop,
                env: [
                    "GCP2": gcp2Binary, "FILE": file, "ACKS": acks, "GCP2_STORE": fx.store, "GCP2_TODAY": fx.today, "COUNT": "",
                ])
            #expect(pid > 0)
            usleep(UInt32.random(in: 80_000...450_000, using: &rng))
            kill(-pid, SIGKILL)
            _ = waitFor(pid)
            // After each kill: the store opens (finishing any interrupted change), doctor is clean,
            // and every acknowledged assessment is there.
            let store = try Store.open(at: fx.store)
            let report = try store.doctor()
            #expect(report.findings.isEmpty, "round \(round): \(report.findings)")
            let ids = acknowledged(acks)
            for id in ids {
                #expect(try store.assessment(AssessmentID(rawValue: id)!).status == .draft, "round \(round): \(id)")
            }
            total = ids.count
        }
        #expect(total > 0, "no assessment was acknowledged: the loop never completed a record")
    }

    @Test func concurrentWritersAreSerialisedAndNothingIsLost() throws {
        let fx = try CLIFixture()
        let s = try Store.open(at: fx.store)
        let other = try s.addFamily(ref: "TEST-2", id: FamilyID(rawValue: "f-test02")!, actor: "t", now: fixedNow)
        _ = try s.addChild(
            to: other.id, name: "Eve Sample", born: CalendarDate("2015-01-01")!, actor: "t", now: fixedNow,
            today: CalendarDate(fx.today)!)
        let same = fx.write("same.json", try fx.filledTemplate(grade: 2))
        let otherFile = fx.write(
            "other.json",
            try fx.filledTemplate(grade: 3).replacingOccurrences(of: "f-test01-c1", with: "f-test02-c1").replacingOccurrences(
                of: "\"f-test01\"", with: "\"f-test02\""))
        // The second family's template has only one child: drop the baby's profile.
        var obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: otherFile))) as! [String: Any]
        obj["profiles"] = Array((obj["profiles"] as! [Any]).prefix(1))
        obj["carers"] = []
        try JSONSerialization.data(withJSONObject: obj).write(to: URL(fileURLWithPath: otherFile))

        var pids: [pid_t] = []
        for i in 0..<4 {
            pids.append(
                spawnGroup(
                    "n=0\n" + Self.loop,
                    env: [
                        "GCP2": gcp2Binary, "FILE": i < 3 ? same : otherFile, "ACKS": fx.root + "/acks\(i).txt",
                        "GCP2_STORE": fx.store, "GCP2_TODAY": fx.today, "COUNT": "5", "GCP2_LOCK_TIMEOUT": "60",
                    ]))
        }
        for pid in pids { #expect(waitFor(pid) == 0) }
        let ids = (0..<4).flatMap { acknowledged(fx.root + "/acks\($0).txt") }
        #expect(ids.count == 20)
        #expect(Set(ids).count == 20, "two writers got the same id")
        let store = try Store.open(at: fx.store)
        for id in ids { #expect(try store.assessment(AssessmentID(rawValue: id)!).status == .draft) }
        let report = try store.doctor()
        #expect(report.isClean, "\(report.findings)")
        #expect(report.assessments == 20)
        #expect(report.auditEntries == 1 + 5 + 2 + 20)  // init, family setup, second family, records
    }
}
