// The caseload snapshot (`caseload.snapshot`), read as the caseload reads it: the bytes after the magic line and
// the key are the fuzzer's, wrapped with a key and their SHA-256 so the reader gets past its digest check. What it
// reads must be used family by family without trapping, and written again, be read back the same.
import Foundation
import GCP2Core

@testable import GCP2Store

let key = "fuzz"
let asOf = CalendarDate("2026-11-26")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var head = BinaryWriter()
    head.text(key)
    var file = CaseloadSnapshot.magic + head.take() + Array(UnsafeBufferPointer(start: bytes, count: count))
    file += Digest.bytes(of: file)
    guard let snapshot = CaseloadSnapshot.decode(Data(file), key: key, asOf: asOf) else { return 0 }
    let families = snapshot.familyLines()
    guard let again = CaseloadSnapshot.decode(snapshot.encoded(key: key), key: key, asOf: asOf) else {
        fatalError("a snapshot read could not be read again once written")
    }
    if again.caseload != snapshot.caseload || again.ids != snapshot.ids || again.stamps != snapshot.stamps
        || again.complete != snapshot.complete || (families != nil && again.familyLines()?.count != families?.count)
    {
        fatalError("a snapshot written again reads differently")
    }
    return 0
}
