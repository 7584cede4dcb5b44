// A caseload entry (`caseload/<family>.json`), read as the caseload reads it: the strict reader's fast path,
// `JSONDecoder` when that declines, the summaries for the default instrument, and the caseload rules over them;
// and a differential check: when both decoders read the bytes, they read the same entry.
import Foundation
import GCP2Core

@testable import GCP2Store

let levels = CaseloadEntry.Levels(Instrument.gcp2Structure)
let builder = CaseloadBuilder(policy: .default, instrument: Instrument.gcp2Structure, asOf: CalendarDate("2026-11-26")!)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    let fast = CaseloadEntry.fastDecode(data)
    let reference = try? Coding.decoder().decode(CaseloadEntry.self, from: data)
    // The fast path may decline what `JSONDecoder` takes, but what both read must be the same entry.
    if let fast, let reference, fast != reference {
        fatalError("fastDecode and JSONDecoder disagree on a caseload entry")
    }
    agree(CaseloadEntry.self, data)
    guard
        let entry = fast ?? reference,
        entry.schemaVersion <= CaseloadEntry.currentSchemaVersion, let finals = entry.summaries(for: levels)
    else { return 0 }
    _ = builder.evaluate(family: entry.family.family, finals: finals, decisions: entry.decisions ?? [])
    return 0
}
