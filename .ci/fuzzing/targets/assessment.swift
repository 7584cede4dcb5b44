// A stored assessment version (`families/<id>/assessments/<id>.v<n>.json`), read as the store reads it, then
// its profiles computed against the default instrument as `show` and the index rebuild do; and the store's
// readers (`AssessmentCursorReader`, `AssessmentTapeReader`, `TapeDecoder`, `JSONDecoder`) compared.
import Foundation
import GCP2Core

@testable import GCP2Store

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = input(bytes, count)
    agree(Assessment.self, data)
    agreeReader(AssessmentTapeReader.read(ParsedDocument(data)), data, "AssessmentTapeReader")
    agreeReader(AssessmentCursorReader.read(data), data, "AssessmentCursorReader")
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

/// A direct reader against `JSONDecoder`: whatever it reads, `JSONDecoder` must read the same assessment, as a
/// value, as canonical JSON and in the positions of its elements (which equality ignores).
func agreeReader(_ read: Assessment?, _ data: Data, _ reader: String) {
    guard let fast = read else { return }
    guard let reference = try? Coding.decoder().decode(Assessment.self, from: data) else {
        fatalError("\(reader) read an assessment that JSONDecoder refuses")
    }
    if fast != reference || Coding.document(fast) != Coding.document(reference) || positions(fast) != positions(reference) {
        fatalError("\(reader) and JSONDecoder read different assessments")
    }
}

/// Every position an assessment keeps: profiles, ratings, unrated slots, grades, substitutions, targets.
func positions(_ a: Assessment) -> [[Int]] {
    var out = [(0..<a.profiles.count).map { a.profileSources($0) }]
    for p in a.profiles {
        out.append((0..<p.ratings.count).map { p.sources.ratings($0) })
        out.append(p.sources.unrated.map(\.1))
        out.append((0..<p.grades.count).map { p.sources.grades($0) })
        out.append((0..<p.substitutions.count).map { p.sources.substitutions($0) })
        out.append((0..<p.targets.count).map { p.sources.targets($0) })
    }
    return out
}
