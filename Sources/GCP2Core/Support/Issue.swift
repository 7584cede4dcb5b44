import Foundation

/// One problem found in input: where it is, what is wrong, and what was expected.
public struct Issue: Hashable, Sendable, CustomStringConvertible {
    /// A JSON path into the document, e.g. `profiles[0].ratings[2].grade`; empty for the whole document.
    public var path: String
    /// What is wrong, in words a practitioner can act on.
    public var problem: String
    /// What was expected instead, if there is something useful to say.
    public var expected: String?
    /// Who and what the problem is about, in the words of the file, leading the message: the child's name and the
    /// item's code and title, each with its place, e.g. `Tyler (profiles[0]) · A.1.a Quality of food (ratings[0])`.
    /// `path` stays the exact JSON path.
    public var subject: String?

    public init(_ path: String, _ problem: String, expected: String? = nil) {
        self.path = path
        self.problem = problem
        self.expected = expected
    }

    public var description: String {
        let at: String
        if let subject {
            // The part of the path the subject does not already name (`.grade` after the rating, say).
            let rest = path.hasPrefix(subjectPath) ? String(path.dropFirst(subjectPath.count)) : path
            at = rest.isEmpty ? subject : "\(subject) · \(rest.hasPrefix(".") ? String(rest.dropFirst()) : rest)"
        } else {
            at = path.isEmpty ? "(document)" : path
        }
        if let expected { return "\(at): \(problem); expected \(expected)" }
        return "\(at): \(problem)"
    }

    /// The JSON path the subject names, set with it.
    public var subjectPath = ""
}

/// Input that failed validation; carries every problem found in one pass.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [Issue]
    public init(_ issues: [Issue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Builds JSON paths such as `profiles[0].ratings[3]`.
public struct JSONPath: Sendable {
    public private(set) var text: String
    public init(_ text: String = "") { self.text = text }
    public func key(_ k: String) -> JSONPath { JSONPath(text.isEmpty ? k : "\(text).\(k)") }
    public func index(_ i: Int) -> JSONPath { JSONPath("\(text)[\(i)]") }
    public subscript(_ k: String) -> String { key(k).text }
    public subscript(_ i: Int) -> String { index(i).text }
}

extension Issue {
    /// Turns a `DecodingError` into a located issue; Linux's own messages ("The data is missing.") say too little.
    public init(decodingError error: any Error) {
        func path(_ keys: [any CodingKey]) -> String {
            var p = JSONPath()
            for k in keys {
                if let i = k.intValue { p = p.index(i) } else { p = p.key(k.stringValue) }
            }
            return p.text
        }
        guard let error = error as? DecodingError else {
            self.init("", "the file is not valid JSON", expected: "a JSON document")
            return
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let p = path(ctx.codingPath + [key])
            self.init(p, "missing key `\(p.split(separator: ".").last.map(String.init) ?? key.stringValue)`")
        case .typeMismatch(let type, let ctx):
            let detail = ctx.debugDescription.hasPrefix("expected") ? ctx.debugDescription : "wrong type"
            self.init(path(ctx.codingPath), detail, expected: detail.hasPrefix("expected") ? nil : Issue.typeName(type))
        case .valueNotFound(let type, let ctx):
            self.init(path(ctx.codingPath), "value is null", expected: Issue.typeName(type))
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                self.init("", "the file is not valid JSON", expected: "a UTF-8 JSON document")
            } else if ctx.debugDescription.hasPrefix("expected") {
                let parts = ctx.debugDescription.components(separatedBy: ", found ")
                self.init(
                    path(ctx.codingPath), parts.count > 1 ? "found \(parts[1])" : "invalid value",
                    expected: String(parts[0].dropFirst("expected ".count)))
            } else if ctx.debugDescription.contains("Cannot initialize") {
                self.init(path(ctx.codingPath), "unknown value", expected: "one of the documented values")
            } else {
                self.init(path(ctx.codingPath), "invalid value")
            }
        @unknown default:
            self.init("", "the document could not be read")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "a string"
        case "Int", "Grade": return "a whole number"
        case "Bool": return "true or false"
        case "Double": return "a number"
        case let n where n.hasPrefix("Array"): return "an array"
        case let n where n.hasPrefix("Dictionary"): return "an object"
        default: return "an object"
        }
    }
}

/// Decodes a string enum, naming the accepted values when the text is not one of them.
func decodeNamed<T: RawRepresentable & CaseIterable>(_ decoder: any Decoder) throws -> T where T.RawValue == String {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = T(rawValue: text) else {
        let names = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw DecodingError.dataCorrupted(
            .init(codingPath: decoder.codingPath, debugDescription: "expected one of \(names), found \(quoted(text))"))
    }
    return value
}
