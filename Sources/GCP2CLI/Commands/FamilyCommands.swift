import Foundation
import GCP2Core
import GCP2Store

/// `family add|list|show`, `child add`, `carer add`.
enum FamilyCommands {
    static let family = Argument<FamilyID>.id("FAMILY", kind: .family, help: "the family's id, e.g. f-k2m9q7")
    static let ref = Option<String>("ref", "REF", required: true, help: "the local case reference")
    static let notes = Option<String>("notes", "TEXT", help: "household notes")
    static let refContains = Option<String>(
        "ref", "TEXT", help: "only families whose reference contains TEXT (any case)")
    static let childName = Option<String>("name", "NAME", required: true, help: "the child's name")
    static let born = Option.date("born", required: true, help: "date of birth, YYYY-MM-DD")
    static let expected = Flag("expected", help: "--born is the expected date of an unborn baby")
    static let carerName = Option<String>("name", "NAME", required: true, help: "the carer's name")
    static let relationship = Option<Relationship>.choice(
        "relationship", "R", required: true,
        help:
            "mother, father, stepmother, stepfather, mothers-partner, fathers-partner, grandparent, aunt, uncle, sibling, foster-carer, kinship-carer or other"
    )

    static let commands = [
        Command(
            "family add", "add a family (a case)", options: [ref, notes], examples: ["gcp2 family add --ref NB-2291"],
            run: add),
        Command(
            "family list", "list the families in the store", options: [refContains],
            examples: ["gcp2 family list", "gcp2 family list --ref NB-22"], run: list),
        Command(
            "family show", "a family's children, carers and assessments", arguments: [family],
            examples: ["gcp2 family show f-k2m9q7", "gcp2 family show f-k2m9q7 --json"], run: show),
        Command(
            "child add", "add a child to a family", arguments: [family], options: [childName, born, expected],
            examples: [
                "gcp2 child add f-k2m9q7 --name 'Rae Example' --born 2019-05-04",
                "gcp2 child add f-k2m9q7 --name 'Baby Example' --born 2026-09-01 --expected",
            ], run: addChild),
        Command(
            "carer add", "add a carer to a family", arguments: [family], options: [carerName, relationship],
            examples: ["gcp2 carer add f-k2m9q7 --name 'Lou Example' --relationship stepfather"], run: addCarer),
    ]

    @Sendable static func add(_ c: Context) throws {
        let ref = try c.args.required(Self.ref)
        let store = try c.openStore()
        let f = try store.addFamily(ref: ref, notes: try c.args.value(Self.notes), actor: c.actor, now: c.env.now)
        if c.json {
            c.out.json(FamilyOut(family: f))
        } else {
            c.out.line("Added family \(f.id) (ref \(f.ref)).")
            c.out.line("Next: gcp2 child add \(f.id) --name NAME --born YYYY-MM-DD")
        }
    }

    @Sendable static func list(_ c: Context) throws {
        let store = try c.openStore()
        var (families, damaged) = try store.allFamilies()
        for d in damaged { c.out.warn("skipped: \(d)") }
        if let text = try c.args.value(Self.refContains) {
            let wanted = text.lowercased()
            families = families.filter { $0.family.ref.lowercased().contains(wanted) }
            if families.isEmpty && !c.json {
                c.out.line("No family reference contains \(Output.safe(text)).")
                return
            }
        }
        if c.json {
            c.out.json(FamilyListOutput(families: families.map(FamilyListOutput.Entry.init)))
            return
        }
        if families.isEmpty {
            c.out.line("No families yet. Add one with: gcp2 family add --ref REF")
            return
        }
        var rows = [["Family", "Ref", "Children", "Carers", "Assessments", "Latest"]]
        for f in families {
            let finals = f.effectiveFinals
            rows.append([
                f.family.id.rawValue, f.family.ref, "\(f.family.children.count)", "\(f.family.carers.count)",
                "\(finals.count) final\(f.assessments.contains { $0.status == .draft } ? " + draft" : "")",
                finals.map(\.date).max()?.description ?? "–",
            ])
        }
        c.out.text(Layout.table(rows, indent: ""))
    }

