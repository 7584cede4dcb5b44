import Foundation
import GCP2Core
import GCP2Store

/// `template`, `record`, `validate`, `finalise`, `amend`, `withdraw`.
enum AssessmentCommands {
    @Sendable static func template(_ c: Context) throws {
        let store = try c.openStore()
        let fid = try c.id(c.args.positionals[0], as: "family", FamilyID.self)
        let family = try store.family(fid)
        let date = try c.args.value("date").map { try c.date("--date", $0) } ?? c.env.today
        let inst = try store.currentInstrument()
        var children = family.children.filter { $0.born <= date }
        let wanted = c.args.all("child")
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
        if let fam = c.args.value("interactive") {
            if !c.args.positionals.isEmpty {
                throw UsageError.conflicting("give either FILE or --interactive FAMILY, not both")
            }
            try Interactive(context: c, familyText: fam).run()
            return
        }
        guard let file = c.args.positionals.first else {
            throw UsageError.missingArgument(name: "FILE (or --interactive FAMILY)", command: "record")
        }
        let store = try c.openStore()
        let data = try c.readInput(file)
        let final = c.args.flag("final")
        let r = try store.record(file: data, name: file, final: final, actor: c.actor, now: c.env.now, today: c.env.today)
        // Past the commit point: report from what the change read under its lock, with no second read to fail.
        let family = r.family
        if c.json {
            c.out.json(ShowOutput(r.assessment, profiles: r.profiles, family: family))
            return
        }
        let what = r.replacedDraft ? "Replaced draft" : final ? "Recorded final assessment" : "Recorded draft"
        c.out.line("\(what) \(r.assessment.id) for family \(family.ref).")
        c.out.line()
        c.out.text(Render.assessment(r.assessment, profiles: r.profiles, family: family, evidence: false))
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
        let file = c.args.positionals[0]
        let store = try c.openStore()
        let data = try c.readInput(file)
        // The checks `record` makes, short of writing.
        let checked: Store.Recorded
        do throws(StoreError) {
            checked = try store.validate(file: data, name: file, final: c.args.flag("final"), today: c.env.today)
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
        let id = try c.id(c.args.positionals[0], as: "assessment", AssessmentID.self)
        let r = try store.finalise(id, actor: c.actor, now: c.env.now, today: c.env.today)
        report(c, r, verb: "Finalised")
    }

    @Sendable static func amend(_ c: Context) throws {
        guard let reason = c.args.value("reason") else { throw UsageError.missingArgument(name: "--reason R", command: "amend") }
        let store = try c.openStore()
        let id = try c.id(c.args.positionals[0], as: "assessment", AssessmentID.self)
        let file = c.args.positionals[1]
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
        guard let reason = c.args.value("reason") else {
            throw UsageError.missingArgument(name: "--reason R", command: "withdraw")
        }
        let store = try c.openStore()
        let id = try c.id(c.args.positionals[0], as: "assessment", AssessmentID.self)
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
        _ list: [AssessmentChange], from version: Int, family: Family, _ inst: ValidatedInstrument
    ) -> String {
        guard !list.isEmpty else { return "\nNo change from version \(version) but the reason.\n" }
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
        return "\nChanged from version \(version):\n" + Layout.bullets(lines)
    }

    static func report(_ c: Context, _ r: Store.Recorded, verb: String) {
        let family = r.family
        if c.json {
            c.out.json(ShowOutput(r.assessment, profiles: r.profiles, family: family))
        } else {
            c.out.line("\(verb) \(r.assessment.id) (version \(r.assessment.version)).")
            c.out.line()
            c.out.text(Render.assessment(r.assessment, profiles: r.profiles, family: family, evidence: false))
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
