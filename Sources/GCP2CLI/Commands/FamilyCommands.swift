import Foundation
import GCP2Core
import GCP2Store

/// `family add|list|show`, `child add`, `carer add`.
enum FamilyCommands {
    @Sendable static func add(_ c: Context) throws {
        guard let ref = c.args.value("ref") else { throw UsageError.missingArgument(name: "--ref REF", command: "family add") }
        let store = try c.openStore()
        let f = try store.addFamily(ref: ref, notes: c.args.value("notes"), actor: c.actor, now: c.env.now)
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
        if let text = c.args.value("ref") {
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
        let id = try c.id(c.args.positionals[0], as: "family", FamilyID.self)
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
        guard let name = c.args.value("name") else { throw UsageError.missingArgument(name: "--name NAME", command: "child add") }
        guard let bornText = c.args.value("born") else {
            throw UsageError.missingArgument(name: "--born DATE", command: "child add")
        }
        let born = try c.date("--born", bornText)
        let store = try c.openStore()
        let id = try c.id(c.args.positionals[0], as: "family", FamilyID.self)
        let why = try c.args.value("father-not-recorded").map { try fatherReason($0, text: c.args.value("father-text")) }
        let child = try store.addChild(
            to: id, name: name, born: born, expected: c.args.flag("expected"), fatherNotRecorded: why, actor: c.actor,
            now: c.env.now, today: c.env.today)
        if c.json { c.out.json(child) } else { c.out.line("Added child \(child.id) to family \(id).") }
    }

    @Sendable static func addCarer(_ c: Context) throws {
        guard let name = c.args.value("name") else { throw UsageError.missingArgument(name: "--name NAME", command: "carer add") }
        guard let relText = c.args.value("relationship") else {
            throw UsageError.missingArgument(name: "--relationship R", command: "carer add")
        }
        let rel = try relationship("--relationship", relText)
        let gender = try c.args.value("gender").map { g in
            guard let v = Gender(rawValue: g.lowercased()) else {
                throw UsageError.invalidValue(
                    option: "--gender", value: g, expected: "one of " + Gender.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return v
        }
        let store = try c.openStore()
        let id = try c.id(c.args.positionals[0], as: "family", FamilyID.self)
        // --child C relates the carer to C by --relationship; --child-relationship C=R by R; none: every child.
        var perChild: [ChildRelationship] = []
        for text in c.args.all("child") {
            perChild.append(ChildRelationship(child: try c.child(text, in: id, store: store), relationship: rel))
        }
        for pair in c.args.all("child-relationship") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw UsageError.invalidValue(option: "--child-relationship", value: pair, expected: "CHILD=RELATIONSHIP")
            }
            perChild.append(
                ChildRelationship(
                    child: try c.child(parts[0], in: id, store: store),
                    relationship: try relationship("--child-relationship", parts[1])))
        }
        let carer = try store.addCarer(
            to: id, name: name, relationship: rel, children: perChild.isEmpty ? nil : perChild,
            livesWithChildren: !c.args.flag("non-resident"), gender: gender, actor: c.actor, now: c.env.now)
        if c.json { c.out.json(carer) } else { c.out.line("Added carer \(carer.id) to family \(id).") }
    }

    /// `child father-not-recorded CHILD --reason R [--text T]`: why no father of the child is recorded.
    @Sendable static func fatherNotRecorded(_ c: Context) throws {
        guard let reason = c.args.value("reason") else {
            throw UsageError.missingArgument(name: "--reason R", command: "child father-not-recorded")
        }
        let why = try fatherReason(reason, text: c.args.value("text"))
        let store = try c.openStore()
        let id = try c.child(c.args.positionals[0], store: store)
        let child = try store.setFatherNotRecorded(id, why, actor: c.actor, now: c.env.now)
        if c.json {
            c.out.json(child)
        } else {
            c.out.line("Recorded for \(child.id): father not recorded (\(why.words)).")
        }
    }

    static func relationship(_ option: String, _ text: String) throws -> Relationship {
        guard let rel = Relationship(rawValue: text.lowercased()) else {
            throw UsageError.invalidValue(
                option: option, value: text, expected: "one of " + Relationship.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return rel
    }

    static func fatherReason(_ text: String, text words: String?) throws -> FatherNotRecorded {
        guard let r = FatherNotRecorded.Reason(rawValue: text.lowercased()) else {
            throw UsageError.invalidValue(
                option: "--reason", value: text,
                expected: "one of " + FatherNotRecorded.Reason.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return FatherNotRecorded(reason: r, text: words)
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
