import Foundation
import TestSupport
import Testing

@testable import GCP2Core

/// The caseload's faster paths give exactly what the plain ones give: the severity order by jump, the control
/// character scan eight bytes at a time (and in halves), the lines written on both cores, the binary form read back.
@Suite struct FastPathTests {
    @Test func severityRanksFollowTheDeclaredOrder() {
        for (k, s) in Severity.allCases.enumerated() { #expect(s.rank == k, "\(s)") }
    }

    /// The byte-at-a-time reading of `needsEscaping` before it read words.
    static func plainScan(_ text: String, keepNewlines: Bool) -> Bool {
        let u = Array(text.utf8)
        let n = u.count
        for i in 0..<n {
            let b = u[i]
            if b < 0x20 || b == 0x7F {
                if !(b == 0x0A && keepNewlines) { return true }
            } else if b == 0xC2 {
                if i + 1 < n, u[i + 1] >= 0x80, u[i + 1] <= 0x9F { return true }
            } else if b == 0xD8 {
                if i + 1 < n, u[i + 1] == 0x9C { return true }
            } else if b == 0xE2, i + 2 < n {
                let b1 = u[i + 1], b2 = u[i + 2]
                if b1 == 0x80, b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE) { return true }
                if b1 == 0x81, b2 >= 0xA6, b2 <= 0xA9 { return true }
            }
        }
        return false
    }

    @Test func theWordScanFindsWhatTheByteScanFinds() {
        let pieces = [
            "a", "Z", " ", "~", "\n", "\t", "\u{1B}", "\u{7F}", "\u{80}", "\u{9F}", "\u{A0}", "é", "–", "→", "\u{061C}",
            "\u{200E}", "\u{200F}", "\u{2028}", "\u{202A}", "\u{202E}", "\u{202F}", "\u{2066}", "\u{2069}", "\u{206A}",
            "日", "😀", "\"", "\\",
        ]
        var rng = SplitMix64(seed: 17)
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...24, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            for keep in [true, false] {
                #expect(
                    TextRule.needsEscaping(text, keepNewlines: keep) == Self.plainScan(text, keepNewlines: keep),
                    "\(text.debugDescription) keepNewlines \(keep)")
            }
        }
        // Long texts are read in two halves: a character anywhere, including astride the middle, is found.
        let long = String(repeating: "abcdefg\n", count: (1 << 20) / 8 + 3)
        #expect(!TextRule.needsEscaping(long, keepNewlines: true))
        #expect(TextRule.needsEscaping(long, keepNewlines: false))
        let bytes = Array(long.utf8)
        for at in [0, 7, bytes.count / 2 - 2, bytes.count / 2 - 1, bytes.count / 2, bytes.count / 2 + 1, bytes.count - 3] {
            var b = bytes
            b.replaceSubrange(at..<(at + 3), with: Array("\u{202E}".utf8))
            #expect(TextRule.needsEscaping(String(decoding: b, as: UTF8.self), keepNewlines: true), "at \(at)")
        }
    }

    static func line(_ k: Int) -> CaseloadLine {
        CaseloadLine(
            familyId: FamilyID(unchecked: "f-\(k % 97)"), familyRef: "REF-\(k) \"ü\"", childId: ChildID(unchecked: "f-\(k)-c1"),
            childName: k % 3 == 0 ? "Ann\u{1B} Ovey" : "Bo Arlow", born: CalendarDate(dayNumber: 10_000 + k),
            assessments: k % 5, latestAssessment: k % 4 == 0 ? nil : AssessmentID(unchecked: "f-\(k)-a2"),
            latestDate: k % 4 == 0 ? nil : CalendarDate(dayNumber: 20_000 - k),
            areas: ["physical", "safety"].map {
                CaseloadArea(
                    linkId: LinkID($0), code: $0.prefix(1).uppercased(), grade: Grade(rawValue: k % 6),
                    trend: k % 7 == 0 ? nil : Trend.allCases[k % Trend.allCases.count])
            }, worstGrade: Grade(rawValue: k % 6), daysSinceLatest: k % 2 == 0 ? nil : k, daysOverdue: k % 3 == 0 ? nil : -k,
            currentSpellDays: k % 5 == 0 ? nil : Int.max - k, cumulativeDays: k * 3, spells: k % 4,
            flags: Array(CaseFlag.allCases.prefix(k % 6)), teenager: k % 2 == 0,
            severity: Severity.allCases[k % Severity.allCases.count],
            level: k % 3 == 0 ? nil : DecisionLevel.allCases[k % DecisionLevel.allCases.count])
    }

    @Test func manyLinesAreWrittenOnBothCoresAsOneByOne() {
        for count in [0, 1, 4095, 4096, 4097, 9001] {
            let lines = (0..<count).map(Self.line)
            var plain: [UInt8] = [], halves: [UInt8] = []
            DirectJSON.array(lines, indent: 2, into: &plain)
            DirectJSON.array(large: lines, indent: 2, into: &halves)
            #expect(plain == halves, "\(count) lines")
        }
    }

    @Test func theBinaryFormReadsBackEveryField() throws {
        var lines = FamilyLines()
        lines.lines = (0..<300).map(Self.line)
        lines.trends = [("physical", "drift"), ("safety", "baseline")]
        lines.expected = 2
        var w = BinaryWriter()
        lines.writeCounts(into: &w)
        for l in lines.lines { l.write(into: &w) }
        let bytes = w.take()
        var r = BinaryReader(bytes, from: 0, strings: w.strings)
        let back = try FamilyLines.read(from: &r, lines: [])
        #expect(back.expected == 2 && back.trends.map { "\($0.0) \($0.1)" } == ["physical drift", "safety baseline"])
        for l in lines.lines { #expect(try CaseloadLine.read(from: &r) == l) }
        #expect(r.atEnd)
        // Cut anywhere, the form throws rather than reading past its end or inventing a value.
        for cut in stride(from: 0, to: bytes.count, by: 37) {
            var short = BinaryReader(bytes, from: 0, to: cut, strings: w.strings)
            var read = 0
            do throws(BinaryReader.Malformed) {
                _ = try FamilyLines.read(from: &short, lines: [])
                for _ in lines.lines {
                    _ = try CaseloadLine.read(from: &short)
                    read += 1
                }
                Issue.record("a form cut at \(cut) of \(bytes.count) bytes was read whole")
            } catch {
                #expect(read < lines.lines.count)
            }
        }
    }
}
