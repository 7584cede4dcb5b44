import GCP2Core

/// Reads an assessment document straight from the strict reader's tape, without `Swift.Decoder`: every read of a
/// family's assessments (and `doctor`, which reads them all) went through a decoder per value.
///
/// It reads exactly what `Assessment.init(from:)` reads (without an issue collector) and refuses everything else:
/// a value of an unexpected type, an unknown status, agency or reason, an identifier or date that does not parse,
/// a grade off the scale, a number not written as an integer. A refusal returns nil, and the caller decodes with
/// `TapeDecoder` and `JSONDecoder` as before, so every error shown is still theirs. Tests read every document of
/// generated stores, the fixtures and mutated documents both ways: the two must agree, sources included, or
/// this one must refuse.
struct AssessmentTapeReader {
    let s: TapeState

    struct Refused: Error {}

    /// The assessment, or nil when refused.
    static func read(_ document: ParsedDocument) -> Assessment? {
        guard let state = document.state else { return nil }
        return try? AssessmentTapeReader(s: state).assessment()
    }

    // MARK: The document's types

    func assessment() throws(Refused) -> Assessment {
        let o = try object(0)
        var a = Assessment(
            id: try present("id", o).map { i throws(Refused) in try identifier(AssessmentID.self, i) }
                ?? AssessmentID(unchecked: "new"),
            version: try present("version", o).map(int) ?? 1,
            familyId: try identifier(FamilyID.self, try required("familyId", o)),
            status: try present("status", o).map { i throws(Refused) in try named(AssessmentStatus.self, i) } ?? .draft,
            window: try window(try required("window", o)))
        a.supersedes = try present("supersedes", o).map(int)
        a.reason = try present("reason", o).map(string)
        a.instrument = try present("instrument", o).map(instrument)
        a.visits = try collected("visits", o, visit)
        a.assessors = try collected("assessors", o, assessor)
        a.carers = try collected("carers", o) { i throws(Refused) in try identifier(CarerID.self, i) }
        a.profiles = try collected("profiles", o, profile)
        return a
    }

    func window(_ i: Int) throws(Refused) -> ObservationWindow {
        let o = try object(i)
        return ObservationWindow(start: try date(try required("start", o)), end: try date(try required("end", o)))
    }

    func instrument(_ i: Int) throws(Refused) -> InstrumentRef {
        let o = try object(i)
        return InstrumentRef(
            id: try string(try required("id", o)), version: try string(try required("version", o)),
            digest: try string(try required("digest", o)))
    }

    func visit(_ i: Int) throws(Refused) -> Visit {
        let o = try object(i)
        return Visit(date: try date(try required("date", o)), announced: try bool(try required("announced", o)))
    }

    func assessor(_ i: Int) throws(Refused) -> Assessor {
        let o = try object(i)
        return Assessor(
            name: try string(try required("name", o)), role: try string(try required("role", o)),
            team: try present("team", o).map(string),
            agency: try present("agency", o).map { i throws(Refused) in try named(Agency.self, i) })
    }

    func profile(_ i: Int) throws(Refused) -> ProfileRecord {
        let o = try object(i)
        var p = ProfileRecord(childId: try identifier(ChildID.self, try required("childId", o)))
        (p.ratings, p.sources.ratings, p.sources.unrated) = ProfileRecord.ratings(of: try collected("ratings", o, slot))
        p.grades = try collected("grades", o, levelGrade)
        p.substitutions = try collected("substitutions", o) { i throws(Refused) in
            let m = try object(i)
            return SubstitutionUse(
                subArea: LinkID(try string(try required("subArea", m))), comment: try string(try required("comment", m)))
        }
        p.targets = try collected("targets", o, target)
        p.childView = try present("childView", o).map(string)
        p.childViewNotObtained = try present("childViewNotObtained", o).map { i throws(Refused) in
            let m = try object(i)
            return ChildViewNotObtained(
                reason: try named(ChildViewNotObtained.Reason.self, try required("reason", m)),
                text: try present("text", m).map(string))
        }
        p.dailyLife = try present("dailyLife", o).map(string)
        p.seenAlone = try present("seenAlone", o).map(bool)
        p.notSeenAloneReason = try present("notSeenAloneReason", o).map(string)
        p.carerViews = try present("carerViews", o).map { i throws(Refused) in try array(i, carerView) } ?? []
        return p
    }

    /// A rating as `RatingSlot` reads it: `graded` with a grade absent or null is an item not yet rated.
    func slot(_ i: Int) throws(Refused) -> RatingSlot {
        let o = try object(i)
        let linkId = LinkID(try string(try required("linkId", o)))
        let kind = try string(try required("kind", o))
        let grade = member("grade", o)
        switch kind {
        case "graded":
            guard let g = grade, s.tokens[g].kind != .null else { return RatingSlot(linkId: linkId, rating: nil) }
            let evidence = try present("evidence", o).map(string) ?? ""
            return RatingSlot(linkId: linkId, rating: ItemRating(linkId, .graded(try self.grade(g), evidence: evidence)))
        case "not-applicable", "not-scored":
            guard grade == nil else { throw Refused() }
            let reason = try present("reason", o).map(string) ?? ""
            return RatingSlot(
                linkId: linkId,
                rating: ItemRating(linkId, kind == "not-scored" ? .notScored(reason: reason) : .notApplicable(reason: reason)))
        default: throw Refused()
        }
    }

