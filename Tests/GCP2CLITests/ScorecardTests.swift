import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// `gcp2 scorecard`: every figure against a computation written here from each child's series and review (read
/// through the full index entries and the assessment documents, not the compact entries the command reads), for
/// periods whose ends fall exactly on assessment dates, and the previous period; suppression; CSV read back;
/// Markdown's shape; 80 columns.
@Suite(.tags(.slow)) struct ScorecardTests {
    typealias Figures = [String: (numerator: Int, denominator: Int?)]

    /// What the scorecard should say, computed from scratch.
    static func expected(
        _ store: Store, period: ScorecardPeriod, team: String? = nil, agency: Agency? = nil
    ) throws -> Figures {
        let inst = try store.currentInstrument()
        let policy = store.policy
        let levels = ReviewLevels(inst)
        var n: [String: Int] = [:], d: [String: Int] = [:]
        func share(_ id: String, _ counted: Bool, _ holds: Bool) {
            guard counted else { return }
            d[id, default: 0] += 1
            if holds { n[id, default: 0] += 1 }
        }
        func add(_ id: String, _ k: Int = 1) { n[id, default: 0] += k }
        func needsWork(_ p: ProfileSummary) -> Bool {
            inst.areas.contains { a in p.grade(a.linkId).map { $0.rawValue >= policy.needsWorkFrom } ?? false }
        }
        func worst(_ p: ProfileSummary) -> Int? { inst.areas.compactMap { p.grade($0.linkId)?.rawValue }.max() }
        var documents: [AssessmentID: Assessment] = [:]
        func doc(_ id: AssessmentID) throws -> Assessment {
            if let a = documents[id] { return a }
            let a = try store.assessment(id)
            documents[id] = a
            return a
        }
        func ofTeam(_ id: AssessmentID?) throws -> Bool {
            guard team != nil || agency != nil else { return true }
            guard let id else { return false }
            let assessors = try doc(id).assessors
            if let team, !assessors.contains(where: { $0.team?.lowercased() == team.lowercased() }) { return false }
            if let agency, !assessors.contains(where: { $0.agency == agency }) { return false }
            return true
        }
        for fid in try store.familyIDs() {
            let index = try store.familyIndex(fid)
            let finals = index.effectiveFinals.filter { $0.date <= period.to }
            let family = index.family.family
            let inForce = Decision.inForce(index.allDecisions)
            let end = policy.review(
                family: family, finals: index.effectiveFinals, levels: levels, asOf: period.to, decisions: inForce)
            let familyLatest = finals.max { ($0.date, $0.assessmentId.number ?? 0) < ($1.date, $1.assessmentId.number ?? 0) }
            var familyAssessed = false
            var counted: [ChildReview] = []
            for c in end.children {
                let series = FamilyAssessmentSummary.series(of: c.childId, in: finals)
                guard try ofTeam(series.last?.assessmentId ?? familyLatest?.assessmentId) else { continue }
                counted.append(c)
                let inPeriod = series.filter { period.contains($0.date) }.count
                let earlier = series.filter { $0.date < period.from }.count
                if inPeriod > 0 {
                    familyAssessed = true
                    add("children-assessed")
                    if earlier == 0 { add("first-assessments") }
                }
                add("review-assessments", earlier == 0 ? max(0, inPeriod - 1) : inPeriod)
                // Change from the first to the latest assessment.
                let twice = series.count >= 2
                if twice, let a = worst(series[0]), let b = worst(series.last!) {
                    share("change-overall-worse", true, b > a)
                    share("change-overall-same", true, b == a)
                    share("change-overall-better", true, b < a)
                }
                for area in inst.areas {
                    let g = series.compactMap { $0.grade(area.linkId)?.rawValue }
                    let ok = twice && g.count >= 2
                    let id = area.linkId.rawValue
                    share("change-\(id)-worse", ok, ok && g.last! > g[0])
                    share("change-\(id)-same", ok, ok && g.last! == g[0])
                    share("change-\(id)-better", ok, ok && g.last! < g[0])
                }
                // Needing work at the end.
                let needing = series.last.map(needsWork) ?? false
                share("needing-work", !series.isEmpty, needing)
                share("spell-6-months", needing, (c.currentSpellDays ?? 0) >= 182)
                share("spell-12-months", needing, (c.currentSpellDays ?? 0) >= 365)
                share("recurrent-concern", needing, c.flags.contains(.recurrentConcern))
                share("cumulative-concern", needing, c.flags.contains(.cumulativeConcern))
                share("severe-concern", needing, c.flags.contains(.severeConcern))
                // Reviews: one due after each assessment that, or the one before it, needs work.
                let nw = series.map(needsWork)
                for k in series.indices where nw[k] || (k > 0 && nw[k - 1]) {
                    let due = series[k].date.adding(days: policy.reviewIntervalDays)
                    guard period.contains(due) else { continue }
                    add("reviews-due")
                    share("reviews-on-time", true, k + 1 < series.count && series[k + 1].date <= due)
                }
                let m = series.count
                share(
                    "review-overdue", m > 0 && (nw[m - 1] || (m > 1 && nw[m - 2])),
                    m > 0 && series[m - 1].date.days(to: period.to) > policy.reviewIntervalDays)
                // Practice (issue 14), counted again here from the family and the latest document.
                if let last = series.last {
                    let child = family.child(c.childId)!
                    let fathers = family.carers.filter { $0.relationship(to: child.id) == .father }
                    share("father-not-recorded", true, fathers.isEmpty && child.fatherNotRecorded == nil)
                    let men = family.carers.filter { $0.isMaleCarer(of: child.id) }.map(\.id)
                    let covered = try doc(last.assessmentId).carers
                    share("father-not-included", true, !men.isEmpty && !men.contains(where: covered.contains))
                    let profile = try doc(last.assessmentId).profiles.first { $0.childId == c.childId }
                    share(
                        "child-view-recorded", child.born.wholeMonths(to: last.date) >= policy.childViewFromMonths,
                        !(profile?.childView ?? "").trimmingCharacters(in: .whitespaces).isEmpty)
                    share("seen-alone", true, profile?.seenAlone == true)
                    let decided = Decision.inForce(inForce.filter { $0.date <= period.to }).filter { $0.concerns(c.childId) }.last
                    for level in DecisionLevel.allCases { share("level-\(level.rawValue)", true, decided?.level == level) }
                }
                share("escalation-review-due", needing, c.flags.contains(.escalationReviewDue))
                for t in c.targets where period.contains(t.target.reviewBy) {
                    for s in [TargetStatus.missed, .notReviewed, .met, .open] {
                        share("targets-\(s.rawValue)", true, t.status == s)
                    }
                }
            }
            if familyAssessed { add("families-assessed") }
            if familyLatest != nil {
                for c in counted { share("not-assessed-or-left-out", true, c.notAssessed || c.leftOut) }
            }
            for f in finals where period.contains(f.date) {
                guard try ofTeam(f.assessmentId) else { continue }
                share("unannounced-visit", true, try doc(f.assessmentId).visits.contains { !$0.announced })
                share("multi-agency", true, Set(try doc(f.assessmentId).assessors.compactMap(\.agency)).count > 1)
            }
        }
        let rows = Scorecard.rows(policy: policy, areas: inst.areas.map { ($0.linkId, $0.title) })
        return Dictionary(
            uniqueKeysWithValues: rows.map { r in (r.id, (n[r.id] ?? 0, r.of == nil ? nil : d[r.id] ?? 0)) })
    }

    /// The figures of `scorecard --json`, current and previous.
    static func figures(_ json: String) throws -> (current: Figures, previous: Figures, raw: [[String: Any]]) {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let list = try #require(o["figures"] as? [[String: Any]])
        var cur: Figures = [:], prev: Figures = [:]
        for f in list {
            let id = f["id"] as! String
            for (key, into) in [("current", 0), ("previous", 1)] {
                let v = f[key] as! [String: Any]
                let value = (v["numerator"] as! Int, v["denominator"] as? Int)
                if into == 0 { cur[id] = value } else { prev[id] = value }
            }
        }
        return (cur, prev, list)
    }

    static func compare(_ got: Figures, _ want: Figures, _ label: String) {
        #expect(Set(got.keys) == Set(want.keys), "\(label): figure ids")
        for (id, w) in want {
            let g = got[id]
            #expect(
                g?.numerator == w.numerator && g?.denominator == w.denominator,
                "\(label) \(id): got \(String(describing: g)), want \(w)")
        }
    }

    @Test(arguments: [5, 23] as [UInt64])
    func everyFigureMatchesAnIndependentCount(seed: UInt64) throws {
        let fx = try CLIFixture(populate: false)
        try SyntheticStore(families: 30, seed: seed).write(to: fx.store, now: fixedNow)
        let store = try Store.open(at: fx.store)
        // Periods whose first and last days are assessment dates, and the default (a year to today).
        let dates = try store.familyIDs().flatMap { try store.familyIndex($0).effectiveFinals.map(\.date) }.sorted()
        let mid = dates[dates.count / 2]
        let periods = [
            ScorecardPeriod(from: mid, to: mid.adding(days: 120)), ScorecardPeriod(from: mid.adding(days: -120), to: mid),
            ScorecardPeriod(from: CalendarDate("2025-11-01")!, to: CalendarDate("2026-10-31")!),
        ]
        var nonzero = 0
        for p in periods {
            let r = fx.run(
                ["scorecard", "--from", p.from.description, "--to", p.to.description, "--json"], env: ["GCP2_TODAY": "2026-10-31"]
            )
            #expect(r.code == 0, "\(r.err)")
            let (cur, prev, _) = try Self.figures(r.out)
            let want = try Self.expected(store, period: p)
            Self.compare(cur, want, "\(p.from)…\(p.to)")
            Self.compare(prev, try Self.expected(store, period: p.previous), "previous of \(p.from)…\(p.to)")
            nonzero += want.values.filter { $0.numerator > 0 }.count
            // The previous period has the same length and ends the day before.
            #expect(p.previous.days == p.days && p.previous.to.adding(days: 1) == p.from)
        }
        #expect(nonzero > 60)  // the stores exercise the figures
        // The default period is the twelve months to today.
        let plain = fx.run(["scorecard", "--json"], env: ["GCP2_TODAY": "2026-10-31"])
        let o = try JSONSerialization.jsonObject(with: Data(plain.out.utf8)) as! [String: Any]
        #expect((o["period"] as! [String: String]) == ["from": "2025-11-01", "to": "2026-10-31"])
        // A team's scorecard: its children and its assessments only.
        let team = "Synthetic Team 3"
        let t = fx.run(["scorecard", "--from", "2025-11-01", "--to", "2026-10-31", "--team", team.lowercased(), "--json"])
        #expect(t.code == 0, "\(t.err)")
        let (tc, tp, _) = try Self.figures(t.out)
        let p = periods[2]
        Self.compare(tc, try Self.expected(store, period: p, team: team), "team")
        Self.compare(tp, try Self.expected(store, period: p.previous, team: team), "team, previous")
        // An agency's scorecard, the same way.
        let h = fx.run(["scorecard", "--from", "2025-11-01", "--to", "2026-10-31", "--agency", "health-visiting", "--json"])
        #expect(h.code == 0, "\(h.err)")
        let (hc, hp, _) = try Self.figures(h.out)
        Self.compare(hc, try Self.expected(store, period: p, agency: .healthVisiting), "agency")
        Self.compare(hp, try Self.expected(store, period: p.previous, agency: .healthVisiting), "agency, previous")
        #expect(hc["multi-agency"]!.numerator > 0)
        #expect(tc["children-assessed"]!.numerator < (try Self.figures(plain.out)).current["children-assessed"]!.numerator)
    }

    @Test func formatsSuppressionAndColumns() throws {
        let fx = try CLIFixture(populate: false)
        try SyntheticStore(families: 12, seed: 3).write(to: fx.store, now: fixedNow)
        let env = ["GCP2_TODAY": "2026-10-31"]
        let json = fx.run(["scorecard", "--json"], env: env)
        let (cur, prev, raw) = try Self.figures(json.out)
        // Suppression: counts 1…4 and percentages computed from them become <5; 0 and 5 or more stay.
        let s = fx.run(["scorecard", "--json", "--suppress-below", "5"], env: env)
        let so = try JSONSerialization.jsonObject(with: Data(s.out.utf8)) as! [String: Any]
        #expect(so["suppressBelow"] as? Int == 5)
        var suppressedSeen = 0
        for f in so["figures"] as! [[String: Any]] {
            let id = f["id"] as! String
            for (key, plain) in [("current", cur[id]!), ("previous", prev[id]!)] {
                let v = f[key] as! [String: Any]
                // A count above 4 is shown, or hidden as [c] by secondary suppression (checked below).
                let secondary = v["numerator"] as? String == "[c]"
                func check(_ n: Int?, _ shown: Any?) {
                    guard let n else { return #expect(shown == nil) }
                    if (1...4).contains(n) {
                        #expect(shown as? String == "<5", "\(id) \(key) \(n)")
                        suppressedSeen += 1
                    } else {
                        #expect(shown as? Int == n || (secondary && shown as? String == "[c]"), "\(id) \(key) \(n)")
                    }
                }
                check(plain.numerator, v["numerator"])
                check(plain.denominator, v["denominator"])
                if let d = plain.denominator, d > 0 {
                    let hidden = (1...4).contains(plain.numerator) || (1...4).contains(d)
                    let pct = Int((Double(plain.numerator) * 100 / Double(d)).rounded())
                    if hidden {
                        #expect(v["percent"] as? String == "<5")
                    } else if secondary {
                        #expect(v["percent"] as? String == "[c]")
                    } else {
                        #expect(v["percent"] as? Int == pct)
                    }
                } else {
                    #expect(v["percent"] == nil)
                }
            }
        }
        #expect(suppressedSeen > 0)
        // Secondary suppression: in a group of figures sharing one denominator, a single suppressed count is never
        // left alone to be worked out by subtraction; [c] appears only where that is its reason.
        let figures = so["figures"] as! [[String: Any]]
        var secondarySeen = 0
        for key in ["current", "previous"] {
            var k = 0
            while k < figures.count {
                var group = [k]
                func same(_ a: Int, _ b: Int) -> Bool {
                    guard let of = figures[a]["of"] as? String, !of.isEmpty else { return false }
                    let da = (figures[a][key] as! [String: Any])["denominator"].map { "\($0)" }
                    let db = (figures[b][key] as! [String: Any])["denominator"].map { "\($0)" }
                    return figures[b]["of"] as? String == of
                        && figures[b]["section"] as? String == figures[a]["section"] as? String
                        && da == db
                }
                while group.last! + 1 < figures.count, same(k, group.last! + 1) { group.append(group.last! + 1) }
                k = group.last! + 1
                let shown = group.map { (figures[$0][key] as! [String: Any])["numerator"] }
                let primary = shown.filter { ($0 as? String)?.hasPrefix("<") == true }.count
                let hidden = shown.filter { $0 as? String == "[c]" }.count
                secondarySeen += hidden
                #expect(hidden == 0 || (primary == 1 && hidden == 1), "\(key) group \(group)")
                if primary == 1 && group.count > 1 {
                    let positive = shown.filter { ($0 as? Int).map { $0 > 0 } ?? false }.count
                    #expect(hidden == 1 || positive == 0, "\(key) group \(group): a lone suppressed count")
                }
            }
        }
        #expect(secondarySeen > 0)
        // CSV read back: one row a figure, the same numbers as --json.
        let csv = fx.run(["scorecard", "--format", "csv"], env: env)
        #expect(csv.code == 0)
        let table = Self.readCSV(csv.out)
        #expect(table.first == ScorecardTable.csvColumns)
        #expect(table.count == raw.count + 1)
        for row in table.dropFirst() {
            let rec = Dictionary(uniqueKeysWithValues: zip(table[0], row))
            let id = rec["figure_id"]!
            #expect(Int(rec["numerator"]!) == cur[id]?.numerator, "\(id)")
            #expect(Int(rec["denominator"]!) == cur[id]?.denominator, "\(id)")
            #expect(Int(rec["previous_numerator"]!) == prev[id]?.numerator, "\(id)")
            #expect(rec["from"] == "2025-11-01" && rec["previous_to"] == "2025-10-31")
        }
        #expect(table.contains { $0.contains("assessments with an unannounced visit") })
        // Markdown: a heading, one table a section, six cells a row.
        let md = fx.run(["scorecard", "--format", "markdown", "--suppress-below", "3"], env: env).out
        #expect(md.hasPrefix("## Scorecard: final assessments dated 2025-11-01 to 2026-10-31"))
        #expect(md.components(separatedBy: "\n### ").count - 1 == ScorecardSection.allCases.count)
        let mdRows = md.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(mdRows.allSatisfy { $0.split(separator: "|", omittingEmptySubsequences: false).count == 8 })
        #expect(mdRows.count == raw.count + ScorecardSection.allCases.count)
        // Text: 80 columns, each figure's numbers as n/d and %.
        let text = fx.run(["scorecard"], env: env)
        #expect(text.code == 0)
        #expect(text.out.split(separator: "\n").allSatisfy { Layout.displayWidth(String($0)) <= 80 })
        let n = cur["needing-work"]!
        #expect(text.out.contains("\(n.numerator)/\(n.denominator!)"))
        // Bad input changes nothing and says what was expected.
        #expect(fx.run(["scorecard", "--from", "2026-05-01", "--to", "2026-04-01"]).code == 64)
        #expect(fx.run(["scorecard", "--suppress-below", "0"]).code == 64)
        #expect(fx.run(["scorecard", "--format", "xml"]).code == 64)
    }

    /// A CSV reader for the test: quoted fields with doubled quotes, commas and newlines inside quotes.
    static func readCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let ch = chars.popFirst() {
            if quoted {
                if ch == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(ch)
                }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                row.append(field)
                field = ""
            } else if ch == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(ch)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }
}
