import Foundation
import GCP2Core
import GCP2Store

/// `template`, `record`, `validate`, `finalise`, `amend`, `withdraw`.
enum AssessmentCommands {
    static let assessment = Argument<AssessmentID>.id(
        "ASSESSMENT", kind: .assessment, help: "the assessment's id, e.g. f-k2m9q7-a1")
    static let file = Argument<String>("FILE", kind: .file, help: "an assessment file (JSON); - reads standard input")
    static let optionalFile = Argument<String>(
        "FILE", optional: true, kind: .file, help: "an assessment file (JSON); - reads standard input")
    static let children = Option<String>(
        "child", "CHILD", repeatable: true, kind: .child, help: "only these children (default: all born)")
    static let date = Option.date("date", help: "the assessment date the ages are taken at (default: today)")
    static let final = Flag("final", help: "finalise in the same step (every item rated, with evidence)")
    static let interactive = Option<FamilyID>.id(
        "interactive", "FAMILY", kind: .family, help: "ask item by item at the terminal; resumes a saved draft")
    static let new = Flag("new", help: "with --interactive: start a new assessment even if a draft is open (asks first)")
    static let checkFinal = Flag("final", help: "check as if finalising")
    static let reason = Option<String>("reason", "R", required: true, help: "why")

    static let commands = [
        Command(
            "template", "print a draft assessment to fill in, with the items that apply at each child's age",
            arguments: [FamilyCommands.family], options: [children, date],
            discussion:
                "Fill in each rating's kind (graded, not-applicable or not-scored), grade, evidence or reason, then `gcp2 record FILE`.",
            examples: ["gcp2 template f-k2m9q7 > visit.json", "gcp2 template f-k2m9q7 --child Rae --date 2026-05-01"],
            run: template),
        Command(
            "record", "validate an assessment, compute the profiles and store it (draft unless --final)",
            arguments: [optionalFile], options: [final, interactive, new],
            discussion:
                "Every problem in the file is reported at once with its JSON path; nothing is stored until all are fixed. With --interactive: Enter confirms a suggested grade, a accepts the rest of a child's suggestions, b goes back one answer, q or end of input saves and stops.",
            examples: [
                "gcp2 record visit.json", "gcp2 record visit.json --final", "gcp2 record --interactive f-k2m9q7",
                "gcp2 record --interactive f-k2m9q7 --new",
            ],
            run: record),
        Command(
            "finalise", "make a draft final; it can never be edited again", arguments: [assessment],
            examples: ["gcp2 finalise f-k2m9q7-a2"], run: finalise),
        Command(
            "amend", "store a corrected version that supersedes a final assessment", arguments: [assessment, file],
            options: [reason],
            examples: ["gcp2 amend f-k2m9q7-a2 fixed.json --reason 'Hygiene typed as 2, was 3'"], run: amend),
        Command(
            "withdraw", "mark an assessment entered in error; it stays on record but leaves every series",
            arguments: [assessment], options: [reason],
            examples: ["gcp2 withdraw f-k2m9q7-a3 --reason 'Recorded against the wrong family'"], run: withdraw),
        Command(
            "validate", "check an assessment file without storing it", arguments: [file], options: [checkFinal],
            examples: ["gcp2 validate visit.json", "gcp2 validate visit.json --final --json"], run: validate),
    ]

    @Sendable static func template(_ c: Context) throws {
        let store = try c.openStore()
        let fid = try c.args.required(FamilyCommands.family)
        let family = try store.family(fid)
        let date = try c.args.value(Self.date) ?? c.env.today
        let inst = try store.currentInstrument()
        var children = family.children.filter { $0.born <= date }
        let wanted = try c.args.values(Self.children)
        if !wanted.isEmpty {
            children = try wanted.map { w in
                // By id, full name or first name, within this family.
                let cid = try c.child(w, in: fid, store: store)
                guard let child = family.children.first(where: { $0.id == cid }) else {
                    throw StoreError.notFound(kind: "child", id: Output.safe(w) + " in family \(fid)")
                }
                guard child.born <= date else {
                    throw CLIFailure(
                        message: "child \(child.id) is not yet born on \(date)", hint: "unborn babies are assessed with GCP2A",
                        code: .dataError)
                }
                return child
            }
        }
        if children.isEmpty {
            throw CLIFailure(
                message: "family \(fid) has no children born by \(date) to assess",
                hint: "gcp2 child add \(fid) --name NAME --born DATE",
                code: .dataError)
        }
        let t = Template(
            familyId: fid, window: .init(start: date.adding(days: -21), end: date),
            // No invented facts: the practitioner adds each visit (Docs/cli.md shows the form).
            visits: [],
            assessors: [.init(name: "", role: "", team: "")], carers: family.carers.map(\.id),
            profiles: children.map { child in
                let age = child.born.wholeMonths(to: date)
                return Template.Profile(
                    childId: child.id, childName: child.name, ageMonths: age,
                    ratings: inst.areas.flatMap(\.subAreas).flatMap { inst.applicableItems(in: $0, ageMonths: age) }.map {
                        Template.Rating(
                            linkId: $0.linkId, code: $0.code, title: $0.title, kind: "graded", grade: nil, evidence: "")
                    },
                    grades: [], targets: [], childView: "", dailyLife: age < store.policy.childViewFromMonths ? "" : nil,
                    carerViews: family.carers.map { Template.CarerView(carer: $0.id) })
            })
        c.out.json(t)
        // A template dated in the past chose its items by the ages on that date: say which, on stderr.
        if date < c.env.today {
            let ages = children.map { "\($0.name) \(Layout.age(months: $0.born.wholeMonths(to: date)))" }
            c.out.note("items chosen for the ages on \(date): " + ages.joined(separator: ", "))
        }
    }

