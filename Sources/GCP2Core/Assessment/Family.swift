/// A case: the household whose care of its children is assessed.
public struct Family: Codable, Sendable, Equatable {
    public var id: FamilyID
    /// The local authority's own case reference.
    public var ref: String
    public var children: [Child]
    public var carers: [Carer]
    public var notes: String?

    public init(id: FamilyID, ref: String, children: [Child] = [], carers: [Carer] = [], notes: String? = nil) {
        self.id = id
        self.ref = ref
        self.children = children
        self.carers = carers
        self.notes = notes
    }

    /// The child with `id`, if they belong to this family.
    public func child(_ id: ChildID) -> Child? { children.first { $0.id == id } }
    /// The carer with `id`, if they belong to this family.
    public func carer(_ id: CarerID) -> Carer? { carers.first { $0.id == id } }

    /// The id the next child added will get: `<family>-c<n>`.
    public var nextChildID: ChildID {
        ChildID(unchecked: "\(id)-c\(Family.nextNumber(children.map(\.id.rawValue), prefix: "\(id)-c"))")
    }
    /// The id the next carer added will get: `<family>-p<n>`.
    public var nextCarerID: CarerID {
        CarerID(unchecked: "\(id)-p\(Family.nextNumber(carers.map(\.id.rawValue), prefix: "\(id)-p"))")
    }

    static func nextNumber(_ ids: [String], prefix: String) -> Int {
        (ids.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }.max() ?? 0) + 1
    }
}

/// A child of the family; `born` is the date of birth, or the expected date when `expected` is true.
public struct Child: Codable, Sendable, Equatable {
    public var id: ChildID
    public var name: String
    public var born: CalendarDate
    public var expected: Bool?

    public init(id: ChildID, name: String, born: CalendarDate, expected: Bool? = nil) {
        self.id = id
        self.name = name
        self.born = born
        self.expected = expected
    }
}

/// A carer in the household and their relationship to the children.
public struct Carer: Codable, Sendable, Equatable {
    public var id: CarerID
    public var name: String
    public var relationship: Relationship

    public init(id: CarerID, name: String, relationship: Relationship) {
        self.id = id
        self.name = name
        self.relationship = relationship
    }
}

/// How a carer is related to the children.
public enum Relationship: String, Codable, Sendable, CaseIterable {
    case mother
    case father
    case stepmother
    case stepfather
    case mothersPartner = "mothers-partner"
    case fathersPartner = "fathers-partner"
    case grandparent
    case aunt
    case uncle
    case sibling
    case fosterCarer = "foster-carer"
    case kinshipCarer = "kinship-carer"
    case other

    /// Words for a sentence, e.g. "mother's partner".
    public var words: String {
        switch self {
        case .mothersPartner: "mother's partner"
        case .fathersPartner: "father's partner"
        case .fosterCarer: "foster carer"
        case .kinshipCarer: "kinship carer"
        default: rawValue
        }
    }
}

extension Relationship {
    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
}
