import Foundation
import GCP2Core
import GCP2Store

/// `gcp2 demo`: an invented family of three children and two carers, four assessments over about a year,
/// recorded through the store and then read back with `show`, `compare`, `summary --family` and `caseload`.
enum Demo {
    static let asOf = CalendarDate("2026-10-31")!
    static let dates = ["2025-11-14", "2026-02-20", "2026-05-29", "2026-09-18"].map { CalendarDate($0)! }

    /// Area grades per child per assessment (A physical, B safety, C emotional, D developmental).
    static let plan: [String: [[Int]]] = [
        // Kai, the teenager: emotional care stays 3 or worse — drift — and is much worse than his siblings.
        "c1": [[2, 2, 3, 2], [2, 2, 4, 2], [2, 2, 4, 2], [2, 2, 4, 2]],
        // Mia: physical care improves from 4 to 2 and the improvement holds.
        "c2": [[4, 2, 2, 3], [3, 2, 2, 2], [2, 2, 2, 2], [2, 2, 2, 2]],
        // Ollie: safety improves to 2, then slips back to 3 and stays there — an improvement lost.
        "c3": [[2, 4, 2, 2], [2, 2, 2, 2], [2, 3, 2, 2], [2, 3, 2, 2]],
    ]

    static let command = Command(
        "demo", "build a sample store with an invented family and walk through record, compare and summary",
        discussion: "Uses a temporary folder unless --store is given.",
        examples: ["gcp2 demo", "gcp2 --store ./demo-cases demo"], run: run)

