import GCP2Core
import GCP2Store

/// `record --interactive FAMILY`: asks item by item at the terminal and records the draft through `Casework` —
/// the path `gcp2 record FILE` takes — after every answer.
///
/// A family's open draft is resumed where it stopped; `--new` starts another after asking. At every prompt, end
/// of input (Ctrl-D) or `q` stops with the draft saved and the command that resumes it; `b` goes back one answer.
/// Enter confirms a suggested grade and `a` accepts the rest of a child's suggestions (each still printed).
struct Interactive {
    let context: Context
    let familyID: FamilyID
    let startNew: Bool

    init(context: Context, family: FamilyID, startNew: Bool) {
        self.context = context
        self.familyID = family
        self.startNew = startNew
    }

    /// Ends the session early; what was answered is already saved.
    struct Stop: Error {}
    /// The person asked to go back one answer.
    struct Back: Error {}

    /// One question of the session, in the order asked.
    enum Step {
        /// Rate an item: its number among the child's items and how many there are.
        case item(profile: Int, Instrument.Item, number: Int, of: Int)
        /// Confirm the grade of a sub-area or area: its number among the child's grades and how many there are.
        case level(profile: Int, LinkID, number: Int, of: Int)
        /// The child's and the carers' views.
        case views(profile: Int)

        var profile: Int {
            switch self {
            case .item(let i, _, _, _), .level(let i, _, _, _), .views(let i): i
            }
        }
    }

    /// The state `b` returns to: the step, the draft before it was answered, the children whose suggestions
    /// were all accepted.
    struct Snapshot {
        var step: Int
        var draft: Assessment
        var accepted: Set<Int>
    }

    var resume: String { "gcp2 record --interactive \(familyID)" }

    func run() throws {
        let c = context
        let store = try c.openStore()
        let work = Casework(store)
        let family = try store.family(familyID)
        let inst = try store.currentInstrument()
        let index = try store.familyIndex(familyID)
        var draft: Assessment
        do {
            if let open = index.assessments.last(where: { $0.status == .draft }), !(try startAnother(open.id)) {
                draft = try store.assessment(open.id)
                let rated = draft.profiles.map { $0.ratings.count }.reduce(0, +)
                c.out.line(
                    "Resuming draft \(draft.id) for family \(family.ref) (\(Layout.count(rated, "rating", "ratings")) so far).")
            } else {
                let (new, stopped) = try start(family: family)
                draft = try save(new, work)
                c.out.line("Started draft \(draft.id). It is saved after every answer.")
                if stopped {
                    c.out.line("Draft \(draft.id) saved. Resume with: \(resume)")
                    return
                }
            }
        } catch is Stop {
            c.out.line()
            c.out.line("Stopped before a new draft was created; nothing was saved. Start again with: \(resume)")
            return
        }
        c.out.text(
            Layout.wrapped(
                "",
                "Answers: 1–5 a grade, n not applicable, s not scored, ? the descriptors, b back one answer, q stop (Ctrl-D too); every answer is saved.",
                indent: ""))
        let steps = plan(draft, family: family, inst: inst)
        do {
            try ask(steps, draft: &draft, family: family, inst: inst, work: work)
        } catch is Stop {
            c.out.line()
            c.out.line("Draft \(draft.id) saved. Resume with: \(resume)")
            return
        }
        c.out.line()
        let answer = prompt("Every item is rated. Finalise \(draft.id) now? A final assessment cannot be edited again. [y/N] ")
        if answer?.lowercased() == "y" || answer?.lowercased() == "yes" {
            let r = try work.finalise(draft.id, actor: c.actor, now: c.env.now, today: c.env.today)
            c.out.line("Finalised \(r.assessment.id).")
            c.out.line()
            c.out.text(Render.assessment(r.assessment.shown, profiles: r.profiles, family: family.shown, evidence: false))
        } else {
            if answer == nil { c.out.line() }
            c.out.line("Kept as a draft. Finalise later with: gcp2 finalise \(draft.id)")
        }
    }

