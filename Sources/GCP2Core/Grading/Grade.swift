/// A GCP2 grade on the 1–5 scale: 1 is the best care, 5 the worst.
public struct Grade: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    /// The whole scale, best first.
    public static let scale: ClosedRange<Int> = 1...5
    public static let best = Grade(unchecked: 1)
    public static let worst = Grade(unchecked: 5)

    /// Creates a grade if `rawValue` is on the 1–5 scale.
    public init?(rawValue: Int) {
        guard Grade.scale.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }
    init(unchecked: Int) { rawValue = unchecked }

    /// Whether `self` is better (lower) than `other`.
    public func isBetter(than other: Grade) -> Bool { rawValue < other.rawValue }
    /// Whether `self` is worse (higher) than `other`.
    public func isWorse(than other: Grade) -> Bool { rawValue > other.rawValue }

    public var description: String { String(rawValue) }
    public static func < (a: Grade, b: Grade) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let v = try? c.decode(Int.self) else {
            throw DecodingError.typeMismatch(
                Int.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a whole-number grade 1 to 5"))
        }
        guard let g = Grade(rawValue: v) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a grade 1 to 5, found \(v)"))
        }
        self = g
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Where a grade falls: what is going well, what is borderline, what is a concern.
public enum Band: String, Codable, Sendable, CaseIterable {
    case strength
    case borderline
    case concern
}

/// The grade-to-band mapping; by default 1–2 strength, 3 borderline, 4–5 concern.
public struct BandThresholds: Codable, Hashable, Sendable {
    /// The worst grade still counted a strength (default 2).
    public var strengthMax: Int
    /// The worst grade still counted borderline (default 3); worse grades are concerns.
    public var borderlineMax: Int

    public init(strengthMax: Int = 2, borderlineMax: Int = 3) {
        self.strengthMax = strengthMax
        self.borderlineMax = borderlineMax
    }

    /// The band of `grade`.
    public func band(of grade: Grade) -> Band {
        if grade.rawValue <= strengthMax { return .strength }
        if grade.rawValue <= borderlineMax { return .borderline }
        return .concern
    }
}
