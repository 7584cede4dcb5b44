/// The checks on what a profile records of the child's voice, the carers' views and the plan, made for drafts and
/// finals alike; what a final must record besides is in `RecordingRules.swift`.
extension ProfileRecord {
    func checkVoices(
        child: Child, age: Int, assessment: Assessment, ctx: AssessmentContext, path: JSONPath, issues: inout [Issue]
    ) {
        if ctx.checksText {
            let texts = [
                ("childView", childView), ("dailyLife", dailyLife), ("notSeenAloneReason", notSeenAloneReason),
            ]
            for (key, text) in texts {
                if let issue = TextRule.block.issue(text ?? "", at: path[key]) { issues.append(issue) }
            }
            if let issue = TextRule.block.issue(childViewNotObtained?.text ?? "", at: path.key("childViewNotObtained")["text"]) {
                issues.append(issue)
            }
        }
        if let why = childViewNotObtained {
            let wp = path.key("childViewNotObtained")
            if let v = childView, !v.trimmingWhitespace.isEmpty {
                issues.append(
                    Issue(
                        wp.text, "both the child's view and a reason it could not be obtained are given",
                        expected: "the view, or the reason, not both"))
            }
            if why.reason == .tooYoung && age >= ctx.childViewFromMonths {
                issues.append(
                    Issue(
                        wp["reason"],
                        "the child is \(age) months old; \"too young\" applies under \(ctx.childViewFromMonths) months",
                        expected: "the child's view, or declined, not-seen-alone, non-verbal or other"))
            }
            if (why.reason == .other || why.reason == .nonVerbal) && (why.text ?? "").trimmingWhitespace.isEmpty {
                issues.append(
                    Issue(
                        wp["text"], "no text for \(why.reason.rawValue)",
                        expected: why.reason == .nonVerbal
                            ? "how the child's experience was understood" : "what the reason was"))
            }
        }
        var seen: Set<CarerID> = []
        for (i, v) in carerViews.enumerated() {
            let vp = path.key("carerViews").index(i)
            if ctx.checksText, let issue = TextRule.block.issue(v.view, at: vp["view"]) { issues.append(issue) }
            // A template's blank entry (no view, no answer) is not a view; recording drops it.
            if v.view.trimmingWhitespace.isEmpty && v.agrees == nil { continue }
            guard let carer = v.carer else {
                if v.jointly != true {
                    issues.append(Issue(vp["carer"], "no carer named", expected: "a carer the assessment covers"))
                }
                continue
            }
            if !assessment.carers.contains(carer) {
                issues.append(
                    Issue(vp["carer"], "carer \(carer) is not covered by this assessment", expected: "a carer listed in carers"))
            }
            if !seen.insert(carer).inserted {
                issues.append(Issue(vp["carer"], "a second view of carer \(carer)", expected: "one view per carer"))
            }
        }
    }

    func checkPlan(_ t: Target, at tp: JSONPath, family: Family, checksText: Bool, issues: inout [Issue]) {
        if checksText {
            for (key, text) in [("action", t.action), ("support", t.support), ("owner.name", t.owner?.name)] {
                if let issue = TextRule.line.issue(text ?? "", at: tp.key(key).text) { issues.append(issue) }
            }
        }
        guard let owner = t.owner else { return }
        switch owner.kind {
        case .carer:
            if owner.carer.flatMap(family.carer) == nil {
                issues.append(
                    Issue(
                        tp.key("owner")["carer"], owner.carer.map { "unknown carer \($0)" } ?? "no carer named",
                        expected: "a carer of family \(family.id)"))
            }
        case .agency, .worker:
            if (owner.name ?? "").trimmingWhitespace.isEmpty {
                issues.append(
                    Issue(
                        tp.key("owner")["name"], "no \(owner.kind.rawValue) named", expected: "the \(owner.kind.rawValue)'s name")
                )
            }
        }
    }
}

extension Target {
    /// The target's plan in words — "action: …; by: Jo Hartley (carer); support: …" — empty when none is recorded.
    public func planWords(in family: Family) -> String {
        var parts: [String] = []
        if let a = action, !a.isEmpty { parts.append("action: \(a)") }
        if let o = owner {
            let who =
                switch o.kind {
                case .carer: o.carer.map { id in family.carer(id).map { "\($0.name) (carer)" } ?? id.rawValue } ?? "a carer"
                case .agency: "\(o.name ?? "") (agency)"
                case .worker: "\(o.name ?? "") (worker)"
                }
            parts.append("by: \(who)")
        }
        if let s = support, !s.isEmpty { parts.append("support: \(s)") }
        return parts.joined(separator: "; ")
    }
}

extension ChildViewNotObtained {
    /// "declined", "non-verbal: understood through play".
    public var words: String {
        let reason = self.reason.rawValue.replacingOccurrences(of: "-", with: " ")
        return (text ?? "").isEmpty ? reason : "\(reason): \(text!)"
    }
}
