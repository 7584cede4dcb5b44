import Foundation
import GCP2Core

/// The format an assessment arrives in — a filled-in template or a file a practitioner wrote — with its one
/// decoder: strict JSON first (no duplicate keys, no trailing commas), then every element-level problem collected.
enum AssessmentInput {
    /// The assessment when its shape could be read, and every problem found on the way.
    static func decode(_ data: Data, file: String?) throws(StoreError) -> (Assessment?, [Issue]) {
        try Store.checkStrictJSON(data, file: file)
        let collector = IssueCollector()
        let d = JSONDecoder()
        d.userInfo[IssueCollector.key] = collector
        do {
            let a = try d.decode(Assessment.self, from: data)
            var issues = collector.issues
            if a.schemaVersion != Assessment.currentSchemaVersion {
                issues.insert(
                    Issue(
                        "schemaVersion", "unsupported version \(a.schemaVersion)",
                        expected: "\(Assessment.currentSchemaVersion), or no schemaVersion key"), at: 0)
            }
            return (a, issues)
        } catch {
            return (nil, collector.issues + [Issue(decodingError: error)])
        }
    }
}
