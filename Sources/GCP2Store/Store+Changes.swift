import Foundation
import GCP2Core

extension Store {
    // MARK: Families

    /// Adds a family with a generated id.
    /// `id` is for reproducible stores (the demo, the synthetic generator); normally one is generated.
    public func addFamily(ref: String, notes: String? = nil, id fixed: FamilyID? = nil, actor: String, now: Date)
        throws(StoreError) -> Family
    {
        try Store.checkText(ref, field: "ref", max: 64)
        if let notes { try Store.checkText(notes, field: "notes", max: 4000, rule: .block) }
        var created: Family?
        try transaction(action: "family.add", record: "family", actor: actor, now: now) { tx throws(StoreError) in
            var id = fixed ?? Store.generateFamilyID()
            if fixed != nil && POSIX.isDirectory(full(Store.familyFolder(id))) {
                throw .invalid(file: nil, issues: [Issue("id", "family \(id) already exists", expected: "a new id")])
            }
            while POSIX.isDirectory(full(Store.familyFolder(id))) { id = Store.generateFamilyID() }
            let f = Family(id: id, ref: ref, notes: notes)
            try stage(family: f, assessments: [], into: &tx, newFamily: true)
            tx.record = id.rawValue
            created = f
        }
        return created!
    }

    /// Adds a child to a family; `born` is the birth date, or the expected date when `expected` is true.
    public func addChild(
        to familyID: FamilyID, name: String, born: CalendarDate, expected: Bool = false,
        fatherNotRecorded: FatherNotRecorded? = nil, actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) -> Child {
        try Store.checkText(name, field: "name", max: 100)
        if let why = fatherNotRecorded { try Store.check(why) }
        if born > today && !expected {
            throw .invalid(
                file: nil,
                issues: [
                    Issue(
                        "born", "birth date \(born) is in the future",
                        expected: "today or earlier, or --expected for an unborn baby")
                ])
        }
        var created: Child?
        try changeFamily(familyID, action: "child.add", actor: actor, now: now) { f throws(StoreError) in
            let c = Child(
                id: f.nextChildID, name: name, born: born, expected: expected ? true : nil, fatherNotRecorded: fatherNotRecorded)
            if fatherNotRecorded != nil, let father = f.carers.first(where: { $0.relationship(to: c.id) == .father }) {
                throw .invalid(
                    file: nil,
                    issues: [
                        Issue(
                            "fatherNotRecorded", "carer \(father.id) is recorded as the father of every child",
                            expected: "a reason only for a child with no father recorded")
                    ])
            }
            f.children.append(c)
            created = c
        }
        return created!
    }

    /// Adds a carer to a family: related to every child by `relationship`, or, with `children`, to those children
    /// only, each in their own way; `livesWithChildren` false for a parent living elsewhere.
    public func addCarer(
        to familyID: FamilyID, name: String, relationship: Relationship, children: [ChildRelationship]? = nil,
        livesWithChildren: Bool = true, gender: Gender? = nil, actor: String, now: Date
    ) throws(StoreError) -> Carer {
        try Store.checkText(name, field: "name", max: 100)
        var created: Carer?
        try changeFamily(familyID, action: "carer.add", actor: actor, now: now) { f throws(StoreError) in
            var issues: [Issue] = []
            for (i, r) in (children ?? []).enumerated() where f.child(r.child) == nil {
                issues.append(Issue("children[\(i)].child", "unknown child \(r.child)", expected: "a child of family \(f.id)"))
            }
            if let children, Set(children.map(\.child)).count != children.count {
                issues.append(Issue("children", "a child is named twice", expected: "one relationship per child"))
            }
            if children?.isEmpty == true {
                issues.append(Issue("children", "no child named", expected: "at least one child, or none for every child"))
            }
            if !issues.isEmpty { throw .invalid(file: nil, issues: issues) }
            let c = Carer(
                id: f.nextCarerID, name: name, relationship: relationship,
                children: children?.sorted { $0.child < $1.child }, livesWithChildren: livesWithChildren, gender: gender)
            f.carers.append(c)
            created = c
        }
        return created!
    }

