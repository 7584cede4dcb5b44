import Foundation
import GCP2Core

/// Reads an assessment document as this gcp2 writes it (schema version 2) in one pass over its bytes, straight into
/// the `Assessment`, with `JSONCursor`: no tape, no member lookups. `doctor` reads every assessment of a store, and
/// the tape's parse and lookups were most of its time.
///
/// It reads what `AssessmentTapeReader` reads and refuses more: any key it does not know (a version 1 document's
/// joint views among them), a key twice, a value of another type, `schemaVersion` other than 2. A refusal returns
/// nil, and `Store.decodeAssessment` reads the document as before (the tape, then `JSONDecoder`), so every error
/// shown is still theirs. Tests read every document of generated stores, the fixtures and mutated documents with
/// it and with `JSONDecoder`: the two must agree, positions included, or this one must refuse.
enum AssessmentCursorReader {
    typealias Refused = JSONCursor.Refused

    /// The assessment, or nil when refused.
    static func read(_ data: Data) -> Assessment? {
        JSONCursor.read(data, assessment)
    }

    static func assessment(_ c: inout JSONCursor) throws(Refused) -> Assessment {
        var schema: Int?
        var id: AssessmentID?
        var version: Int?
        var familyId: FamilyID?
        var status: AssessmentStatus?
        var window: ObservationWindow?
        var supersedes: Int?
        var reason: String?
        var instrument: InstrumentRef?
        var visits: [Visit] = []
        var assessors: [Assessor] = []
        var carers: [CarerID] = []
        var profiles: [ProfileRecord] = []
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "profiles") {
                profiles = try c.array(profile)
                return 1 << 0
            } else if c.key(k, is: "schemaVersion") {
                schema = try c.int()
                return 1 << 1
            } else if c.key(k, is: "id") {
                id = try c.optional { (c) throws(Refused) in try identifier(AssessmentID.self, &c) }
                return 1 << 2
            } else if c.key(k, is: "version") {
                version = try c.optional { (c) throws(Refused) in try c.int() }
                return 1 << 3
            } else if c.key(k, is: "familyId") {
                familyId = try identifier(FamilyID.self, &c)
                return 1 << 4
            } else if c.key(k, is: "status") {
                status = try c.optional { (c) throws(Refused) in try named(AssessmentStatus.self, &c) }
                return 1 << 5
            } else if c.key(k, is: "window") {
                window = try observationWindow(&c)
                return 1 << 6
            } else if c.key(k, is: "supersedes") {
                supersedes = try c.optional { (c) throws(Refused) in try c.int() }
                return 1 << 7
            } else if c.key(k, is: "reason") {
                reason = try c.optional { (c) throws(Refused) in try c.string() }
                return 1 << 8
            } else if c.key(k, is: "instrument") {
                instrument = try c.optional(instrumentRef)
                return 1 << 9
            } else if c.key(k, is: "visits") {
                visits = try c.array(visit)
                return 1 << 10
            } else if c.key(k, is: "assessors") {
                assessors = try c.array(assessor)
                return 1 << 11
            } else if c.key(k, is: "carers") {
                carers = try c.array { (c) throws(Refused) in try identifier(CarerID.self, &c) }
                return 1 << 12
            }
            return nil
        }
        guard schema == AssessmentDocument.current, let familyId, let window else { throw Refused() }
        var a = Assessment(
            id: id ?? AssessmentID(unchecked: "new"), version: version ?? 1, familyId: familyId,
            status: status ?? .draft, window: window)
        a.supersedes = supersedes
        a.reason = reason
        a.instrument = instrument
        a.visits = visits
        a.assessors = assessors
        a.carers = carers
        a.profiles = profiles
        return a
    }

    static func observationWindow(_ c: inout JSONCursor) throws(Refused) -> ObservationWindow {
        var start: CalendarDate?
        var end: CalendarDate?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "start") {
                start = try date(&c)
                return 1
            } else if c.key(k, is: "end") {
                end = try date(&c)
                return 2
            }
            return nil
        }
        guard let start, let end else { throw Refused() }
        return ObservationWindow(start: start, end: end)
    }

    static func instrumentRef(_ c: inout JSONCursor) throws(Refused) -> InstrumentRef {
        var id: String?
        var version: String?
        var digest: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "id") {
                id = try c.string()
                return 1
            } else if c.key(k, is: "version") {
                version = try c.string()
                return 2
            } else if c.key(k, is: "digest") {
                digest = try c.string()
                return 4
            }
            return nil
        }
        guard let id, let version, let digest else { throw Refused() }
        return InstrumentRef(id: id, version: version, digest: digest)
    }

    static func visit(_ c: inout JSONCursor) throws(Refused) -> Visit {
        var date: CalendarDate?
        var announced: Bool?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "date") {
                date = try Self.date(&c)
                return 1
            } else if c.key(k, is: "announced") {
                announced = try c.bool()
                return 2
            }
            return nil
        }
        guard let date, let announced else { throw Refused() }
        return Visit(date: date, announced: announced)
    }

    static func assessor(_ c: inout JSONCursor) throws(Refused) -> Assessor {
        var name: String?
        var role: String?
        var team: String?
        var agency: Agency?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "name") {
                name = try c.string()
                return 1
            } else if c.key(k, is: "role") {
                role = try c.string()
                return 2
            } else if c.key(k, is: "team") {
                team = try c.optional { (c) throws(Refused) in try c.string() }
                return 4
            } else if c.key(k, is: "agency") {
                agency = try c.optional { (c) throws(Refused) in try named(Agency.self, &c) }
                return 8
            }
            return nil
        }
        guard let name, let role else { throw Refused() }
        return Assessor(name: name, role: role, team: team, agency: agency)
    }

    static func profile(_ c: inout JSONCursor) throws(Refused) -> ProfileRecord {
        var childId: ChildID?
        var slots: [RatingSlot] = []
        var grades: [LevelGrade] = []
        var substitutions: [SubstitutionUse] = []
        var targets: [Target] = []
        var childView: String?
        var notObtained: ChildViewNotObtained?
        var dailyLife: String?
        var seenAlone: Bool?
        var notSeenAloneReason: String?
        var carerViews: [CarerView] = []
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "grades") {
                grades = try c.array(levelGrade)
                return 1 << 0
            } else if c.key(k, is: "ratings") {
                slots = try c.array(slot)
                return 1 << 1
            } else if c.key(k, is: "childId") {
                childId = try identifier(ChildID.self, &c)
                return 1 << 2
            } else if c.key(k, is: "substitutions") {
                substitutions = try c.array(substitution)
                return 1 << 3
            } else if c.key(k, is: "targets") {
                targets = try c.array(target)
                return 1 << 4
            } else if c.key(k, is: "childView") {
                childView = try c.optional { (c) throws(Refused) in try c.string() }
                return 1 << 5
            } else if c.key(k, is: "childViewNotObtained") {
                notObtained = try c.optional(childViewNotObtained)
                return 1 << 6
            } else if c.key(k, is: "dailyLife") {
                dailyLife = try c.optional { (c) throws(Refused) in try c.string() }
                return 1 << 7
            } else if c.key(k, is: "seenAlone") {
                seenAlone = try c.optional { (c) throws(Refused) in try c.bool() }
                return 1 << 8
            } else if c.key(k, is: "notSeenAloneReason") {
                notSeenAloneReason = try c.optional { (c) throws(Refused) in try c.string() }
                return 1 << 9
            } else if c.key(k, is: "carerViews") {
                carerViews = try c.array(carerView)
                return 1 << 10
            }
            return nil
        }
        guard let childId else { throw Refused() }
        var p = ProfileRecord(childId: childId)
        (p.ratings, p.sources.ratings, p.sources.unrated) = ProfileRecord.ratings(of: slots)
        p.grades = grades
        p.substitutions = substitutions
        p.targets = targets
        p.childView = childView
        p.childViewNotObtained = notObtained
        p.dailyLife = dailyLife
        p.seenAlone = seenAlone
        p.notSeenAloneReason = notSeenAloneReason
        p.carerViews = carerViews
        return p
    }

    /// A rating as `RatingSlot` reads it: `graded` with a grade absent or null is an item not yet rated; the other
    /// kinds have no grade at all.
    static func slot(_ c: inout JSONCursor) throws(Refused) -> RatingSlot {
        var linkId: String?
        var kind: String?
        var grade: Grade??
        var evidence: String?
        var reason: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "linkId") {
                linkId = try c.string(shared: .linkIDs)
                return 1
            } else if c.key(k, is: "kind") {
                kind = try c.string()
                return 2
            } else if c.key(k, is: "grade") {
                grade = .some(try c.optional(Self.grade))
                return 4
            } else if c.key(k, is: "evidence") {
                evidence = try c.optional { (c) throws(Refused) in try c.string() }
                return 8
            } else if c.key(k, is: "reason") {
                reason = try c.optional { (c) throws(Refused) in try c.string() }
                return 16
            }
            return nil
        }
        guard let linkId, let kind else { throw Refused() }
        let link = LinkID(linkId)
        switch kind {
        case "graded":
            guard case .some(.some(let g)) = grade else { return RatingSlot(linkId: link, rating: nil) }
            return RatingSlot(linkId: link, rating: ItemRating(link, .graded(g, evidence: evidence ?? "")))
        case "not-applicable", "not-scored":
            guard grade == nil else { throw Refused() }
            return RatingSlot(
                linkId: link,
                rating: ItemRating(
                    link, kind == "not-scored" ? .notScored(reason: reason ?? "") : .notApplicable(reason: reason ?? "")))
        default: throw Refused()
        }
    }

    static func levelGrade(_ c: inout JSONCursor) throws(Refused) -> LevelGrade {
        var linkId: String?
        var grade: Grade?
        var rationale: String?
        var suggested: Grade?
        var rule: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "grade") {
                grade = try c.optional(Self.grade)
                return 1
            } else if c.key(k, is: "linkId") {
                linkId = try c.string(shared: .linkIDs)
                return 2
            } else if c.key(k, is: "rule") {
                rule = try c.optional { (c) throws(Refused) in try c.string() }
                return 4
            } else if c.key(k, is: "suggested") {
                suggested = try c.optional(Self.grade)
                return 8
            } else if c.key(k, is: "rationale") {
                rationale = try c.optional { (c) throws(Refused) in try c.string() }
                return 16
            }
            return nil
        }
        guard let linkId else { throw Refused() }
        return LevelGrade(linkId: LinkID(linkId), grade: grade, rationale: rationale, suggested: suggested, rule: rule)
    }

    static func substitution(_ c: inout JSONCursor) throws(Refused) -> SubstitutionUse {
        var subArea: String?
        var comment: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "subArea") {
                subArea = try c.string(shared: .linkIDs)
                return 1
            } else if c.key(k, is: "comment") {
                comment = try c.string()
                return 2
            }
            return nil
        }
        guard let subArea, let comment else { throw Refused() }
        return SubstitutionUse(subArea: LinkID(subArea), comment: comment)
    }

    static func target(_ c: inout JSONCursor) throws(Refused) -> Target {
        var linkId: String?
        var grade: Grade?
        var reviewBy: CalendarDate?
        var action: String?
        var owner: TargetOwner?
        var support: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "linkId") {
                linkId = try c.string(shared: .linkIDs)
                return 1
            } else if c.key(k, is: "grade") {
                grade = try Self.grade(&c)
                return 2
            } else if c.key(k, is: "reviewBy") {
                reviewBy = try date(&c)
                return 4
            } else if c.key(k, is: "action") {
                action = try c.optional { (c) throws(Refused) in try c.string() }
                return 8
            } else if c.key(k, is: "owner") {
                owner = try c.optional(targetOwner)
                return 16
            } else if c.key(k, is: "support") {
                support = try c.optional { (c) throws(Refused) in try c.string() }
                return 32
            }
            return nil
        }
        guard let linkId, let grade, let reviewBy else { throw Refused() }
        return Target(
            linkId: LinkID(linkId), grade: grade, reviewBy: reviewBy, action: action, owner: owner, support: support)
    }

    static func targetOwner(_ c: inout JSONCursor) throws(Refused) -> TargetOwner {
        var kind: TargetOwner.Kind?
        var carer: CarerID?
        var name: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "kind") {
                kind = try named(TargetOwner.Kind.self, &c)
                return 1
            } else if c.key(k, is: "carer") {
                carer = try c.optional { (c) throws(Refused) in try identifier(CarerID.self, &c) }
                return 2
            } else if c.key(k, is: "name") {
                name = try c.optional { (c) throws(Refused) in try c.string() }
                return 4
            }
            return nil
        }
        guard let kind else { throw Refused() }
        return TargetOwner(kind: kind, carer: carer, name: name)
    }

    static func childViewNotObtained(_ c: inout JSONCursor) throws(Refused) -> ChildViewNotObtained {
        var reason: ChildViewNotObtained.Reason?
        var text: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "reason") {
                reason = try named(ChildViewNotObtained.Reason.self, &c)
                return 1
            } else if c.key(k, is: "text") {
                text = try c.optional { (c) throws(Refused) in try c.string() }
                return 2
            }
            return nil
        }
        guard let reason else { throw Refused() }
        return ChildViewNotObtained(reason: reason, text: text)
    }

    static func carerView(_ c: inout JSONCursor) throws(Refused) -> CarerView {
        var carer: CarerID?
        var view: String?
        var agrees: Agreement?
        var jointly: Bool?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "carer") {
                carer = try c.optional { (c) throws(Refused) in try identifier(CarerID.self, &c) }
                return 1
            } else if c.key(k, is: "view") {
                view = try c.string()
                return 2
            } else if c.key(k, is: "agrees") {
                agrees = try c.optional { (c) throws(Refused) in try named(Agreement.self, &c) }
                return 4
            } else if c.key(k, is: "jointly") {
                jointly = try c.optional { (c) throws(Refused) in try c.bool() }
                return 8
            }
            return nil
        }
        guard let view else { throw Refused() }
        return CarerView(carer: carer, view: view, agrees: agrees, jointly: jointly)
    }

    // MARK: Values

    static func grade(_ c: inout JSONCursor) throws(Refused) -> Grade {
        guard let g = Grade(rawValue: try c.int()) else { throw Refused() }
        return g
    }

    static func date(_ c: inout JSONCursor) throws(Refused) -> CalendarDate {
        guard let d = CalendarDate(try c.string()) else { throw Refused() }
        return d
    }

    static func identifier<T: SafeIdentifier>(_ type: T.Type, _ c: inout JSONCursor) throws(Refused) -> T {
        guard let id = T(rawValue: try c.string()) else { throw Refused() }
        return id
    }

    static func named<T: RawRepresentable>(_ type: T.Type, _ c: inout JSONCursor) throws(Refused) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: try c.string()) else { throw Refused() }
        return value
    }
}
