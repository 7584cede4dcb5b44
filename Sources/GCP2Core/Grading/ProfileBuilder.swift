/// What validation needs to know besides the assessment itself.
public struct AssessmentContext: Sendable {
    public var instrument: ValidatedInstrument
    public var family: Family
    /// Today's date, passed in: the domain has no clock.
    public var today: CalendarDate
    /// Whether every applicable item must be rated and every grade carry evidence (finalising).
    public var requireComplete: Bool
    /// Whether a complete assessment must record its visits and a full assessor (`recordingGaps`); off only when
    /// amending a final assessment recorded before that rule, where the gaps are warnings instead.
    public var requireRecording: Bool
    /// Whether free text is held to its `TextRule`: true for input; false to read what was stored before the
    /// rules existed, which must stay readable.
    public var checksText = true
    /// The age in months from which "too young" is no longer a reason for not having the child's view (the
    /// policy's `childViewFromMonths`).
    public var childViewFromMonths = Policy.default.childViewFromMonths

    public init(
        instrument: ValidatedInstrument, family: Family, today: CalendarDate, requireComplete: Bool,
        requireRecording: Bool = true
    ) {
        self.instrument = instrument
        self.family = family
        self.today = today
        self.requireComplete = requireComplete
        self.requireRecording = requireRecording
    }
}

extension Assessment {
    /// Validates the assessment against its family and instrument and computes every child's profile.
    ///
    /// Every problem is collected in one pass; the error lists them all with their JSON paths.
    public func computeProfiles(in ctx: AssessmentContext) throws(ValidationFailure) -> [Profile] {
        var issues: [Issue] = []
        let root = JSONPath()
        if familyId != ctx.family.id {
            issues.append(Issue("familyId", "assessment is for family \(familyId), not \(ctx.family.id)"))
        }
        if window.start > window.end {
            issues.append(
                Issue("window", "observation starts \(window.start) after it ends \(window.end)", expected: "start ≤ end"))
        }
        if window.end > ctx.today {
            issues.append(Issue("window.end", "date \(window.end) is in the future", expected: "today (\(ctx.today)) or earlier"))
        }
        for (i, v) in visits.enumerated() where v.date > ctx.today {
            issues.append(
                Issue(root.key("visits").index(i)["date"], "visit date \(v.date) is in the future", expected: "today or earlier"))
        }
        for (i, c) in carers.enumerated() where ctx.family.carer(c) == nil {
            issues.append(Issue(root["carers"] + "[\(i)]", "unknown carer \(c)", expected: "a carer of family \(ctx.family.id)"))
        }
        if Set(carers).count != carers.count {
            issues.append(Issue("carers", "a carer is listed twice", expected: "each carer once"))
        }
        let named = assessors.filter { !$0.name.trimmingWhitespace.isEmpty || !$0.role.trimmingWhitespace.isEmpty }
        if ctx.requireComplete && !ctx.requireRecording && named.isEmpty {
            issues.append(Issue("assessors", "no assessor is recorded", expected: "at least one practitioner's name and role"))
        }
        for (i, a) in assessors.enumerated() where a.name.trimmingWhitespace.isEmpty != a.role.trimmingWhitespace.isEmpty {
            issues.append(
                Issue(root.key("assessors").index(i).text, "an assessor needs both a name and a role", expected: "name and role"))
        }
        if ctx.requireComplete && ctx.requireRecording { issues += recordingGaps() }
        if ctx.checksText {
            for (i, a) in assessors.enumerated() {
                let ap = root.key("assessors").index(i)
                for (key, text) in [("name", a.name), ("role", a.role), ("team", a.team ?? "")] {
                    if let issue = TextRule.line.issue(text, at: ap[key]) { issues.append(issue) }
                }
            }
        }
        if profiles.isEmpty {
            issues.append(Issue("profiles", "no child profiles", expected: "one profile per child assessed"))
        }
        var seen: Set<ChildID> = []
        var out: [Profile] = []
        for (pi, record) in profiles.enumerated() {
            let path = root.key("profiles").index(profileSources(pi))
            guard let child = ctx.family.child(record.childId) else {
                issues.append(
                    Issue(path["childId"], "unknown child \(record.childId)", expected: "a child of family \(ctx.family.id)"))
                continue
            }
            if !seen.insert(child.id).inserted {
                issues.append(Issue(path["childId"], "a second profile for child \(child.id)", expected: "one profile per child"))
                continue
            }
            if child.born > date {
                issues.append(
                    Issue(
                        path["childId"],
                        "the assessment date \(date) is before the child's \(child.expected == true ? "expected " : "")birth date \(child.born)",
                        expected: "a child already born (unborn babies are assessed with GCP2A)"))
                continue
            }
            if let p = record.compute(
                child: child, assessment: self, ctx: ctx, path: path, issues: &issues)
            {
                out.append(p)
            }
        }
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return out
    }
}

