// The assessment file a practitioner gives `record` and `validate`: the strict pre-pass and the collecting
// decoder (`AssessmentInput.decode`, the store's one input decoder), then the meaning checks against the default
// instrument and a family holding every child the file names.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    guard let (decoded, _) = try? AssessmentInput.decode(data, file: "input.json"), let a = decoded else { return 0 }
    var family = Family(id: a.familyId, ref: "fuzz")
    for p in a.profiles where !family.children.contains(where: { $0.id == p.childId }) {
        family.children.append(Child(id: p.childId, name: "child", born: CalendarDate("2015-01-01")!))
    }
    for final in [false, true] {
        _ = try? a.computeProfiles(
            in: AssessmentContext(
                instrument: Instrument.gcp2Structure, family: family, today: CalendarDate("2026-11-26")!,
                requireComplete: final))
    }
    return 0
}
