import Foundation
import GCP2Core
import Testing

@testable import GCP2Store

/// The shared link ids hand out a string equal to the bytes looked up, or nothing: every link id of the built-in
/// instrument is found; a text that differs anywhere (in the middle, where the hash does not look), is shorter than
/// 16 bytes, or is not in the set is not.
@Suite struct SharedStringsTests {
    func find(_ text: String, in table: SharedStrings = .linkIDs) -> String? {
        Array(text.utf8).withUnsafeBytes { table.string($0) }
    }

    @Test func everyLinkIdIsFoundAsItself() {
        let inst = Instrument.gcp2Structure
        let ids = inst.areas.flatMap { a in
            [a.linkId] + a.subAreas.flatMap { s in [s.linkId] + s.items.map(\.linkId) }
        }.map(\.rawValue)
        var found = 0
        for id in ids {
            let shared = find(id)
            if id.utf8.count >= SharedStrings.shortest {
                #expect(shared == id, "\(id)")
                found += 1
            } else {
                #expect(shared == nil, "\(id): shorter ones are not shared")
            }
        }
        #expect(found >= 20)
    }

    @Test func aTextThatDiffersAnywhereIsNotFound() throws {
        let id = try #require(
            Instrument.gcp2Structure.areas.flatMap(\.subAreas).flatMap(\.items).map(\.linkId.rawValue).first {
                $0.utf8.count >= 20
            })
        var bytes = Array(id.utf8)
        for k in bytes.indices {
            let original = bytes[k]
            bytes[k] = original == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(find(text) == nil, "\(text)")
            bytes[k] = original
        }
        #expect(find(id + "x") == nil && find(String(id.dropLast())) == nil && find("") == nil)
        let table = SharedStrings(["a-fairly-long-invented-text", "short", "é-not-plain-ascii-at-all-here"])
        #expect(find("a-fairly-long-invented-text", in: table) == "a-fairly-long-invented-text")
        #expect(find("short", in: table) == nil && find("é-not-plain-ascii-at-all-here", in: table) == nil)
        #expect(find("anything-at-all-long-enough", in: SharedStrings([])) == nil)
    }
}

/// A read that cannot have the memory it needs fails with ENOMEM: it never reads as an empty file (which `doctor`
/// would take for an emptied audit log, and a read for a document with nothing in it).
@Suite struct ReadMemoryTests {
    @Test func aReadThatCannotHaveItsMemoryFails() throws {
        let dir = NSTemporaryDirectory() + "gcp2-read-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/f.json"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        let fd = try POSIX.open(path, POSIX.readOnly)
        defer { fd.close() }
        #expect(throws: Errno(rawValue: ENOMEM)) { _ = try fd.read(upTo: Int.max / 2) }
        #expect(try fd.read(upTo: 16) == Data("{}".utf8))
    }
}