    @Sendable static func run(_ c: Context) throws {
        let path: String
        if let given = try c.args.value(Globals.store) {
            path = given.hasPrefix("/") ? given : c.env.workingDirectory + "/" + given
        } else {
            path = NSTemporaryDirectory() + "gcp2-demo-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        }
        let store = try Store.create(at: path, now: c.env.now)
        let out = c.out
        out.line("gcp2 demo: a sample store at \(path)")
        out.line(
            "Everyone in it is invented. Dates are fixed so the walk-through reads the same\nevery time; \"today\" is \(asOf).")
        out.line()

        let actor = "demo"
        let f = try store.addFamily(
            ref: "DEMO-0417", notes: "Invented family for the demo.", id: FamilyID(rawValue: "f-demo01")!, actor: actor,
            now: c.env.now)
        let kids = [
            ("Kai Hartley", "2012-03-14"), ("Mia Hartley", "2019-06-02"), ("Ollie Denton", "2024-01-20"),
        ]
        for (name, born) in kids {
            _ = try store.addChild(to: f.id, name: name, born: CalendarDate(born)!, actor: actor, now: c.env.now, today: asOf)
        }
        _ = try store.addCarer(to: f.id, name: "Jo Hartley", relationship: .mother, actor: actor, now: c.env.now)
        // A blended family: Rob is stepfather to Kai and Mia and Ollie's father; Kai's father has had no contact.
        _ = try store.addCarer(
            to: f.id, name: "Rob Denton", relationship: .stepfather,
            children: [
                ChildRelationship(child: ChildID(rawValue: "\(f.id)-c1")!, relationship: .stepfather),
                ChildRelationship(child: ChildID(rawValue: "\(f.id)-c2")!, relationship: .stepfather),
                ChildRelationship(child: ChildID(rawValue: "\(f.id)-c3")!, relationship: .father),
            ], actor: actor, now: c.env.now)
        _ = try store.setFatherNotRecorded(
            ChildID(rawValue: "\(f.id)-c1")!, FatherNotRecorded(reason: .noContact), actor: actor, now: c.env.now)
        let family = try store.family(f.id)
        _ = try store.addDecision(
            to: f.id, date: CalendarDate("2026-03-02")!, level: .childInNeed,
            reason: "Care of safety and physical care need work; a plan with the family.", actor: actor, now: c.env.now,
            today: asOf)
        out.line("1. The practitioner records four GCP2 assessments of family \(family.ref)")
        out.line("   (\(family.id)): three children — Kai (14), Mia (7), Ollie (2) — and two")
        out.line("   carers, Jo (mother) and Rob (stepfather).")
        var ids: [AssessmentID] = []
        for (n, date) in dates.enumerated() {
            let a = assessment(n, date: date, family: family)
            let r = try store.record(a, final: true, file: nil, actor: actor, now: c.env.now, today: asOf)
            ids.append(r.assessment.id)
            let covered = r.assessment.carers.compactMap { family.carer($0)?.name.split(separator: " ").first }.joined(
                separator: " and ")
            out.line("   \(r.assessment.id)  \(date)  final, \(r.profiles.count) child profiles, carers covered: \(covered)")
        }
        out.line()

        var env = c.env
        env.variables["GCP2_TODAY"] = asOf.description
        env.variables["GCP2_STORE"] = path
        func step(_ title: String, _ args: [String]) throws {
            out.line(String(repeating: "─", count: 78))
            out.line(title)
            out.line("$ gcp2 \(args.joined(separator: " "))")
            out.line()
            try GCP2CLI.dispatch(args + ["--store", path], out: out, env: env)
            out.line()
        }
        try step(
            "2. The latest assessment, as the practitioner talks it through with the family:\n   grades per area and sub-area, what is going well, what needs to change, and\n   which carer the assessment left out.",
            ["show", ids[3].rawValue, "--child", "\(f.id)-c1", "--child", "\(f.id)-c3"])
        try step(
            "3. The supervisor compares Mia's first and latest assessments — any two, not\n   only the last two.",
            ["compare", ids[0].rawValue, ids[3].rawValue, "--child", "\(f.id)-c2"])
        try step(
            "4. The whole series for the family, siblings side by side: sustained\n   improvement for Mia, drift for Ollie after an improvement was lost, drift\n   for Kai, and the flags a supervisor must act on.",
            ["summary", "--family", f.id.rawValue])
        try step(
            "5. The supervisor's caseload: one line per child, most severe first, flags as\n   codes with a key.",
            ["caseload"])
        try step(
            "6. Before supervision: which children are drifting, longest spell first\n   (`--wide` adds each child's team and more columns).",
            ["caseload", "--flag", "drift", "--sort", "spell"])
        out.line(String(repeating: "─", count: 78))
        // Started from a build folder (`swift run gcp2 demo`): say so, since `gcp2` may not be on the PATH yet.
        let program =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
        let g = program.contains("/.build/") ? "swift run gcp2" : "gcp2"
        out.line("Try it yourself: export GCP2_STORE=\(path), then")
        out.line("  \(g) history \(f.id)-c1")
        out.line("  \(g) show \(ids[0])")
        out.line("or start your own store:")
        out.line("  \(g) --store ./cases init")
        out.line("`\(g) help` lists every command; the README shows how to put gcp2 on")
        out.line("the PATH.")
    }

    /// One invented assessment of all three children following `plan`.
    static func assessment(_ n: Int, date: CalendarDate, family: Family) -> Assessment {
        let inst = Instrument.gcp2Structure
        var profiles: [ProfileRecord] = []
        for child in family.children {
            let key = String(child.id.rawValue.split(separator: "-").last!)
            let grades = plan[key]![n]
            var ratings: [ItemRating] = []
            for (ai, area) in inst.areas.enumerated() {
                for sub in area.subAreas {
                    for item in inst.applicableItems(in: sub, ageMonths: child.born.wholeMonths(to: date)) {
                        ratings.append(
                            ItemRating(
                                item.linkId, .graded(Grade(rawValue: grades[ai])!, evidence: evidence(item.title, grades[ai], n)))
                        )
                    }
                }
            }
            var targets: [Target] = []
            if n == 0 && key == "c2" {
                targets.append(
                    Target(
                        linkId: LinkID("physical.hygiene"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-06-30")!,
                        action: "A washing routine for Mia's clothes, kept on a chart.",
                        owner: TargetOwner(kind: .carer, carer: family.carers[0].id),
                        support: "Family support worker weekly for six weeks."))
            }
            if n == 0 && key == "c1" {
                targets.append(
                    Target(linkId: LinkID("emotional.carer"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-06-30")!))
            }
            if n == 0 && key == "c3" {
                targets.append(
                    Target(linkId: LinkID("safety.presence"), grade: Grade(rawValue: 2)!, reviewBy: CalendarDate("2026-04-30")!))
            }
            let carers = n == 3 ? [family.carers[0].id] : family.carers.map(\.id)
            var p = ProfileRecord(
                childId: child.id, ratings: ratings, targets: targets, seenAlone: true,
                carerViews: [
                    CarerView(
                        carer: carers[0], view: carersViews[key]![n], agrees: key == "c1" ? .no : n > 0 ? .yes : .partly)
                ])
            if key == "c3" {
                p.childViewNotObtained = ChildViewNotObtained(reason: .tooYoung)
                p.dailyLife = "Ollie was seen at tea time and at play; he went to Jo for comfort."
                p.seenAlone = false
                p.notSeenAloneReason = "Too young to be seen apart from his carers."
            } else if key == "c1" && n == 3 {
                p.childViewNotObtained = ChildViewNotObtained(reason: .declined)
            } else {
                p.childView = views[key]![n]
            }
            profiles.append(p)
        }
        let carers = n == 3 ? [family.carers[0].id] : family.carers.map(\.id)
        return Assessment(
            id: AssessmentID(unchecked: "new"), familyId: family.id,
            window: ObservationWindow(start: date.adding(days: -21), end: date),
            visits: [
                Visit(date: date.adding(days: -21), announced: true), Visit(date: date.adding(days: -14), announced: false),
                Visit(date: date.adding(days: -7), announced: true), Visit(date: date, announced: false),
            ],
            assessors: [Assessor(name: "Sam Okafor", role: "social worker", team: "Northfield family support")], carers: carers,
            profiles: profiles)
    }

    static let views: [String: [String]] = [
        "c1": [
            "I mostly stay in my room.", "Nobody really asks how I am.", "I'd rather be at my friend's.",
            "Home is the same as always.",
        ],
        "c2": [
            "I don't like my clothes being dirty.", "Mum helps with my hair now.", "I have my own shelf for my things.",
            "I like my school uniform.",
        ],
    ]

    static let carersViews: [String: [String]] = [
        "c1": [
            "Jo says Kai is a teenager and wants to be left alone.", "Jo finds it hard to get through to Kai.",
            "Jo says Kai spends most evenings out.", "Jo feels Kai is fine and does not need anything from her.",
        ],
        "c2": [
            "Jo is worried but willing to work on Mia's routines.", "Jo says the new washing routine is working.",
            "Jo is proud of how Mia looks for school.", "Jo says the routines are now just how the house runs.",
        ],
        "c3": [
            "Jo and Rob say Ollie is into everything.", "Jo says the stair gate and cupboard locks help.",
            "Jo says Rob minds Ollie more now she works evenings.", "Jo says Ollie is safe with whoever is home.",
        ],
    ]

    static func evidence(_ item: String, _ grade: Int, _ visit: Int) -> String {
        let words = [
            1: "consistently good on every visit", 2: "needs met well on most visits", 3: "met on some visits but not others",
            4: "mostly not met across visits", 5: "not met on any visit",
        ]
        return "\(item): \(words[grade]!) (visit round \(visit + 1))."
    }
}