    /// Records why no father of a child is recorded (nil clears it); refused while a father of the child is
    /// recorded among the carers.
    public func setFatherNotRecorded(
        _ child: ChildID, _ why: FatherNotRecorded?, actor: String, now: Date
    ) throws(StoreError) -> Child {
        if let why { try Store.check(why) }
        guard let fid = Family.family(of: child) else { throw .notFound(kind: "child", id: child.rawValue) }
        var changed: Child?
        try changeFamily(fid, action: "child.father", actor: actor, now: now) { f throws(StoreError) in
            guard let k = f.children.firstIndex(where: { $0.id == child }) else {
                throw .notFound(kind: "child", id: child.rawValue)
            }
            if why != nil, let father = f.carers.first(where: { $0.relationship(to: child) == .father }) {
                throw .invalid(
                    file: nil,
                    issues: [
                        Issue(
                            "fatherNotRecorded", "carer \(father.id) is recorded as the father of \(child)",
                            expected: "a reason only for a child with no father recorded")
                    ])
            }
            f.children[k].fatherNotRecorded = why
            changed = f.children[k]
        }
        return changed!
    }

    /// A reason given for a father not recorded: text is one line, and required for `other`.
    static func check(_ why: FatherNotRecorded) throws(StoreError) {
        if let text = why.text { try checkText(text, field: "text", max: 400) }
        if why.reason == .other && (why.text ?? "").isEmpty {
            throw .invalid(file: nil, issues: [Issue("text", "no text for the reason other", expected: "what the reason is")])
        }
    }

    private func changeFamily(
        _ id: FamilyID, action: String, actor: String, now: Date, _ change: (inout Family) throws(StoreError) -> Void
    ) throws(StoreError) {
        try transaction(action: action, record: id.rawValue, actor: actor, now: now) { tx throws(StoreError) in
            var f = try readFamily(id)
            try change(&f)
            try stage(family: f, assessments: try readAllAssessments(of: id, into: &tx), into: &tx)
        }
    }

    /// A name, reference or reason given on the command line: not empty, not too long, and one line without
    /// control characters (`TextRule.line`), or several lines with tab and newline only (`TextRule.block`).
    static func checkText(_ text: String, field: String, max: Int, rule: TextRule = .line) throws(StoreError) {
        if let issue = rule.issue(text, at: field) { throw .invalid(file: nil, issues: [issue]) }
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty || t.count > max {
            throw .invalid(
                file: nil,
                issues: [Issue(field, "value is empty or too long", expected: "1 to \(max) printable characters")])
        }
    }

    static func generateFamilyID() -> FamilyID {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        return FamilyID(rawValue: "f-" + String((0..<6).map { _ in alphabet.randomElement(using: &rng)! }))!
    }

    // MARK: Assessments

    /// What `record` did.
    public struct Recorded: Sendable {
        public var assessment: Assessment
        public var profiles: [Profile]
        /// True when a draft of the same id was replaced.
        public var replacedDraft: Bool
        /// The family as read under the change's lock (so reporting the change needs no second read).
        public var family: Family
        /// What the person should know but that did not stop the change (an amendment of a final assessment
        /// recorded before visits and a full assessor were required, still without them).
        public var warnings: [Issue] = []
    }

    /// Validates an assessment, computes its profiles and stores it as a draft or final.
    ///
    /// Without an id (or with an id not yet stored) a new assessment is created; the id of a stored draft replaces
    /// that draft. A final assessment is never replaced: use `amend`.
    public func record(
        _ input: Assessment, final: Bool, file: String?, actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) -> Recorded {
        try record(input, shapeIssues: [], final: final, file: file, actor: actor, now: now, today: today)
    }

    /// Reads an assessment file (strict JSON, every problem collected) and records it: the family is read once and
    /// the file validated once, under the write lock, with the instrument it will be stored with.
    public func record(
        file data: Data, name file: String?, final: Bool, actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) -> Recorded {
        try labellingIssues(in: data) { () throws(StoreError) in
            let (decoded, shape) = try AssessmentInput.decode(data, file: file)
            guard let input = decoded else { throw .invalid(file: file, issues: shape) }
            return try record(input, shapeIssues: shape, final: final, file: file, actor: actor, now: now, today: today)
        }
    }

