// The journal of an interrupted change (`journal.json`), read from the file as recovery reads it: decoding,
// version and path checks; the two decoders compared.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    agree(Journal.self, data)
    place(data, at: "journal.json")
    _ = try? scratch.readJournal()
    return 0
}
