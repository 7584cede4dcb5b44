import Foundation
import GCP2Core

/// The store's manifest: format version, creation time, the policy, the instrument new assessments use, and the
/// audit chain's head.
public struct Manifest: Codable, Sendable {
    /// Version 2 added `head`: a gcp2 that does not keep the head refuses the store rather than append without it.
    public static let currentSchemaVersion = 2
    public var schemaVersion: Int
    public var createdAt: Date
    public var policy: Policy
    public var instrument: InstrumentRef
    /// The last audit entry, written in the same change as the entry itself; nil in a version 1 store until its
    /// next change.
    public var head: ChainHead?

    enum CodingKeys: String, CodingKey { case schemaVersion, createdAt, policy, instrument, head }

    init(createdAt: Date, policy: Policy, instrument: InstrumentRef) {
        schemaVersion = Manifest.currentSchemaVersion
        self.createdAt = createdAt
        self.policy = policy
        self.instrument = instrument
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        policy = try c.decodeIfPresent(Policy.self, forKey: .policy) ?? .default
        instrument = try c.decode(InstrumentRef.self, forKey: .instrument)
        head = try c.decodeIfPresent(ChainHead.self, forKey: .head)
    }

    /// The manifest without its head, as the audit log records it (the head names the line that records it).
    var body: Manifest {
        var m = self
        m.head = nil
        return m
    }
}

/// The head of the audit chain: the last entry's sequence number and the SHA-256 of its line.
///
/// Kept in the manifest so that deleting the last audit lines is found; a copy kept outside the store
/// (`doctor`'s head) catches even a forger who rewrites the store consistently.
public struct ChainHead: Codable, Sendable, Equatable, CustomStringConvertible {
    public var seq: Int
    public var digest: String

    public init(seq: Int, digest: String) {
        self.seq = seq
        self.digest = digest
    }

    /// `seq:digest`, the form `doctor` prints and accepts.
    public var description: String { "\(seq):\(digest)" }

    /// Reads `seq:digest`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), n >= 1, parts[1].count == 64,
            parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { return nil }
        self.init(seq: n, digest: String(parts[1]))
    }
}

/// One entry of the append-only audit log; `prev` is the SHA-256 of the previous line, chaining them.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var schemaVersion: Int
    public var seq: Int
    public var time: Date
    public var actor: String
    public var action: String
    public var record: String
    public var version: Int?
    public var reason: String?
    /// SHA-256 of each document the change wrote, by path relative to the store.
    public var documents: [String: String]
    public var prev: String

    static let genesis = String(repeating: "0", count: 64)
}

/// The derived, rebuildable index of one family: what listing, history and the caseload need, without evidence.
public struct FamilyIndex: Codable, Sendable, Equatable {
    /// Version 2 added the child's voice and seen-alone to each profile summary, whether an assessment had an
    /// unannounced visit, and the family's decisions; a version 1 entry is rebuilt from the documents when read.
    public static let currentSchemaVersion = 2
    public var schemaVersion: Int
    public var family: IndexedFamily
    public var assessments: [IndexedAssessment]
    /// SHA-256 of the family document (`family.json`) this entry was built from; absent in entries written before
    /// it existed, until the family's next change.
    public var familyDigest: String?
    /// Every decision recorded for the family, superseded ones included, oldest first (absent when none).
    public var decisions: [IndexedDecision]?

    /// Final assessments in force: latest version of each that is final or amended (withdrawn ones drop out).
    public var effectiveFinals: [FamilyAssessmentSummary] {
        assessments.filter(\.status.countsInSeries).map {
            FamilyAssessmentSummary(
                assessmentId: $0.id, date: $0.date, carers: $0.carers, profiles: $0.profiles,
                unannouncedVisits: $0.unannounced, teams: $0.teams, agencies: $0.agencies)
        }
    }

    /// The family's assessments still in draft (their latest version), for the `draft-pending` flag.
    public var pendingDrafts: [PendingDraft] {
        assessments.filter { $0.status == .draft }.map {
            PendingDraft(assessmentId: $0.id, date: $0.date, children: $0.profiles.map(\.childId))
        }
    }

    /// Every decision recorded for the family, superseded ones included.
    public var allDecisions: [Decision] { (decisions ?? []).map(\.decision) }
}

/// A decision in the index, with the digest of its document.
public struct IndexedDecision: Codable, Sendable, Equatable {
    public var decision: Decision
    public var digest: String
}

/// The family part of the index: members without notes.
public struct IndexedFamily: Codable, Sendable, Equatable {
    public var id: FamilyID
    public var ref: String
    public var children: [Child]
    public var carers: [Carer]

    init(_ f: Family) {
        id = f.id
        ref = f.ref
        children = f.children
        carers = f.carers
    }

    /// The family without its household notes (which the index does not keep).
    public var family: Family { Family(id: id, ref: ref, children: children, carers: carers) }
}

