import Foundation
import GCP2Core
import GCP2Store

/// A seeded SplitMix64 generator, so a seed always gives the same store.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed ^ 0x6A09_E667_F3BC_C908 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
}

/// Builds synthetic stores of invented families through the store's own API.
public struct SyntheticStore {
    /// "Today" for every generated store: the last assessment is before it.
    public static let today = CalendarDate("2026-10-31")!

    public var families: Int
    public var seed: UInt64

    public init(families: Int, seed: UInt64) {
        self.families = families
        self.seed = seed
    }

    /// The id of family number `i` (0-based): `f-` and six characters, deterministic.
    public static func familyID(_ i: Int) -> FamilyID {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var n = i
        var chars: [Character] = []
        for _ in 0..<6 {
            chars.append(alphabet[n % alphabet.count])
            n /= alphabet.count
        }
        return FamilyID(rawValue: "f-" + String(chars.reversed()))!
    }

    /// Writes the store at `path`; `progress` is called with the number of families written so far.
    public func write(to path: String, now: Date, progress: (Int) -> Void = { _ in }) throws {
        let store = try Store.create(at: path, now: now)
        for i in 0..<families {
            var rng = SeededRandom(seed: seed &* 1_000_003 &+ UInt64(i))
            let (family, versions, decisions) = Self.makeFamily(i, rng: &rng)
            try store.importFamily(
                family, versions: versions, decisions: decisions, allowRecordingGaps: true, actor: "gcp2-synth", now: now,
                today: Self.today)
            if (i + 1) % 250 == 0 || i + 1 == families { progress(i + 1) }
        }
    }

    static let first = [
        "Ari", "Bea", "Cal", "Dani", "Eli", "Fen", "Gus", "Hana", "Ivo", "Jem", "Kit", "Lior", "Mo", "Nell", "Oz", "Pip", "Quin",
        "Ren", "Sky", "Tam", "Uma", "Vic", "Wren", "Yan", "Zed",
    ]
    static let last = [
        "Ashdown", "Brack", "Colbey", "Dunmore", "Eskett", "Farrow", "Gilmot", "Harlby", "Ivesley", "Jarrow", "Kettle", "Lumley",
        "Morrow", "Nettleby", "Orley", "Pellow",
    ]
    static let words = [
        "meals", "routine", "visit", "kitchen", "bedroom", "school", "clinic", "appointment", "clothing", "washing",
        "supervision", "garden", "stairs", "homework", "bedtime", "breakfast", "play", "reading", "praise", "limits",
        "warmth", "attention", "friends", "phone", "evening", "weekend", "heating", "bedding", "teeth", "uniform",
    ]

    /// Evidence text of 100–300 characters.
    static func evidence(_ rng: inout SeededRandom, grade: Int) -> String {
        let target = rng.int(100...300)
        var s = "Grade \(grade) on this visit:"
        while s.count < target { s += " " + rng.pick(words) }
        return String(s.prefix(target))
    }

    /// The area grade pattern of one area that needs work, over `n` assessments.
    static func pattern(_ rng: inout SeededRandom, n: Int) -> [Int] {
        switch rng.int(0...9) {
        case 0, 1: return (0..<n).map { max(2, 4 - $0) }  // sustained improvement
        case 2, 3: return (0..<n).map { $0 == 0 ? 4 : $0 == 1 ? 2 : 3 }  // improvement reached, then lost
        case 4, 5: return Array(repeating: rng.int(3...4), count: n)  // drift
        case 6: return (0..<n).map { min(5, 2 + $0) }  // deteriorating
        case 7, 8: return (0..<n).map { $0 == 0 ? 3 : 2 }  // improved to a strength and held
        default: return (0..<n).map { _ in rng.int(2...3) }  // fluctuating around borderline
        }
    }

    /// One child's four area patterns: most areas a stable strength, a few needing work.
    static func childPatterns(_ rng: inout SeededRandom, areas: Int, n: Int) -> [[Int]] {
        let roll = rng.int(0...19)
        let troubled = roll < 8 ? 0 : roll < 15 ? 1 : roll < 19 ? 2 : 3
        var which = Set<Int>()
        while which.count < min(troubled, areas) { which.insert(rng.int(0...(areas - 1))) }
        return (0..<areas).map { a in which.contains(a) ? pattern(&rng, n: n) : Array(repeating: rng.int(1...2), count: n) }
    }

