import Testing

@testable import GCP2Core

/// The byte scan that lets clean text through `TextRule.escaped` unchanged agrees with the rule's definition of a
/// control character, scalar by scalar.
@Suite struct TextRuleTests {
    @Test func byteScanAgreesWithTheScalarRule() {
        // Every scalar up to U+2FFF (every control and bidirectional control is below U+2070), and some beyond.
        let scalars = (0..<0x3000).compactMap(Unicode.Scalar.init) + ["\u{FEFF}", "\u{1F600}", "\u{10FFFF}"]
        for s in scalars {
            for keep in [true, false] {
                let expected = TextRule.isControl(s) && !(keep && s == "\n")
                // Alone, between clean text, and at the very end (a lead byte with nothing after it).
                for text in [String(s), "a–\(s)b", "→ \(s)"] {
                    #expect(
                        TextRule.needsEscaping(text, keepNewlines: keep) == expected,
                        "U+\(String(s.value, radix: 16)) keepNewlines \(keep)")
                    #expect((TextRule.escaped(text, keepNewlines: keep) != text) == expected)
                }
            }
        }
    }
}

/// A date's text, written byte by byte, is `YYYY-MM-DD` and reads back as the same date, over the whole range.
@Suite struct CalendarDateTextTests {
    @Test func descriptionIsPaddedAndReadsBack() throws {
        let first = try #require(CalendarDate(year: 1900, month: 1, day: 1)).dayNumber
        let last = try #require(CalendarDate(year: 2999, month: 12, day: 31)).dayNumber
        for n in stride(from: first, through: last, by: 7) + [last] {
            let d = CalendarDate(dayNumber: n)
            let text = d.description
            let y = String(d.year), m = String(d.month), dd = String(d.day)
            #expect(text == y + "-" + (m.count == 1 ? "0" + m : m) + "-" + (dd.count == 1 ? "0" + dd : dd))
            #expect(CalendarDate(text) == d)
        }
    }
}
