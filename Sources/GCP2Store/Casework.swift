import Foundation
import GCP2Core

/// The questions the product answers, each answered in one place: review a child or a family as of a date,
/// compare two assessments, the caseload as of a date, record or validate a file or an interactive draft, finalise. Every command, the interactive
/// recorder and every report ask here, so no view can compute a judgement of its own.
public struct Casework: Sendable {
    public let store: Store
    public init(_ store: Store) { self.store = store }

    /// A family's account as of a date: its index entry, the review of the family and of every child born by then,
    /// and the instrument and policy they were judged with.
    public struct FamilyAccount: Sendable {
        public let index: FamilyIndex
        public let review: FamilyReview
        public let instrument: ValidatedInstrument
        public let policy: Policy
    }

    /// A child's account as of a date; `review` is nil for a child not yet born on that date.
    public struct ChildAccount: Sendable {
        public let child: Child
        public let family: FamilyAccount
        public var review: ChildReview? { family.review.child(child.id) }
    }

    /// Two assessments of a child side by side, as the child's review sees them.
    public struct ComparisonAccount: Sendable {
        public let child: Child
        public let index: FamilyIndex
        public let comparison: Comparison
        /// Assessments named that were withdrawn (entered in error): compared as recorded.
        public let withdrawn: [AssessmentID]
    }

    /// Why a comparison could not be made.
    public enum ComparisonGap: Error, Sendable {
        /// The child has fewer than two final assessments (and none were named).
        case tooFewFinals(child: ChildID, count: Int)
    }

    /// The family as of `asOf`, reviewed with the store's policy and current instrument.
    public func reviewFamily(_ id: FamilyID, asOf: CalendarDate) throws(StoreError) -> FamilyAccount {
        let index = try store.familyIndex(id)
        return try account(index, asOf: asOf)
    }

    /// The child and their family's index, found by the child's id.
    public func child(_ id: ChildID) throws(StoreError) -> (child: Child, index: FamilyIndex) {
        guard let fid = Family.family(of: id) else { throw .notFound(kind: "child", id: id.rawValue) }
        let index: FamilyIndex
        do throws(StoreError) { index = try store.familyIndex(fid) } catch {
            if case .notFound = error { throw .notFound(kind: "child", id: id.rawValue) }
            throw error
        }
        guard let child = index.family.children.first(where: { $0.id == id }) else {
            throw .notFound(kind: "child", id: id.rawValue)
        }
        return (child, index)
    }

    /// A child a person named: by id, full name or first name (case does not matter), within `family` when given,
    /// else across the store. Every child that matches, with their family, in family and child order.
    public func children(named text: String, in family: FamilyID? = nil) throws(StoreError) -> [(Child, IndexedFamily)] {
        if let id = ChildID(rawValue: text), let found = try? child(id),
            family == nil || family == found.index.family.id
        {
            return [(found.child, found.index.family)]
        }
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !wanted.isEmpty else { return [] }
        var out: [(Child, IndexedFamily)] = []
        let families: [IndexedFamily]
        if let family {
            families = [try store.familyIndex(family).family]
        } else {
            // Across the store, through the compact entries on both cores; a family that cannot be read fails the
            // lookup, as it could hold the child (an index entry left without its family folder holds none).
            let (listing, damaged) = try store.familyListing(orphans: false)
            if let first = damaged.first { throw first }
            families = listing.map(\.family).sorted { $0.id < $1.id }
        }
        for f in families {
            for c in f.children {
                let name = c.name.lowercased()
                let first = name.split(separator: " ").first.map(String.init) ?? name
                if name == wanted || first == wanted { out.append((c, f)) }
            }
        }
        return out
    }

    /// One child as of `asOf`, with the family checks that concern them.
    public func reviewChild(_ id: ChildID, asOf: CalendarDate) throws(StoreError) -> ChildAccount {
        let (child, index) = try child(id)
        return ChildAccount(child: child, family: try account(index, asOf: asOf))
    }

    /// Compares two assessments of a child (`a` and `b` named), or the latest two final ones (neither named).
    /// Target statuses are the review's as of the later assessment's date.
    public func compare(
        child id: ChildID, _ a: AssessmentID? = nil, _ b: AssessmentID? = nil
    ) throws(StoreError) -> Result<ComparisonAccount, ComparisonGap> {
        let (child, index) = try child(id)
        let series = FamilyAssessmentSummary.series(of: child.id, in: index.effectiveFinals)
        var withdrawn: [AssessmentID] = []
        func find(_ aid: AssessmentID) throws(StoreError) -> ProfileSummary {
            guard let entry = index.assessments.first(where: { $0.id == aid }) else {
                throw .notFound(kind: "assessment", id: "\(aid) for family \(index.family.id)")
            }
            guard let p = entry.profiles.first(where: { $0.childId == child.id }) else {
                throw .notFound(kind: "profile", id: "for \(child.id) in \(aid)")
            }
            if entry.status == .enteredInError { withdrawn.append(aid) }
            return p
        }
        let pair: (ProfileSummary, ProfileSummary)
        if let a, let b {
            pair = (try find(a), try find(b))
        } else {
            guard series.count >= 2 else { return .failure(.tooFewFinals(child: child.id, count: series.count)) }
            pair = (series[series.count - 2], series[series.count - 1])
        }
        let inst = try store.instrument(pair.1.instrument)
        let cmp = store.policy.compare(pair.0, pair.1, instrument: inst, finals: series)
        return .success(ComparisonAccount(child: child, index: index, comparison: cmp, withdrawn: withdrawn))
    }