    /// With `--new` and an open draft: whether to start another (asked first; the open draft is kept either way).
    private func startAnother(_ open: AssessmentID) throws -> Bool {
        guard startNew else { return false }
        let answer = prompt(
            "Family \(familyID) has an open draft \(open). Start a new assessment anyway? The draft is kept. [y/N] ")
        guard let answer else { throw Stop() }
        if ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) { return true }
        context.out.line("Continuing the open draft \(open).")
        return false
    }

    /// Every question of the session for the draft's children, in order.
    private func plan(_ draft: Assessment, family: Family, inst: ValidatedInstrument) -> [Step] {
        var steps: [Step] = []
        let levels = inst.areas.flatMap(\.subAreas).map(\.linkId) + inst.areas.map(\.linkId)
        for i in draft.profiles.indices {
            guard let child = family.child(draft.profiles[i].childId) else { continue }
            let age = child.born.wholeMonths(to: draft.date)
            let items = inst.areas.flatMap(\.subAreas).flatMap { inst.applicableItems(in: $0, ageMonths: age) }
            for (n, item) in items.enumerated() { steps.append(.item(profile: i, item, number: n + 1, of: items.count)) }
            for (n, link) in levels.enumerated() { steps.append(.level(profile: i, link, number: n + 1, of: levels.count)) }
            steps.append(.views(profile: i))
        }
        return steps
    }

    /// Asks the steps not yet answered, saving after every answer; `b` returns to the previous answer.
    private func ask(
        _ steps: [Step], draft: inout Assessment, family: Family, inst: ValidatedInstrument, work: Casework
    ) throws {
        let c = context
        var history: [Snapshot] = []
        var accepted: Set<Int> = []
        var revisit: Int?
        var shown: Int?
        var k = 0
        while k < steps.count {
            let step = steps[k]
            let i = step.profile
            if revisit != k && answered(step, in: draft) {
                k += 1
                continue
            }
            guard let child = family.child(draft.profiles[i].childId) else {
                k += 1
                continue
            }
            if shown != i {
                c.out.line()
                c.out.line(
                    "── \(child.name), \(Layout.age(months: child.born.wholeMonths(to: draft.date))) · child \(i + 1) of \(draft.profiles.count) ──"
                )
                shown = i
            }
            let progress = "child \(i + 1) of \(draft.profiles.count)"
            let before = Snapshot(step: k, draft: draft, accepted: accepted)
            do {
                switch step {
                case .item(_, let item, let n, let total):
                    let rating = try rate(item, inst: inst, progress: "item \(n) of \(total), \(progress)")
                    draft.profiles[i].ratings.removeAll { $0.linkId == item.linkId }
                    draft.profiles[i].ratings.append(ItemRating(item.linkId, rating))
                    draft = try save(draft, work)
                case .level(_, let link, let n, let total):
                    if n == 1 {
                        c.out.line()
                        c.out.text(
                            Layout.wrapped(
                                "",
                                "Confirm each grade: Enter accepts the suggestion, 1–5 records a different one, a accepts the rest of \(Summaries.firstName(child.name))'s suggestions, b goes back.",
                                indent: ""))
                    }
                    guard let result = try level(link, of: i, in: draft, family: family, inst: inst) else {
                        k += 1  // a level the instrument does not grade for this child: nothing to confirm
                        continue
                    }
                    let suggestion = result.suggested.map { "suggested \($0) (\(result.rule))" } ?? "nothing rated"
                    if accepted.contains(i) {
                        c.out.line("  \(result.code) \(result.title): \(suggestion) — accepted")
                        k += 1
                        continue
                    }
                    switch try confirm(result, suggestion: suggestion, progress: "grade \(n) of \(total), \(progress)") {
                    case .accept: break
                    case .acceptRest:
                        accepted.insert(i)
                        c.out.line("  \(result.code) \(result.title): \(suggestion) — accepted")
                    case .grade(let g, let why):
                        draft.profiles[i].grades.removeAll { $0.linkId == link }
                        if let why { draft.profiles[i].grades.append(LevelGrade(linkId: link, grade: g, rationale: why)) }
                        draft = try save(draft, work)
                    }
                case .views:
                    try views(&draft, profile: i, family: family, policy: work.store.policy, work: work)
                }
                history.append(before)
                revisit = nil
                k += 1
            } catch is Back {
                guard let last = history.popLast() else {
                    c.out.line("  Nothing to go back to in this session.")
                    continue
                }
                draft = try save(last.draft, work)
                accepted = last.accepted
                k = last.step
                revisit = k
                shown = nil
                c.out.line("  Back one answer.")
            }
        }
    }

    /// Whether a step was answered in an earlier session (or before `b`): an item rated; a grade overridden;
    /// a child's grades and views once a view was given or a later child has ratings (they come after them).
    private func answered(_ step: Step, in draft: Assessment) -> Bool {
        let i = step.profile
        let p = draft.profiles[i]
        let viewsGiven =
            p.childView != nil || p.childViewNotObtained != nil || p.seenAlone != nil || !p.carerViews.isEmpty
            || draft.profiles[(i + 1)...].contains { !$0.ratings.isEmpty }
        switch step {
        case .item(_, let item, _, _): return p.ratings.contains { $0.linkId == item.linkId }
        case .level(_, let link, _, _):
            return viewsGiven || p.grades.contains { $0.linkId == link && !($0.rationale ?? "").isEmpty }
        case .views: return viewsGiven
        }
    }

    /// Prints a prompt and reads one line; nil at end of input.
    private func prompt(_ text: String) -> String? {
        context.out.prompt(text)
        return context.env.readLine()
    }

    /// Reads an answer: end of input or `q` stops the session, `b` goes back; empty is allowed when `allowEmpty`.
    private func answer(_ text: String, allowEmpty: Bool = false) throws -> String {
        while true {
            guard let line = prompt(text) else {
                context.out.line()
                throw Stop()
            }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t == "q" { throw Stop() }
            if t == "b" { throw Back() }
            if !t.isEmpty || allowEmpty { return t }
            context.out.line("  Please give an answer (b back, q stop).")
        }
    }

    /// The new assessment's window, carers, assessor and visits; `stopped` when input ended once a visit was given
    /// (the draft is then created and the session stops).
    private func start(family: Family) throws -> (Assessment, stopped: Bool) {
        let c = context
        let today = c.env.today
        c.out.line("New assessment for family \(family.ref) (\(family.id)). Type q (or Ctrl-D) to stop.")
        func date(_ text: String, default d: CalendarDate) throws -> CalendarDate {
            while true {
                let t = try answer("\(text) [\(d)]: ", allowEmpty: true)
                if t.isEmpty { return d }
                if let v = CalendarDate(t), v <= today { return v }
                c.out.line("  Expected a date YYYY-MM-DD, today or earlier.")
            }
        }
        // `b` before the draft exists starts the questions again.
        while true {
            do { return try questions(family: family, today: today, date: date) } catch is Back {
                c.out.line("  Back to the start.")
            }
        }
    }

    private func questions(
        family: Family, today: CalendarDate, date: (String, CalendarDate) throws -> CalendarDate
    ) throws -> (Assessment, stopped: Bool) {
        let c = context
        let end = try date("Assessment date (end of the observation window)", today)
        var start = try date("Observation started on", end.adding(days: -21))
        while start > end {
            c.out.line("  The observation must start on or before \(end).")
            start = try date("Observation started on", end.adding(days: -21))
        }
        var carers = family.carers.map(\.id)
        if !family.carers.isEmpty {
            for (n, carer) in family.carers.enumerated() { c.out.line("  \(n + 1). \(carer.name) (\(carer.relationship.words))") }
            while true {
                let line = try answer("Carers this assessment covers (numbers, e.g. 1 2, or all) [all]: ", allowEmpty: true)
                if line.isEmpty || line.lowercased() == "all" { break }
                let picks = line.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
                if picks.allSatisfy({ $0 != nil && (1...family.carers.count).contains($0!) }) {
                    carers = picks.map { family.carers[$0! - 1].id }
                    break
                }
                c.out.line("  Expected numbers between 1 and \(family.carers.count), or all.")
            }
        }
        let name = try answer("Your name: ")
        let role = try answer("Your role: ")
        let team = try answer("Your team: ")
        // Every visit is entered by the practitioner: a final assessment needs at least one in the window.
        c.out.line("Visits from \(start) to \(end): one date each; an empty line when done.")
        var visits: [Visit] = []
        var stopped = false
        while true {
            let more = visits.isEmpty ? "" : " (empty when done)"
            let t: String
            do { t = try answer("Visit \(visits.count + 1) date\(more): ", allowEmpty: true) } catch is Stop where !visits.isEmpty
            {
                stopped = true
                break
            }
            if t.isEmpty && !visits.isEmpty { break }
            guard let d = CalendarDate(t), d >= start, d <= end else {
                c.out.line("  Expected a date YYYY-MM-DD from \(start) to \(end).")
                continue
            }
            var announced = true
            while true {
                let a = try answer("  Announced? y or n [y]: ", allowEmpty: true).lowercased()
                if a.isEmpty || a == "y" { break }
                if a == "n" {
                    announced = false
                    break
                }
                c.out.line("  Expected y or n.")
            }
            visits.append(Visit(date: d, announced: announced))
        }
        let children = family.children.filter { $0.born <= end }
        if children.isEmpty {
            throw CLIFailure(
                message: "family \(family.id) has no children born by \(end)",
                hint: "gcp2 child add \(family.id) --name NAME --born DATE", code: .dataError)
        }
        let a = Assessment(
            id: AssessmentID(unchecked: "new"), familyId: family.id, window: ObservationWindow(start: start, end: end),
            visits: visits, assessors: [Assessor(name: name, role: role, team: team)], carers: carers,
            profiles: children.map { ProfileRecord(childId: $0.id) })
        return (a, stopped)
    }

    /// Asks one item's rating; `b` at its evidence or reason asks the grade again.
    private func rate(_ item: Instrument.Item, inst: ValidatedInstrument, progress: String) throws -> Rating {
        let c = context
        c.out.line()
        c.out.text(Layout.wrapped("", "\(item.code) \(item.title)" + (item.prompt.map { " — \($0)" } ?? ""), indent: "  "))
        while true {
            let t = try answer("  \(progress) · grade 1–5, n, s, ?, b, q: ").lowercased()
            do {
                switch t {
                case "?":
                    for g in inst.definition.scale.grades {
                        c.out.text(
                            Layout.wrapped(
                                "    \(g.grade): ", "\(g.needsMet); \(g.commitment.lowercased()); \(g.quality.lowercased())",
                                indent: "       "))
                    }
                    for d in item.descriptors ?? [] {
                        c.out.text(Layout.wrapped("    \(d.grade) for this item: ", d.text, indent: "       "))
                    }
                case "n": return .notApplicable(reason: try answer("  Why does it not apply? "))
                case "s": return .notScored(reason: try answer("  Why was it not scored? "))
                default:
                    if let v = Int(t), let g = Grade(rawValue: v) {
                        return .graded(g, evidence: try answer("  Evidence for \(g): "))
                    }
                    c.out.line("  Expected 1, 2, 3, 4, 5, n, s, ?, b or q.")
                }
            } catch is Back {
                continue
            }
        }
    }

    /// A sub-area's or area's grade as computed from the ratings so far.
    private func level(
        _ link: LinkID, of i: Int, in a: Assessment, family: Family, inst: ValidatedInstrument
    ) throws -> LevelResult? {
        let profile = try a.computeProfiles(
            in: AssessmentContext(instrument: inst, family: family, today: context.env.today, requireComplete: false)
        )
        .first { $0.childId == a.profiles[i].childId }
        return profile?.areas.flatMap { [$0.result] + $0.subAreas.map(\.result) }.first { $0.linkId == link }
    }

    enum Confirmation {
        case accept, acceptRest
        /// A grade; a rationale when it differs from the suggestion.
        case grade(Grade, String?)
    }

    private func confirm(_ r: LevelResult, suggestion: String, progress: String) throws -> Confirmation {
        while true {
            let t = try answer("  \(r.code) \(r.title): \(suggestion) [\(progress)] > ", allowEmpty: true).lowercased()
            if t.isEmpty { return .accept }
            if t == "a" { return .acceptRest }
            guard let v = Int(t), let g = Grade(rawValue: v) else {
                context.out.line("    Expected Enter, 1–5, a, b or q.")
                continue
            }
            if g == r.suggested { return .grade(g, nil) }
            do {
                let why = try answer("    Why \(g) rather than \(r.suggested.map(String.init(describing:)) ?? "no grade")? ")
                return .grade(g, why)
            } catch is Back {
                continue
            }
        }
    }

    /// The child's voice (their view, or why it could not be obtained, with an observation of daily life for a
    /// younger child), whether they were seen alone, and each covered carer's view: each saved as it is given.
    private func views(_ a: inout Assessment, profile i: Int, family: Family, policy: Policy, work: Casework) throws {
        let months = family.child(a.profiles[i].childId).map { $0.born.wholeMonths(to: a.date) } ?? 0
        let young = months < policy.childViewFromMonths
        let view = try answer("  The child's view, in their words (Enter if it could not be obtained): ", allowEmpty: true)
        if !view.isEmpty {
            a.profiles[i].childView = view
            a.profiles[i].childViewNotObtained = nil
        } else {
            let reasons = ChildViewNotObtained.Reason.allCases.filter { young || $0 != .tooYoung }.map(\.rawValue)
            while true {
                let why = try answer(
                    "  Why could it not be obtained? \(reasons.joined(separator: ", ")) (Enter to leave for later): ",
                    allowEmpty: true
                ).lowercased()
                if why.isEmpty { break }
                guard let reason = ChildViewNotObtained.Reason(rawValue: why), reasons.contains(why) else {
                    context.out.line("  Please answer one of: \(reasons.joined(separator: ", ")).")
                    continue
                }
                var text: String?
                switch reason {
                case .nonVerbal: text = try answer("  How was the child's experience understood? ")
                case .other: text = try answer("  The reason, in words: ")
                default: break
                }
                a.profiles[i].childView = nil
                a.profiles[i].childViewNotObtained = ChildViewNotObtained(reason: reason, text: text)
                break
            }
        }
        if young {
            let daily = try answer("  What was seen of the child's daily life (Enter to skip): ", allowEmpty: true)
            a.profiles[i].dailyLife = daily.isEmpty ? nil : daily
        }
        a = try save(a, work)
        let alone = try answer("  Was the child seen alone? [y/n/Enter to skip] ", allowEmpty: true).lowercased()
        a.profiles[i].seenAlone = alone.hasPrefix("y") ? true : alone.hasPrefix("n") ? false : nil
        a.profiles[i].notSeenAloneReason =
            a.profiles[i].seenAlone == false ? try answer("  Why not? ") : nil
        a = try save(a, work)
        var carerViews: [CarerView] = []
        for id in a.carers {
            let name = family.carer(id).map { Summaries.firstName($0.name) } ?? id.rawValue
            let text = try answer("  \(name)'s view (Enter to skip): ", allowEmpty: true)
            let agree = try answer(
                "  Does \(name) agree with the grades? [y/n/p for partly/Enter to skip] ", allowEmpty: true
            ).lowercased()
            let agrees: Agreement? =
                agree.hasPrefix("y") ? .yes : agree.hasPrefix("n") ? .no : agree.hasPrefix("p") ? .partly : nil
            if !text.isEmpty || agrees != nil { carerViews.append(CarerView(carer: id, view: text, agrees: agrees)) }
        }
        a.profiles[i].carerViews = carerViews
        a = try save(a, work)
    }

    private func save(_ a: Assessment, _ work: Casework) throws -> Assessment {
        let c = context
        return try work.record(a, final: false, actor: c.actor, now: c.env.now, today: c.env.today).assessment
    }
}
