import GCP2Core

/// Everything the family report shows, gathered by the caller from the one account of each child
/// (`Policy.review`) and the store; the report only lays it out.
public struct FamilyReportInput: Sendable {
    public var family: Family
    public var review: FamilyReview
    public var instrument: ValidatedInstrument
    public var policy: Policy
    /// The date of the family's latest final assessment on or before the as-of date.
    public var latestAssessmentDate: CalendarDate?
    /// Carers covered by the family's latest final assessment.
    public var coveredCarers: [CarerID]
    /// The family's flags in the words of `gcp2 summary --family`.
    public var familyFlags: [String]
    /// One per child in `review.children`, in the same order.
    public var children: [ChildReportInput]
    /// The version of gcp2 that wrote the report (for the footer).
    public var gcp2Version: String

    public init(
        family: Family, review: FamilyReview, instrument: ValidatedInstrument, policy: Policy,
        latestAssessmentDate: CalendarDate?, coveredCarers: [CarerID], familyFlags: [String],
        children: [ChildReportInput], gcp2Version: String
    ) {
        self.family = family
        self.review = review
        self.instrument = instrument
        self.policy = policy
        self.latestAssessmentDate = latestAssessmentDate
        self.coveredCarers = coveredCarers
        self.familyFlags = familyFlags
        self.children = children
        self.gcp2Version = gcp2Version
    }
}

/// One child's part of the family report.
public struct ChildReportInput: Sendable {
    public var child: Child
    public var review: ChildReview
    /// The child's age on the as-of date, in words.
    public var age: String
    /// The final assessments the review read (one per date, on or before the as-of date), oldest first.
    public var series: [ProfileSummary]
    /// The summary's lists, in its words.
    public var lists: SummaryLists
    /// The child's and carers' views from the latest final assessment.
    public var views: ChildViews?
    /// Grades the assessor confirmed differently from the rule's suggestion, in the latest final assessment.
    public var overrides: [OverrideNote]

    public init(
        child: Child, review: ChildReview, age: String, series: [ProfileSummary], lists: SummaryLists, views: ChildViews?,
        overrides: [OverrideNote]
    ) {
        self.child = child
        self.review = review
        self.age = age
        self.series = series
        self.lists = lists
        self.views = views
        self.overrides = overrides
    }
}

/// What the child and each carer said, as recorded in one assessment, in the words of `gcp2 show`: the child's
/// view or why it could not be obtained, daily life observed, seen alone, each carer's view.
public struct ChildViews: Sendable, Equatable {
    public var assessmentId: AssessmentID
    public var date: CalendarDate
    /// Labelled lines, in order ("Child's view", "Seen alone", "Jo Hartley's view", …).
    public var lines: [Line]

    /// One labelled line.
    public struct Line: Sendable, Equatable {
        public var label: String
        public var text: String
        public init(label: String, text: String) {
            self.label = label
            self.text = text
        }
    }

    public init(assessmentId: AssessmentID, date: CalendarDate, lines: [Line]) {
        self.assessmentId = assessmentId
        self.date = date
        self.lines = lines
    }
}

/// A grade confirmed differently from the aggregation rule's suggestion, with the assessor's rationale.
public struct OverrideNote: Sendable, Equatable {
    public var code: String
    public var title: String
    public var suggested: Grade?
    public var rule: String
    public var confirmed: Grade?
    public var rationale: String

    public init(code: String, title: String, suggested: Grade?, rule: String, confirmed: Grade?, rationale: String) {
        self.code = code
        self.title = title
        self.suggested = suggested
        self.rule = rule
        self.confirmed = confirmed
        self.rationale = rationale
    }
}

/// Everything the caseload report shows.
public struct CaseloadReportInput: Sendable {
    /// The caseload as the store built it, lines already in severity order.
    public var caseload: Caseload
    public var instrument: ValidatedInstrument
    public var policy: Policy
    /// The filters that selected the caseload, in words (empty: the whole store). The seam for the caseload's
    /// filters: whatever selects the lines says so here, and the report prints it under the heading.
    public var selection: [String]
    public var gcp2Version: String

    public init(
        caseload: Caseload, instrument: ValidatedInstrument, policy: Policy, selection: [String] = [], gcp2Version: String
    ) {
        self.caseload = caseload
        self.instrument = instrument
        self.policy = policy
        self.selection = selection
        self.gcp2Version = gcp2Version
    }
}
