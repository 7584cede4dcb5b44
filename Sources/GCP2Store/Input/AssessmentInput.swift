import Foundation
import GCP2Core

/// The format an assessment arrives in — a filled-in template or a file a practitioner wrote — with its one
/// decoder: strict JSON first (no duplicate keys, no trailing commas), then every element-level problem collected.
enum AssessmentInput {
    /// The one version of the input format (the template `gcp2 template` prints).
    static let version = 1

    /// The assessment when its shape could be read, and every problem found on the way.
    static func decode(_ data: Data, file: String?) throws(StoreError) -> (Assessment?, [Issue]) {
        try Store.checkStrictJSON(data, file: file)
        let collector = IssueCollector()
        let d = JSONDecoder()
        d.userInfo[IssueCollector.key] = collector
        // The input format's version: the key is optional, and only version 1 exists.
        var versionIssues: [Issue] = []
        switch (try? JSONDecoder().decode(VersionProbe.self, from: data))?.schemaVersion {
        case nil, 1?: break
        case let v?:
            versionIssues.append(
                Issue("schemaVersion", "unsupported version \(v)", expected: "\(version), or no schemaVersion key"))
        }
        do {
            let a = try d.decode(Assessment.self, from: data)
            return (a, versionIssues + collector.issues)
        } catch {
            return (nil, collector.issues + [Issue(decodingError: error)])
        }
    }
}
