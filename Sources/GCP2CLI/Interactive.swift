import GCP2Core
import GCP2Store

/// `record --interactive FAMILY`: asks item by item at the terminal, saving the draft after every answer.
///
/// A family's open draft is resumed where it stopped; end of input (Ctrl-D) or `q` saves and stops.
struct Interactive {
    let context: Context
    let familyText: String

    /// Ends the session early; the draft is already saved.
    struct Stop: Error {}

    func run() throws {
        let c = context
        let store = try c.openStore()
        let fid = try c.id(familyText, as: "family", FamilyID.self)
        let family = try store.family(fid)
        let inst = try store.currentInstrument()
        let index = try store.familyIndex(fid)
        var draft: Assessment
        if let open = index.assessments.last(where: { $0.status == .draft }) {
            draft = try store.assessment(open.id)
            c.out.line(
                "Resuming draft \(draft.id) for family \(family.ref) (\(Layout.count(draft.profiles.map { $0.ratings.count }.reduce(0, +), "rating", "ratings")) so far)."
            )
        } else {
            draft = try start(family: family)
            draft = try save(draft, store: store)
            c.out.line(
                "Started draft \(draft.id). It is saved after every answer; press Ctrl-D or type q to stop and resume later.")
        }
        do {
            for i in draft.profiles.indices {
                guard let child = family.child(draft.profiles[i].childId) else { continue }
                let age = child.born.wholeMonths(to: draft.date)
                c.out.line()
                c.out.line("── \(child.name), \(Layout.age(months: age)) ──")
                for sub in inst.areas.flatMap(\.subAreas) {
                    for item in inst.applicableItems(in: sub, ageMonths: age)
                    where !draft.profiles[i].ratings.contains(where: { $0.linkId == item.linkId }) {
                        let rating = try ask(item: item, inst: inst)
                        draft.profiles[i].ratings.append(ItemRating(item.linkId, rating))
                        draft = try save(draft, store: store)
                    }
                }
                draft = try confirmLevels(draft, profile: i, family: family, inst: inst, store: store)
                draft = try views(draft, profile: i, store: store)
            }
        } catch is Stop {
            c.out.line()
            c.out.line("Draft \(draft.id) saved. Resume with: gcp2 record --interactive \(fid)")
            return
        }
        c.out.line()
        let answer = prompt("Every item is rated. Finalise \(draft.id) now? A final assessment cannot be edited again. [y/N] ")
        if answer?.lowercased() == "y" || answer?.lowercased() == "yes" {
            let r = try store.finalise(draft.id, actor: c.actor, now: c.env.now, today: c.env.today)
            c.out.line("Finalised \(r.assessment.id).")
            c.out.line()
            c.out.text(Render.assessment(r.assessment, profiles: r.profiles, family: family, evidence: false))
        } else {
            c.out.line("Kept as a draft. Finalise later with: gcp2 finalise \(draft.id)")
        }
    }

    /// Prints a prompt and reads one line; nil at end of input.
    private func prompt(_ text: String) -> String? {
        context.out.prompt(text)
        return context.env.readLine()
    }

    /// Reads a non-empty answer; end of input or `q` stops the session.
    private func required(_ text: String) throws -> String {
        while true {
            guard let line = prompt(text) else { throw Stop() }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t == "q" { throw Stop() }
            if !t.isEmpty { return t }
            context.out.line("  Please give an answer (or q to stop).")
        }
    }