    @Sendable static func record(_ c: Context) throws {
        if let fam = try c.args.value(interactive) {
            if try c.args.value(optionalFile) != nil {
                throw UsageError.conflicting("give either FILE or --interactive FAMILY, not both")
            }
            try Interactive(context: c, family: fam, startNew: c.args.flag(new)).run()
            return
        }
        if c.args.flag(new) { throw UsageError.conflicting("--new applies with --interactive FAMILY") }
        guard let file = try c.args.value(optionalFile) else {
            throw UsageError.missingArgument(name: "FILE (or --interactive FAMILY)", command: "record")
        }
        let store = try c.openStore()
        let data = try c.readInput(file)
        let final = c.args.flag(Self.final)
        let r = try Casework(store).record(
            file: data, name: file, final: final, actor: c.actor, now: c.env.now, today: c.env.today)
        // Past the commit point: report from what the change read under its lock, with no second read to fail.
        let family = r.family
        if c.json {
            c.out.json(ShowOutput(r.assessment, profiles: r.profiles, family: family))
            return
        }
        let what = r.replacedDraft ? "Replaced draft" : final ? "Recorded final assessment" : "Recorded draft"
        c.out.line("\(what) \(r.assessment.id) for family \(family.ref).")
        c.out.line()
        c.out.text(Render.assessment(r.assessment.shown, profiles: r.profiles, family: family.shown, evidence: false))
        if !final {
            // A draft with every applicable item rated is ready: offer the next step, not a condition already met.
            if r.profiles.allSatisfy({ $0.completeness.missing == 0 }) {
                c.out.line("Every item is rated. When the grades are agreed, make it final: gcp2 finalise \(r.assessment.id)")
            } else {
                let missing = r.profiles.map(\.completeness.missing).reduce(0, +)
                c.out.line(
                    "\(Layout.count(missing, "item is", "items are")) still to rate; then: gcp2 finalise \(r.assessment.id)")
            }
        }
    }

    @Sendable static func validate(_ c: Context) throws {
        let file = try c.args.required(Self.file)
        let store = try c.openStore()
        let data = try c.readInput(file)
        // The checks `record` makes, short of writing.
        let checked: Store.Recorded
        do throws(StoreError) {
            checked = try Casework(store).validate(file: data, name: file, final: c.args.flag(checkFinal), today: c.env.today)
        } catch {
            if c.json, case .invalid(_, let issues) = error {
                c.out.json(ValidationReport(file: file, valid: false, problems: issues.map(Problem.init)))
            }
            throw error
        }
        let a = checked.assessment
        if c.json {
            c.out.json(ValidationReport(file: file, valid: true, problems: []))
        } else {
            c.out.line(
                "\(file) is valid: \(a.profiles.count) child profile\(a.profiles.count == 1 ? "" : "s") for family \(a.familyId); nothing was stored."
            )
        }
    }

    @Sendable static func finalise(_ c: Context) throws {
        let store = try c.openStore()
        let id = try c.args.required(assessment)
        let r = try Casework(store).finalise(id, actor: c.actor, now: c.env.now, today: c.env.today)
        report(c, r, verb: "Finalised")
    }

    @Sendable static func amend(_ c: Context) throws {
        let reason = try c.args.required(Self.reason)
        let store = try c.openStore()
        let id = try c.args.required(assessment)
        let file = try c.args.required(Self.file)
        let data = try c.readInput(file)
        // The version it will supersede, read before the change so nothing needs reading after the commit point.
        let previous = try store.assessment(id)
        let inst = try store.currentInstrument()
        let r = try store.amend(
            id, file: data, name: file, reason: reason, actor: c.actor, now: c.env.now, today: c.env.today)
        for w in r.warnings { c.out.warn("\(w.description) (recorded before this was required; please add it)") }
        report(c, r, verb: "Amended")
        if !c.json { c.out.text(changes(r.assessment.changes(from: previous), from: previous.version, family: r.family, inst)) }
    }

