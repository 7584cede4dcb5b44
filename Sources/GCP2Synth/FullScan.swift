import Foundation
import GCP2Core
import GCP2Store

/// The naive approach a script would take: read and decode every document in the store with `JSONDecoder`.
public enum FullScan {
    /// What a full scan found.
    public struct Result: Sendable {
        public var families: [Family] = []
        public var assessments: [Assessment] = []
        public var decisions: [Decision] = []
        public var bytes = 0
    }

    /// Decodes every family and assessment document (one thread, as a script would).
    public static func read(store path: String) throws -> Result {
        var out = Result()
        let fm = FileManager.default
        let decoder = JSONDecoder()
        for fid in try fm.contentsOfDirectory(atPath: "\(path)/families").sorted() where !fid.hasPrefix(".") {
            let famData = try Data(contentsOf: URL(fileURLWithPath: "\(path)/families/\(fid)/family.json"))
            out.bytes += famData.count
            out.families.append(try decoder.decode(Family.self, from: famData))
            let folder = "\(path)/families/\(fid)/assessments"
            for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !name.hasPrefix(".") {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
                out.bytes += data.count
                out.assessments.append(try decoder.decode(Assessment.self, from: data))
            }
            let decided = "\(path)/families/\(fid)/decisions"
            for name in ((try? fm.contentsOfDirectory(atPath: decided)) ?? []).sorted() where !name.hasPrefix(".") {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(decided)/\(name)"))
                out.bytes += data.count
                out.decisions.append(try decoder.decode(Decision.self, from: data))
            }
        }
        return out
    }

    /// The caseload computed from the decoded documents alone (no index): the reference the index must match.
    public static func caseload(_ scan: Result, policy: Policy, asOf: CalendarDate) -> Caseload {
        var builder = CaseloadBuilder(policy: policy, instrument: Instrument.gcp2Structure, asOf: asOf)
        let byFamily = Dictionary(grouping: scan.assessments, by: \.familyId)
        let decisions = Dictionary(grouping: scan.decisions, by: \.familyId)
        for family in scan.families {
            let finals = Assessment.finalsInForce(byFamily[family.id] ?? []).map(\.familySummary)
            builder.add(family: family, finals: finals, decisions: Decision.inForce(decisions[family.id] ?? []))
        }
        return builder.build()
    }
}
