import Foundation
import GCP2Core

/// The store's manifest: format version, creation time, the policy, and the instrument new assessments use.
public struct Manifest: Codable, Sendable {
    public static let currentSchemaVersion = 1
    public var schemaVersion: Int
    public var createdAt: Date
    public var policy: Policy
    public var instrument: InstrumentRef

    enum CodingKeys: String, CodingKey { case schemaVersion, createdAt, policy, instrument }

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
    public static let currentSchemaVersion = 1
    public var schemaVersion: Int
    public var family: IndexedFamily
    public var assessments: [IndexedAssessment]

    /// Final assessments in force: latest version of each that is final or amended (withdrawn ones drop out).
    public var effectiveFinals: [FamilyAssessmentSummary] {
        assessments.filter { $0.status == .final || $0.status == .amended }.map {
            FamilyAssessmentSummary(assessmentId: $0.id, date: $0.date, carers: $0.carers, profiles: $0.profiles)
        }
    }
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
    }
}

/// The one encoder and decoder every stored document goes through.
enum Coding {
    static func encoder(pretty: Bool = true) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }
    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    /// Deterministic document bytes: sorted keys, ISO-8601 dates, trailing newline.
    static func document<T: Encodable>(_ value: T) -> Data {
        // Encoding our own value types cannot fail.
        try! encoder().encode(value) + [0x0A]
    }

    /// One audit line: compact canonical JSON without the newline.
    static func line<T: Encodable>(_ value: T) -> Data { try! encoder(pretty: false).encode(value) }
}
