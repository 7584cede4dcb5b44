/// What was decided about a family's children on a date, at which level of intervention, and why.
///
/// Decisions are never changed: a correction is a new decision that `supersedes` the one it corrects.
public struct Decision: Codable, Sendable, Equatable {
    public var id: DecisionID
    public var familyId: FamilyID
    public var date: CalendarDate
    public var level: DecisionLevel
    public var reason: String
    /// The children the decision is about; empty for every child of the family.
    public var children: [ChildID]
    /// The decision this one corrects.
    public var supersedes: DecisionID?

    public init(
        id: DecisionID, familyId: FamilyID, date: CalendarDate, level: DecisionLevel, reason: String,
        children: [ChildID] = [], supersedes: DecisionID? = nil
    ) {
        self.id = id
        self.familyId = familyId
        self.date = date
        self.level = level
        self.reason = reason
        self.children = children
        self.supersedes = supersedes
    }

    /// Whether the decision is about `child`.
    public func concerns(_ child: ChildID) -> Bool { children.isEmpty || children.contains(child) }

    /// The decisions in force: every decision no other decision supersedes, oldest first (by date, then as
    /// recorded).
    public static func inForce(_ all: [Decision]) -> [Decision] {
        let superseded = Set(all.compactMap(\.supersedes))
        return all.filter { !superseded.contains($0.id) }.sorted {
            ($0.date, $0.id.number ?? 0, $0.id.rawValue) < ($1.date, $1.id.number ?? 0, $1.id.rawValue)
        }
    }

    /// The family a decision id belongs to (`<family>-d<n>`), if the id has that form.
    public static func family(of id: DecisionID) -> FamilyID? { familyPrefix(id.rawValue, marker: "-d") }
}

/// The level of intervention a decision sets (or keeps).
public enum DecisionLevel: String, Codable, Sendable, CaseIterable {
    case earlyHelp = "early-help"
    case childInNeed = "child-in-need"
    case childProtection = "child-protection"
    case preProceedings = "pre-proceedings"
    case proceedings
    /// Reviewed and staying at the level it was, with a reason.
    case `continue`
    case stepDown = "step-down"
    case closed
    case noFurtherAction = "no-further-action"

    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }

    /// Words for a sentence: "child in need".
    public var words: String { rawValue.replacingOccurrences(of: "-", with: " ") }
}