/// One assessment in the index: its latest version's status and summaries, and the digest of every version.
public struct IndexedAssessment: Codable, Sendable, Equatable {
    public var id: AssessmentID
    public var version: Int
    public var status: AssessmentStatus
    public var date: CalendarDate
    public var carers: [CarerID]
    public var profiles: [ProfileSummary]
    /// SHA-256 of each version's file, by version number as text.
    public var digests: [String: String]
    /// How many visits were unannounced (absent in entries written before it was kept, until the family's next
    /// change or `doctor --repair`).
    public var unannounced: Int?
    /// The assessors' teams, as recorded (absent like `unannounced`).
    public var teams: [String]?
    /// The assessors' agencies, one per assessor who named one (absent when none).
    public var agencies: [Agency]?
}

/// The pending change, written before any document so a crash can be rolled forward.
struct Journal: Codable {
    var schemaVersion = 1
    var writes: [Write]
    var removes: [String]
    var audit: String

    struct Write: Codable {
        var path: String
        var content: String
        /// True for a new document: created without replacing anything (absent in journals before it existed).
        var create: Bool?
    }
}

/// The one encoder and decoder every stored document goes through.
enum Coding {
    static func encoder(pretty: Bool = true) -> JSONEncoder { CanonicalJSON.encoder(pretty: pretty) }
    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    /// Decodes a stored document: the strict reader's `TapeDecoder` first, `JSONDecoder` when it refuses or finds
    /// an error, so what is accepted and every error shown (its JSON path) are `JSONDecoder`'s.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decode(T.self, from: ParsedDocument(data))
    }

    /// The same, for a document already parsed.
    static func decode<T: Decodable>(_ type: T.Type, from document: ParsedDocument) throws -> T {
        if let value = TapeDecoder.decode(T.self, from: document) { return value }
        return try decoder().decode(T.self, from: document.data)
    }

    /// Deterministic document bytes: sorted keys, ISO-8601 dates, trailing newline.
    static func document<T: Encodable>(_ value: T) -> Data { CanonicalJSON.document(value) }

    /// One audit line: compact canonical JSON without the newline.
    static func line<T: Encodable>(_ value: T) -> Data { CanonicalJSON.line(value) }
}

/// The compact, derived caseload entry of one family (`caseload/<family>.json`): exactly what the caseload
/// needs, so reading a whole partnership's caseload decodes a few hundred bytes per family.
public struct CaseloadEntry: Codable, Sendable, Equatable {
    /// Version 2 added what the recording flags and decisions need: each final's unannounced visit, each child's
    /// voice and seen-alone, the carers' relationships per child, and the decisions in force. A version 1 entry is
    /// not used: the family is read from its index entry instead.
    public static let currentSchemaVersion = 2
    public var schemaVersion: Int
    public var family: IndexedFamily
    /// The digest of the instrument whose level order `grades` strings follow.
    public var levels: String
    public var finals: [Final]
    /// The decisions in force (absent when none).
    public var decisions: [Decision]?
    /// The assessments still in draft (absent when none), for the `draft-pending` flag.
    public var drafts: [PendingDraft]?

    /// One final assessment in force.
    public struct Final: Codable, Sendable, Equatable {
        public var id: AssessmentID
        public var date: CalendarDate
        public var carers: [CarerID]
        public var profiles: [ChildGrades]
        /// As in the index entry: unannounced visits and the assessors' teams (absent in older entries).
        public var unannounced: Int?
        public var teams: [String]?
        /// As in the index entry: the assessors' agencies (absent when none).
        public var agencies: [Agency]?
    }

    /// One child's grades: one character per area and sub-area in instrument order (`1`–`5`, `-` for none),
    /// the grades of items that are targets, the targets, and how the child was heard and seen.
    public struct ChildGrades: Codable, Sendable, Equatable {
        public var child: ChildID
        public var grades: String
        public var items: [String: Int]?
        public var targets: [Target]?
        public var heard: ChildHeard?
        public var seenAlone: Bool?
    }

    /// Areas then each area's sub-areas, the order `grades` strings follow.
    static func levelOrder(_ inst: ValidatedInstrument) -> [LinkID] {
        inst.areas.flatMap { [$0.linkId] + $0.subAreas.map(\.linkId) }
    }

