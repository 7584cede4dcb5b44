import Foundation
import GCP2Core

extension CaseloadEntry {
    /// Reads an entry straight from the strict reader's token table (the caseload's hot path: no tree, no
    /// dictionary); nil for anything that is not exactly an entry as `gcp2` writes one — a key of the wrong type,
    /// a `null`, a plan on a target, pending drafts — in which case the caller falls back to the generic decoder and
    /// its located errors. Keys it does not know are skipped, as `JSONDecoder` skips them.
    static func fastDecode(_ data: Data) -> CaseloadEntry? {
        data.withUnsafeBytes { raw -> CaseloadEntry? in
            guard let tape = try? JSONTape.parse(raw) else { return nil }
            return tape.tokens.withUnsafeBufferPointer { EntryReader(t: $0, b: raw).entry() }
        }
    }

    init(schemaVersion: Int, family: IndexedFamily, levels: String, finals: [Final], decisions: [Decision]?) {
        self.schemaVersion = schemaVersion
        self.family = family
        self.levels = levels
        self.finals = finals
        self.decisions = decisions
    }
}

/// A reader over one parsed entry's tokens. Every function returns nil when the value is not of the expected
/// kind, and the whole entry is then declined.
private struct EntryReader {
    let t: UnsafeBufferPointer<JSONTape.Token>
    let b: UnsafeRawBufferPointer

    /// Calls `body` with each member's key bytes and value token; false from `body` stops and declines.
    func members(_ i: Int, _ body: (UnsafeRawBufferPointer, Int) -> Bool) -> Bool {
        guard t[i].kind == .object else { return false }
        var k = i + 1
        for _ in 0..<Int(t[i].count) {
            let key = t[k]
            // The store writes plain ASCII keys; an escaped key is left to the generic decoder.
            guard key.flags & JSONTape.Token.escaped == 0 else { return false }
            let v = k + 1
            guard body(UnsafeRawBufferPointer(rebasing: b[Int(key.start)..<Int(key.end)]), v) else { return false }
            k = Int(t[v].next)
        }
        return true
    }

    /// The elements of array `i`, each read by `read`; nil if it is not an array or an element is declined.
    func array<T>(_ i: Int, _ read: (Int) -> T?) -> [T]? {
        guard t[i].kind == .array else { return nil }
        var out: [T] = []
        out.reserveCapacity(Int(t[i].count))
        var k = i + 1
        for _ in 0..<Int(t[i].count) {
            guard let x = read(k) else { return nil }
            out.append(x)
            k = Int(t[k].next)
        }
        return out
    }

    func string(_ i: Int) -> String? { t[i].kind == .string ? JSONTape.string(t[i], in: b) : nil }

    func bool(_ i: Int) -> Bool? {
        switch t[i].kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// An integer written without fraction or exponent, of at most 15 digits.
    func int(_ i: Int) -> Int? {
        let x = t[i]
        guard x.kind == .number, x.flags & JSONTape.Token.integer != 0, x.end - x.start <= 16 else { return nil }
        var k = Int(x.start)
        var negative = false
        if b[k] == UInt8(ascii: "-") {
            negative = true
            k += 1
        }
        var v = 0
        while k < Int(x.end) {
            v = v * 10 + Int(b[k] &- 0x30)
            k += 1
        }
        return negative ? -v : v
    }

    /// `YYYY-MM-DD`, read from the bytes.
    func date(_ i: Int) -> CalendarDate? {
        let x = t[i]
        guard x.kind == .string, x.end - x.start == 10, x.flags == 0 else { return nil }
        let s = Int(x.start)
        guard b[s + 4] == 0x2D, b[s + 7] == 0x2D else { return nil }
        func num(_ from: Int, _ n: Int) -> Int? {
            var v = 0
            for k in s + from..<s + from + n {
                let c = b[k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), let m = num(5, 2), let d = num(8, 2) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    func id<T: RawRepresentable>(_ i: Int, _: T.Type) -> T? where T.RawValue == String {
        string(i).flatMap(T.init(rawValue:))
    }

    func entry() -> CaseloadEntry? {
        var version: Int?
        var levels: String?
        var family: IndexedFamily?
        var finals: [CaseloadEntry.Final]?
        var decisions: [Decision]?
        var drafts = false
        let ok = members(0) { key, v in
            switch Key(key) {
            case .schemaVersion: version = int(v)
            case .levels: levels = string(v)
            case .family: family = self.family(v)
            case .finals: finals = array(v, final)
            case .decisions:
                decisions = array(v, decision)
                return decisions != nil
            case .drafts: drafts = true  // rare, and read by the generic decoder: one reading of them
            default: return true
            }
            return true
        }
        guard ok, !drafts, let version, let levels, let family, let finals else { return nil }
        return CaseloadEntry(schemaVersion: version, family: family, levels: levels, finals: finals, decisions: decisions)
    }

    func family(_ i: Int) -> IndexedFamily? {
        var id: FamilyID?
        var ref: String?
        var children: [Child]?
        var carers: [Carer]?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .id: id = self.id(v, FamilyID.self)
            case .ref: ref = string(v)
            case .children: children = array(v, child)
            case .carers: carers = array(v, carer)
            default: break
            }
            return true
        }
        guard ok, let id, let ref, let children, let carers else { return nil }
        return IndexedFamily(Family(id: id, ref: ref, children: children, carers: carers))
    }

    func child(_ i: Int) -> Child? {
        var id: ChildID?
        var name: String?
        var born: CalendarDate?
        var expected: Bool?
        var father: FatherNotRecorded?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .id: id = self.id(v, ChildID.self)
            case .name: name = string(v)
            case .born: born = date(v)
            case .expected:
                expected = bool(v)
                return expected != nil
            case .fatherNotRecorded:
                father = fatherNotRecorded(v)
                return father != nil
            default: break
            }
            return true
        }
        guard ok, let id, let name, let born else { return nil }
        return Child(id: id, name: name, born: born, expected: expected, fatherNotRecorded: father)
    }

