import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

/// The one-pass reader of audit lines against `JSONDecoder`: on every line of generated logs and of a store that
/// records, amends, withdraws and decides, it reads the same entry; on edited and mutated lines it reads the same
/// entry or refuses, and `AuditEntry.read(line:)` (it, then the decoder) reads what the decoder alone read.
@Suite struct AuditEntryCursorReaderTests {
    /// The reader, the decoder and the two together on one line.
    @discardableResult
    static func agree(_ line: Data, _ what: String) -> Bool {
        let reference = try? Coding.decoder().decode(AuditEntry.self, from: line)
        #expect(AuditEntry.read(line: line) == reference, "\(what)")
        guard let fast = AuditEntryCursorReader.read(line) else { return false }
        #expect(fast == reference, "\(what): the one-pass reader and JSONDecoder read different entries")
        return true
    }

    static func lines(_ root: String) throws -> [Data] {
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/audit.log"))
        return Lines.ranges(in: data).map { Data(data[$0]) }.filter { !$0.isEmpty }
    }

    @Test func everyLineAStoreWritesIsReadAndEqual() throws {
        let (dir, root) = try TapeDecoderTests.store(families: 12, seed: 4)
        _ = dir
        let fx = try Fixture()
        let a = try fx.store.record(
            fx.assessment(on: "2026-05-01", grade: 2), final: true, file: nil, actor: "Zoë O’Neill", now: now, today: today
        ).assessment
        _ = try fx.store.amend(
            a.id, with: fx.assessment(on: "2026-05-01", grade: 3), reason: "a \"wrong\" grade, fixed", file: nil, actor: "t",
            now: now, today: today)
        _ = try fx.store.withdraw(a.id, reason: "entered twice", actor: "t", now: now)
        var read = 0
        for (n, line) in try (Self.lines(root) + Self.lines(fx.store.path)).enumerated() {
            #expect(
                Self.agree(line, "line \(n)"),
                "the one-pass reader refused a line the store wrote: \(String(decoding: line, as: UTF8.self))")
            read += 1
        }
        #expect(read > 16)
    }

    @Test func editedAndMutatedLinesAreReadAlikeOrRefused() throws {
        let (dir, root) = try TapeDecoderTests.store(families: 3, seed: 6)
        _ = dir
        let lines = try Self.lines(root)
        let text = String(decoding: try #require(lines.last), as: UTF8.self)
        let edits: [(String, String)] = [
            ("\"documents\":{", "\"documents\":{\"x\":\"1\",\"x\":\"2\","),
            ("\"documents\":{", "\"documents\":{\"\\u0078\":\"1\","),
            ("\"documents\":{", "\"documents\":{\"é\":\"1\","), ("\"documents\":{", "\"documents\":{\"x\":1,"),
            ("\"seq\":", "\"seq\":1.0,\"s\":"), ("\"seq\":", "\"seq\":\"1\",\"s\":"), ("Z\"", ".5Z\""), ("Z\"", "+01:00\""),
            ("\"time\":\"2", "\"time\":\"3"), ("\"prev\":", "\"extra\":null,\"prev\":"),
            ("\"prev\":", "\"version\":null,\"prev\":"),
            ("\"prev\":", "\"reason\":null,\"prev\":"), ("\"prev\":", "\"version\":2,\"reason\":\"r\",\"prev\":"),
            ("\"prev\":", "\"prev\":\"0\",\"p\":"), ("\"actor\":", "\"actor\":null,\"a\":"),
            ("{\"action\"", "{\"action\":\"x\",\"action\""),
            ("}", "},"), ("{", " { "), ("\"documents\":{", "\"documents\":{},\"d\":{"),
        ]
        var read = 0
        var refused = 0
        for (n, (from, to)) in edits.enumerated() {
            let edited = text.replacingOccurrences(of: from, with: to)
            #expect(edited != text, "edit \(n) changed nothing")
            if Self.agree(Data(edited.utf8), "edit \(n): \(to)") { read += 1 } else { refused += 1 }
        }
        #expect(read >= 3 && refused >= 10, "read \(read), refused \(refused)")
        var rng = SplitMix64(seed: 17)
        for line in lines {
            for _ in 0..<40 {
                var bytes = [UInt8](line)
                let at = Int(rng.next() % UInt64(bytes.count))
                if rng.next() % 2 == 0 { bytes.remove(at: at) } else { bytes[at] = UInt8(truncatingIfNeeded: rng.next()) }
                Self.agree(Data(bytes), "mutated at \(at)")
            }
        }
    }
}