    /// Every check `record` makes, short of writing: the one validation path `validate` and `record` share.
    /// Returns what would be recorded.
    public func validate(file data: Data, name file: String?, final: Bool, today: CalendarDate) throws(StoreError) -> Recorded {
        try labellingIssues(in: data) { () throws(StoreError) in
            let (decoded, shape) = try AssessmentInput.decode(data, file: file)
            guard let input = decoded else { throw .invalid(file: file, issues: shape) }
            return try withLock(exclusive: false) { () throws(StoreError) -> Recorded in
                var tx = Transaction()
                return try prepareRecord(input, shapeIssues: shape, final: final, file: file, today: today, tx: &tx).recorded
            }
        }
    }

    /// Runs `body`; when it finds the file invalid, each problem is led by the child's name and the item's code
    /// and title (`IssueSubjects`). Only the failure path reads the family and instrument for the names, and never
    /// under a lock: nothing is written either way.
    private func labellingIssues<T>(in data: Data, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do throws(StoreError) { return try body() } catch {
            guard case .invalid(let file, let issues) = error else { throw error }
            let familyId = try? Coding.decode(FamilyProbe.self, from: data).familyId
            let family = familyId.flatMap { FamilyID(rawValue: $0) }.flatMap { try? readFamily($0) }
            let inst = try? currentInstrument()
            throw .invalid(file: file, issues: IssueSubjects.label(issues, in: data, family: family, instrument: inst))
        }
    }
    private struct FamilyProbe: Decodable { var familyId: String }

    private func record(
        _ input: Assessment, shapeIssues: [Issue], final: Bool, file: String?, actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) -> Recorded {
        var result: Recorded?
        try transaction(action: final ? "record.final" : "record.draft", record: input.familyId.rawValue, actor: actor, now: now)
        {
            tx throws(StoreError) in
            let (recorded, existing) = try prepareRecord(
                input, shapeIssues: shapeIssues, final: final, file: file, today: today, tx: &tx)
            let rel = Store.assessmentFile(
                recorded.assessment.id, version: recorded.assessment.version, family: recorded.family.id)
            // Only a stored draft is ever replaced in place; every other version is a new document.
            let doc = AssessmentDocument.encode(recorded.assessment)
            if recorded.replacedDraft { tx.write(rel, doc) } else { tx.create(rel, doc) }
            tx.version = recorded.assessment.version
            tx.record = recorded.assessment.id.rawValue
            try stage(family: recorded.family, assessments: existing, into: &tx, familyUnchanged: true)
            result = recorded
        }
        return result!
    }

    /// Reads the family and its assessments once and checks everything about `input`: the family, the id and the
    /// lifecycle, the profiles against the instrument it will be stored with, one final per child per date. Every
    /// problem found is reported together with `shapeIssues` (those met while decoding the file).
    private func prepareRecord(
        _ input: Assessment, shapeIssues: [Issue], final: Bool, file: String?, today: CalendarDate, tx: inout Transaction
    ) throws(StoreError) -> (recorded: Recorded, existing: [Assessment]) {
        let family: Family
        do throws(StoreError) { family = try readFamily(input.familyId) } catch {
            if case .notFound = error {
                throw .invalid(
                    file: file,
                    issues: shapeIssues + [
                        Issue("familyId", "unknown family \(input.familyId)", expected: "a family in this store")
                    ])
            }
            throw error
        }
        var existing = try readAllAssessments(of: family.id, into: &tx)
        var a = input
        var replaced = false
        if input.id.rawValue != "new", let current = existing.last(where: { $0.id == input.id }) {
            guard current.status == .draft else {
                throw .lifecycle("assessment \(input.id) is \(current.status.rawValue) and cannot be changed in place")
            }
            replaced = true
            a.version = current.version
        } else if input.id.rawValue != "new" && Assessment.family(of: input.id) != family.id {
            throw .invalid(
                file: file,
                issues: shapeIssues + [
                    Issue(
                        "id", "assessment id \(input.id) does not belong to family \(family.id)",
                        expected: "no id, for a new assessment")
                ])
        } else if input.id.rawValue == "new" {
            let prefix = "\(family.id)-a"
            let n = (existing.compactMap { Int($0.id.rawValue.dropFirst(prefix.count)) }.max() ?? 0) + 1
            a.id = AssessmentID(unchecked: "\(family.id)-a\(n)")
            a.version = 1
        } else {
            a.version = 1
        }
        a.status = final ? .final : .draft
        a.supersedes = nil
        a.reason = nil
        let (recorded, profiles) = try compute(
            a, family: family, final: final, file: file, today: today, shapeIssues: shapeIssues)
        if final { try Store.checkOneFinalPerDate(recorded, among: existing, file: file) }
        existing.removeAll { $0.id == recorded.id && $0.version == recorded.version }
        existing.append(recorded)
        return (Recorded(assessment: recorded, profiles: profiles, replacedDraft: replaced, family: family), existing)
    }