extension ProfileRecord {
    func compute(
        child: Child, assessment: Assessment, ctx: AssessmentContext, path: JSONPath, issues: inout [Issue]
    ) -> Profile? {
        let inst = ctx.instrument
        let age = child.born.wholeMonths(to: assessment.date)
        let before = issues.count

        checkVoices(child: child, age: age, assessment: assessment, ctx: ctx, path: path, issues: &issues)

        // Ratings: known items, applicable at this age, given once, with evidence or reason.
        var byItem: [LinkID: Rating] = [:]
        for (ri, r) in ratings.enumerated() {
            let rp = path.key("ratings").index(sources.ratings(ri))
            guard case .item(let item, _, _) = inst.node(r.linkId) else {
                issues.append(
                    Issue(
                        rp["linkId"], "unknown item \(quoted(r.linkId.rawValue))",
                        expected: "an item linkId of \(inst.id) \(inst.version)"))
                continue
            }
            if byItem[r.linkId] != nil {
                issues.append(Issue(rp["linkId"], "item \(item.code) is rated twice", expected: "one rating per item"))
                continue
            }
            let applies = item.ages?.contains(months: age) ?? true
            if ctx.checksText {
                switch r.rating {
                case .graded(_, let evidence):
                    if let issue = TextRule.block.issue(evidence, at: rp["evidence"]) { issues.append(issue) }
                case .notApplicable(let reason), .notScored(let reason):
                    if let issue = TextRule.block.issue(reason, at: rp["reason"]) { issues.append(issue) }
                }
            }
            switch r.rating {
            case .graded(_, let evidence):
                if !applies {
                    issues.append(
                        Issue(
                            rp["grade"], "item \(item.code) does not apply at the child's age (\(age) months)",
                            expected: "no rating, or not-applicable"))
                }
                if ctx.requireComplete && evidence.trimmingWhitespace.isEmpty {
                    issues.append(
                        Issue(rp["evidence"], "grade for \(item.code) has no evidence", expected: "evidence text for every grade")
                    )
                }
            case .notApplicable(let reason), .notScored(let reason):
                if reason.trimmingWhitespace.isEmpty {
                    issues.append(Issue(rp["reason"], "no reason given for \(item.code)", expected: "a reason"))
                }
            }
            byItem[r.linkId] = r.rating
        }

        for (id, index) in sources.unrated {
            guard case .item? = inst.node(id) else {
                issues.append(
                    Issue(
                        path.key("ratings").index(index)["linkId"], "unknown item \(quoted(id.rawValue))",
                        expected: "an item linkId of \(inst.id) \(inst.version)"))
                continue
            }
        }

        var confirmations: [LinkID: (LevelGrade, Int)] = [:]
        for (gi, g) in grades.enumerated() {
            let gp = path.key("grades").index(sources.grades(gi))
            if ctx.checksText, let issue = TextRule.block.issue(g.rationale ?? "", at: gp["rationale"]) { issues.append(issue) }
            switch inst.node(g.linkId) {
            case .area?, .subArea?:
                if confirmations[g.linkId] != nil {
                    issues.append(Issue(gp["linkId"], "\(g.linkId) is confirmed twice", expected: "one grade per level"))
                }
                confirmations[g.linkId] = (g, gi)
            default:
                issues.append(
                    Issue(
                        gp["linkId"], "\(quoted(g.linkId.rawValue)) is not a sub-area or area",
                        expected: "a sub-area or area linkId"))
            }
        }
        var substituted: [LinkID: String] = [:]
        for (si, s) in substitutions.enumerated() {
            let sp = path.key("substitutions").index(sources.substitutions(si))
            guard inst.substitution(for: s.subArea) != nil else {
                issues.append(
                    Issue(
                        sp["subArea"], "\(quoted(s.subArea.rawValue)) has no substitution rule in \(inst.id)",
                        expected: "a sub-area the instrument allows to be substituted"))
                continue
            }
            if ctx.checksText, let issue = TextRule.block.issue(s.comment, at: sp["comment"]) { issues.append(issue) }
            if s.comment.trimmingWhitespace.isEmpty {
                issues.append(
                    Issue(sp["comment"], "substitution for \(s.subArea) has no comment", expected: "a comment saying why"))
            }
            substituted[s.subArea] = s.comment
        }
        for (ti, t) in targets.enumerated() {
            let tp = path.key("targets").index(sources.targets(ti))
            switch inst.node(t.linkId) {
            case .item?, .subArea?: break
            default:
                issues.append(
                    Issue(
                        tp["linkId"], "target for unknown item \(quoted(t.linkId.rawValue))",
                        expected: "an item or sub-area linkId"))
            }
            if t.reviewBy <= assessment.date {
                issues.append(
                    Issue(
                        tp["reviewBy"], "review date \(t.reviewBy) is not after the assessment \(assessment.date)",
                        expected: "a later date"))
            }
            if t.grade == .worst {
                issues.append(Issue(tp["grade"], "a target of grade 5 sets no improvement", expected: "a target grade of 1 to 4"))
            }
            checkPlan(t, at: tp, family: ctx.family, checksText: ctx.checksText, issues: &issues)
        }

        // Compute, substituted sub-areas last so their source is ready.
        var subResults: [LinkID: SubAreaResult] = [:]
        var completeness = Completeness(applicable: 0, rated: 0, notApplicable: 0, notScored: 0, missing: 0)
        func confirm(_ id: LinkID, suggested: Grade?, at code: String, issues: inout [Issue]) -> (Grade?, Bool, String?) {
            guard let (c, gi) = confirmations[id], let chosen = c.grade else { return (suggested, false, nil) }
            // A grade written back by `recording` that merely accepted the rule follows the rule when re-computed.
            if c.suggested != nil && c.suggested == chosen && (c.rationale ?? "").isEmpty { return (suggested, false, nil) }
            let overridden = chosen != suggested
            let rationale = c.rationale?.trimmingWhitespace ?? ""
            if overridden && rationale.isEmpty {
                issues.append(
                    Issue(
                        path.key("grades").index(sources.grades(gi))["rationale"],
                        "\(code) confirmed as \(chosen) but the rule suggests \(suggested.map(String.init(describing:)) ?? "no grade")",
                        expected: "a rationale for the override"))
            }
            return (chosen, overridden, overridden ? c.rationale : nil)
        }
        let allSubs = inst.areas.flatMap(\.subAreas)
        for sub in allSubs.filter({ substituted[$0.linkId] == nil }) + allSubs.filter({ substituted[$0.linkId] != nil }) {
            var items: [ItemResult] = []
            var graded: [Grade] = []
            for item in sub.items {
                let applies = item.ages?.contains(months: age) ?? true
                let rating = byItem[item.linkId]
                guard applies || rating != nil else { continue }
                if applies { completeness.applicable += 1 }
                switch rating {
                case .graded(let g, _)?:
                    graded.append(g)
                    completeness.rated += 1
                case .notApplicable?: completeness.notApplicable += 1
                case .notScored?: completeness.notScored += 1
                case nil:
                    completeness.missing += 1
                    if ctx.requireComplete && substituted[sub.linkId] == nil {
                        issues.append(
                            Issue(
                                path["ratings"], "item \(item.code) \(item.title) has no rating",
                                expected: "a rating for every item that applies"))
                    }
                }
                items.append(
                    ItemResult(
                        linkId: item.linkId, code: item.code, title: item.title, rating: rating,
                        band: rating?.grade.map(inst.bands.band(of:))))
            }
            var suggested = inst.rule(for: sub).apply(graded)
            var rule = inst.rule(for: sub).rawValue
            var from: LinkID?
            if substituted[sub.linkId] != nil, let s = inst.substitution(for: sub.linkId) {
                suggested = subResults[s.from]?.result.confirmed
                rule = "substitution"
                from = s.from
            }
            let (confirmed, overridden, rationale) = confirm(sub.linkId, suggested: suggested, at: sub.code, issues: &issues)
            subResults[sub.linkId] = SubAreaResult(
                result: LevelResult(
                    linkId: sub.linkId, code: sub.code, title: sub.title, suggested: suggested, rule: rule,
                    confirmed: confirmed, overridden: overridden, rationale: rationale, substitutedFrom: from,
                    substitutionComment: substituted[sub.linkId], band: confirmed.map(inst.bands.band(of:))),
                items: items)
        }
        var areaResults: [AreaResult] = []
        for area in inst.areas {
            let subs = area.subAreas.compactMap { subResults[$0.linkId] }
            let suggested = inst.rule(for: area).apply(subs.compactMap(\.result.confirmed))
            let (confirmed, overridden, rationale) = confirm(area.linkId, suggested: suggested, at: area.code, issues: &issues)
            areaResults.append(
                AreaResult(
                    result: LevelResult(
                        linkId: area.linkId, code: area.code, title: area.title, suggested: suggested,
                        rule: inst.rule(for: area).rawValue, confirmed: confirmed, overridden: overridden,
                        rationale: rationale, substitutedFrom: nil, substitutionComment: nil,
                        band: confirmed.map(inst.bands.band(of:))),
                    subAreas: subs))
        }
        guard issues.count == before else { return nil }

        var disproportionate: [DisproportionateItem] = []
        var strengths: [LinkID] = [], borderline: [LinkID] = [], concerns: [LinkID] = []
        for s in areaResults.flatMap(\.subAreas) {
            switch s.result.band {
            case .strength?: strengths.append(s.result.linkId)
            case .borderline?: borderline.append(s.result.linkId)
            case .concern?: concerns.append(s.result.linkId)
            case nil: break
            }
            guard let sg = s.result.confirmed else { continue }
            for i in s.items {
                if let g = i.rating?.grade, g.rawValue - sg.rawValue >= 2 {
                    disproportionate.append(DisproportionateItem(linkId: i.linkId, grade: g, subAreaGrade: sg))
                }
            }
        }
        return Profile(
            childId: child.id, assessmentId: assessment.id, version: assessment.version, date: assessment.date,
            ageMonths: age, instrument: inst.reference, areas: areaResults, completeness: completeness,
            disproportionate: disproportionate, strengths: strengths, borderline: borderline, concerns: concerns,
            targets: targets)
    }
}

