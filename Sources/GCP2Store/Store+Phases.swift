import Foundation
import GCP2Core

extension Store {
    /// Times each phase of the caseload single-threaded over every family's entry held in memory (for
    /// `gcp2-bench --phases`): reading the files, parsing and decoding, the summaries, the review, the lines.
    /// Each figure is microseconds per family, the best of `rounds` passes.
    package func caseloadPhases(asOf: CalendarDate, rounds: Int = 3) throws(StoreError) -> [(String, Double)] {
        let inst = try currentInstrument()
        let ids = try familyIDs()
        let levels = CaseloadEntry.Levels(inst)
        let builder = CaseloadBuilder(policy: policy, instrument: inst, asOf: asOf)
        func best(_ body: () -> Void) -> Double {
            var b = Double.infinity
            for _ in 0..<rounds {
                let t = DispatchTime.now().uptimeNanoseconds
                body()
                b = min(b, Double(DispatchTime.now().uptimeNanoseconds - t) / 1000 / Double(max(1, ids.count)))
            }
            return b
        }
        var datas: [Data] = []
        let read = best {
            datas = ids.compactMap { try? POSIX.read(full(Store.caseloadFile($0)), limit: Store.maxDerivedBytes) }
        }
        var entries: [CaseloadEntry] = []
        let decode = best { entries = datas.compactMap { CaseloadEntry.fastDecode($0) } }
        var inputs: [(Family, [FamilyAssessmentSummary], [Decision], [PendingDraft])] = []
        let summaries = best {
            inputs = entries.compactMap { e in
                e.summaries(for: levels).map { (e.family.family, $0, e.decisions ?? [], e.drafts ?? []) }
            }
        }
        var children = 0
        let review = best {
            children = 0
            for (f, s, d, p) in inputs {
                children += builder.review(family: f, finals: s, decisions: d, drafts: p, subAreas: false).children.count
            }
        }
        var lines = 0
        let evaluate = best {
            lines = 0
            for (f, s, d, p) in inputs { lines += builder.evaluate(family: f, finals: s, decisions: d, drafts: p).lines.count }
        }
        // The whole of `caseload(asOf:)` as the command runs it (both cores, files read afresh): wall time.
        let whole = best { _ = try? caseload(asOf: asOf) }
        return [
            ("families", Double(ids.count)), ("children", Double(children)), ("lines", Double(lines)),
            ("read files µs/family", read), ("parse+decode µs/family", decode), ("summaries µs/family", summaries),
            ("review µs/family", review), ("evaluate (review+lines) µs/family", evaluate),
            ("caseload(asOf:), both cores, wall µs/family", whole),
        ]
    }
}
