import GCP2Core
import GCP2Store

// The documented `--json` structures; each has a schema in Schemas/. `compare`, `summary` and `caseload` are at
// `schemaVersion` 2 (the rules of issue 8: new flags, trends and target statuses); the others at 1.

/// `show`, `record`, `finalise`, `amend --json`: one assessment version with each child's computed profile.
struct ShowOutput: Encodable {
    /// Version 2 (issue 14) replaced each profile's `carersView` and `carersAgree` by `carerViews`, and added the
    /// child's voice and seen alone.
    var schemaVersion = 2
    var assessment: Header
    var profiles: [ChildProfile]
    /// `show` only: the audit log's changes to the assessment (who recorded, finalised, amended or withdrew it).
    var history: [AuditOutput.Event]?

    struct Header: Encodable {
        var id: AssessmentID
        var version: Int
        var status: AssessmentStatus
        var familyId: FamilyID
        var date: CalendarDate
        var window: ObservationWindow
        var visits: [Visit]
        var assessors: [Assessor]
        var carers: [CarerID]
        var carersNotCovered: [CarerID]
        var supersedes: Int?
        var reason: String?
        var instrument: InstrumentRef?
    }

    struct ChildProfile: Encodable {
        var childName: String
        var profile: Profile
        var childView: String?
        var childViewNotObtained: ChildViewNotObtained?
        var dailyLife: String?
        var seenAlone: Bool?
        var notSeenAloneReason: String?
        var carerViews: [CarerView]
    }

    init(_ a: Assessment, profiles: [Profile], family: Family) {
        assessment = Header(
            id: a.id, version: a.version, status: a.status, familyId: a.familyId, date: a.date, window: a.window,
            visits: a.visits, assessors: a.assessors, carers: a.carers,
            carersNotCovered: family.carers.map(\.id).filter { !a.carers.contains($0) }, supersedes: a.supersedes,
            reason: a.reason, instrument: a.instrument)
        self.profiles = profiles.map { p in
            let r = a.profiles.first { $0.childId == p.childId }
            return ChildProfile(
                childName: family.child(p.childId)?.name ?? "", profile: p, childView: r?.childView,
                childViewNotObtained: r?.childViewNotObtained, dailyLife: r?.dailyLife, seenAlone: r?.seenAlone,
                notSeenAloneReason: r?.notSeenAloneReason, carerViews: r?.carerViews ?? [])
        }
    }
}

/// `history --json`.
struct HistoryOutput: Encodable {
    var schemaVersion = 1
    var childId: ChildID
    var familyId: FamilyID
    var assessments: [Entry]
    struct Entry: Encodable {
        var assessmentId: AssessmentID
        var version: Int
        var status: AssessmentStatus
        var date: CalendarDate
        /// Whether it counts in the series (final or amended).
        var counted: Bool
        var areas: [String: Int]
    }
}

/// `compare --json`.
struct CompareOutput: Encodable {
    var schemaVersion = 2
    var childId: ChildID
    var comparison: Comparison
}

/// `summary CHILD --json`.
struct ChildSummaryOutput: Encodable {
    var schemaVersion = 2
    var review: ChildReview
}

/// `summary --family --json`.
struct FamilySummaryOutput: Encodable {
    var schemaVersion = 2
    var familyId: FamilyID
    var asOf: CalendarDate
    var family: FamilyReview
}

/// `caseload --json`: the caseload's counts as a whole, the listed lines in the asked order, and the query.
struct CaseloadOutput: Encodable {
    var schemaVersion = 2
    var caseload: Caseload
    var query: Query

    /// The filters in words, the order, the grouping and limit, and the counts after filtering and listing.
    struct Query: Encodable {
        var filters: [String]
        var sort: String
        var byFamily: Bool
        var limit: Int?
        var matched: Count
        var listed: Count
    }

    struct Count: Encodable {
        var children: Int
        var families: Int
    }

    init(_ r: CaseloadResult) {
        caseload = r.caseload
        caseload.lines = r.listed
        query = Query(
            filters: r.query.described, sort: r.query.sort.rawValue, byFamily: r.query.byFamily, limit: r.query.limit,
            matched: Count(children: r.matched.count, families: r.matchedFamilies),
            listed: Count(children: r.listed.count, families: Set(r.listed.map(\.familyId)).count))
    }
}
