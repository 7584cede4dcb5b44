/// What a final assessment must record besides its grades: facts a practitioner entered, never ones filled in
/// for them (issue 12's "no invented facts").
extension Assessment {
    /// Problems with what an assessment that is to be final records besides grades: at least one visit inside the
    /// observation window; at least one assessor with a name, a role and a team; for each child, their view or why
    /// it could not be obtained (with an observation of daily life for a child too young), and, when they were not
    /// seen alone, why not.
    public func recordingGaps() -> [Issue] {
        var out: [Issue] = []
        let inWindow = visits.filter { $0.date >= window.start && $0.date <= window.end }
        if visits.isEmpty {
            out.append(
                Issue(
                    "visits", "no visit is recorded",
                    expected: "at least one visit (date, announced or not) between \(window.start) and \(window.end)"))
        } else if inWindow.isEmpty {
            out.append(
                Issue(
                    "visits", "no visit falls inside the observation window \(window.start) to \(window.end)",
                    expected: "at least one visit in the window"))
        }
        let complete = assessors.contains {
            !$0.name.trimmingWhitespace.isEmpty && !$0.role.trimmingWhitespace.isEmpty
                && !($0.team ?? "").trimmingWhitespace.isEmpty
        }
        if !complete {
            out.append(
                Issue("assessors", "no assessor is recorded with a name, a role and a team", expected: "at least one"))
        }
        for (i, p) in profiles.enumerated() {
            let path = JSONPath().key("profiles").index(profileSources(i))
            if p.heard == nil {
                out.append(
                    Issue(
                        path["childView"], "neither the child's view nor why it could not be obtained is recorded",
                        expected:
                            "childView, or childViewNotObtained (declined, not-seen-alone, non-verbal, too-young or other)"))
            }
            if p.childViewNotObtained?.reason == .tooYoung && (p.dailyLife ?? "").trimmingWhitespace.isEmpty {
                out.append(
                    Issue(path["dailyLife"], "no observation of the child's daily life", expected: "what was observed"))
            }
            if p.seenAlone == false && (p.notSeenAloneReason ?? "").trimmingWhitespace.isEmpty {
                out.append(Issue(path["notSeenAloneReason"], "no reason the child was not seen alone", expected: "the reason"))
            }
        }
        return out
    }
}
