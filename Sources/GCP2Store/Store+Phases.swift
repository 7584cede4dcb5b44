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
        // The whole of `caseload(asOf:)` without the snapshot (both cores, files read afresh), then with it, as the
        // command runs it on an unchanged store: wall time.
        let whole = best { _ = try? caseloadCounting(asOf: asOf, snapshot: false) }
        _ = try? caseloadCounting(asOf: asOf)
        let warm = best { _ = try? caseloadCounting(asOf: asOf) }
        var snapshotData = Data()
        let snapshotRead = best { snapshotData = (try? POSIX.read(full(CaseloadSnapshot.file))) ?? Data() }
        let key = CaseloadSnapshot.key(asOf: asOf, instrument: inst, policy: policy) ?? ""
        var snapshot: CaseloadSnapshot?
        let snapshotDecode = best { snapshot = CaseloadSnapshot.decode(snapshotData, key: key, asOf: asOf) }
        let stamps = best { _ = POSIX.stamps(in: full("caseload"), ids.map { "\($0).json" }) }
        let listing = best { _ = try? familyIDs() }
        let orphans = best { _ = try? missingFamilies(besides: ids) }
        let snapshotEncode = best { _ = snapshot.map { $0.encoded(key: key) } }
        return [
            ("families", Double(ids.count)), ("children", Double(children)), ("lines", Double(lines)),
            ("read files µs/family", read), ("parse+decode µs/family", decode), ("summaries µs/family", summaries),
            ("review µs/family", review), ("evaluate (review+lines) µs/family", evaluate),
            ("caseload(asOf:) without the snapshot, both cores, wall µs/family", whole),
            ("caseload(asOf:) from an unchanged snapshot, wall µs/family", warm),
            ("snapshot read µs/family", snapshotRead), ("snapshot decode µs/family", snapshotDecode),
            ("entry stamps (both cores) µs/family", stamps), ("family listing µs/family", listing),
            ("index listing (orphans) µs/family", orphans), ("snapshot encode µs/family", snapshotEncode),
        ]
    }
}
