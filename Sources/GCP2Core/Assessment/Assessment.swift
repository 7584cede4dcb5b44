import Foundation

/// One GCP2 episode for a family, in one version; holds one profile per child assessed.
public struct Assessment: Codable, Sendable, Equatable {
    public var id: AssessmentID
    /// 1 for the first version; each amendment or withdrawal writes the next.
    public var version: Int
    public var familyId: FamilyID
    public var status: AssessmentStatus
    /// The version this one replaces (amended or entered-in-error versions).
    public var supersedes: Int?
    /// Why the version was amended or withdrawn.
    public var reason: String?
    /// The instrument the grades were computed with; filled in when the assessment is recorded.
    public var instrument: InstrumentRef?
    public var window: ObservationWindow
    public var visits: [Visit]
    public var assessors: [Assessor]
    /// The carers whose care this assessment covers.
    public var carers: [CarerID]
    public var profiles: [ProfileRecord]
    /// Where each profile stood in the file it was read from.
    public var profileSources = SourceIndex()

    public init(
        id: AssessmentID, version: Int = 1, familyId: FamilyID, status: AssessmentStatus = .draft,
        window: ObservationWindow, visits: [Visit] = [], assessors: [Assessor] = [], carers: [CarerID] = [],
        profiles: [ProfileRecord] = []
    ) {
        self.id = id
        self.version = version
        self.familyId = familyId
        self.status = status
        self.window = window
        self.visits = visits
        self.assessors = assessors
        self.carers = carers
        self.profiles = profiles
    }

    /// Whether any visit was unannounced.
    public var hasUnannouncedVisit: Bool { visits.contains { !$0.announced } }

    /// The date the assessment speaks for: the end of its observation window.
    public var date: CalendarDate { window.end }

    /// Whether the version can no longer change (everything but a draft).
    public var isLocked: Bool { status != .draft }

    enum CodingKeys: String, CodingKey {
        case id, version, familyId, status, supersedes, reason, instrument, window, visits, assessors,
            carers, profiles
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let collector = decoder.userInfo[IssueCollector.key] as? IssueCollector
        id = try c.decodeIfPresent(AssessmentID.self, forKey: .id) ?? AssessmentID(unchecked: "new")
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        familyId = try c.decode(FamilyID.self, forKey: .familyId)
        status = try c.decodeIfPresent(AssessmentStatus.self, forKey: .status) ?? .draft
        supersedes = try c.decodeIfPresent(Int.self, forKey: .supersedes)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        instrument = try c.decodeIfPresent(InstrumentRef.self, forKey: .instrument)
        window = try c.decode(ObservationWindow.self, forKey: .window)
        // Element by element, so one bad visit, assessor or carer does not hide the problems after it.
        (visits, _) = try decodeCollecting(Visit.self, from: c, forKey: .visits, collector: collector)
        (assessors, _) = try decodeCollecting(Assessor.self, from: c, forKey: .assessors, collector: collector)
        (carers, _) = try decodeCollecting(CarerID.self, from: c, forKey: .carers, collector: collector)
        (profiles, profileSources) = try decodeCollecting(ProfileRecord.self, from: c, forKey: .profiles, collector: collector)
    }
}

/// Where a version stands in its lifecycle.
public enum AssessmentStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case final
    /// A corrected final version that supersedes an earlier one.
    case amended
    /// Withdrawn with a reason; kept on record, left out of every series.
    case enteredInError = "entered-in-error"

    /// Whether a version with this status counts in a child's series when it is the latest version of its
    /// assessment: the one lifecycle rule "final in force" (final or amended; drafts and withdrawals never count).
    public var countsInSeries: Bool { self == .final || self == .amended }
}

/// The period over which evidence was gathered.
public struct ObservationWindow: Codable, Sendable, Equatable {
    public var start: CalendarDate
    public var end: CalendarDate
    public init(start: CalendarDate, end: CalendarDate) {
        self.start = start
        self.end = end
    }
}

/// One visit to the family.
public struct Visit: Codable, Sendable, Equatable {
    public var date: CalendarDate
    public var announced: Bool
    public init(date: CalendarDate, announced: Bool) {
        self.date = date
        self.announced = announced
    }
}