    /// Makes a draft final, after checking it is complete.
    public func finalise(_ id: AssessmentID, actor: String, now: Date, today: CalendarDate) throws(StoreError) -> Recorded {
        try lifecycleChange(id, action: "finalise", reason: nil, actor: actor, now: now) { current, family throws(StoreError) in
            guard current.status == .draft else {
                throw .lifecycle("assessment \(id) is already \(current.status.rawValue)")
            }
            var a = current
            a.status = .final
            return try compute(a, family: family, final: true, file: nil, today: today)
        }
    }

    /// Writes a corrected version that supersedes the latest final one, with a reason.
    public func amend(
        _ id: AssessmentID, with input: Assessment, reason: String, file: String?, actor: String, now: Date,
        today: CalendarDate
    ) throws(StoreError) -> Recorded {
        try amend(id, with: input, shapeIssues: [], reason: reason, file: file, actor: actor, now: now, today: today)
    }

    /// Reads a corrected assessment file (strict JSON, every problem collected) and amends `id` with it, validating
    /// once under the write lock.
    public func amend(
        _ id: AssessmentID, file data: Data, name file: String?, reason: String, actor: String, now: Date,
        today: CalendarDate
    ) throws(StoreError) -> Recorded {
        try labellingIssues(in: data) { () throws(StoreError) in
            let (decoded, shape) = try AssessmentInput.decode(data, file: file)
            guard let input = decoded else { throw .invalid(file: file, issues: shape) }
            return try amend(
                id, with: input, shapeIssues: shape, reason: reason, file: file, actor: actor, now: now, today: today)
        }
    }

    private func amend(
        _ id: AssessmentID, with input: Assessment, shapeIssues: [Issue], reason: String, file: String?, actor: String,
        now: Date, today: CalendarDate
    ) throws(StoreError) -> Recorded {
        try Store.checkText(reason, field: "reason", max: 2000)
        var warnings: [Issue] = []
        var recorded = try lifecycleChange(id, action: "amend", reason: reason, actor: actor, now: now) {
            current, family throws(StoreError) in
            guard current.status.countsInSeries else {
                throw .lifecycle(
                    current.status == .draft
                        ? "assessment \(id) is a draft: record it again or finalise it; only final assessments are amended"
                        : "assessment \(id) was withdrawn (entered in error) and cannot be amended")
            }
            if input.familyId != current.familyId {
                throw .invalid(
                    file: file,
                    issues: [
                        Issue("familyId", "the amendment is for family \(input.familyId), the assessment for \(current.familyId)")
                    ])
            }
            var a = input
            a.id = id
            a.version = current.version + 1
            a.status = .amended
            a.supersedes = current.version
            a.reason = reason
            // A final recorded before visits and a full assessor were required may be corrected without them:
            // what is still missing is a warning, not a refusal.
            let legacy = !current.recordingGaps().isEmpty
            if legacy { warnings = a.recordingGaps() }
            return try compute(
                a, family: family, final: true, file: file, today: today, shapeIssues: shapeIssues, requireRecording: !legacy)
        }
        recorded.warnings = warnings
        return recorded
    }

