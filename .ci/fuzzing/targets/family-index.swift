// A family's index entry (`index/<family>.json`), the derived file `family list`, `history` and the caseload's
// fallback read: decoded as the store reads it, then the family's final assessments in force as the caseload
// rules take them; the two decoders compared.
import Foundation
import GCP2Core

@testable import GCP2Store

let builder = CaseloadBuilder(policy: .default, instrument: Instrument.gcp2Structure, asOf: CalendarDate("2026-11-26")!)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    agree(FamilyIndex.self, data)
    guard
        let index = try? scratch.decodeDocument(
            data, at: "index/f1.json", as: FamilyIndex.self, current: FamilyIndex.currentSchemaVersion)
    else { return 0 }
    _ = builder.evaluate(
        family: index.family.family, finals: index.effectiveFinals, decisions: Decision.inForce(index.allDecisions))
    return 0
}
