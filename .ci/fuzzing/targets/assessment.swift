// A stored assessment version (`families/<id>/assessments/<id>.v<n>.json`), read as the store reads it, then
// its profiles computed against the default instrument as `show` and the index rebuild do; and the store's
// two decoders (`TapeDecoder`, `JSONDecoder`) compared.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    agree(Assessment.self, data)
    guard
        let a = try? scratch.decodeAssessment(data, at: "families/f1/assessments/a1.v1.json")
    else { return 0 }
    var family = Family(id: a.familyId, ref: "fuzz")
    for p in a.profiles where !family.children.contains(where: { $0.id == p.childId }) {
        family.children.append(Child(id: p.childId, name: "child", born: CalendarDate("2015-01-01")!))
    }
    _ = try? a.computeProfiles(
        in: AssessmentContext(
            instrument: Instrument.gcp2Structure, family: family, today: CalendarDate("2026-11-26")!,
            requireComplete: false))
    return 0
}
