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
                    let people = Store.assessorsMember(data)
                else { return }
                found[i] = people
            }
            var out: [AssessmentID: [Assessor]] = [:]
            for (i, id) in list.enumerated() { if let a = found[i] { out[id] = a } }
            return out
        }
    }

    /// The `assessors` member of an assessment document, read from the strict reader's token table without a tree
    /// (a document is mostly evidence, which this never makes into strings): each assessor with a string `name`,
    /// its `role` (empty unless a string) and `team` (nil unless a string). Nil when the document does not parse
    /// or has no `assessors` array.
    static func assessorsMember(_ data: Data) -> [Assessor]? {
        data.withUnsafeBytes { raw -> [Assessor]? in
            guard let tape = try? JSONTape.parse(raw) else { return nil }
            return tape.tokens.withUnsafeBufferPointer { t -> [Assessor]? in
                /// Each member of object `i`: its key (unescaped) and the index of its value.
                func members(_ i: Int) -> [(String, Int)] {
                    guard t[i].kind == .object else { return [] }
                    var out: [(String, Int)] = []
                    var k = i + 1
                    for _ in 0..<Int(t[i].count) {
                        out.append((JSONTape.string(t[k], in: raw), k + 1))
                        k = Int(t[k + 1].next)
                    }
                    return out
                }
                func string(_ i: Int) -> String? { t[i].kind == .string ? JSONTape.string(t[i], in: raw) : nil }
                guard !t.isEmpty, let list = members(0).first(where: { $0.0 == "assessors" })?.1, t[list].kind == .array
                else { return nil }
                var people: [Assessor] = []
                var k = list + 1
                for _ in 0..<Int(t[list].count) {
                    let fields = members(k)
                    func field(_ name: String) -> String? { fields.first { $0.0 == name }.flatMap { string($0.1) } }
                    if let name = field("name") {
                        people.append(Assessor(name: name, role: field("role") ?? "", team: field("team")))
                    }
                    k = Int(t[k].next)
                }
                return people
            }
        }
    }
}