    func levelGrade(_ i: Int) throws(Refused) -> LevelGrade {
        let o = try object(i)
        return LevelGrade(
            linkId: LinkID(try string(try required("linkId", o))), grade: try present("grade", o).map(grade),
            rationale: try present("rationale", o).map(string), suggested: try present("suggested", o).map(grade),
            rule: try present("rule", o).map(string))
    }

    func target(_ i: Int) throws(Refused) -> Target {
        let o = try object(i)
        return Target(
            linkId: LinkID(try string(try required("linkId", o))), grade: try grade(try required("grade", o)),
            reviewBy: try date(try required("reviewBy", o)), action: try present("action", o).map(string),
            owner: try present("owner", o).map { i throws(Refused) in
                let m = try object(i)
                return TargetOwner(
                    kind: try named(TargetOwner.Kind.self, try required("kind", m)),
                    carer: try present("carer", m).map { i throws(Refused) in try identifier(CarerID.self, i) },
                    name: try present("name", m).map(string))
            },
            support: try present("support", o).map(string))
    }

    func carerView(_ i: Int) throws(Refused) -> CarerView {
        let o = try object(i)
        return CarerView(
            carer: try present("carer", o).map { i throws(Refused) in try identifier(CarerID.self, i) },
            view: try string(try required("view", o)),
            agrees: try present("agrees", o).map { i throws(Refused) in try named(Agreement.self, i) },
            jointly: try present("jointly", o).map(bool))
    }

    // MARK: Values

    /// The object at token `i`.
    func object(_ i: Int) throws(Refused) -> Int {
        guard s.tokens[i].kind == .object else { throw Refused() }
        return i
    }

    /// The value of `key` in object `o`, nil when absent.
    func member(_ key: StaticString, _ o: Int) -> Int? { s.member(key, in: o) }

    /// The value of a key that must be there (null is refused with every other type's value by its reader, as the
    /// value reads below refuse null).
    func required(_ key: StaticString, _ o: Int) throws(Refused) -> Int {
        guard let v = member(key, o) else { throw Refused() }
        return v
    }

    /// The value of an optional key: nil when absent or null (as `decodeIfPresent` reads it).
    func present(_ key: StaticString, _ o: Int) -> Int? {
        guard let v = member(key, o), s.tokens[v].kind != .null else { return nil }
        return v
    }

    func string(_ i: Int) throws(Refused) -> String {
        let t = s.tokens[i]
        guard t.kind == .string else { throw Refused() }
        return JSONTape.string(t, in: s.raw)
    }

    func bool(_ i: Int) throws(Refused) -> Bool {
        switch s.tokens[i].kind {
        case .true: return true
        case .false: return false
        default: throw Refused()
        }
    }

    /// An integer written as one, as `TapeState.integer` reads it.
    func int(_ i: Int) throws(Refused) -> Int {
        let t = s.tokens[i]
        guard t.kind == .number, t.flags & JSONTape.Token.integer != 0 else { throw Refused() }
        var k = Int(t.start)
        let negative = s.raw[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        guard Int(t.end) - k <= 18 else { throw Refused() }
        var v = 0
        while k < Int(t.end) {
            v = v * 10 + Int(s.raw[k] - 0x30)
            k += 1
        }
        return negative ? -v : v
    }

    func grade(_ i: Int) throws(Refused) -> Grade {
        guard let g = Grade(rawValue: try int(i)) else { throw Refused() }
        return g
    }

    func date(_ i: Int) throws(Refused) -> CalendarDate {
        guard let d = CalendarDate(try string(i)) else { throw Refused() }
        return d
    }

    func identifier<T: SafeIdentifier>(_ type: T.Type, _ i: Int) throws(Refused) -> T {
        guard let id = T(rawValue: try string(i)) else { throw Refused() }
        return id
    }

    func named<T: RawRepresentable>(_ type: T.Type, _ i: Int) throws(Refused) -> T where T.RawValue == String {
        guard let value = T(rawValue: try string(i)) else { throw Refused() }
        return value
    }

    /// The elements of the array at token `i`, each read by `element`.
    func array<T>(_ i: Int, _ element: (Int) throws(Refused) -> T) throws(Refused) -> [T] {
        let t = s.tokens[i]
        guard t.kind == .array else { throw Refused() }
        var out: [T] = []
        out.reserveCapacity(Int(t.count))
        var k = i + 1
        for _ in 0..<Int(t.count) {
            out.append(try element(k))
            k = Int(s.tokens[k].next)
        }
        return out
    }

    /// An array read as `decodeCollecting` reads it without a collector: empty when absent or null.
    func collected<T>(_ key: StaticString, _ o: Int, _ element: (Int) throws(Refused) -> T) throws(Refused) -> [T] {
        guard let v = present(key, o) else { return [] }
        return try array(v, element)
    }
}