/// A practitioner who took part in the assessment, and the agency they work for (multi-agency assessments).
public struct Assessor: Codable, Sendable, Equatable {
    public var name: String
    public var role: String
    public var team: String?
    public var agency: Agency?
    public init(name: String, role: String, team: String? = nil, agency: Agency? = nil) {
        self.name = name
        self.role = role
        self.team = team
        self.agency = agency
    }
}

/// The agency an assessor works for.
public enum Agency: String, Codable, Sendable, CaseIterable {
    case childrensSocialCare = "childrens-social-care"
    case healthVisiting = "health-visiting"
    case school
    case earlyHelp = "early-help"
    case police
    case voluntarySector = "voluntary-sector"
    case other

    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }

    /// Words for a sentence: "children's social care".
    public var words: String {
        switch self {
        case .childrensSocialCare: "children's social care"
        default: rawValue.replacingOccurrences(of: "-", with: " ")
        }
    }
}

/// The recorded profile for one child: ratings, confirmed grades, targets and views.
public struct ProfileRecord: Codable, Sendable, Equatable {
    public var childId: ChildID
    public var ratings: [ItemRating]
    /// Confirmed sub-area and area grades; a missing entry confirms the suggested grade.
    public var grades: [LevelGrade]
    /// Sub-areas graded from another sub-area under an instrument substitution rule.
    public var substitutions: [SubstitutionUse]
    public var targets: [Target]
    /// What the child said, in their words or the practitioner's.
    public var childView: String?
    /// Why the child's view could not be obtained, when it was not.
    public var childViewNotObtained: ChildViewNotObtained?
    /// For a child too young to give a view: an observation of their daily life.
    public var dailyLife: String?
    /// Whether the child was seen alone (nil: not recorded).
    public var seenAlone: Bool?
    /// Why the child was not seen alone.
    public var notSeenAloneReason: String?
    /// Each covered carer's view (a version 1 document's joint view is migrated to each carer, marked jointly).
    public var carerViews: [CarerView]
    /// Where each element stood in the file it was read from.
    public var sources = Sources()

    /// File positions of a profile's arrays.
    public struct Sources: Sendable, Equatable {
        public var ratings = SourceIndex()
        public var grades = SourceIndex()
        public var substitutions = SourceIndex()
        public var targets = SourceIndex()
        /// Items listed with a null grade (not yet rated) and where they stood in the file.
        public var unrated: [(LinkID, Int)] = []

        public static func == (a: Sources, b: Sources) -> Bool { true }
    }

    public init(
        childId: ChildID, ratings: [ItemRating] = [], grades: [LevelGrade] = [], substitutions: [SubstitutionUse] = [],
        targets: [Target] = [], childView: String? = nil, childViewNotObtained: ChildViewNotObtained? = nil,
        dailyLife: String? = nil, seenAlone: Bool? = nil, notSeenAloneReason: String? = nil, carerViews: [CarerView] = []
    ) {
        self.childId = childId
        self.ratings = ratings
        self.grades = grades
        self.substitutions = substitutions
        self.targets = targets
        self.childView = childView
        self.childViewNotObtained = childViewNotObtained
        self.dailyLife = dailyLife
        self.seenAlone = seenAlone
        self.notSeenAloneReason = notSeenAloneReason
        self.carerViews = carerViews
    }

    enum CodingKeys: String, CodingKey {
        case childId, ratings, grades, substitutions, targets, childView, childViewNotObtained, dailyLife, seenAlone
        case notSeenAloneReason, carerViews
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let collector = decoder.userInfo[IssueCollector.key] as? IssueCollector
        childId = try c.decode(ChildID.self, forKey: .childId)
        let (slots, slotSources) = try decodeCollecting(RatingSlot.self, from: c, forKey: .ratings, collector: collector)
        (ratings, sources.ratings, sources.unrated) = ProfileRecord.ratings(of: slots, slotSources: slotSources)
        (grades, sources.grades) = try decodeCollecting(LevelGrade.self, from: c, forKey: .grades, collector: collector)
        (substitutions, sources.substitutions) = try decodeCollecting(
            SubstitutionUse.self, from: c, forKey: .substitutions, collector: collector)
        (targets, sources.targets) = try decodeCollecting(Target.self, from: c, forKey: .targets, collector: collector)
        childView = try c.decodeIfPresent(String.self, forKey: .childView)
        childViewNotObtained = try c.decodeIfPresent(ChildViewNotObtained.self, forKey: .childViewNotObtained)
        dailyLife = try c.decodeIfPresent(String.self, forKey: .dailyLife)
        seenAlone = try c.decodeIfPresent(Bool.self, forKey: .seenAlone)
        notSeenAloneReason = try c.decodeIfPresent(String.self, forKey: .notSeenAloneReason)
        carerViews = try c.decodeIfPresent([CarerView].self, forKey: .carerViews) ?? []
    }

