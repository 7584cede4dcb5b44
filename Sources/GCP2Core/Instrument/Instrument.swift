import Foundation

/// A versioned definition of an assessment tool: scale, areas → sub-areas → items, rules and bands.
///
/// The definition only: the file format it is read from and written as (with its version) is the store's
/// `InstrumentFile`.
public struct Instrument: Codable, Sendable {
    public var id: String
    public var version: String
    public var title: String
    public var scale: Scale
    public var bands: BandThresholds
    public var aggregation: Aggregation
    public var areas: [Area]
    public var substitutions: [Substitution]

    /// The labels of each grade on the three facets.
    public struct Scale: Codable, Sendable {
        public var grades: [GradeLabel]
    }

    /// How one grade reads on the three facets: needs met, carer's commitment, quality of care.
    public struct GradeLabel: Codable, Sendable {
        public var grade: Int
        public var needsMet: String
        public var commitment: String
        public var quality: String
    }

    /// The default rule per level; a sub-area or area may name its own.
    public struct Aggregation: Codable, Sendable {
        public var subArea: AggregationRule
        public var area: AggregationRule
    }

    /// One of the four areas of need.
    public struct Area: Codable, Sendable {
        public var linkId: LinkID
        public var code: String
        public var title: String
        public var aggregation: AggregationRule?
        public var subAreas: [SubArea]
    }

    /// A sub-area, graded from its items.
    public struct SubArea: Codable, Sendable {
        public var linkId: LinkID
        public var code: String
        public var title: String
        public var aggregation: AggregationRule?
        public var items: [Item]
    }

    /// One gradable item.
    public struct Item: Codable, Sendable {
        public var linkId: LinkID
        public var code: String
        public var title: String
        /// Neutral guidance on what to look at; never licensee descriptor text unless loaded from a licensee file.
        public var prompt: String?
        public var ages: AgeRange?
        /// Items of one group are alternatives for different ages; their age ranges must not overlap.
        public var variantGroup: String?
        public var descriptors: [Descriptor]?
    }

    /// Age applicability in whole months: applies when `fromMonths ≤ age < toMonths`.
    public struct AgeRange: Codable, Sendable, Hashable {
        public var fromMonths: Int?
        public var toMonths: Int?
        public func contains(months: Int) -> Bool {
            (fromMonths.map { months >= $0 } ?? true) && (toMonths.map { months < $0 } ?? true)
        }
        func overlaps(_ o: AgeRange) -> Bool {
            let a0 = fromMonths ?? Int.min, a1 = toMonths ?? Int.max
            let b0 = o.fromMonths ?? Int.min, b1 = o.toMonths ?? Int.max
            return a0 < b1 && b0 < a1
        }
    }

    /// Text describing care at one grade for one item (licensee-supplied in a full instrument).
    public struct Descriptor: Codable, Sendable {
        public var grade: Int
        public var text: String
    }

    /// A sub-area that may be graded from another, with a mandatory comment.
    public struct Substitution: Codable, Sendable {
        public var subArea: LinkID
        public var from: LinkID
        public var when: String
    }

    enum CodingKeys: String, CodingKey {
        case id, version, title, scale, bands, aggregation, areas, substitutions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(String.self, forKey: .version)
        title = try c.decode(String.self, forKey: .title)
        scale = try c.decode(Scale.self, forKey: .scale)
        bands = try c.decodeIfPresent(BandThresholds.self, forKey: .bands) ?? BandThresholds()
        aggregation =
            try c.decodeIfPresent(Aggregation.self, forKey: .aggregation)
            ?? Aggregation(subArea: .meanHalfWorse, area: .meanHalfWorse)
        areas = try c.decode([Area].self, forKey: .areas)
        substitutions = try c.decodeIfPresent([Substitution].self, forKey: .substitutions) ?? []
    }
}

/// What a link id names within an instrument.
public enum InstrumentNode: Sendable {
    case area(Instrument.Area)
    case subArea(Instrument.SubArea, area: LinkID)
    case item(Instrument.Item, subArea: LinkID, area: LinkID)

    public var code: String {
        switch self {
        case .area(let a): a.code
        case .subArea(let s, _): s.code
        case .item(let i, _, _): i.code
        }
    }
    public var title: String {
        switch self {
        case .area(let a): a.title
        case .subArea(let s, _): s.title
        case .item(let i, _, _): i.title
        }
    }
    public var level: Level {
        switch self {
        case .area: .area
        case .subArea: .subArea
        case .item: .item
        }
    }
}

/// The three levels grades flow through.
public enum Level: String, Codable, Sendable, CaseIterable {
    case item
    case subArea = "sub-area"
    case area
}

/// An instrument that has passed validation, with lookups by link id.
public struct ValidatedInstrument: Sendable {
    public let definition: Instrument
    /// The identity of the file the definition was read from: SHA-256 of its canonical JSON, lowercase hex
    /// (computed by the store's `InstrumentFile`).
    public let digest: String
    let nodes: [LinkID: InstrumentNode]

    public var id: String { definition.id }
    public var version: String { definition.version }
    public var areas: [Instrument.Area] { definition.areas }
    public var bands: BandThresholds { definition.bands }
    public var reference: InstrumentRef { InstrumentRef(id: id, version: version, digest: digest) }

    /// The node a link id names, if any.
    public func node(_ id: LinkID) -> InstrumentNode? { nodes[id] }

    /// The rule that suggests a sub-area's grade.
    public func rule(for subArea: Instrument.SubArea) -> AggregationRule {
        subArea.aggregation ?? definition.aggregation.subArea
    }
    /// The rule that suggests an area's grade.
    public func rule(for area: Instrument.Area) -> AggregationRule { area.aggregation ?? definition.aggregation.area }

    /// The substitution rule that lets `subArea` be graded from another sub-area.
    public func substitution(for subArea: LinkID) -> Instrument.Substitution? {
        definition.substitutions.first { $0.subArea == subArea }
    }

    /// Items that apply to a child of `ageMonths`.
    public func applicableItems(in subArea: Instrument.SubArea, ageMonths: Int) -> [Instrument.Item] {
        subArea.items.filter { $0.ages?.contains(months: ageMonths) ?? true }
    }
}

/// Which instrument an assessment was graded with.
public struct InstrumentRef: Codable, Hashable, Sendable {
    public var id: String
    public var version: String
    public var digest: String
    public init(id: String, version: String, digest: String) {
        self.id = id
        self.version = version
        self.digest = digest
    }
}
