/// What a final assessment must record besides its grades: facts a practitioner entered, never ones filled in
/// for them (issue 12's "no invented facts").
extension Assessment {
    /// Problems with the visits and assessors of an assessment that is to be final: at least one visit inside the
    /// observation window, and at least one assessor with a name, a role and a team.
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
        return out
    }
}
