import Foundation
import GCP2Core
import GCP2Store
import GCP2Synth

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

// gcp2-bench: times gcp2 on synthetic stores of several sizes (release build), with medians, peak memory
// and the ratios Docs/performance.md states as targets. Every timed operation runs as its own process.
//
//   gcp2-bench [--sizes 100,1000,10000] [--runs 5] [--work DIR] [--seed 7] [--only OP,OP…]
//   gcp2-bench --scan STORE      (the old baseline: decode every document with JSONDecoder; used by the bench)
//
// When `python3` is on the PATH, the bench also runs the Python peer in the same run: a short script (written to
// the work folder) that `json.load`s every family and assessment document, what an analyst would write instead of
// gcp2; every operation's ratio to it is printed.

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("error: \(text)\n".utf8))
    exit(64)
}

var sizes = [100, 1000, 10000]
var runs = 5
var work = NSTemporaryDirectory() + "gcp2-bench"
var seed: UInt64 = 7
/// Operations to measure (all when empty); the Python peer and the baselines always run.
var only: Set<String> = []
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let key = args.removeFirst()
    if key == "--help" || key == "-h" {
        print("usage: gcp2-bench [--sizes 100,1000,10000] [--runs 5] [--work DIR] [--seed 7] [--only OP,OP…] | --scan STORE")
        exit(0)
    }
    guard let value = args.first else { fail("\(key) needs a value") }
    args.removeFirst()
    switch key {
    case "--scan":
        let r = try FullScan.read(store: value)
        print("scanned \(r.families.count) families, \(r.assessments.count) assessment versions, \(r.bytes) bytes")
        exit(0)
    case "--phases":
        let store = try Store.open(at: value)
        for (name, v) in try store.caseloadPhases(asOf: CalendarDate("2026-10-31")!) {
            print(name + ": " + String(format: "%.2f", v))
        }
        exit(0)
    case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0) }
    case "--runs": runs = max(1, Int(value) ?? 5)
    case "--work": work = value
    case "--seed": seed = UInt64(value) ?? 7
    case "--only": only = Set(value.split(separator: ",").map { String($0) })
    default: fail("unknown option \(key)")
    }
}

let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let gcp2 = binDir + "/gcp2"
let bench = binDir + "/gcp2-bench"
guard FileManager.default.isExecutableFile(atPath: gcp2) else {
    fail("no gcp2 next to gcp2-bench; run `swift build -c release` first")
}

/// One timed run of a process: wall seconds, CPU seconds (user + system), peak resident memory in MiB.
struct Sample {
    var wall: Double
    var cpu: Double
    var peakMiB: Double
}