    /// Withdraws an assessment as entered in error; it stays on record but leaves every series.
    public func withdraw(_ id: AssessmentID, reason: String, actor: String, now: Date) throws(StoreError) -> Assessment {
        try Store.checkText(reason, field: "reason", max: 2000)
        return try lifecycleChange(id, action: "withdraw", reason: reason, actor: actor, now: now) {
            current, _ throws(StoreError) in
            guard current.status != .enteredInError else { throw .lifecycle("assessment \(id) is already withdrawn") }
            var a = current
            a.version = current.version + 1
            a.status = .enteredInError
            a.supersedes = current.version
            a.reason = reason
            return (a, [])
        }.assessment
    }

    private func lifecycleChange(
        _ id: AssessmentID, action: String, reason: String?, actor: String, now: Date,
        _ make: (Assessment, Family) throws(StoreError) -> (Assessment, [Profile])
    ) throws(StoreError) -> Recorded {
        guard let fid = Assessment.family(of: id) else { throw .notFound(kind: "assessment", id: id.rawValue) }
        var result: Recorded?
        try transaction(action: action, record: id.rawValue, actor: actor, now: now) { tx throws(StoreError) in
            let family = try readFamily(fid)
            var all = try readAllAssessments(of: fid, into: &tx)
            guard let current = all.last(where: { $0.id == id }) else { throw .notFound(kind: "assessment", id: id.rawValue) }
            let (next, profiles) = try make(current, family)
            if next.status.countsInSeries {
                try Store.checkOneFinalPerDate(next, among: all, file: nil)
            }
            all.removeAll { $0.id == next.id && $0.version == next.version }
            all.append(next)
            let rel = Store.assessmentFile(id, version: next.version, family: fid)
            // Finalising rewrites the draft's own version; amending and withdrawing add a new one.
            if next.version == current.version {
                tx.write(rel, AssessmentDocument.encode(next))
            } else {
                tx.create(rel, AssessmentDocument.encode(next))
            }
            tx.version = next.version
            tx.reason = reason
            try stage(family: family, assessments: all, into: &tx, familyUnchanged: true)
            result = Recorded(assessment: next, profiles: profiles, replacedDraft: false, family: family)
        }
        return result!
    }

    /// Refuses a final assessment on a date that already has one for the same child.
    static func checkOneFinalPerDate(_ a: Assessment, among versions: [Assessment], file: String?) throws(StoreError) {
        let clashes = a.dateClashes(with: versions)
        guard !clashes.isEmpty else { return }
        throw .invalid(
            file: file,
            issues: clashes.map { c in
                Issue(
                    "date", "child \(c.child) already has a final assessment on \(a.date) (\(c.other))",
                    expected: "one final assessment per child per date: correct \(c.other) by amending it, or use another date")
            })
    }

