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
    /// The version this gcp2 writes.
    static let current = 1

    /// Version 0 (before the first release) called the case reference `reference`.
    struct V0: Decodable {
        var id: FamilyID
        var reference: String
        var children: [Child]?
        var carers: [Carer]?
        var notes: String?
        var family: Family {
            Family(id: id, ref: reference, children: children ?? [], carers: carers ?? [], notes: notes)
        }
    }

    static func encode(_ family: Family) -> Data { CanonicalJSON.document(VersionedDocument(value: family, version: current)) }

    /// The family from a document of `version` (at most `current`).
    static func decode(_ document: ParsedDocument, version: Int) throws -> Family {
        switch version {
        case 0: return try Coding.decode(V0.self, from: document).family
        default: return try Coding.decode(Family.self, from: document)
        }
    }
}

/// `families/<f>/assessments/<a>.v<N>.json`.
enum AssessmentDocument {
    /// The version this gcp2 writes.
    static let current = 1

    static func encode(_ a: Assessment) -> Data { CanonicalJSON.document(VersionedDocument(value: a, version: current)) }

    /// The assessment from a document of `version`; only version 1 has ever been written.
    static func decode(_ document: ParsedDocument, version: Int) throws -> Assessment {
        guard version == 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "unsupported assessment document version \(version); expected 1"))
        }
        return try Coding.decode(Assessment.self, from: document)
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

    func decodeAssessment(_ data: Data, at rel: String) throws(StoreError) -> Assessment {
        try decodeVersioned(data, at: rel, current: AssessmentDocument.current, AssessmentDocument.decode)
    }
}