    /// The ratings of a file's rating slots, where each stood (`slotSources`), and the slots not yet rated with
    /// where they stood. The decoders of stored documents share it.
    package static func ratings(
        of slots: [RatingSlot], slotSources: SourceIndex = SourceIndex()
    ) -> (ratings: [ItemRating], sources: SourceIndex, unrated: [(LinkID, Int)]) {
        var ratings: [ItemRating] = []
        var sources = SourceIndex()
        var unrated: [(LinkID, Int)] = []
        for (i, slot) in slots.enumerated() {
            guard let r = slot.rating else {
                unrated.append((slot.linkId, slotSources(i)))
                continue
            }
            ratings.append(r)
            sources.map.append(slotSources(i))
        }
        return (ratings, sources, unrated)
    }

    /// Whether the child was heard, from what the profile records: their view, why it could not be obtained, or
    /// nil when neither is recorded.
    public var heard: ChildHeard? {
        if let v = childView, !v.trimmingWhitespace.isEmpty { return .view }
        return childViewNotObtained.map { ChildHeard($0.reason) }
    }
}

/// Why a child's view could not be obtained; `text` says how the child's experience was understood (non-verbal)
/// or what the reason was (other).
public struct ChildViewNotObtained: Codable, Sendable, Equatable {
    public var reason: Reason
    public var text: String?

    /// The reasons a child's view may not be obtained.
    public enum Reason: String, Codable, Sendable, CaseIterable {
        case declined
        case notSeenAlone = "not-seen-alone"
        case nonVerbal = "non-verbal"
        /// Only for a child younger than the policy's `childViewFromMonths`.
        case tooYoung = "too-young"
        case other

        public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
    }

    public init(reason: Reason, text: String? = nil) {
        self.reason = reason
        self.text = text
    }
}

/// What a profile records of the child's voice: their view, or why it could not be obtained.
public enum ChildHeard: String, Codable, Sendable, CaseIterable {
    case view
    case declined
    case notSeenAlone = "not-seen-alone"
    case nonVerbal = "non-verbal"
    case tooYoung = "too-young"
    case other

    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }

    /// The reason a view was not obtained, as what the profile records of the child's voice.
    public init(_ reason: ChildViewNotObtained.Reason) {
        switch reason {
        case .declined: self = .declined
        case .notSeenAlone: self = .notSeenAlone
        case .nonVerbal: self = .nonVerbal
        case .tooYoung: self = .tooYoung
        case .other: self = .other
        }
    }
}

/// One carer's view of the assessment and whether they agree with the grades.
public struct CarerView: Codable, Sendable, Equatable {
    /// The carer; nil only for a joint view migrated from an assessment that covered no named carer.
    public var carer: CarerID?
    public var view: String
    public var agrees: Agreement?
    /// True when migrated from a version 1 document's one joint view ("recorded jointly").
    public var jointly: Bool?

    public init(carer: CarerID?, view: String, agrees: Agreement? = nil, jointly: Bool? = nil) {
        self.carer = carer
        self.view = view
        self.agrees = agrees
        self.jointly = jointly
    }
}

/// Whether a carer agrees with the grades.
public enum Agreement: String, Codable, Sendable, CaseIterable {
    case yes
    case no
    case partly

    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
}

/// The rating of one item.
public struct ItemRating: Codable, Sendable, Equatable {
    public var linkId: LinkID
    public var rating: Rating
    public init(_ linkId: LinkID, _ rating: Rating) {
        self.linkId = linkId
        self.rating = rating
    }

