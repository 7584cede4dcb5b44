// A stored family document (`families/<id>/family.json`), read as the store reads it: version probe, migration
// of older versions, decoding (the strict reader's `TapeDecoder`, `JSONDecoder` when it declines); and the two
// decoders compared.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    agree(Family.self, data)
    _ = try? scratch.decodeFamily(data, at: "families/f1/family.json")
    return 0
}
