import Foundation
import GCP2Core

/// Puts the practitioner's words in front of each problem in an assessment file: the child's name and the item's
/// code and title, read from the file itself (what the person wrote is what they asked to see), else from the
/// family and the instrument. The JSON path stays exact; only the way the problem is introduced changes.
enum IssueSubjects {
    /// `issues` with a subject wherever the path names a profile, and within it a rating, grade, target or
    /// substitution.
    static func label(_ issues: [Issue], in data: Data, family: Family?, instrument: ValidatedInstrument?) -> [Issue] {
        guard issues.contains(where: { $0.path.hasPrefix("profiles[") }) else { return issues }
        let root = try? data.withUnsafeBytes { (b: UnsafeRawBufferPointer) throws(MiniJSON.ParseError) in
            try MiniJSON.parse(b)
        }
        let labelled = issues.map { label($0, root: root, family: family, instrument: instrument) }
        // In the file's order: what is about the whole assessment first, then child by child, and within a child
        // by list and element, so a practitioner works down the file once.
        return labelled.enumerated().sorted { a, b in
            let (ka, kb) = (order(a.element.path), order(b.element.path))
            return ka != kb ? ka.lexicographicallyPrecedes(kb) : a.offset < b.offset
        }.map(\.element)
    }

    /// Where a path stands in reading order: profile index, list, element index (-1 where absent).
    private static func order(_ path: String) -> [Int] {
        guard let (p, rest) = index(in: path, after: "profiles") else { return [-1] }
        for (n, list) in ["ratings", "grades", "substitutions", "targets"].enumerated() {
            if let (e, _) = index(in: String(rest), after: ".\(list)") { return [p, n, e] }
        }
        return [p, -1]
    }

    private static func label(_ issue: Issue, root: MiniJSON?, family: Family?, instrument: ValidatedInstrument?) -> Issue {
        guard let (p, afterProfile) = index(in: issue.path, after: "profiles") else { return issue }
        let profilePath = "profiles[\(p)]"
        let profile = root?["profiles"]?.array.flatMap { p < $0.count ? $0[p] : nil }
        let childId = profile?["childId"]?.string
        let name =
            nonEmpty(profile?["childName"]?.string)
            ?? childId.flatMap { id in family?.children.first { $0.id.rawValue == id }?.name } ?? childId
        var out = issue
        var subject = "\(name ?? "child") (\(profilePath))"
        var subjectPath = profilePath
        for list in ["ratings", "grades", "targets", "substitutions"] {
            guard let (e, _) = index(in: String(afterProfile), after: ".\(list)") else { continue }
            let element = profile?[list]?.array.flatMap { e < $0.count ? $0[e] : nil }
            let key = list == "substitutions" ? "subArea" : "linkId"
            let linkId = element?[key]?.string
            let node = linkId.flatMap { LinkID(rawValue: $0) }.flatMap { instrument?.node($0) }
            let code = node?.code ?? nonEmpty(element?["code"]?.string)
            let title = node?.title ?? nonEmpty(element?["title"]?.string)
            let what = [code, title].compactMap { $0 }.joined(separator: " ")
            subject += " · \(what.isEmpty ? (linkId ?? list) : what) (\(list)[\(e)])"
            subjectPath += ".\(list)[\(e)]"
            break
        }
        out.subject = subject
        out.subjectPath = subjectPath
        return out
    }

    /// The index after `name[` at the start of `path`, and the rest of the path after `]`.
    private static func index(in path: String, after name: String) -> (Int, Substring)? {
        guard path.hasPrefix(name + "[") else { return nil }
        let rest = path.dropFirst(name.count + 1)
        guard let close = rest.firstIndex(of: "]"), let i = Int(rest[..<close]) else { return nil }
        return (i, rest[rest.index(after: close)...])
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return s
    }
}
