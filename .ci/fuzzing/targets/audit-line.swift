// The audit log (`audit.log`): every line decoded as `doctor` walks the chain, and the last line read from the
// file as the next change reads it (`auditTail`, which also trims a torn tail); the two decoders compared.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
        agree(AuditEntry.self, Data(line))
        _ = try? Coding.decode(AuditEntry.self, from: Data(line))
    }
    place(data, at: "audit.log")
    _ = try? scratch.auditTail()
    return 0
}