    enum CodingKeys: String, CodingKey { case linkId, kind, grade, evidence, reason }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        linkId = try c.decode(LinkID.self, forKey: .linkId)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "graded":
            rating = .graded(
                try c.decode(Grade.self, forKey: .grade), evidence: try c.decodeIfPresent(String.self, forKey: .evidence) ?? "")
        case "not-applicable", "not-scored":
            if c.contains(.grade) {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: c.codingPath + [CodingKeys.grade],
                        debugDescription: "expected no grade for a \(kind) rating, found a grade"))
            }
            let reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
            rating = kind == "not-scored" ? .notScored(reason: reason) : .notApplicable(reason: reason)
        default:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: c.codingPath + [CodingKeys.kind],
                    debugDescription: "expected kind graded, not-applicable or not-scored, found \(quoted(kind))"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(linkId, forKey: .linkId)
        switch rating {
        case .graded(let g, let evidence):
            try c.encode("graded", forKey: .kind)
            try c.encode(g, forKey: .grade)
            try c.encode(evidence, forKey: .evidence)
        case .notApplicable(let reason):
            try c.encode("not-applicable", forKey: .kind)
            try c.encode(reason, forKey: .reason)
        case .notScored(let reason):
            try c.encode("not-scored", forKey: .kind)
            try c.encode(reason, forKey: .reason)
        }
    }
}

/// An item's rating: a grade with evidence, or not applicable / not scored with a reason. Neither is ever imputed.
public enum Rating: Sendable, Equatable {
    case graded(Grade, evidence: String)
    case notApplicable(reason: String)
    case notScored(reason: String)

    /// The grade, when graded.
    public var grade: Grade? {
        if case .graded(let g, _) = self { return g }
        return nil
    }
}

/// A confirmed grade for a sub-area or area; `suggested` and `rule` are filled in when the profile is computed.
public struct LevelGrade: Codable, Sendable, Equatable {
    public var linkId: LinkID
    /// The practitioner's grade; absent means the suggested grade is confirmed.
    public var grade: Grade?
    /// Why the practitioner's grade differs from the suggested one; mandatory for an override.
    public var rationale: String?
    public var suggested: Grade?
    public var rule: String?

    public init(linkId: LinkID, grade: Grade?, rationale: String? = nil, suggested: Grade? = nil, rule: String? = nil) {
        self.linkId = linkId
        self.grade = grade
        self.rationale = rationale
        self.suggested = suggested
        self.rule = rule
    }
}

/// Records that a sub-area was graded from another under a substitution rule.
public struct SubstitutionUse: Codable, Sendable, Equatable {
    public var subArea: LinkID
    public var comment: String
    public init(subArea: LinkID, comment: String) {
        self.subArea = subArea
        self.comment = comment
    }
}

/// What needs to change: an item or sub-area, the grade to reach, when to review it, and the plan: the action
/// agreed, who will do it and the support offered.
public struct Target: Codable, Sendable, Equatable, Hashable {
    public var linkId: LinkID
    public var grade: Grade
    public var reviewBy: CalendarDate
    /// The action agreed.
    public var action: String?
    /// Who will do it.
    public var owner: TargetOwner?
    /// The support offered.
    public var support: String?
    public init(
        linkId: LinkID, grade: Grade, reviewBy: CalendarDate, action: String? = nil, owner: TargetOwner? = nil,
        support: String? = nil
    ) {
        self.linkId = linkId
        self.grade = grade
        self.reviewBy = reviewBy
        self.action = action
        self.owner = owner
        self.support = support
    }
}

/// Who will carry out a target's action: a carer of the family, an agency or a worker.
public struct TargetOwner: Codable, Sendable, Equatable, Hashable {
    public var kind: Kind
    /// The carer, when `kind` is carer.
    public var carer: CarerID?
    /// The agency or worker, when `kind` is agency or worker.
    public var name: String?

    /// The kinds of owner.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case carer
        case agency
        case worker

        public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
    }

    public init(kind: Kind, carer: CarerID? = nil, name: String? = nil) {
        self.kind = kind
        self.carer = carer
        self.name = name
    }
}

extension AssessmentStatus {
    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
}

extension Assessment {
    /// The evidence-free summary of each child's recorded grades, read straight from the stored levels and ratings.
    public var summaries: [ProfileSummary] { summaries(memo: nil) }