extension Assessment {
    /// A copy whose profiles carry the computed suggested and confirmed grades for every level.
    public func recording(_ computed: [Profile], instrument: InstrumentRef) -> Assessment {
        var copy = self
        copy.instrument = instrument
        let byChild = Dictionary(uniqueKeysWithValues: computed.map { ($0.childId, $0) })
        for i in copy.profiles.indices {
            guard let p = byChild[copy.profiles[i].childId] else { continue }
            var levels: [LevelGrade] = []
            for a in p.areas {
                for r in [a.result] + a.subAreas.map(\.result) {
                    levels.append(
                        LevelGrade(
                            linkId: r.linkId, grade: r.confirmed, rationale: r.rationale, suggested: r.suggested, rule: r.rule))
                }
            }
            copy.profiles[i].grades = levels.sorted { $0.linkId < $1.linkId }
            copy.profiles[i].ratings.sort { $0.linkId < $1.linkId }
            copy.profiles[i].substitutions.sort { $0.subArea < $1.subArea }
        }
        copy.profiles.sort { $0.childId < $1.childId }
        copy.assessors.removeAll { $0.name.trimmingWhitespace.isEmpty && $0.role.trimmingWhitespace.isEmpty }
        for i in copy.assessors.indices where copy.assessors[i].team?.trimmingWhitespace.isEmpty == true {
            copy.assessors[i].team = nil
        }
        for i in copy.profiles.indices {
            if copy.profiles[i].childView?.trimmingWhitespace.isEmpty == true { copy.profiles[i].childView = nil }
            if copy.profiles[i].dailyLife?.trimmingWhitespace.isEmpty == true { copy.profiles[i].dailyLife = nil }
            copy.profiles[i].carerViews.removeAll { $0.view.trimmingWhitespace.isEmpty && $0.agrees == nil }
            if copy.profiles[i].notSeenAloneReason?.trimmingWhitespace.isEmpty == true {
                copy.profiles[i].notSeenAloneReason = nil
            }
            copy.profiles[i].carerViews.sort { ($0.carer?.rawValue ?? "") < ($1.carer?.rawValue ?? "") }
        }
        copy.carers.sort()
        copy.visits.sort { $0.date < $1.date }
        return copy
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
