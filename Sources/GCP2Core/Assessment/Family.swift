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
    /// Why no father of this child is recorded among the carers (nil: no reason given).
    public var fatherNotRecorded: FatherNotRecorded?

    public init(
        id: ChildID, name: String, born: CalendarDate, expected: Bool? = nil, fatherNotRecorded: FatherNotRecorded? = nil
    ) {
        self.id = id
        self.name = name
        self.born = born
        self.expected = expected
        self.fatherNotRecorded = fatherNotRecorded
    }
}

/// Why a child's father is not recorded among the carers: the reason, with text (required for `other`).
public struct FatherNotRecorded: Codable, Sendable, Equatable {
    public var reason: Reason
    public var text: String?

    /// The reasons a father may not be recorded.
    public enum Reason: String, Codable, Sendable, CaseIterable {
        case unknown
        case deceased
        case noContact = "no-contact"
        case other

        public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
    }

    public init(reason: Reason, text: String? = nil) {
        self.reason = reason
        self.text = text
    }

    /// Words for a sentence: "unknown", "no contact", "other: <text>".
    public var words: String {
        switch reason {
        case .noContact: "no contact"
        case .other: "other: \(text ?? "")"
        default: reason.rawValue
        }
    }
}

/// A carer and their relationship to the children: one relationship to every child, or one per child named.
public struct Carer: Codable, Sendable, Equatable {
    public var id: CarerID
    public var name: String
    /// The relationship to every child of the family, unless `children` names the children and relationships.
    public var relationship: Relationship
    /// When present, the carer is related to these children only, each in their own way (a stepfather to one
    /// child is the father of another).
    public var children: [ChildRelationship]?
    /// Whether the carer lives with the children (default true); a non-resident parent is false.
    public var livesWithChildren: Bool
    /// Recorded for relationships that do not say it (father and stepfather are male).
    public var gender: Gender?

    public init(
        id: CarerID, name: String, relationship: Relationship, children: [ChildRelationship]? = nil,
        livesWithChildren: Bool = true, gender: Gender? = nil
    ) {
        self.id = id
        self.name = name
        self.relationship = relationship
        self.children = children
        self.livesWithChildren = livesWithChildren
        self.gender = gender
    }

    enum CodingKeys: String, CodingKey { case id, name, relationship, children, livesWithChildren, gender }

    /// `livesWithChildren` is true when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(CarerID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        relationship = try c.decode(Relationship.self, forKey: .relationship)
        children = try c.decodeIfPresent([ChildRelationship].self, forKey: .children)
        livesWithChildren = try c.decodeIfPresent(Bool.self, forKey: .livesWithChildren) ?? true
        gender = try c.decodeIfPresent(Gender.self, forKey: .gender)
    }

    /// How this carer is related to `child`; nil when not related to that child.
    public func relationship(to child: ChildID) -> Relationship? {
        guard let children else { return relationship }
        return children.first { $0.child == child }?.relationship
    }

    /// Whether this carer is the father or a male carer of `child`: a father and a stepfather are male, any other
    /// relationship by the recorded gender.
    public func isMaleCarer(of child: ChildID) -> Bool {
        guard let r = relationship(to: child) else { return false }
        return r == .father || r == .stepfather || gender == .male
    }
}

/// A carer's relationship to one child.
public struct ChildRelationship: Codable, Sendable, Equatable {
    public var child: ChildID
    public var relationship: Relationship
    public init(child: ChildID, relationship: Relationship) {
        self.child = child
        self.relationship = relationship
    }
}

/// A carer's gender, where the relationship does not say it.
public enum Gender: String, Codable, Sendable, CaseIterable {
    case male
    case female
    case other

    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
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