    func fatherNotRecorded(_ i: Int) -> FatherNotRecorded? {
        var reason: FatherNotRecorded.Reason?
        var text: String?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .reason: reason = self.id(v, FatherNotRecorded.Reason.self)
            case .text:
                text = string(v)
                return text != nil
            default: break
            }
            return true
        }
        guard ok, let reason else { return nil }
        return FatherNotRecorded(reason: reason, text: text)
    }

    func carer(_ i: Int) -> Carer? {
        var id: CarerID?
        var name: String?
        var relationship: Relationship?
        var children: [ChildRelationship]?
        var lives = true
        var gender: Gender?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .id: id = self.id(v, CarerID.self)
            case .name: name = string(v)
            case .relationship: relationship = self.id(v, Relationship.self)
            case .children:
                children = array(v) { r in
                    var child: ChildID?
                    var rel: Relationship?
                    let ok = members(r) { key, v in
                        switch Key(key) {
                        case .child: child = self.id(v, ChildID.self)
                        case .relationship: rel = self.id(v, Relationship.self)
                        default: break
                        }
                        return true
                    }
                    guard ok, let child, let rel else { return nil }
                    return ChildRelationship(child: child, relationship: rel)
                }
                return children != nil
            case .livesWithChildren:
                guard let x = bool(v) else { return false }
                lives = x
            case .gender:
                gender = self.id(v, Gender.self)
                return gender != nil
            default: break
            }
            return true
        }
        guard ok, let id, let name, let relationship else { return nil }
        return Carer(
            id: id, name: name, relationship: relationship, children: children, livesWithChildren: lives, gender: gender)
    }

    func final(_ i: Int) -> CaseloadEntry.Final? {
        var id: AssessmentID?
        var date: CalendarDate?
        var carers: [CarerID]?
        var profiles: [CaseloadEntry.ChildGrades]?
        var unannounced: Int?
        var teams: [String]?
        var agencies: [Agency]?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .id: id = self.id(v, AssessmentID.self)
            case .date: date = self.date(v)
            case .carers: carers = array(v) { self.id($0, CarerID.self) }
            case .profiles: profiles = array(v, grades)
            case .unannounced:
                unannounced = int(v)
                return unannounced != nil
            case .teams:
                teams = array(v, string)
                return teams != nil
            case .agencies:
                agencies = array(v) { self.id($0, Agency.self) }
                return agencies != nil
            default: break
            }
            return true
        }
        guard ok, let id, let date, let carers, let profiles else { return nil }
        return CaseloadEntry.Final(
            id: id, date: date, carers: carers, profiles: profiles, unannounced: unannounced, teams: teams,
            agencies: agencies)
    }

    func grades(_ i: Int) -> CaseloadEntry.ChildGrades? {
        var child: ChildID?
        var grades: String?
        var items: [String: Int]?
        var targets: [Target]?
        var heard: ChildHeard?
        var seenAlone: Bool?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .child: child = self.id(v, ChildID.self)
            case .grades: grades = string(v)
            case .items:
                var out: [String: Int] = [:]
                let read = members(v) { key, g in
                    guard let grade = int(g) else { return false }
                    out[String(decoding: key, as: UTF8.self)] = grade
                    return true
                }
                guard read else { return false }
                items = out
            case .targets:
                targets = array(v, target)
                return targets != nil
            case .heard:
                heard = self.id(v, ChildHeard.self)
                return heard != nil
            case .seenAlone:
                seenAlone = bool(v)
                return seenAlone != nil
            default: break
            }
            return true
        }
        guard ok, let child, let grades else { return nil }
        return CaseloadEntry.ChildGrades(
            child: child, grades: grades, items: items, targets: targets, heard: heard, seenAlone: seenAlone)
    }

    /// A target as the caseload reads it; gcp2 writes no plan here, so one in the file is declined.
    func target(_ i: Int) -> Target? {
        var link: String?
        var grade: Grade?
        var reviewBy: CalendarDate?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .linkId: link = string(v)
            case .grade: grade = int(v).flatMap(Grade.init(rawValue:))
            case .reviewBy: reviewBy = date(v)
            case .action, .support, .owner: return false
            default: break
            }
            return true
        }
        guard ok, let link, let grade, let reviewBy else { return nil }
        return Target(linkId: LinkID(link), grade: grade, reviewBy: reviewBy)
    }

    func decision(_ i: Int) -> Decision? {
        var id: DecisionID?
        var familyId: FamilyID?
        var date: CalendarDate?
        var level: DecisionLevel?
        var reason: String?
        var children: [ChildID]?
        var supersedes: DecisionID?
        let ok = members(i) { key, v in
            switch Key(key) {
            case .id: id = self.id(v, DecisionID.self)
            case .familyId: familyId = self.id(v, FamilyID.self)
            case .date: date = self.date(v)
            case .level: level = self.id(v, DecisionLevel.self)
            case .reason: reason = string(v)
            case .children: children = array(v) { self.id($0, ChildID.self) }
            case .supersedes:
                supersedes = self.id(v, DecisionID.self)
                return supersedes != nil
            default: break
            }
            return true
        }
        guard ok, let id, let familyId, let date, let level, let reason, let children else { return nil }
        return Decision(
            id: id, familyId: familyId, date: date, level: level, reason: reason, children: children,
            supersedes: supersedes)
    }
}