    /// Adds a whole family with every version of its assessments and its decisions in one change (bulk loading,
    /// e.g. the synthetic store generator). Each version is validated like `record`; versions must run 1…N per
    /// assessment, each later one superseding the one before with a reason. With `allowRecordingGaps`, finals are
    /// taken as an older system recorded them: visits, a full assessor, the child's view and seen-alone may be
    /// missing (the review flags what is missing).
    public func importFamily(
        _ family: Family, versions: [Assessment], decisions: [Decision] = [], allowRecordingGaps: Bool = false,
        actor: String, now: Date, today: CalendarDate
    ) throws(StoreError) {
        try transaction(action: "family.import", record: family.id.rawValue, actor: actor, now: now) { tx throws(StoreError) in
            if POSIX.isDirectory(full(Store.familyFolder(family.id))) {
                throw .invalid(file: nil, issues: [Issue("id", "family \(family.id) already exists", expected: "a new id")])
            }
            var stored: [Assessment] = []
            for a in versions.sorted(by: { ($0.id, $0.version) < ($1.id, $1.version) }) {
                guard Assessment.family(of: a.id) == family.id, a.familyId == family.id else {
                    throw .invalid(file: nil, issues: [Issue("id", "assessment \(a.id) is not of family \(family.id)")])
                }
                let previous = stored.last { $0.id == a.id }
                let chainOK =
                    previous == nil
                    ? a.version == 1 && a.supersedes == nil
                    : a.version == previous!.version + 1 && a.supersedes == previous!.version && !(a.reason ?? "").isEmpty
                        && previous!.status != .draft
                if !chainOK {
                    throw .invalid(
                        file: nil, issues: [Issue("version", "\(a.id) version \(a.version) does not continue its chain")])
                }
                let (recorded, _) = try compute(
                    a, family: family, final: a.status != .draft, file: nil, today: today,
                    requireRecording: !allowRecordingGaps)
                stored.append(recorded)
                tx.create(Store.assessmentFile(a.id, version: a.version, family: family.id), AssessmentDocument.encode(recorded))
            }
            for d in decisions {
                guard Decision.family(of: d.id) == family.id, d.familyId == family.id,
                    d.children.allSatisfy({ family.child($0) != nil }),
                    d.supersedes.map({ s in
                        decisions.contains { $0.id == s } && decisions.first { $0.supersedes == s }?.id == d.id
                    })
                        ?? true
                else {
                    throw .invalid(file: nil, issues: [Issue("decisions", "decision \(d.id) does not fit family \(family.id)")])
                }
                tx.create(Store.decisionFile(d.id, family: family.id), DecisionDocument.encode(d))
            }
            try stage(family: family, assessments: stored, into: &tx, newFamily: true)
        }
    }

    /// Validates and computes with the store's instrument (or the one the assessment names, if stored).
    /// Computes the profiles with the instrument the assessment names (or the store's), reporting every problem
    /// together with `shapeIssues`; completeness is only required of a file whose shape was read without problems.
    private func compute(
        _ a: Assessment, family: Family, final: Bool, file: String?, today: CalendarDate, shapeIssues: [Issue] = [],
        requireRecording: Bool = true
    ) throws(StoreError) -> (Assessment, [Profile]) {
        let inst: ValidatedInstrument
        if let ref = a.instrument {
            do throws(StoreError) { inst = try instrument(ref) } catch {
                throw .invalid(
                    file: file,
                    issues: shapeIssues + [
                        Issue(
                            "instrument", "instrument \(ref.id) \(ref.version) is not in this store",
                            expected: "the store's instrument, or no instrument key")
                    ])
            }
        } else {
            inst = try currentInstrument()
        }
        let profiles: [Profile]
        do {
            var ctx = AssessmentContext(
                instrument: inst, family: family, today: today, requireComplete: final,
                requireRecording: requireRecording)
            ctx.childViewFromMonths = policy.childViewFromMonths
            profiles = try a.computeProfiles(in: ctx)
        } catch {
            // A list with an element that could not be read is not also reported as incomplete as a whole (no
            // visit, an item not rated): that would be the same problem twice.
            let consequences = error.issues.filter { whole in
                shapeIssues.contains { $0.path.hasPrefix(whole.path + "[") }
            }
            throw .invalid(file: file, issues: shapeIssues + error.issues.filter { !consequences.contains($0) })
        }
        if !shapeIssues.isEmpty { throw .invalid(file: file, issues: shapeIssues) }
        // The store writes its own format version (AssessmentDocument), whatever the input said.
        return (a.recording(profiles, instrument: inst.reference), profiles)
    }