    /// The caseload as of `asOf`, and the families that could not be read.
    public func caseload(asOf: CalendarDate) throws(StoreError) -> (Caseload, damaged: [StoreError]) {
        try store.caseload(asOf: asOf)
    }

    /// The partnership scorecard for `period` beside the previous period of the same length, from every family's
    /// one account (`Policy.scorecardFamily`) read through the caseload's compact entries; with `team`, a team's
    /// children and assessments. Also the families that could not be read.
    public func scorecard(_ period: ScorecardPeriod, team: String? = nil, agency: Agency? = nil) throws(StoreError) -> (
        Scorecard, damaged: [StoreError]
    ) {
        let inst = try store.currentInstrument()
        let policy = store.policy
        let levels = ReviewLevels(inst).areasOnly
        let rows = Scorecard.rows(policy: policy, areas: inst.areas.map { ($0.linkId, $0.title) })
        let blank = Scorecard.Tally(rows: rows)
        var current = blank, previous = blank
        let last = period.previous
        // Each family is reviewed and counted on both cores; only the counts are summed in order.
        let damaged = try store.eachFamily(instrument: inst) { family, finals, decisions, _ in
            let now = policy.scorecardFamily(
                family: family, finals: finals, decisions: decisions, levels: levels, period: period, team: team,
                agency: agency)
            // Two whole accounts per family: as of this period's end and the previous period's end.
            let previousEnd = policy.review(
                family: family, finals: finals, levels: levels, asOf: last.to, decisions: decisions)
            let then = policy.scorecardFamily(
                family: family, finals: finals, decisions: decisions, levels: levels, period: last, team: team,
                agency: agency, end: previousEnd)
            var counted = (blank, blank)
            counted.0.add(now)
            counted.1.add(then)
            return counted
        } add: { pair in
            current.add(pair.0)
            previous.add(pair.1)
        }
        return (Scorecard(period: period, current: current, previous: previous), damaged)
    }

    /// Validates an assessment file exactly as `record` would, short of writing.
    public func validate(file data: Data, name: String?, final: Bool, today: CalendarDate) throws(StoreError)
        -> Store.Recorded
    {
        try store.validate(file: data, name: name, final: final, today: today)
    }

    /// Records an assessment file as a draft or final.
    public func record(
        file data: Data, name: String?, final: Bool, actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) -> Store.Recorded {
        try store.record(file: data, name: name, final: final, actor: actor, now: now, today: today)
    }

    /// Records an assessment built in memory (the interactive recorder's answers so far) exactly as `record`
    /// records a file: validated once against the family and instrument under the lock, then stored; a stored
    /// draft's id replaces that draft.
    public func record(
        _ assessment: Assessment, final: Bool, actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) -> Store.Recorded {
        try store.record(assessment, final: final, file: nil, actor: actor, now: now, today: today)
    }

    /// Makes a draft final, after checking it is complete.
    public func finalise(_ id: AssessmentID, actor: String, now: Date, today: CalendarDate) throws(StoreError)
        -> Store.Recorded
    {
        try store.finalise(id, actor: actor, now: now, today: today)
    }

    /// The audit log read as history: every entry that passes `filter`, oldest first.
    public func audit(_ filter: AuditFilter) throws(StoreError) -> [AuditEvent] {
        try store.auditEntries().map(AuditEvent.init).filter(filter.admits)
    }

    /// What an amendment changed, against the version it superseded (nil for any other event): the domain's one
    /// comparison of two versions, `Assessment.changes(from:)`.
    public func changes(of event: AuditEvent) throws(StoreError) -> (from: Assessment, changes: [AssessmentChange])? {
        guard event.kind == .amended, let id = event.assessment, let v = event.entry.version else { return nil }
        let amended = try store.assessment(id, version: v)
        guard let older = amended.supersedes else { return nil }
        let previous = try store.assessment(id, version: older)
        return (previous, amended.changes(from: previous))
    }

    private func account(_ index: FamilyIndex, asOf: CalendarDate) throws(StoreError) -> FamilyAccount {
        let inst = try store.currentInstrument()
        let review = CaseloadBuilder(policy: store.policy, instrument: inst, asOf: asOf)
            .review(index)
        return FamilyAccount(index: index, review: review, instrument: inst, policy: store.policy)
    }
}
