import Foundation
import GCP2Core

extension Store {
    /// The assessors recorded in the latest version of each assessment, read from the assessment documents (the
    /// compact caseload entries do not carry them); an assessment whose document cannot be read is left out.
    ///
    /// Documents are read in parallel under the shared lock and only the `assessors` member is taken from each.
    public func assessors(of ids: Set<AssessmentID>) throws(StoreError) -> [AssessmentID: [Assessor]] {
        let list = ids.sorted()
        return try withLock(exclusive: false) { () throws(StoreError) in
            let found = ConcurrentResults<[Assessor]>(count: list.count)
            DispatchQueue.concurrentPerform(iterations: list.count) { i in
                let id = list[i]
                guard let family = Assessment.family(of: id), let version = (try? versions(of: id))?.last,
                    let data = try? POSIX.read(
                        full(Store.assessmentFile(id, version: version, family: family)), limit: Store.maxDocumentBytes),
                    let json = data.withUnsafeBytes({ try? MiniJSON.parse($0) }), let people = json["assessors"]?.array
                else { return }
                found[i] = people.compactMap { a in
                    a["name"]?.string.map { Assessor(name: $0, role: a["role"]?.string ?? "", team: a["team"]?.string) }
                }
            }
            var out: [AssessmentID: [Assessor]] = [:]
            for (i, id) in list.enumerated() { if let a = found[i] { out[id] = a } }
            return out
        }
    }
}
