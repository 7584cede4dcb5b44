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

    static let fatherNotRecordedReason = Option<FatherNotRecorded.Reason>.choice(
        "father-not-recorded", "REASON", help: "why no father is recorded: unknown, deceased, no-contact or other")
    static let fatherText = Option<String>("father-text", "TEXT", help: "the reason in words (needed for other)")
    static let childArgument = Argument<String>("CHILD", kind: .child, help: "the child's id, full name or first name")
    static let reason = Option<FatherNotRecorded.Reason>.choice(
        "reason", "R", required: true, help: "unknown, deceased, no-contact or other")
    static let reasonText = Option<String>("text", "TEXT", help: "the reason in words (needed for other)")
    static let carerChild = Option<String>(
        "child", "CHILD", repeatable: true, kind: .child,
        help: "related to this child only, by --relationship (default: every child)")
    static let childRelationship = Option<(String, Relationship)>(
        "child-relationship", "CHILD=R", repeatable: true,
        help: "related to this child by R (a stepfather to one child, father of another)"
    ) { pair in
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let r = Relationship(rawValue: parts[1].lowercased()) else {
            throw UsageError.invalidValue(
                option: "--child-relationship", value: pair,
                expected: "CHILD=RELATIONSHIP, the relationship " + Values.oneOf(Relationship.allCases.map(\.rawValue)))
        }
        return (parts[0], r)
    }
    static let nonResident = Flag("non-resident", help: "a parent who does not live with the children")
    static let gender = Option<Gender>.choice(
        "gender", "G", help: "male, female or other (father and stepfather are male)")

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
            "child add", "add a child to a family", arguments: [family],
            options: [childName, born, expected, fatherNotRecordedReason, fatherText],
            examples: [
                "gcp2 child add f-k2m9q7 --name 'Rae Example' --born 2019-05-04",
                "gcp2 child add f-k2m9q7 --name 'Baby Example' --born 2026-09-01 --expected",
                "gcp2 child add f-k2m9q7 --name 'Kit Example' --born 2020-02-02 --father-not-recorded unknown",
            ], run: addChild),
        Command(
            "child father-not-recorded", "record why no father of a child is recorded among the carers",
            arguments: [childArgument], options: [reason, reasonText],
            examples: ["gcp2 child father-not-recorded f-k2m9q7-c1 --reason no-contact"], run: fatherNotRecorded),
        Command(
            "carer add", "add a carer to a family", arguments: [family],
            options: [carerName, relationship, carerChild, childRelationship, nonResident, gender],
            examples: [
                "gcp2 carer add f-k2m9q7 --name 'Lou Example' --relationship stepfather",
                "gcp2 carer add f-k2m9q7 --name 'Ash Example' --relationship father --child f-k2m9q7-c1 --non-resident",
                "gcp2 carer add f-k2m9q7 --name 'Jo Example' --relationship stepfather --child-relationship Kit=father",
            ], run: addCarer),
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
        var (families, damaged) = try store.familyListing()
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
            rows.append([
                f.family.id.rawValue, f.family.ref, "\(f.family.children.count)", "\(f.family.carers.count)",
                "\(f.finals) final\(f.drafts > 0 ? " + draft" : "")", f.latest?.description ?? "–",
            ])
        }
        c.out.text(Layout.table(rows, indent: ""))
    }

    @Sendable static func show(_ c: Context) throws {
        let store = try c.openStore()
        let id = try c.args.required(Self.family)
        let stored = try store.family(id)
        let index = try store.familyIndex(id)
        if c.json {
            c.out.json(FamilyShowOutput(family: stored, assessments: index.assessments.map(AssessmentEntry.init)))
            return
        }
        let family = stored.shown  // names and reference as one-line text (the JSON above is as stored)
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
        for child in family.children {
            if let why = child.fatherNotRecorded {
                c.out.line(Layout.wrapped("  ", "\(child.name): no father recorded (\(why.words))", indent: "    "))
            }
        }
        c.out.line()
        c.out.line("Carers:")
        if family.carers.isEmpty { c.out.line("  none yet — gcp2 carer add \(family.id) --name NAME --relationship R") }
        c.out.text(
            Layout.table(
                family.carers.map { carer in
                    let rel =
                        carer.children.map { list in
                            list.map { r in
                                "\(r.relationship.words) of \(family.child(r.child).map { Summaries.firstName($0.name) } ?? r.child.rawValue)"
                            }.joined(separator: ", ")
                        } ?? carer.relationship.words
                    let more = [carer.gender?.rawValue, carer.livesWithChildren ? nil : "lives elsewhere"].compactMap { $0 }
                    return [carer.id.rawValue, carer.name, rel + (more.isEmpty ? "" : " (\(more.joined(separator: ", ")))")]
                }))
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
        let text = try c.args.value(fatherText)
        let why = try c.args.value(fatherNotRecordedReason).map { FatherNotRecorded(reason: $0, text: text) }
        let child = try store.addChild(
            to: id, name: name, born: born, expected: c.args.flag(Self.expected), fatherNotRecorded: why, actor: c.actor,
            now: c.env.now, today: c.env.today)
        if c.json { c.out.json(child) } else { c.out.line("Added child \(child.id) to family \(id).") }
    }

    @Sendable static func addCarer(_ c: Context) throws {
        let (name, rel) = (try c.args.required(Self.carerName), try c.args.required(Self.relationship))
        let gender = try c.args.value(Self.gender)
        let store = try c.openStore()
        let id = try c.args.required(Self.family)
        // --child C relates the carer to C by --relationship; --child-relationship C=R by R; none: every child.
        var perChild: [ChildRelationship] = []
        for text in try c.args.values(carerChild) {
            perChild.append(ChildRelationship(child: try c.child(text, in: id, store: store), relationship: rel))
        }
        for (childText, r) in try c.args.values(childRelationship) {
            perChild.append(ChildRelationship(child: try c.child(childText, in: id, store: store), relationship: r))
        }
        let carer = try store.addCarer(
            to: id, name: name, relationship: rel, children: perChild.isEmpty ? nil : perChild,
            livesWithChildren: !c.args.flag(nonResident), gender: gender, actor: c.actor, now: c.env.now)
        if c.json { c.out.json(carer) } else { c.out.line("Added carer \(carer.id) to family \(id).") }
    }

    /// `child father-not-recorded CHILD --reason R [--text T]`: why no father of the child is recorded.
    @Sendable static func fatherNotRecorded(_ c: Context) throws {
        let why = FatherNotRecorded(reason: try c.args.required(reason), text: try c.args.value(reasonText))
        let store = try c.openStore()
        let id = try c.child(try c.args.required(childArgument), store: store)
        let child = try store.setFatherNotRecorded(id, why, actor: c.actor, now: c.env.now)
        if c.json {
            c.out.json(child)
        } else {
            c.out.line("Recorded for \(child.id): father not recorded (\(why.words)).")
        }
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
        init(_ f: FamilyListing) {
            id = f.family.id
            ref = f.family.ref
            children = f.family.children.count
            carers = f.family.carers.count
            finalAssessments = f.finals
            drafts = f.drafts
            latest = f.latest
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

/// A family as `family show --json` prints it: the family document's form (version 2), fixed here so a change to
/// the domain type cannot silently change the output.
struct FamilyOut: Encodable {
    let family: Family
    enum Keys: String, CodingKey { case schemaVersion, id, ref, children, carers, notes }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(2, forKey: .schemaVersion)
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