    private func start(family: Family) throws -> Assessment {
        let c = context
        let today = c.env.today
        c.out.line("New assessment for family \(family.ref) (\(family.id)).")
        func date(_ text: String, default d: CalendarDate) throws -> CalendarDate {
            while true {
                guard let line = prompt("\(text) [\(d)]: ") else {
                    throw CLIFailure(message: "stopped before the draft was created", hint: nil, code: .failure)
                }
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return d }
                if let v = CalendarDate(t), v <= today { return v }
                c.out.line("  Expected a date YYYY-MM-DD, today or earlier.")
            }
        }
        let end = try date("Assessment date (end of the observation window)", default: today)
        var start = try date("Observation started on", default: end.adding(days: -21))
        while start > end {
            c.out.line("  The observation must start on or before \(end).")
            start = try date("Observation started on", default: end.adding(days: -21))
        }
        var carers = family.carers.map(\.id)
        if !family.carers.isEmpty {
            for (n, carer) in family.carers.enumerated() { c.out.line("  \(n + 1). \(carer.name) (\(carer.relationship.words))") }
            while true {
                guard let line = prompt("Carers this assessment covers (numbers, e.g. 1 2) [all]: ") else {
                    throw CLIFailure(message: "stopped before the draft was created", hint: nil, code: .failure)
                }
                let picks = line.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
                if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
                if picks.allSatisfy({ $0 != nil && (1...family.carers.count).contains($0!) }) {
                    carers = picks.map { family.carers[$0! - 1].id }
                    break
                }
                c.out.line("  Expected numbers between 1 and \(family.carers.count).")
            }
        }
        let name = try required("Your name: ")
        let role = try required("Your role: ")
        let team = try required("Your team: ")
        // Every visit is entered by the practitioner: a final assessment needs at least one in the window.
        c.out.line("Visits from \(start) to \(end): one date each; an empty line when done.")
        var visits: [Visit] = []
        while true {
            let more = visits.isEmpty ? "" : " (empty when done)"
            guard let line = prompt("Visit \(visits.count + 1) date\(more): ") else { throw Stop() }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t == "q" { throw Stop() }
            if t.isEmpty && !visits.isEmpty { break }
            guard let d = CalendarDate(t), d >= start, d <= end else {
                c.out.line("  Expected a date YYYY-MM-DD from \(start) to \(end).")
                continue
            }
            var announced = true
            while true {
                guard let answer = prompt("  Announced? y or n [y]: ") else { throw Stop() }
                let a = answer.trimmingCharacters(in: .whitespaces).lowercased()
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
        return Assessment(
            id: AssessmentID(unchecked: "new"), familyId: family.id, window: ObservationWindow(start: start, end: end),
            visits: visits, assessors: [Assessor(name: name, role: role, team: team)], carers: carers,
            profiles: children.map { ProfileRecord(childId: $0.id) })
    }

    private func ask(item: Instrument.Item, inst: ValidatedInstrument) throws -> Rating {
        let c = context
        c.out.line()
        c.out.line("\(item.code) \(item.title)" + (item.prompt.map { " — \($0)" } ?? ""))
        while true {
            guard let line = prompt("  Grade 1–5, n not applicable, s not scored, ? descriptors, q stop: ") else { throw Stop() }
            switch line.trimmingCharacters(in: .whitespaces).lowercased() {
            case "?":
                for g in inst.definition.scale.grades {
                    c.out.line("    \(g.grade): \(g.needsMet); \(g.commitment.lowercased()); \(g.quality.lowercased())")
                }
                for d in item.descriptors ?? [] { c.out.line("    \(d.grade) for this item: \(d.text)") }
            case "n": return .notApplicable(reason: try required("  Why does it not apply? "))
            case "s": return .notScored(reason: try required("  Why was it not scored? "))
            case "q": throw Stop()
            case let t:
                if let v = Int(t), let g = Grade(rawValue: v) {
                    return .graded(g, evidence: try required("  Evidence for \(g): "))
                }
                c.out.line("  Expected 1, 2, 3, 4, 5, n, s, ? or q.")
            }
        }
    }

    private func confirmLevels(_ draft: Assessment, profile i: Int, family: Family, inst: ValidatedInstrument, store: Store)
        throws -> Assessment
    {
        var a = draft
        let c = context
        func compute() throws -> Profile? {
            try a.computeProfiles(
                in: AssessmentContext(instrument: inst, family: family, today: c.env.today, requireComplete: false)
            )
            .first { $0.childId == a.profiles[i].childId }
        }
        c.out.line()
        c.out.line("Confirm each grade: press Enter to accept the suggested grade, or type 1–5 to record a different one.")
        for level in [Level.subArea, .area] {
            guard let p = try compute() else { return a }
            let results = level == .subArea ? p.areas.flatMap { $0.subAreas.map(\.result) } : p.areas.map(\.result)
            for r in results {
                let suggestion = r.suggested.map { "suggested \($0) (\(r.rule))" } ?? "nothing rated"
                while true {
                    guard let line = prompt("  \(r.code) \(r.title): \(suggestion) > ") else { throw Stop() }
                    let t = line.trimmingCharacters(in: .whitespaces)
                    if t == "q" { throw Stop() }
                    if t.isEmpty { break }
                    guard let v = Int(t), let g = Grade(rawValue: v) else {
                        c.out.line("    Expected Enter, 1–5 or q.")
                        continue
                    }
                    a.profiles[i].grades.removeAll { $0.linkId == r.linkId }
                    if g != r.suggested {
                        let why = try required(
                            "    Why \(g) rather than \(r.suggested.map(String.init(describing:)) ?? "no grade")? ")
                        a.profiles[i].grades.append(LevelGrade(linkId: r.linkId, grade: g, rationale: why))
                    }
                    break
                }
            }
            a = try save(a, store: store)
        }
        return a
    }

    private func views(_ draft: Assessment, profile i: Int, store: Store) throws -> Assessment {
        var a = draft
        if a.profiles[i].childView == nil {
            guard let v = prompt("  The child's view, in their words (Enter to skip): ") else { throw Stop() }
            a.profiles[i].childView = v.isEmpty ? "" : v
        }
        if a.profiles[i].carersView == nil {
            guard let v = prompt("  The carers' view (Enter to skip): ") else { throw Stop() }
            a.profiles[i].carersView = v.isEmpty ? "" : v
            guard let agree = prompt("  Do the carers agree with the grades? [y/n/Enter to skip] ") else { throw Stop() }
            a.profiles[i].carersAgree = agree.lowercased().hasPrefix("y") ? true : agree.lowercased().hasPrefix("n") ? false : nil
        }
        return try save(a, store: store)
    }

    private func save(_ a: Assessment, store: Store) throws -> Assessment {
        let c = context
        return try store.record(a, final: false, file: nil, actor: c.actor, now: c.env.now, today: c.env.today).assessment
    }
}
