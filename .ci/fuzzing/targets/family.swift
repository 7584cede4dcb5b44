// A stored family document (`families/<id>/family.json`), read as the store reads it: version probe, migration
// of older versions, decoding.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    _ = strictPrePass(data)
    _ = try? scratch.decodeFamily(data, at: "families/f1/family.json")
    return 0
}
