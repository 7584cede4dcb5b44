// A licensee's instrument file (`init --instrument`, `instrument validate`) and a stored instrument: the strict
// pre-pass, then `InstrumentFile.load` (version probe, decoding, validation).
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    guard strictPrePass(data) else { return 0 }
    _ = try? InstrumentFile.load(from: data)
    return 0
}
