import Foundation

/// Reads one audit log line in one pass (`JSONCursor`): `doctor` reads every line of the log, and decoding each
/// through `Decoder` (its `documents` dictionary above all) was most of the time it spent on one core.
///
/// It refuses what it is not sure of — a key it does not know or twice, an escaped or non-ASCII key or document
/// path, a time in another form than the store writes — and the caller decodes the line as before
/// (`Coding.decode`), so what is read, and what is refused as "not an audit entry", is unchanged. Tests read every
/// line of generated logs and mutated lines both ways: the two must agree, or this one must refuse.
enum AuditEntryCursorReader {
    typealias Refused = JSONCursor.Refused

    /// The entry, or nil when refused.
    static func read(_ line: Data) -> AuditEntry? {
        JSONCursor.read(line, entry)
    }

    static func entry(_ c: inout JSONCursor) throws(Refused) -> AuditEntry {
        var schemaVersion: Int?
        var seq: Int?
        var time: Date?
        var actor: String?
        var action: String?
        var record: String?
        var version: Int?
        var reason: String?
        var documents: [String: String]?
        var prev: String?
        try c.object { (c, k) throws(Refused) -> UInt32? in
            if c.key(k, is: "documents") {
                documents = try self.documents(&c)
                return 1 << 0
            } else if c.key(k, is: "prev") {
                prev = try c.string()
                return 1 << 1
            } else if c.key(k, is: "seq") {
                seq = try c.int()
                return 1 << 2
            } else if c.key(k, is: "time") {
                time = try c.storeDate()
                return 1 << 3
            } else if c.key(k, is: "actor") {
                actor = try c.string()
                return 1 << 4
            } else if c.key(k, is: "action") {
                action = try c.string()
                return 1 << 5
            } else if c.key(k, is: "record") {
                record = try c.string()
                return 1 << 6
            } else if c.key(k, is: "schemaVersion") {
                schemaVersion = try c.int()
                return 1 << 7
            } else if c.key(k, is: "version") {
                version = try c.optional { (c) throws(Refused) in try c.int() }
                return 1 << 8
            } else if c.key(k, is: "reason") {
                reason = try c.optional { (c) throws(Refused) in try c.string() }
                return 1 << 9
            }
            return nil
        }
        guard let schemaVersion, let seq, let time, let actor, let action, let record, let documents, let prev else {
            throw Refused()
        }
        return AuditEntry(
            schemaVersion: schemaVersion, seq: seq, time: time, actor: actor, action: action, record: record,
            version: version, reason: reason, documents: documents, prev: prev)
    }

    /// The paths and digests of the documents a change wrote: plain ASCII paths, each once.
    static func documents(_ c: inout JSONCursor) throws(Refused) -> [String: String] {
        var out: [String: String] = [:]
        guard try c.beginObject() else { return out }
        repeat {
            let k = try c.key()
            let path = String(decoding: UnsafeRawBufferPointer(rebasing: c.bytes[k.start..<k.start + k.count]), as: UTF8.self)
            guard out.updateValue(try c.string(), forKey: path) == nil else { throw Refused() }
        } while try c.nextMember()
        return out
    }
}

extension AuditEntry {
    /// One audit line as every reader of the log reads it: in one pass, or, when that refuses, decoded as any
    /// document is; nil when it is not an audit entry.
    static func read(line: Data) -> AuditEntry? {
        AuditEntryCursorReader.read(line) ?? (try? Coding.decode(AuditEntry.self, from: line))
    }
}
