import Foundation
import GCP2Core

// The family and assessment documents as stored: the domain values under the document's own `schemaVersion`.
// The domain types know nothing of format versions; each version of a document is a type here, migrated to the
// domain value when read (SwiftPM's Workspace+State shape), and the newest version is always written.

/// A domain value written as a document: its fields with the document's `schemaVersion` beside them.
struct VersionedDocument<Value: Encodable>: Encodable {
    let value: Value
    let version: Int
    enum Keys: String, CodingKey { case schemaVersion }
    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(version, forKey: .schemaVersion)
    }
}

/// `families/<f>/family.json`.
enum FamilyDocument {
    /// The version this gcp2 writes. Version 2 added, per carer, `children` (a relationship per child),
    /// `livesWithChildren` and `gender`, and per child `fatherNotRecorded`.
    static let current = 2

    /// Version 0 (before the first release) called the case reference `reference`.
    struct V0: Decodable {
        var id: FamilyID
        var reference: String
        var children: [V1.Child]?
        var carers: [V1.Carer]?
        var notes: String?
        var family: Family {
            V1(id: id, ref: reference, children: children ?? [], carers: carers ?? [], notes: notes).family
        }
    }

    /// Version 1: one relationship per carer to every child; every carer lived with the children.
    struct V1: Decodable {
        var id: FamilyID
        var ref: String
        var children: [Child]
        var carers: [Carer]
        var notes: String?

        struct Child: Decodable {
            var id: ChildID
            var name: String
            var born: CalendarDate
            var expected: Bool?
        }
        struct Carer: Decodable {
            var id: CarerID
            var name: String
            var relationship: Relationship
        }

        /// The family in version 2 terms: each carer related to every child as before, living with them, gender
        /// not recorded; no reason recorded for a father not recorded.
        var family: Family {
            Family(
                id: id, ref: ref,
                children: children.map { GCP2Core.Child(id: $0.id, name: $0.name, born: $0.born, expected: $0.expected) },
                carers: carers.map { GCP2Core.Carer(id: $0.id, name: $0.name, relationship: $0.relationship) },
                notes: notes)
        }
    }

    static func encode(_ family: Family) -> Data { CanonicalJSON.document(VersionedDocument(value: family, version: current)) }

    /// The family from a document of `version` (at most `current`).
    static func decode(_ document: ParsedDocument, version: Int) throws -> Family {
        switch version {
        case 0: return try Coding.decode(V0.self, from: document).family
        case 1: return try Coding.decode(V1.self, from: document).family
        default: return try Coding.decode(Family.self, from: document)
        }
    }
}

/// `families/<f>/assessments/<a>.v<N>.json`.
enum AssessmentDocument {
    /// The version this gcp2 writes. Version 2 replaced each profile's joint `carersView` and `carersAgree` by
    /// `carerViews` (one per carer), and added the child's voice (`childViewNotObtained`, `dailyLife`, `seenAlone`,
    /// `notSeenAloneReason`), each target's plan (`action`, `owner`, `support`) and each assessor's `agency`.
    static let current = 2

    /// What version 1 had that version 2 does not: one view and one agreement for all the carers of a profile.
    /// Everything else of version 1 is read by the version 2 type, whose new keys are all optional.
    struct V1JointViews: Decodable {
        var carers: [CarerID]?
        var profiles: [Profile]?
        struct Profile: Decodable {
            var childId: ChildID
            var carersView: String?
            var carersAgree: Bool?
        }

        /// `a` with each profile's joint view given to each carer the assessment covers, marked "recorded jointly"
        /// (to no named carer when it covers none); agreement true becomes yes, false no.
        func migrate(_ a: Assessment) -> Assessment {
            var out = a
            for (i, p) in (profiles ?? []).enumerated() where i < out.profiles.count && out.profiles[i].childId == p.childId {
                guard p.carersView != nil || p.carersAgree != nil else { continue }
                let agrees = p.carersAgree.map { $0 ? Agreement.yes : .no }
                let covered = carers ?? []
                out.profiles[i].carerViews =
                    covered.isEmpty
                    ? [CarerView(carer: nil, view: p.carersView ?? "", agrees: agrees, jointly: true)]
                    : covered.map { CarerView(carer: $0, view: p.carersView ?? "", agrees: agrees, jointly: true) }
            }
            return out
        }
    }

    static func encode(_ a: Assessment) -> Data { CanonicalJSON.document(VersionedDocument(value: a, version: current)) }

    /// The assessment from a document of `version` (1 or 2).
    static func decode(_ document: ParsedDocument, version: Int) throws -> Assessment {
        switch version {
        case 1:
            let a = try read(document)
            return try Coding.decode(V1JointViews.self, from: document).migrate(a)
        case 2: return try read(document)
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "unsupported assessment document version \(version); expected 1 or 2"))
        }
    }
}

extension AssessmentDocument {
    /// The `Assessment` of a document: read straight from the tape, or, when that refuses, decoded as any
    /// document is (`Coding.decode`), whose errors are the ones shown.
    static func read(_ document: ParsedDocument) throws -> Assessment {
        if let a = AssessmentTapeReader.read(document) { return a }
        return try Coding.decode(Assessment.self, from: document)
    }
}

/// `families/<f>/decisions/<d>.json`: one decision, never rewritten.
enum DecisionDocument {
    /// The version this gcp2 writes (the first).
    static let current = 1

    static func encode(_ d: Decision) -> Data { CanonicalJSON.document(VersionedDocument(value: d, version: current)) }

    static func decode(_ document: ParsedDocument, version: Int) throws -> Decision {
        guard version == 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "unsupported decision document version \(version); expected 1"))
        }
        return try Coding.decode(Decision.self, from: document)
    }
}

extension Store {
    /// Reads a document's `schemaVersion` (0 when absent), refuses a newer one, and decodes the version found; the
    /// strict reader parses the bytes once for both.
    func decodeVersioned<T>(
        _ data: Data, at rel: String, current: Int, _ decode: (ParsedDocument, Int) throws -> T
    ) throws(StoreError) -> T {
        let document = ParsedDocument(data)
        let version: Int
        do {
            version = try Coding.decode(VersionProbe.self, from: document).schemaVersion ?? 0
        } catch {
            throw .corrupt(path: full(rel), issue: Issue(decodingError: error))
        }
        if version > current { throw .newerSchema(path: full(rel), found: version, supported: current) }
        do {
            return try decode(document, version)
        } catch {
            throw .corrupt(path: full(rel), issue: Issue(decodingError: error))
        }
    }

    func decodeFamily(_ data: Data, at rel: String) throws(StoreError) -> Family {
        try decodeVersioned(data, at: rel, current: FamilyDocument.current, FamilyDocument.decode)
    }

    /// An assessment document as this gcp2 writes it is read in one pass (`AssessmentCursorReader`); any other is
    /// read as every document is, whose errors are the ones shown.
    func decodeAssessment(_ data: Data, at rel: String) throws(StoreError) -> Assessment {
        if let a = AssessmentCursorReader.read(data) { return a }
        return try decodeVersioned(data, at: rel, current: AssessmentDocument.current, AssessmentDocument.decode)
    }

    func decodeDecision(_ data: Data, at rel: String) throws(StoreError) -> Decision {
        try decodeVersioned(data, at: rel, current: DecisionDocument.current, DecisionDocument.decode)
    }
}
