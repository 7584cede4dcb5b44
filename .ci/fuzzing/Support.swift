// Shared by every fuzz target (compiled into each): the input as `Data`, and a scratch store for the decoders
// gcp2 reaches through a file (the journal, the audit log). Not part of the package: built by `.ci/fuzz`.
import Foundation
import GCP2Core

@testable import GCP2Store

/// The fuzzer's bytes as the `Data` gcp2 reads from a file.
func input(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data { Data(bytes: bytes, count: count) }

/// Runs the strict reader over the bytes, as gcp2 does before decoding untrusted input.
func strictPrePass(_ data: Data) -> Bool { MiniJSON.strictIssue(in: [UInt8](data)) == nil }

/// The store's fast decoder (the strict reader's tape under a `Swift.Decoder`) against `JSONDecoder`, its reference:
/// whatever the fast path reads, `JSONDecoder` must read the same value (compared as canonical JSON). A
/// disagreement is a crash, so libFuzzer keeps the input.
func agree<T: Codable>(_ type: T.Type, _ data: Data) {
    guard let fast = TapeDecoder.decode(T.self, from: data) else { return }
    guard let reference = try? Coding.decoder().decode(T.self, from: data) else {
        fatalError("TapeDecoder read a \(T.self) that JSONDecoder refuses")
    }
    if Coding.document(fast) != Coding.document(reference) {
        fatalError("TapeDecoder and JSONDecoder read different \(T.self) values")
    }
}

/// A store object over a scratch folder: its decoders name files under it, and the file-reading ones read there.
/// Nothing in it is ever opened as a real store.
let scratch: Store = {
    let dir = FileManager.default.temporaryDirectory.path + "/gcp2-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return Store(
        path: dir,
        manifest: Manifest(
            createdAt: Date(timeIntervalSince1970: 0), policy: .default, instrument: Instrument.gcp2Structure.reference),
        lockTimeout: 1)
}()

/// Puts the bytes at `rel` in the scratch folder.
func place(_ data: Data, at rel: String) {
    let url = URL(fileURLWithPath: scratch.full(rel))
    try? data.write(to: url)
}
