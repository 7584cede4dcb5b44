import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// Collects what a run writes.
final class Capture: @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    private var input: [String]
    init(input: [String] = []) { self.input = input }
    func write(_ s: String) { lock.withLock { out += s } }
    func writeError(_ s: String) { lock.withLock { err += s } }
    func readLine() -> String? { lock.withLock { input.isEmpty ? nil : input.removeFirst() } }
    var stdout: String { lock.withLock { out } }
    var stderr: String { lock.withLock { err } }
}

let fixedNow = Date(timeIntervalSince1970: 1_782_000_000)  // 2026-06-21

/// A temporary folder with a store at `store`, a family `f-test01` with two children and two carers.
final class CLIFixture {
    let root: String
    var store: String { root + "/store" }
    let today = "2026-06-30"

    init(populate: Bool = true) throws {
        root = NSTemporaryDirectory() + "gcp2-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        guard populate else { return }
        let s = try Store.create(at: store, now: fixedNow)
        let f = try s.addFamily(ref: "TEST-1", id: FamilyID(rawValue: "f-test01")!, actor: "t", now: fixedNow)
        let day = CalendarDate(today)!
        _ = try s.addChild(to: f.id, name: "Ada Sample", born: CalendarDate("2017-04-02")!, actor: "t", now: fixedNow, today: day)
        _ = try s.addChild(to: f.id, name: "Bo Sample", born: CalendarDate("2025-09-01")!, actor: "t", now: fixedNow, today: day)
        _ = try s.addCarer(to: f.id, name: "Cy Sample", relationship: .mother, actor: "t", now: fixedNow)
        _ = try s.addCarer(to: f.id, name: "Dee Sample", relationship: .father, actor: "t", now: fixedNow)
    }
    /// A fresh temporary folder holding a copy of `other`'s store and files (cheaper than building one).
    init(copying other: CLIFixture) throws {
        root = NSTemporaryDirectory() + "gcp2-cli-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: other.root, toPath: root)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Runs gcp2 in-process with the store and a fixed today.
    @discardableResult
    func run(
        _ args: [String], input: [String] = [], env extra: [String: String] = [:],
        outputFailure: @escaping @Sendable () -> String? = { nil }
    ) -> (code: Int32, out: String, err: String) {
        let cap = Capture(input: input)
        var vars = ["GCP2_STORE": store, "GCP2_TODAY": today, "GCP2_ACTOR": "tester", "GCP2_LOCK_TIMEOUT": "2"]
        for (k, v) in extra { vars[k] = v }
        let env = CLIEnvironment(
            write: cap.write, writeError: cap.writeError, readLine: cap.readLine, variables: vars, now: fixedNow,
            workingDirectory: root, outputFailure: outputFailure)
        let code = GCP2CLI.run(args, environment: env)
        return (code, cap.stdout, cap.stderr)
    }

    func write(_ name: String, _ text: String) -> String {
        let p = root + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    /// A filled-in template: every rating graded `grade`.
    func filledTemplate(grade: Int = 2, date: String = "2026-06-01", children: [String] = []) throws -> String {
        let r = run(["template", "f-test01", "--date", date] + children.flatMap { ["--child", $0] })
        #expect(r.code == 0, "\(r.err)")
        var obj = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        var profiles = obj["profiles"] as! [[String: Any]]
        for i in profiles.indices {
            var ratings = profiles[i]["ratings"] as! [[String: Any]]
            for j in ratings.indices {
                ratings[j]["grade"] = grade
                ratings[j]["evidence"] = "Seen on the visits."
            }
            profiles[i]["ratings"] = ratings
            // The child heard and seen alone, as a final needs.
            profiles[i]["childView"] = "Likes school; home is busy."
            profiles[i]["seenAlone"] = true
        }
        obj["profiles"] = profiles
        obj["assessors"] = [["name": "Sam Worker", "role": "social worker", "team": "East"]]
        // The template invents no visit: one inside its three-week window, as a practitioner would add it.
        obj["visits"] = [["date": CalendarDate(date)!.adding(days: -7).description, "announced": false]]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    /// Every file under the store with its bytes (the lock file and leftover temp files aside).
    func snapshot() -> [String: Data] { TestSupport.snapshot(store) }
}

/// The built `gcp2` executable next to the test bundle.
var gcp2Binary: String {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir, dir.deletingLastPathComponent()] {
        let p = candidate.appendingPathComponent("gcp2").path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/gcp2").path
}

/// Runs a program to completion and returns its exit status and output.
@discardableResult
func runProcess(_ path: String, _ args: [String], env: [String: String] = [:], stdin: String? = nil) throws -> (
    code: Int32, out: String, err: String
) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    var vars = ProcessInfo.processInfo.environment
    for (k, v) in env { vars[k] = v }
    p.environment = vars
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// How a JSON path inside a profile reads in a problem's text, where the child and item lead (issue 12):
/// `profiles[0].ratings[1].grade` reads `(profiles[0]) · … (ratings[1]) · grade`. Returns the parts the text must
/// contain, in order; a path outside the profiles is itself.
func pathInText(_ path: String) -> [String] {
    let parts = path.split(separator: ".", maxSplits: 2).map(String.init)
    guard parts.first?.hasPrefix("profiles[") == true else { return [path] }
    var out = ["(\(parts[0]))"]
    guard parts.count > 1 else { return out }
    let labelledLists = ["ratings[", "grades[", "targets[", "substitutions["]
    if labelledLists.contains(where: { parts[1].hasPrefix($0) }) {
        out.append("(\(parts[1]))")
        if parts.count > 2 { out.append(") · \(parts[2])") }
    } else {
        out.append(" · " + parts.dropFirst().joined(separator: "."))
    }
    return out
}

/// Whether `text` mentions `words`, a JSON path given the way problem messages put it (see `pathInText`).
func mentions(_ text: String, _ words: String) -> Bool {
    let parts = pathInText(words)
    // A problem found without a file to name things from (`finalise`) keeps the bare path.
    guard parts.count > 1, !text.contains(words) else { return text.contains(words) }
    return text.split(separator: "\n").contains { line in parts.allSatisfy { line.contains($0) } }
}