/// `exitCodes` are the exit codes that count as a completed run (`doctor` exits 65 when it finds problems).
func timed(_ exe: String, _ arguments: [String], env extra: [String: String] = [:], exitCodes: Set<Int32> = [0]) -> Sample {
    var vars = ProcessInfo.processInfo.environment
    for (k, v) in extra { vars[k] = v }
    vars["GCP2_TODAY"] = SyntheticStore.today.description
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = vars.map { strdup("\($0.key)=\($0.value)") } + [nil]
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, exe, &actions, nil, argv, envp) == 0 else { fail("cannot run \(exe)") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    argv.forEach { free($0) }
    envp.forEach { free($0) }
    posix_spawn_file_actions_destroy(&actions)
    if status & 0x7f != 0 || !exitCodes.contains((status >> 8) & 0xff) {
        fail("\(([exe] + arguments).joined(separator: " ")) exited with status \(status)")
    }
    func secs(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return Sample(wall: wall, cpu: secs(usage.ru_utime) + secs(usage.ru_stime), peakMiB: Double(usage.ru_maxrss) / 1024)
}

/// Median wall and CPU time, maximum peak memory over `runs` runs (after one warm-up run).
func measure(
    _ exe: String, _ arguments: [String], runs: Int, exitCodes: Set<Int32> = [0], before: (() -> Void)? = nil
) -> Sample {
    before?()
    _ = timed(exe, arguments, exitCodes: exitCodes)
    var samples: [Sample] = []
    for _ in 0..<runs {
        before?()
        samples.append(timed(exe, arguments, exitCodes: exitCodes))
    }
    return summary(samples)
}

/// Two commands timed in turn, run by run (a, b, a, b, … after one warm-up run of each), so that both meet the
/// same state of the page cache: on this machine it can be emptied between two runs minutes apart, and a store of
/// 30,000 families read from the disk takes several times as long. Medians of each, as `measure` gives them.
func measurePair(
    _ a: (exe: String, arguments: [String], codes: Set<Int32>), _ b: (exe: String, arguments: [String], codes: Set<Int32>),
    runs: Int
) -> (Sample, Sample) {
    _ = timed(a.exe, a.arguments, exitCodes: a.codes)
    _ = timed(b.exe, b.arguments, exitCodes: b.codes)
    var first: [Sample] = []
    var second: [Sample] = []
    for _ in 0..<runs {
        first.append(timed(a.exe, a.arguments, exitCodes: a.codes))
        second.append(timed(b.exe, b.arguments, exitCodes: b.codes))
    }
    return (summary(first), summary(second))
}

/// Median wall and CPU time, maximum peak memory.
func summary(_ samples: [Sample]) -> Sample {
    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    return Sample(
        wall: median(samples.map(\.wall)), cpu: median(samples.map(\.cpu)), peakMiB: samples.map(\.peakMiB).max() ?? 0)
}

/// A complete, valid assessment file for the record benchmark (a new assessment of family 0's children).
/// `date` differs per run: a child has at most one final assessment per date.
func recordFile(store: String, family: FamilyID, to path: String, date: CalendarDate) throws {
    let famData = try Data(contentsOf: URL(fileURLWithPath: "\(store)/families/\(family)/family.json"))
    let fam = try JSONDecoder().decode(Family.self, from: famData)
    let inst = Instrument.gcp2Structure
    let profiles = fam.children.filter { $0.born <= date }.map { c in
        ProfileRecord(
            childId: c.id,
            ratings: inst.areas.flatMap(\.subAreas).flatMap {
                inst.applicableItems(in: $0, ageMonths: c.born.wholeMonths(to: date))
            }
            .map {
                ItemRating(
                    $0.linkId,
                    .graded(Grade(rawValue: 2)!, evidence: String(repeating: "Observed on an unannounced visit. ", count: 5)))
            }, childView: "Says home is fine.", seenAlone: true)
    }
    // What a final must record besides grades: a visit in the window, an assessor with a team, each child's view.
    let a = Assessment(
        id: AssessmentID(rawValue: "new")!, familyId: fam.id, window: ObservationWindow(start: date.adding(days: -20), end: date),
        visits: [Visit(date: date.adding(days: -5), announced: false)],
        assessors: [Assessor(name: "Bench Worker", role: "social worker", team: "Bench")], carers: fam.carers.map(\.id),
        profiles: profiles)
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    try e.encode(a).write(to: URL(fileURLWithPath: path))
}

/// The Python peer: what a data analyst would write instead of gcp2 (read and parse every family and assessment).
let pythonPeer = """
    import json, os, sys
    root = os.path.join(sys.argv[1], "families")
    families = assessments = 0
    for name in os.listdir(root):
        folder = os.path.join(root, name)
        with open(os.path.join(folder, "family.json")) as f:
            json.load(f)
        families += 1
        versions = os.path.join(folder, "assessments")
        if os.path.isdir(versions):
            for v in os.listdir(versions):
                with open(os.path.join(versions, v)) as f:
                    json.load(f)
                assessments += 1
    print(families, assessments)

    """

/// `python3`'s path, when it is on the PATH.
let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map {
    "\($0)/python3"
}.first { FileManager.default.isExecutableFile(atPath: $0) }

func fmt(_ x: Double) -> String {
    x >= 10 ? String(format: "%.1f", x) : x >= 1 ? String(format: "%.2f", x) : String(format: "%.3f", x)
}

try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
let peerScript = "\(work)/python-peer.py"
try Data(pythonPeer.utf8).write(to: URL(fileURLWithPath: peerScript))
var results: [Int: [String: Sample]] = [:]
for n in sizes {
    let store = "\(work)/store-\(n)-seed\(seed)"
    if !FileManager.default.fileExists(atPath: store + "/manifest.json") {
        FileHandle.standardError.write(Data("gcp2-bench: generating \(n) families in \(store)\n".utf8))
        try? FileManager.default.removeItem(atPath: store)
        try SyntheticStore(families: n, seed: seed).write(to: store, now: Date()) { done in
            if done % 2000 == 0 { FileHandle.standardError.write(Data("  \(done)/\(n)\n".utf8)) }
        }
        // The caseload snapshot keeps only entries left alone for 2 s: the last families written get there first.
        Thread.sleep(forTimeInterval: 2.2)
    }
    let f0 = SyntheticStore.familyID(0)
    let f1 = SyntheticStore.familyID(1)
    // A child of family 1 with at least two final assessments to compare.
    let index =
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(store)/index/\(f1).json")))
        as! [String: Any]
    let members = (index["family"] as! [String: Any])["children"] as! [[String: Any]]
    let children = members.map { $0["id"] as! String }
    let childName = members[0]["name"] as! String
    let file = "\(work)/record-\(n).json"
    // One day further back per record, also across runs of the bench on a reused store.
    var daysBack = (try? FileManager.default.contentsOfDirectory(atPath: "\(store)/families/\(f0)/assessments").count) ?? 0
    func nextRecordFile() {
        try? recordFile(store: store, family: f0, to: file, date: SyntheticStore.today.adding(days: -daysBack))
        daysBack += 1
    }
    FileHandle.standardError.write(Data("gcp2-bench: measuring \(n) families\n".utf8))
    var r: [String: Sample] = [:]
    func run(_ op: String, _ arguments: [String], exe: String = gcp2, runs k: Int = runs, codes: Set<Int32> = [0]) {
        guard only.isEmpty || only.contains(op) else { return }
        r[op] = measure(exe, arguments, runs: k, exitCodes: codes)
    }
    // The peer first, then gcp2's operations, in one run (the ratios compare figures taken minutes apart at most).
    // `doctor`, which reads every document as the peer does, is timed in turn with it, run by run.
    let doctorArguments = ["--store", store, "doctor"]
    if let python {
        if only.isEmpty || only.contains("doctor") {
            // Generated stores can hold two finals of a child on one date, which doctor reports (65) since issue 8.
            (r["python peer"], r["doctor"]) = measurePair(
                (python, [peerScript, store], [0]), (gcp2, doctorArguments, [0, 65]), runs: runs)
        } else {
            r["python peer"] = measure(python, [peerScript, store], runs: max(1, runs / 2))
        }
    }
    // The caseload as a supervisor runs it again and again (its snapshot in place after the warm-up run), then with
    // no snapshot (removed before each run: every family computed from its entry, and the snapshot written).
    run("caseload", ["--store", store, "caseload"])
    run("caseload --json", ["--store", store, "caseload", "--json"])
    let snapshot = "\(store)/caseload.snapshot"
    for (op, extra) in [("caseload (no snapshot)", [String]()), ("caseload --json (no snapshot)", ["--json"])]
    where only.isEmpty || only.contains(op) {
        r[op] = measure(
            gcp2, ["--store", store, "caseload"] + extra, runs: runs,
            before: { try? FileManager.default.removeItem(atPath: snapshot) })
    }
    // Filters read only the caseload's lines; --team also reads the latest assessments' assessors.
    run(
        "caseload filtered",
        ["--store", store, "caseload", "--flag", "drift", "--overdue", "--age-to", "12", "--sort", "overdue"])
    run("caseload --team", ["--store", store, "caseload", "--team", "synthetic team 3"])
    run("caseload --format csv", ["--store", store, "caseload", "--format", "csv"])
    // Issue 15: the scorecard reads the caseload's entries (twelve months to today, and the twelve before).
    run("scorecard", ["--store", store, "scorecard"])
    run("summary --family", ["--store", store, "summary", "--family", f1.rawValue])
    run("report family", ["--store", store, "report", "family", f1.rawValue])
    run("compare", ["--store", store, "compare", "--child", children[0]])
    // Whole-store reads of every family's members (since issue 19's third pass, through the caseload entries): the
    // family list, and a child named rather than given by id (generated names repeat, so several match: 64).
    run("family list", ["--store", store, "family", "list"])
    run("summary NAME", ["--store", store, "summary", childName], codes: [0, 64])
    // The desk's other whole-store reads: the caseload as one HTML page, and the audit log read as history.
    run("report caseload", ["--store", store, "report", "caseload"])
    run("audit", ["--store", store, "audit"])
    // The caseload just after an assessment is recorded: one family computed again, the rest from the snapshot.
    if only.isEmpty || only.contains("caseload after a record") {
        r["caseload after a record"] = measure(
            gcp2, ["--store", store, "caseload"], runs: runs,
            before: {
                nextRecordFile()
                _ = timed(gcp2, ["--store", store, "record", file, "--final"])
            })
    }
    if only.isEmpty || only.contains("record") {
        r["record"] = measure(gcp2, ["--store", store, "record", file, "--final"], runs: runs, before: nextRecordFile)
    }
    if r["doctor"] == nil { run("doctor", doctorArguments, runs: max(1, runs / 2), codes: [0, 65]) }
    run("baseline full scan", ["--scan", store], exe: bench, runs: max(1, runs / 2))
    results[n] = r
}
let empty = "\(work)/store-empty"
if !FileManager.default.fileExists(atPath: empty + "/manifest.json") { _ = timed(gcp2, ["--store", empty, "init"]) }
let help = measure(gcp2, ["--help"], runs: runs)
let emptyCaseload = measure(gcp2, ["--store", empty, "caseload"], runs: runs)

let ops = [
    "python peer", "caseload", "caseload --json", "caseload (no snapshot)", "caseload --json (no snapshot)",
    "caseload after a record", "caseload filtered", "caseload --team", "caseload --format csv",
    "scorecard", "summary --family", "report family", "compare", "family list", "summary NAME", "report caseload", "audit",
    "record", "doctor",
    "baseline full scan",
].filter { op in sizes.contains { results[$0]![op] != nil } }
func cell(_ s: Sample?) -> String { s.map { "\(fmt($0.wall)) / \(fmt($0.cpu)) / \(fmt($0.peakMiB))" } ?? "—" }
print("| operation | " + sizes.map { "\($0) families: wall s / CPU s / peak MiB" }.joined(separator: " | ") + " |")
print("|---|" + sizes.map { _ in "---|" }.joined())
for op in ops { print("| \(op) | " + sizes.map { cell(results[$0]![op]) }.joined(separator: " | ") + " |") }
print("| `gcp2 --help` | \(cell(help)) |")
print("| `gcp2 caseload`, empty store | \(cell(emptyCaseload)) |")
print()
print(
    "Medians of \(runs) runs after one warm-up run ("
        + (python != nil && (only.isEmpty || only.contains("doctor"))
            ? "doctor and the Python peer: \(runs) each, in turn; the full scan: "
            : "doctor, the Python peer and the full scan: ")
        + "\(max(1, runs / 2))); peak = the largest maximum resident set."
)
if python != nil {
    print()
    print("Ratio of wall time to the Python peer's, same run (and per family, ms):")
    print()
    print("| operation | " + sizes.map { "\($0) families" }.joined(separator: " | ") + " |")
    print("|---|" + sizes.map { _ in "---|" }.joined())
    for op in ops where op != "python peer" {
        print(
            "| \(op) | "
                + sizes.map { n in
                    guard let s = results[n]![op], let p = results[n]!["python peer"] else { return "—" }
                    return String(format: "%.3f × (%.3f ms/family)", s.wall / p.wall, s.wall * 1000 / Double(n))
                }.joined(separator: " | ") + " |")
    }
}
func check(_ name: String, _ value: Double?, _ limit: Double, _ better: String) {
    guard let value else { return }
    print("- \(name): \(String(format: "%.3f", value)) (target \(better) \(limit)) — \(value <= limit ? "met" : "NOT met")")
}
func ratio(_ a: Sample?, _ b: Sample?, cpu: Bool = false) -> Double? {
    guard let a else { return nil }
    if cpu { return a.wall / max(a.cpu, 1e-9) }
    return b.map { a.wall / $0.wall }
}
if let small = sizes.min(), let big = sizes.max(), let rs = results[small], let rb = results[big] {
    print()
    print("Targets (\(big) vs \(small) families):")
    check("caseload / Python peer at \(big)", ratio(rb["caseload"], rb["python peer"]), 0.05, "≤")
    check("caseload --json / Python peer at \(big)", ratio(rb["caseload --json"], rb["python peer"]), 0.07, "≤")
    check("doctor / Python peer at \(big)", ratio(rb["doctor"], rb["python peer"]), 1.0, "≤")
    check("caseload peak MiB at \(big)", rb["caseload"]?.peakMiB, 100, "<")
    // Every whole-store operation faster than the script.
    check("family list / Python peer at \(big)", ratio(rb["family list"], rb["python peer"]), 1.0, "≤")
    check("summary NAME / Python peer at \(big)", ratio(rb["summary NAME"], rb["python peer"]), 1.0, "≤")
    check("report caseload / Python peer at \(big)", ratio(rb["report caseload"], rb["python peer"]), 1.0, "≤")
    check("audit / Python peer at \(big)", ratio(rb["audit"], rb["python peer"]), 1.0, "≤")
    check("caseload filtered / caseload at \(big)", ratio(rb["caseload filtered"], rb["caseload"]), 1.2, "≤")
    // The scorecard reviews every family twice, from the entries (it has no snapshot): against the caseload computed
    // from the entries too.
    check(
        "scorecard / caseload with no snapshot at \(big)", ratio(rb["scorecard"], rb["caseload (no snapshot)"]), 1.5, "≤")
    check("record \(big) / \(small)", ratio(rb["record"], rs["record"]), 1.5, "≤")
    check("summary --family \(big) / \(small)", ratio(rb["summary --family"], rs["summary --family"]), 1.5, "≤")
    check("report family \(big) / \(small)", ratio(rb["report family"], rs["report family"]), 1.5, "≤")
    check("compare \(big) / \(small)", ratio(rb["compare"], rs["compare"]), 1.5, "≤")
    check("doctor wall / CPU at \(big) (below 1 uses both cores)", ratio(rb["doctor"], nil, cpu: true), 0.75, "≤")
    check("doctor / baseline full scan at \(big)", ratio(rb["doctor"], rb["baseline full scan"]), 2, "≤")
    check("gcp2 --help seconds", help.wall, 0.05, "<")
    check("gcp2 caseload on an empty store seconds", emptyCaseload.wall, 0.05, "<")
}
