// A policy file (`init --policy`): the strict pre-pass, decoding, validation alone and against the default
// instrument's bands; and the store manifest that carries the policy, read as the store reads it.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    if strictPrePass(data), let policy = try? JSONDecoder().decode(Policy.self, from: data) {
        _ = policy.validate(at: "")
        _ = policy.validate(bands: Instrument.gcp2Structure.bands, at: "")
    }
    agree(Manifest.self, data)
    _ = try? scratch.decodeDocument(data, at: "manifest.json", as: Manifest.self, current: Manifest.currentSchemaVersion, oldest: 1)
    return 0
}