    /// Every stored version of every assessment of a family, ordered by id then version.
    func readAllAssessments(
        of family: FamilyID, into tx: inout Transaction, shard given: FamilyIndex? = nil
    ) throws(StoreError) -> [Assessment] {
        let folder = Store.assessmentFolder(family)
        var out: [Assessment] = []
        // Each document is checked against the family's index entry: a change never builds on a document gcp2
        // did not write (nor carries one into the rebuilt index).
        let shard = given == nil ? try integrityShard(family) : given
        let indexed = Dictionary(shard?.assessments.map { ($0.id.rawValue, $0.digests) } ?? []) { a, _ in a }
        // A missing folder is a family with no assessment yet; a folder that cannot be listed fails the change.
        for name in try list(folder, missingIsEmpty: true).sorted() where !name.hasPrefix(".") && name.hasSuffix(".json") {
            let rel = "\(folder)/\(name)"
            let data = try readData(rel)
            if shard != nil {
                let stem = name.dropLast(5)
                let expected = stem.range(of: ".v", options: .backwards).flatMap { r in
                    indexed[String(stem[..<r.lowerBound])]?[String(stem[r.upperBound...])]
                }
                try verify(data, at: rel, expected: expected)
            }
            tx.digests[rel] = Digest.hex(of: data)
            out.append(try decodeAssessment(data, at: rel))
        }
        return out.sorted {
            ($0.id.rawValue.count, $0.id.rawValue, $0.version) < ($1.id.rawValue.count, $1.id.rawValue, $1.version)
        }
    }

    /// Stages the family document (unless unchanged; created for a new family) and its rebuilt index and
    /// caseload entries.
    func stage(
        family: Family, assessments: [Assessment], into tx: inout Transaction, familyUnchanged: Bool = false,
        newFamily: Bool = false
    ) throws(StoreError) {
        let familyRel = Store.familyFile(family.id)
        if newFamily {
            tx.create(familyRel, FamilyDocument.encode(family))
        } else if !familyUnchanged {
            tx.write(familyRel, FamilyDocument.encode(family))
        }
        let familyDigest: String
        if let known = tx.digests[familyRel] {
            familyDigest = known
        } else {
            familyDigest = Digest.hex(of: try readData(familyRel))
        }
        let decisions = try readDecisions(of: family.id, shard: nil, into: &tx, newFamily: newFamily)
        var index = Store.buildIndex(family: family, assessments: assessments, decisions: decisions) {
            tx.digests[Store.assessmentFile($0.id, version: $0.version, family: family.id)]
                ?? Digest.hex(of: AssessmentDocument.encode($0))
        }
        index.familyDigest = familyDigest
        tx.write(Store.shardFile(family.id), Coding.document(index))
        tx.write(Store.caseloadFile(family.id), Coding.document(CaseloadEntry(index: index, instrument: try currentInstrument())))
    }

    /// The index entry for a family, derived from its documents alone (so `doctor` can rebuild and compare it).
    /// `digest` gives each version's file digest; by default the document is encoded again to compute it.
    static func buildIndex(
        family: Family, assessments: [Assessment], decisions: [IndexedDecision] = [],
        digest: (Assessment) -> String = { Digest.hex(of: AssessmentDocument.encode($0)) }, memo: GradeSortMemo? = nil
    ) -> FamilyIndex {
        let byID = Dictionary(grouping: assessments, by: \.id)
        let entries = byID.values.compactMap { versions -> IndexedAssessment? in
            guard let latest = versions.max(by: { $0.version < $1.version }) else { return nil }
            var digests: [String: String] = [:]
            for v in versions { digests[String(v.version)] = digest(v) }
            return IndexedAssessment(
                id: latest.id, version: latest.version, status: latest.status, date: latest.date, carers: latest.carers,
                profiles: latest.summaries(memo: memo).sorted { $0.childId < $1.childId }, digests: digests,
                unannounced: latest.visits.filter { !$0.announced }.count, teams: latest.assessors.compactMap(\.team),
                agencies: Assessment.agencies(latest.assessors))
        }
        return FamilyIndex(
            schemaVersion: FamilyIndex.currentSchemaVersion, family: IndexedFamily(family),
            assessments: entries.sorted { ($0.date, $0.id) < ($1.date, $1.id) },
            decisions: decisions.isEmpty
                ? nil
                : decisions.sorted {
                    ($0.decision.date, $0.decision.id.number ?? 0) < ($1.decision.date, $1.decision.id.number ?? 0)
                })
    }
}
