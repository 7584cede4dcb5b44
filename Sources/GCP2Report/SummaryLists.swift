import GCP2Core

/// The lists a child's summary shows, in the words of `gcp2 summary`: built once by the command line and shown
/// as given by every view (text summary and HTML report), so the two can never say different things.
public struct SummaryLists: Sendable, Equatable {
    /// The spells needing work in one sentence, if there were any.
    public var spells: String?
    /// Every flag in the caseload key's words, most severe first.
    public var flags: [String]
    /// What needs attention, most severe first.
    public var needsAttention: [String]
    /// Areas and sub-areas that improved at the latest assessment but still need work.
    public var progress: [String]
    /// Targets not yet due.
    public var openTargets: [String]
    /// Areas going well (the presentation rule) and targets met.
    public var goingWell: [String]
    /// The decisions in force about the child, oldest first: date, level, reason.
    public var decisions: [String]

    public init(
        spells: String?, flags: [String], needsAttention: [String], progress: [String], openTargets: [String],
        goingWell: [String], decisions: [String] = []
    ) {
        self.decisions = decisions
        self.spells = spells
        self.flags = flags
        self.needsAttention = needsAttention
        self.progress = progress
        self.openTargets = openTargets
        self.goingWell = goingWell
    }

    /// The headings, the same in the text summary and in the report.
    public static func spellsHeading(_ p: Policy) -> String { "Time needing work (any area \(p.needsWorkFrom) or worse)" }
    public static let flagsHeading = "Flags, most severe first"
    public static let needsAttentionHeading = "Needs attention"
    public static let progressHeading = "Progress made, still needs work"
    public static let openTargetsHeading = "Targets still open"
    public static let goingWellHeading = "What is going well"
    public static let decisionsHeading = "Decisions, oldest first"
    /// What an empty list says.
    public static let nothing = "nothing"
    public static func nothingGoingWell(_ p: Policy) -> String {
        "no area yet with every grade better than \(p.needsWorkFrom)"
    }
}

extension TargetReview {
    /// The target's status in words, as `compare` and the report show it.
    public var statusWords: String {
        switch status {
        case .met: sinceSlipped ? "met, since slipped" : "met"
        case .missed: "not reached by \(target.reviewBy)"
        case .notReviewed: "not reviewed (no assessment since it was set)"
        case .open: "open (review by \(target.reviewBy))"
        }
    }
}