    /// `summaries`, the grade tables sorted with `memo` (see `GradeTable.init(_:memo:)`).
    package func summaries(memo: GradeSortMemo?) -> [ProfileSummary] {
        profiles.map { p in
            // Levels, then items: an id given twice keeps its later grade, as a dictionary filled in this order would.
            var grades: [(String, Int)] = []
            grades.reserveCapacity(p.grades.count + p.ratings.count)
            for l in p.grades { if let g = l.grade { grades.append((l.linkId.rawValue, g.rawValue)) } }
            for r in p.ratings { if let g = r.rating.grade { grades.append((r.linkId.rawValue, g.rawValue)) } }
            return ProfileSummary(
                assessmentId: id, version: version, childId: p.childId, date: date,
                instrument: instrument ?? InstrumentRef(id: "", version: "", digest: ""),
                table: memo.map { GradeTable(grades, memo: $0) } ?? GradeTable(grades),
                targets: p.targets, heard: p.heard, seenAlone: p.seenAlone)
        }
    }

    /// The assessment as the reviews read it: its date, the carers it covered, each child's summary, its
    /// unannounced visits and its assessors' teams (as the index keeps them).
    public var familySummary: FamilyAssessmentSummary {
        FamilyAssessmentSummary(
            assessmentId: id, date: date, carers: carers, profiles: summaries,
            unannouncedVisits: visits.filter { !$0.announced }.count, teams: assessors.compactMap(\.team),
            agencies: Assessment.agencies(assessors))
    }

    /// The agencies of `assessors` as the index keeps them: one per assessor who named one; nil when none.
    public static func agencies(_ assessors: [Assessor]) -> [Agency]? {
        let list = assessors.compactMap(\.agency)
        return list.isEmpty ? nil : list
    }

    /// The family an assessment id belongs to (`<family>-a<n>`), if the id has that form.
    public static func family(of id: AssessmentID) -> FamilyID? { familyPrefix(id.rawValue, marker: "-a") }
}

extension Family {
    /// The family a child id belongs to (`<family>-c<n>`), if the id has that form.
    public static func family(of id: ChildID) -> FamilyID? { familyPrefix(id.rawValue, marker: "-c") }
}

func familyPrefix(_ text: String, marker: String) -> FamilyID? {
    guard let r = text.range(of: marker, options: .backwards), !text[r.upperBound...].isEmpty,
        text[r.upperBound...].allSatisfy(\.isASCII), Int(text[r.upperBound...]) != nil
    else { return nil }
    return FamilyID(rawValue: String(text[..<r.lowerBound]))
}

/// A rating as written in a file: a `graded` entry whose grade is still null is an item not yet rated.
package struct RatingSlot: Decodable {
    var rating: ItemRating?
    var linkId: LinkID
    enum CodingKeys: String, CodingKey { case linkId, kind, grade }
    /// A slot rated `rating`, or not yet rated (nil).
    package init(linkId: LinkID, rating: ItemRating?) {
        self.linkId = linkId
        self.rating = rating
    }
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        linkId = try c.decode(LinkID.self, forKey: .linkId)
        if (try? c.decode(String.self, forKey: .kind)) == "graded", (try? c.decodeNil(forKey: .grade)) ?? true {
            rating = nil
        } else {
            rating = try ItemRating(from: decoder)
        }
    }
}

extension Assessment {
    /// The versions in force: the latest version of each assessment, when final or amended (withdrawn ones and
    /// drafts drop out).
    public static func finalsInForce(_ versions: [Assessment]) -> [Assessment] {
        var latest: [AssessmentID: Assessment] = [:]
        for v in versions where (latest[v.id]?.version ?? 0) < v.version { latest[v.id] = v }
        return latest.values.filter(\.status.countsInSeries).sorted { $0.id < $1.id }
    }

    /// A child has at most one final assessment per date: the children this assessment, made final, would give a
    /// second one, with the assessment already final on that date.
    public func dateClashes(with versions: [Assessment]) -> [(child: ChildID, other: AssessmentID)] {
        let mine = Set(profiles.map(\.childId))
        return Assessment.finalsInForce(versions).filter { $0.id != id && $0.date == date }.flatMap { other in
            other.profiles.map(\.childId).filter(mine.contains).sorted().map { (child: $0, other: other.id) }
        }
    }
}