    @Sendable static func show(_ c: Context) throws {
        let store = try c.openStore()
        let id = try c.args.required(Self.family)
        let family = try store.family(id)
        let index = try store.familyIndex(id)
        if c.json {
            c.out.json(FamilyShowOutput(family: family, assessments: index.assessments.map(AssessmentEntry.init)))
            return
        }
        c.out.line("Family \(family.id) · ref \(family.ref)")
        if let notes = family.notes { c.out.line("Notes: \(Layout.continued(notes, indent: "  "))") }
        c.out.line()
        c.out.line("Children:")
        if family.children.isEmpty { c.out.line("  none yet — gcp2 child add \(family.id) --name NAME --born DATE") }
        let today = c.env.today
        c.out.text(
            Layout.table(
                family.children.map {
                    [
                        $0.id.rawValue, $0.name, $0.expected == true ? "expected \($0.born)" : "born \($0.born)",
                        $0.born <= today ? Layout.age(months: $0.born.wholeMonths(to: today)) : "unborn",
                    ]
                }))
        c.out.line()
        c.out.line("Carers:")
        if family.carers.isEmpty { c.out.line("  none yet — gcp2 carer add \(family.id) --name NAME --relationship R") }
        c.out.text(Layout.table(family.carers.map { [$0.id.rawValue, $0.name, $0.relationship.words] }))
        c.out.line()
        c.out.line("Assessments:")
        if index.assessments.isEmpty { c.out.line("  none yet — gcp2 template \(family.id) > assessment.json") }
        c.out.text(
            Layout.table(
                index.assessments.map { a in
                    [
                        a.id.rawValue, a.date.description, a.status.words, "version \(a.version)",
                        a.profiles.compactMap { p in family.child(p.childId).map { Summaries.firstName($0.name) } }
                            .joined(separator: ", "),
                    ]
                }))
    }

    @Sendable static func addChild(_ c: Context) throws {
        let (name, born) = (try c.args.required(Self.childName), try c.args.required(Self.born))
        let store = try c.openStore()
        let id = try c.args.required(Self.family)
        let child = try store.addChild(
            to: id, name: name, born: born, expected: c.args.flag(Self.expected), actor: c.actor, now: c.env.now,
            today: c.env.today)
        if c.json { c.out.json(child) } else { c.out.line("Added child \(child.id) to family \(id).") }
    }

    @Sendable static func addCarer(_ c: Context) throws {
        let (name, rel) = (try c.args.required(Self.carerName), try c.args.required(Self.relationship))
        let store = try c.openStore()
        let id = try c.args.required(Self.family)
        let carer = try store.addCarer(to: id, name: name, relationship: rel, actor: c.actor, now: c.env.now)
        if c.json { c.out.json(carer) } else { c.out.line("Added carer \(carer.id) to family \(id).") }
    }
}

/// `family list --json`.
struct FamilyListOutput: Codable {
    var schemaVersion = 1
    var families: [Entry]
    struct Entry: Codable {
        var id: FamilyID
        var ref: String
        var children: Int
        var carers: Int
        var finalAssessments: Int
        var drafts: Int
        var latest: CalendarDate?
        init(_ f: FamilyIndex) {
            id = f.family.id
            ref = f.family.ref
            children = f.family.children.count
            carers = f.family.carers.count
            finalAssessments = f.effectiveFinals.count
            drafts = f.assessments.filter { $0.status == .draft }.count
            latest = f.effectiveFinals.map(\.date).max()
        }
    }
}

/// `family show --json`.
struct FamilyShowOutput: Encodable {
    var schemaVersion = 1
    var family: FamilyOut
    var assessments: [AssessmentEntry]
    init(family: Family, assessments: [AssessmentEntry]) {
        self.family = FamilyOut(family: family)
        self.assessments = assessments
    }
}

/// A family as `family show --json` prints it: the family document's form (version 1), fixed here so a change to
/// the domain type cannot silently change the output.
struct FamilyOut: Encodable {
    let family: Family
    enum Keys: String, CodingKey { case schemaVersion, id, ref, children, carers, notes }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(1, forKey: .schemaVersion)
        try c.encode(family.id, forKey: .id)
        try c.encode(family.ref, forKey: .ref)
        try c.encode(family.children, forKey: .children)
        try c.encode(family.carers, forKey: .carers)
        try c.encodeIfPresent(family.notes, forKey: .notes)
    }
}

/// One assessment in a listing.
struct AssessmentEntry: Encodable {
    var id: AssessmentID
    var version: Int
    var status: AssessmentStatus
    var date: CalendarDate
    var children: [ChildID]
    var carers: [CarerID]
    init(_ a: IndexedAssessment) {
        id = a.id
        version = a.version
        status = a.status
        date = a.date
        children = a.profiles.map(\.childId)
        carers = a.carers
    }
}