    static func makeFamily(_ i: Int, rng: inout SeededRandom) -> (Family, [Assessment], [Decision]) {
        let inst = Instrument.gcp2Structure
        let id = familyID(i)
        let surname = rng.pick(last)
        var family = Family(id: id, ref: String(format: "SYN-%06d", i + 1))
        // Assessment dates: spread over up to three years, the last before today.
        let span = rng.int(0...(3 * 365 - 30))
        let lastDay = today.adding(days: -rng.int(1...200))
        let firstDay = lastDay.adding(days: -span)
        let n = rng.int(1...6)
        var dates = (0..<n).map { k in n == 1 ? lastDay : firstDay.adding(days: span * k / (n - 1)) }
        // A child has at most one final assessment per date: over a short span, step earlier ones back a day.
        for k in stride(from: n - 2, through: 0, by: -1) where dates[k] >= dates[k + 1] {
            dates[k] = dates[k + 1].adding(days: -1)
        }
        for _ in 0..<rng.int(1...4) {
            let born = firstDay.adding(days: -rng.int(120...(17 * 365)))
            family.children.append(Child(id: family.nextChildID, name: "\(rng.pick(first)) \(surname)", born: born))
        }
        let relationships: [Relationship] = [.mother, .father, .stepfather, .mothersPartner, .grandparent, .kinshipCarer]
        for k in 0..<rng.int(1...3) {
            var carer = Carer(
                id: family.nextCarerID, name: "\(rng.pick(first)) \(k == 0 ? surname : rng.pick(last))",
                relationship: k == 0 ? .mother : rng.pick(relationships))
            if carer.relationship == .mothersPartner || carer.relationship == .grandparent {
                carer.gender = rng.pick([.male, .female])
            }
            // A blended family: a stepfather to the older children is the father of the youngest.
            if carer.relationship == .stepfather && family.children.count > 1 && rng.chance(0.3) {
                let youngest = family.children.max { $0.born < $1.born }!.id
                carer.children = family.children.map {
                    ChildRelationship(child: $0.id, relationship: $0.id == youngest ? .father : .stepfather)
                }
            }
            family.carers.append(carer)
        }
        // A father living elsewhere, now and then; for the rest, a reason no father is recorded, or (often) none.
        if rng.chance(0.15) {
            family.carers.append(
                Carer(
                    id: family.nextCarerID, name: "\(rng.pick(first)) \(rng.pick(last))", relationship: .father,
                    livesWithChildren: false))
        }
        for k in family.children.indices
        where !family.carers.contains(where: { $0.relationship(to: family.children[k].id) == .father }) {
            if rng.chance(0.35) {
                family.children[k].fatherNotRecorded = FatherNotRecorded(
                    reason: rng.pick([.unknown, .deceased, .noContact, .other]), text: "Recorded at referral.")
            }
        }
        var patterns: [ChildID: [[Int]]] = [:]
        for c in family.children { patterns[c.id] = childPatterns(&rng, areas: inst.areas.count, n: n) }
        // Now and then the oldest of several children is never assessed ("teenagers can be missed").
        let missed = family.children.count > 1 && rng.chance(0.08) ? family.children.min { $0.born < $1.born }?.id : nil

        var versions: [Assessment] = []
        for (k, date) in dates.enumerated() {
            let aid = AssessmentID(rawValue: "\(id)-a\(k + 1)")!
            var profiles: [ProfileRecord] = []
            // Fathers living elsewhere are seldom covered; now and then a household carer is left out too.
            var carers = family.carers.filter { $0.livesWithChildren || rng.chance(0.3) }.map(\.id)
            if carers.count > 1 && rng.chance(0.3) { carers.removeLast() }
            for child in family.children where child.born <= date && child.id != missed {
                let age = child.born.wholeMonths(to: date)
                var ratings: [ItemRating] = []
                var targets: [Target] = []
                for (ai, area) in inst.areas.enumerated() {
                    let g = patterns[child.id]![ai][k]
                    for sub in area.subAreas {
                        for item in inst.applicableItems(in: sub, ageMonths: age) {
                            let grade = min(5, max(1, g + (rng.chance(0.08) ? rng.int(-1...1) : 0)))
                            if rng.chance(0.01) {
                                ratings.append(ItemRating(item.linkId, .notScored(reason: "Not seen during the visits.")))
                            } else {
                                ratings.append(
                                    ItemRating(
                                        item.linkId, .graded(Grade(rawValue: grade)!, evidence: evidence(&rng, grade: grade))))
                            }
                        }
                        if g >= 3 && rng.chance(0.1) {
                            var t = Target(linkId: sub.linkId, grade: Grade(rawValue: g - 1)!, reviewBy: date.adding(days: 120))
                            if rng.chance(0.7) {
                                t.action = "Agree a daily \(rng.pick(words)) plan and keep to it."
                                t.owner =
                                    rng.chance(0.6)
                                    ? TargetOwner(kind: .carer, carer: family.carers[0].id)
                                    : TargetOwner(kind: .agency, name: rng.pick(["health visiting", "early help", "school"]))
                                t.support = rng.chance(0.7) ? "Weekly family support visits." : nil
                            }
                            targets.append(t)
                        }
                    }
                }
                profiles.append(
                    voices(
                        ProfileRecord(childId: child.id, ratings: ratings, targets: targets), age: age, carers: carers,
                        rng: &rng))
            }
            if profiles.isEmpty { continue }
            var a = Assessment(
                id: aid, familyId: id, status: .final,
                window: ObservationWindow(start: date.adding(days: -rng.int(14...28)), end: date),
                visits: [Visit(date: date.adding(days: -10), announced: true), Visit(date: date, announced: rng.chance(0.4))],
                assessors: [
                    Assessor(
                        name: "\(rng.pick(first)) \(rng.pick(last))", role: "social worker",
                        team: "Synthetic team \(rng.int(1...9))", agency: rng.chance(0.8) ? .childrensSocialCare : nil)
                ]
                    + (rng.chance(0.3)
                        ? [
                            Assessor(
                                name: "\(rng.pick(first)) \(rng.pick(last))", role: "health visitor", agency: .healthVisiting)
                        ] : []),
                carers: carers, profiles: profiles)
            versions.append(a)
            if rng.chance(0.05) {
                a.version = 2
                a.status = .amended
                a.supersedes = 1
                a.reason = "Evidence for one item corrected after supervision."
                if case .graded(let g, _)? = a.profiles[0].ratings.first?.rating {
                    a.profiles[0].ratings[0].rating = .graded(
                        g, evidence: String(("Corrected: " + evidence(&rng, grade: g.rawValue)).prefix(300)))
                }
                versions.append(a)
            }
            if rng.chance(0.03) {
                a.version += 1
                a.supersedes = a.version - 1
                a.status = .enteredInError
                a.reason = "Recorded against the wrong family."
                versions.append(a)
            }
        }
        return (family, versions, decisions(family, dates: dates, patterns: patterns, rng: &rng))
    }

