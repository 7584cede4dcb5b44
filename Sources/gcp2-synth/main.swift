import Foundation
import GCP2Synth

// gcp2-synth --families N --seed S --out DIR: a synthetic store of invented families, for benchmarks and tests.
let usage = "usage: gcp2-synth --families N [--seed S] --out DIR"
var families: Int?
var seed: UInt64 = 1
var out: String?
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let key = args.removeFirst()
    if key == "--help" || key == "-h" {
        print(usage)
        exit(0)
    }
    guard let value = args.first else {
        FileHandle.standardError.write(Data("error: \(key) needs a value\n\(usage)\n".utf8))
        exit(64)
    }
    args.removeFirst()
    switch key {
    case "--families": families = Int(value)
    case "--seed": seed = UInt64(value) ?? 1
    case "--out": out = value
    default:
        FileHandle.standardError.write(Data("error: unknown option \(key)\n\(usage)\n".utf8))
        exit(64)
    }
}
guard let families, families > 0, let out else {
    FileHandle.standardError.write(Data("error: --families N (N > 0) and --out DIR are required\n\(usage)\n".utf8))
    exit(64)
}
let start = Date()
do {
    try SyntheticStore(families: families, seed: seed).write(to: out, now: Date()) { done in
        let s = String(format: "%.1f", Date().timeIntervalSince(start))
        FileHandle.standardError.write(Data("gcp2-synth: \(done)/\(families) families (\(s) s)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
print("Wrote \(families) families to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
