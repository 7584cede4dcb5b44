import Foundation
import GCP2Core

/// The format an assessment arrives in — a filled-in template or a file a practitioner wrote — with its one
/// decoder: strict JSON first (no duplicate keys, no trailing commas), then every element-level problem collected.
enum AssessmentInput {
    /// The version of the input format the template `gcp2 template` prints; version 1 (or a file without
    /// `schemaVersion`) is read too, its joint carers' view migrated as a stored version 1 document's is.
    static let version = 2

    /// The assessment when its shape could be read, and every problem found on the way.
    static func decode(_ data: Data, file: String?) throws(StoreError) -> (Assessment?, [Issue]) {
        try Store.checkStrictJSON(data, file: file)
        let collector = IssueCollector()
        let d = JSONDecoder()
        d.userInfo[IssueCollector.key] = collector
        // The input format's version: the key is optional (version 1 then), and versions 1 and 2 exist.
        var versionIssues: [Issue] = []
        var joint: AssessmentDocument.V1JointViews?
        switch (try? JSONDecoder().decode(VersionProbe.self, from: data))?.schemaVersion {
        case nil, 1?: joint = try? JSONDecoder().decode(AssessmentDocument.V1JointViews.self, from: data)
        case 2?:
            // Version 2 replaced the joint view: its keys would otherwise be passed over without a word.
            if let old = try? JSONDecoder().decode(AssessmentDocument.V1JointViews.self, from: data) {
                for (i, p) in (old.profiles ?? []).enumerated() where p.carersView != nil || p.carersAgree != nil {
                    versionIssues.append(
                        Issue(
                            "profiles[\(i)].\(p.carersView != nil ? "carersView" : "carersAgree")",
                            "format version 2 records each carer's view",
                            expected: "carerViews: [{\"carer\": …, \"view\": …, \"agrees\": \"yes\", \"no\" or \"partly\"}]"))
                }
            }
        case let v?:
            versionIssues.append(
                Issue("schemaVersion", "unsupported version \(v)", expected: "1 or \(version), or no schemaVersion key"))
        }
        do {
            var a = try d.decode(Assessment.self, from: data)
            if let joint, a.profiles.allSatisfy(\.carerViews.isEmpty) { a = joint.migrate(a) }
            return (a, versionIssues + collector.issues)
        } catch {
            return (nil, collector.issues + [Issue(decodingError: error)])
        }
    }
}