    /// `prepared`: the instrument's `Levels`, made once by a caller that builds many entries (`doctor`).
    init(index: FamilyIndex, instrument inst: ValidatedInstrument, prepared: Levels? = nil) {
        schemaVersion = CaseloadEntry.currentSchemaVersion
        family = index.family
        levels = inst.digest
        let order = CaseloadEntry.levelOrder(inst)
        let prepared = prepared ?? Levels(inst)
        let inForce = Decision.inForce(index.allDecisions)
        decisions = inForce.isEmpty ? nil : inForce
        let pending = index.pendingDrafts
        drafts = pending.isEmpty ? nil : pending
        // Each child's targeted items (not areas or sub-areas), over every assessment of the family, found once.
        let levelIds = Set(order.map(\.rawValue))
        var targetItemsOf: [ChildID: Set<String>] = [:]
        for a in index.assessments {
            for p in a.profiles {
                for t in p.targets where !levelIds.contains(t.linkId.rawValue) {
                    targetItemsOf[p.childId, default: []].insert(t.linkId.rawValue)
                }
            }
        }
        finals = index.assessments.filter(\.status.countsInSeries).map { a in
            Final(
                id: a.id, date: a.date, carers: a.carers,
                profiles: a.profiles.map { p in
                    var items: [String: Int] = [:]
                    for id in targetItemsOf[p.childId] ?? [] { if let g = p.grades[id] { items[id] = g } }
                    var grades: [UInt8] = []
                    grades.reserveCapacity(order.count)
                    // `p.grades[level]` for every level, found in one pass over the table's ids.
                    let found = p.grades.values(along: prepared.sorted)
                    for k in order.indices {
                        if let g = found[prepared.slot[k]] { grades += String(g).utf8 } else { grades.append(0x2D) }
                    }
                    return ChildGrades(
                        child: p.childId,
                        grades: String(decoding: grades, as: UTF8.self),
                        items: items.isEmpty ? nil : items,
                        // The caseload reads a target's item, grade and date; its plan stays in the documents.
                        targets: p.targets.isEmpty
                            ? nil : p.targets.map { Target(linkId: $0.linkId, grade: $0.grade, reviewBy: $0.reviewBy) },
                        heard: p.heard,
                        seenAlone: p.seenAlone)
                }, unannounced: a.unannounced, teams: a.teams, agencies: a.agencies)
        }
    }

    /// The level order of an instrument prepared once per caseload: link ids, and which are areas.
    struct Levels: Sendable {
        let digest: String
        let ids: [String]
        let isArea: [Bool]
        let reference: InstrumentRef
        /// `ids` in byte order: the one list of ids every summary's grade table shares.
        let sorted: GradeTable.IdList
        /// Where each of `ids` is in `sorted`.
        let slot: [Int]
        init(_ inst: ValidatedInstrument) {
            digest = inst.digest
            let areas = Set(inst.areas.map(\.linkId))
            let order = CaseloadEntry.levelOrder(inst)
            ids = order.map(\.rawValue)
            isArea = order.map(areas.contains)
            reference = inst.reference
            sorted = GradeTable(Dictionary(ids.map { ($0, 0) }) { a, _ in a }).list
            let position = Dictionary(sorted.ids.enumerated().map { ($1, $0) }) { a, _ in a }
            slot = ids.map { position[$0]! }
        }
    }

    /// The final assessments as the caseload builder takes them — area grades and the grades of targeted items
    /// and sub-areas, which is all the caseload reads; nil when written for another instrument.
    func summaries(for levels: Levels) -> [FamilyAssessmentSummary]? {
        guard self.levels == levels.digest else { return nil }
        var targeted: Set<String> = []
        for f in finals { for p in f.profiles { for t in p.targets ?? [] { targeted.insert(t.linkId.rawValue) } } }
        let ref = levels.reference
        return finals.map { f in
            FamilyAssessmentSummary(
                assessmentId: f.id, date: f.date, carers: f.carers,
                profiles: f.profiles.map { p in
                    // Every table shares the instrument's one sorted list of level ids; a profile with targeted
                    // items (rare) has its own list.
                    var values = [Int?](repeating: nil, count: levels.sorted.ids.count)
                    for (k, ch) in p.grades.utf8.enumerated() where k < levels.ids.count && ch >= 0x31 && ch <= 0x35 {
                        if levels.isArea[k] || (!targeted.isEmpty && targeted.contains(levels.ids[k])) {
                            values[levels.slot[k]] = Int(ch - 0x30)
                        }
                    }
                    var table = GradeTable(list: levels.sorted, values: values)
                    if let items = p.items, !items.isEmpty {
                        table = GradeTable(table.dictionary.merging(items) { level, _ in level })
                    }
                    return ProfileSummary(
                        assessmentId: f.id, version: 0, childId: p.child, date: f.date, instrument: ref, table: table,
                        targets: p.targets ?? [], heard: p.heard, seenAlone: p.seenAlone)
                }, unannouncedVisits: f.unannounced, teams: f.teams, agencies: f.agencies)
        }
    }
}

extension CaseloadBuilder {
    /// The account of a family from its index entry: its final assessments and its decisions in force.
    public func review(_ index: FamilyIndex, subAreas: Bool = true) -> FamilyReview {
        review(
            family: index.family.family, finals: index.effectiveFinals, decisions: Decision.inForce(index.allDecisions),
            drafts: index.pendingDrafts, subAreas: subAreas)
    }

    /// Adds a family's children from its index entry.
    public mutating func add(_ index: FamilyIndex) {
        add(
            family: index.family.family, finals: index.effectiveFinals, decisions: Decision.inForce(index.allDecisions),
            drafts: index.pendingDrafts)
    }
}
