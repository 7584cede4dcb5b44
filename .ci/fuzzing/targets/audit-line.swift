// The audit log (`audit.log`): every line decoded as `doctor` walks the chain, and the last line read from the
// file as the next change reads it (`auditTail`, which also trims a torn tail); the decoders compared, the one-pass
// reader with `JSONDecoder` too.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    for range in Lines.ranges(in: data) {
        let line = Data(data[range])
        agree(AuditEntry.self, line)
        if let fast = AuditEntryCursorReader.read(line), fast != (try? Coding.decoder().decode(AuditEntry.self, from: line)) {
            fatalError("AuditEntryCursorReader and JSONDecoder read different entries")
        }
        _ = AuditEntry.read(line: line)
    }
    place(data, at: "audit.log")
    _ = try? scratch.auditTail()
    return 0
}