/// The keys of a caseload entry, matched on their bytes.
private enum Key {
    case schemaVersion, levels, family, finals, decisions, drafts
    case id, ref, children, carers, name, born, expected, fatherNotRecorded, reason, text
    case relationship, child, livesWithChildren, gender
    case date, profiles, unannounced, teams, agencies
    case grades, items, targets, heard, seenAlone
    case linkId, grade, reviewBy, action, support, owner
    case familyId, level, supersedes
    case other

    private static let table: [(String, Key)] = [
        ("schemaVersion", .schemaVersion), ("levels", .levels), ("family", .family), ("finals", .finals),
        ("decisions", .decisions), ("drafts", .drafts), ("id", .id), ("ref", .ref), ("children", .children),
        ("carers", .carers), ("name", .name), ("born", .born), ("expected", .expected),
        ("fatherNotRecorded", .fatherNotRecorded), ("reason", .reason), ("text", .text),
        ("relationship", .relationship), ("child", .child), ("livesWithChildren", .livesWithChildren),
        ("gender", .gender), ("date", .date), ("profiles", .profiles), ("unannounced", .unannounced),
        ("teams", .teams), ("agencies", .agencies), ("grades", .grades), ("items", .items), ("targets", .targets),
        ("heard", .heard), ("seenAlone", .seenAlone), ("linkId", .linkId), ("grade", .grade),
        ("reviewBy", .reviewBy), ("action", .action), ("support", .support), ("owner", .owner),
        ("familyId", .familyId), ("level", .level), ("supersedes", .supersedes),
    ]
    /// The table's keys as bytes, bucketed by length, once.
    private static let byLength: [[([UInt8], Key)]] = {
        var out = [[([UInt8], Key)]](repeating: [], count: 32)
        for (name, key) in table { out[name.utf8.count].append((Array(name.utf8), key)) }
        return out
    }()

    init(_ key: UnsafeRawBufferPointer) {
        if key.count < Key.byLength.count {
            for (k, name) in Key.byLength[key.count]
            where k.withUnsafeBytes({ memcmp($0.baseAddress!, key.baseAddress!, k.count) == 0 }) {
                self = name
                return
            }
        }
        self = .other
    }
}