    /// The child's voice, seen alone and the carers' views, with the gaps practice leaves: a view missing with no
    /// reason for about a quarter of the children old enough, not seen alone now and then, carers' views often
    /// unrecorded.
    static func voices(_ p: ProfileRecord, age: Int, carers: [CarerID], rng: inout SeededRandom) -> ProfileRecord {
        var p = p
        if age < Policy.default.childViewFromMonths {
            if rng.chance(0.7) {
                p.childViewNotObtained = ChildViewNotObtained(reason: .tooYoung)
                p.dailyLife = "Observed at \(rng.pick(["bath time", "a meal", "play", "bedtime"])) with the carer."
            }
        } else {
            let roll = rng.int(0...99)
            if roll < 55 {
                p.childView = "Things at home are \(rng.pick(["fine", "hard", "better", "the same"]))."
            } else if roll < 65 {
                p.childViewNotObtained = ChildViewNotObtained(reason: .declined)
            } else if roll < 73 {
                p.childViewNotObtained = ChildViewNotObtained(reason: .notSeenAlone)
            } else if roll < 75 {
                p.childViewNotObtained = ChildViewNotObtained(
                    reason: .nonVerbal, text: "Understood through play and how the child responded to each carer.")
            }
        }
        switch rng.int(0...19) {
        case 0...13: p.seenAlone = true
        case 14...16:
            p.seenAlone = false
            p.notSeenAloneReason = "The carer stayed in the room."
        default: break
        }
        p.carerViews = carers.compactMap { c in
            rng.chance(0.7)
                ? CarerView(
                    carer: c, view: "Sees it as \(rng.pick(["fair", "unfair", "mostly right"])).",
                    agrees: rng.pick([.yes, .no, .partly]))
                : nil
        }
        return p
    }

    /// Now and then a decision after an assessment that needs work, and occasionally one corrected.
    static func decisions(
        _ family: Family, dates: [CalendarDate], patterns: [ChildID: [[Int]]], rng: inout SeededRandom
    ) -> [Decision] {
        var out: [Decision] = []
        for (k, date) in dates.enumerated() {
            let needing = family.children.filter { c in patterns[c.id]?.contains { $0[k] >= 3 } ?? false }
            guard !needing.isEmpty, rng.chance(0.25) else { continue }
            let id = DecisionID(rawValue: "\(family.id)-d\(out.count + 1)")!
            out.append(
                Decision(
                    id: id, familyId: family.id, date: date.adding(days: 7),
                    level: rng.pick([.earlyHelp, .childInNeed, .childProtection, .continue, .stepDown]),
                    reason: "Decided at the review meeting.", children: rng.chance(0.5) ? [] : needing.map(\.id).sorted()))
            if rng.chance(0.05) {
                out.append(
                    Decision(
                        id: DecisionID(rawValue: "\(family.id)-d\(out.count + 1)")!, familyId: family.id,
                        date: date.adding(days: 8), level: .childInNeed, reason: "Level recorded wrongly; corrected.",
                        children: out.last!.children, supersedes: id))
            }
        }
        return out.filter { $0.date <= today }
    }
}