    @Sendable static func withdraw(_ c: Context) throws {
        let reason = try c.args.required(Self.reason)
        let store = try c.openStore()
        let id = try c.args.required(assessment)
        let a = try store.withdraw(id, reason: reason, actor: c.actor, now: c.env.now)
        if c.json {
            c.out.json(WithdrawOutput(id: a.id, version: a.version, status: a.status, reason: reason))
        } else {
            c.out.line(
                "Withdrew \(a.id) as entered in error (version \(a.version)). It stays on record and no longer counts in any series."
            )
        }
    }

    /// What an amendment changed, in words: the child, the item or level by code and title, before → after.
    static func changes(
        _ list: [AssessmentChange], from version: Int, family: Family, _ inst: ValidatedInstrument, indent: String = ""
    ) -> String {
        guard !list.isEmpty else { return "\n\(indent)No change from version \(version) but the reason.\n" }
        func short(_ text: String) -> String {
            let one = text.replacingOccurrences(of: "\n", with: " ")
            return one.isEmpty ? "(none)" : one.count > 60 ? "\(one.prefix(60))…" : one
        }
        let lines = list.map { ch -> String in
            var where_: [String] = []
            if let child = ch.child { where_.append(family.child(child)?.name ?? child.rawValue) }
            if let id = ch.linkId { where_.append(inst.node(id).map { "\($0.code) \($0.title)" } ?? id.rawValue) }
            let lead = where_.isEmpty ? "" : where_.joined(separator: " · ") + ": "
            return lead + "\(ch.what) \(short(ch.before)) → \(short(ch.after))"
        }
        return "\n\(indent)Changed from version \(version):\n" + Layout.bullets(lines, indent: indent + "  ")
    }

    static func report(_ c: Context, _ r: Store.Recorded, verb: String) {
        let family = r.family
        if c.json {
            c.out.json(ShowOutput(r.assessment, profiles: r.profiles, family: family))
        } else {
            c.out.line("\(verb) \(r.assessment.id) (version \(r.assessment.version)).")
            c.out.line()
            c.out.text(Render.assessment(r.assessment.shown, profiles: r.profiles, family: family.shown, evidence: false))
        }
    }
}

/// The ready-to-fill draft `template` prints; `code`, `title`, `childName` and `ageMonths` are for the reader only.
struct Template: Encodable {
    var schemaVersion = 2
    var familyId: FamilyID
    var window: ObservationWindow
    var visits: [Visit]
    var assessors: [Assessor]
    var carers: [CarerID]
    var profiles: [Profile]

    struct Profile: Encodable {
        var childId: ChildID
        var childName: String
        var ageMonths: Int
        var ratings: [Rating]
        var grades: [LevelGrade]
        var targets: [Target]
        var childView: String
        /// Offered (empty) for a child younger than the policy's childViewFromMonths.
        var dailyLife: String?
        var carerViews: [CarerView]

        enum CodingKeys: String, CodingKey {
            case childId, childName, ageMonths, ratings, grades, targets, childView, childViewNotObtained, dailyLife
            case seenAlone, notSeenAloneReason, carerViews
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(childId, forKey: .childId)
            try c.encode(childName, forKey: .childName)
            try c.encode(ageMonths, forKey: .ageMonths)
            try c.encode(ratings, forKey: .ratings)
            try c.encode(grades, forKey: .grades)
            try c.encode(targets, forKey: .targets)
            try c.encode(childView, forKey: .childView)
            try c.encodeNil(forKey: .childViewNotObtained)
            if let dailyLife { try c.encode(dailyLife, forKey: .dailyLife) }
            try c.encodeNil(forKey: .seenAlone)
            try c.encode("", forKey: .notSeenAloneReason)
            try c.encode(carerViews, forKey: .carerViews)
        }
    }

    /// A carer's view to fill in: the text and whether they agree (yes, no or partly).
    struct CarerView: Encodable {
        var carer: CarerID
        enum CodingKeys: String, CodingKey { case carer, view, agrees }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(carer, forKey: .carer)
            try c.encode("", forKey: .view)
            try c.encodeNil(forKey: .agrees)
        }
    }

    struct Rating: Encodable {
        var linkId: LinkID
        var code: String
        var title: String
        var kind: String
        var grade: Int?
        var evidence: String
        enum CodingKeys: String, CodingKey { case linkId, code, title, kind, grade, evidence }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(linkId, forKey: .linkId)
            try c.encode(code, forKey: .code)
            try c.encode(title, forKey: .title)
            try c.encode(kind, forKey: .kind)
            try c.encode(grade, forKey: .grade)
            try c.encode(evidence, forKey: .evidence)
        }
    }
}

/// `withdraw --json`.
struct WithdrawOutput: Encodable {
    var schemaVersion = 1
    var id: AssessmentID
    var version: Int
    var status: AssessmentStatus
    var reason: String
}
