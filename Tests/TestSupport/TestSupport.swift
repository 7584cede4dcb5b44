import Foundation
import Testing

// What every test target shares: temporary folders, byte snapshots of a store, a seeded generator, tags.

extension Tag {
    /// Suites that build stores of hundreds of families or run the built binary in loops (`swift test --skip-tags slow`
    /// is not a Swift Testing option; filter with `--filter` / `--skip` on the suite names when iterating).
    @Tag public static var slow: Self
}

/// A fresh temporary folder per test, removed afterwards.
public final class TempDir {
    public let path: String
    public init() {
        path = NSTemporaryDirectory() + "gcp2-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Every file under `path` with its bytes, for "nothing changed" checks: the lock file, leftover temp files
/// (`.name.tmp-…`, which readers ignore and the next change removes) and the caseload snapshot (a cache any reader
/// may refresh, checked by `CaseloadSnapshotTests`) aside.
public func snapshot(_ path: String) -> [String: Data] {
    var out: [String: Data] = [:]
    let fm = FileManager.default
    guard let e = fm.enumerator(atPath: path) else { return out }
    while let rel = e.nextObject() as? String {
        var isDir: ObjCBool = false
        let name = (rel as NSString).lastPathComponent
        if name.hasPrefix(".") && name.contains(".tmp-") { continue }
        if fm.fileExists(atPath: "\(path)/\(rel)", isDirectory: &isDir), !isDir.boolValue, rel != ".lock",
            rel != "caseload.snapshot"
        {
            out[rel] = fm.contents(atPath: "\(path)/\(rel)")
        }
    }
    return out
}

/// A small seeded generator (SplitMix64) so generated cases repeat exactly.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// NIST FIPS 180-4 example vectors for SHA-256 (csrc.nist.gov, SHA256.pdf and the SHAVS short messages): message, digest.
public let sha256NISTVectors: [(String, String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
]
