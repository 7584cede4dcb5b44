/// Text that has passed `SafeIdentifier.isSafe`, or that this package vouches for; only this package can make one,
/// so a library user builds identifiers through `init?(rawValue:)` and never escapes the store with `../x`.
public struct CheckedIdentifierText: Sendable {
    let text: String
    package init(_ text: String) { self.text = text }
}

/// A validated identifier; safe to use as a file name (lowercase letters, digits, `-` and `.`, 1–64 characters).
public protocol SafeIdentifier: RawRepresentable, Hashable, Comparable, Codable, Sendable,
    CustomStringConvertible
where RawValue == String {
    init(checked: CheckedIdentifierText)
}

extension SafeIdentifier {
    /// Creates the identifier if `rawValue` is a safe file-name component.
    public init?(rawValue: String) {
        guard Self.isSafe(rawValue) else { return nil }
        self.init(checked: CheckedIdentifierText(rawValue))
    }

    /// Creates the identifier without checking: for ids this package generated itself.
    package init(unchecked text: String) { self.init(checked: CheckedIdentifierText(text)) }

    /// Whether `text` can be used as an identifier and a file-name component.
    public static func isSafe(_ text: String) -> Bool {
        var count = 0
        var previous: UInt8 = 0
        for b in text.utf8 {
            let ok = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
            if !ok || (count == 0 && (b == 0x2E || b == 0x2D)) || (b == 0x2E && previous == 0x2E) { return false }
            previous = b
            count += 1
            if count > 64 { return false }
        }
        return count > 0
    }

    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "expected an identifier of lowercase letters, digits, '-' or '.' (1–64 characters), found \(quoted(text))"
                ))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Identifies a family (a case).
public struct FamilyID: SafeIdentifier {
    public let rawValue: String
    public init(checked: CheckedIdentifierText) { rawValue = checked.text }
}

/// Identifies a child within the store; of the form `<family>-c<n>`.
public struct ChildID: SafeIdentifier {
    public let rawValue: String
    public init(checked: CheckedIdentifierText) { rawValue = checked.text }
}

/// Identifies a carer within the store; of the form `<family>-p<n>`.
public struct CarerID: SafeIdentifier {
    public let rawValue: String
    public init(checked: CheckedIdentifierText) { rawValue = checked.text }
}

/// Identifies an assessment episode (all its versions); of the form `<family>-a<n>`.
public struct AssessmentID: SafeIdentifier {
    public let rawValue: String
    public init(checked: CheckedIdentifierText) { rawValue = checked.text }
}

/// Identifies a decision about a family's children; of the form `<family>-d<n>`.
public struct DecisionID: SafeIdentifier {
    public let rawValue: String
    public init(checked: CheckedIdentifierText) { rawValue = checked.text }

    /// The number after the family's prefix (`<family>-d<n>`): decisions are numbered in the order recorded.
    public var number: Int? {
        guard let r = rawValue.range(of: "-d", options: .backwards) else { return nil }
        return Int(rawValue[r.upperBound...])
    }
}

/// A stable hierarchical identifier of an area, sub-area or item, e.g. `physical.nutrition.quality`.
public struct LinkID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ text: String) { rawValue = text }
    public var description: String { rawValue }
    public static func < (a: LinkID, b: LinkID) -> Bool { a.rawValue < b.rawValue }

    /// Whether the text is dot-separated segments of lowercase letters, digits and `-`, each starting with a letter.
    public var isWellFormed: Bool {
        let segments = rawValue.split(separator: ".", omittingEmptySubsequences: false)
        return !segments.isEmpty && segments.count <= 4
            && segments.allSatisfy { seg in
                guard let first = seg.utf8.first, first >= 0x61, first <= 0x7A, seg.utf8.count <= 40 else { return false }
                return seg.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
            }
    }

    /// The number of segments: 1 for an area, 2 for a sub-area, 3 for an item.
    public var depth: Int { rawValue.split(separator: ".").count }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Quotes a user-supplied value for an error message, shortening long text.
func quoted(_ text: String) -> String {
    let limit = 40
    let clean = text.unicodeScalars.map { TextRule.isControl($0) ? "?" : String($0) }.joined()
    return clean.count > limit ? "\"\(clean.prefix(limit))…\"" : "\"\(clean)\""
}
