import Foundation

/// What free text may hold: one rule per kind of field, so stored text can neither steer a terminal nor break a
/// one-line row.
///
/// A *control character* here is every C0 control (U+0000–U+001F), DEL, every C1 control (U+0080–U+009F) and the
/// bidirectional controls that reorder what is shown (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
public enum TextRule: Sendable {
    /// Names, ids, references, relationships, roles, teams, actors: one line, no control character at all
    /// (a tab or newline would break one-line rows and CSV).
    case line
    /// Evidence, views, reasons, rationales, comments and notes: tab and newline are the only control characters.
    case block

    /// Whether a character is a control or bidirectional control character (see the type's summary).
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether the rule lets `s` stand in a field.
    public func allows(_ s: Unicode.Scalar) -> Bool {
        guard TextRule.isControl(s) else { return true }
        return self == .block && (s == "\n" || s == "\t")
    }

    /// The first character the rule refuses, located, or nil when the text follows the rule.
    public func problem(in text: String) -> String? {
        for (n, s) in text.unicodeScalars.enumerated() where !allows(s) {
            return "has the control character \(TextRule.codePoint(s)) at character \(n + 1)"
        }
        return nil
    }

    /// What the rule expects, in words.
    public var expected: String {
        switch self {
        case .line: "text without control characters (no tab, newline, escape or direction override)"
        case .block: "text whose only control characters are tab and newline"
        }
    }

    /// The located issue when `text` breaks the rule.
    public func issue(_ text: String, at path: String) -> Issue? {
        problem(in: text).map { Issue(path, $0, expected: expected) }
    }

    /// `U+001B`.
    static func codePoint(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The text with every control character shown as an escape (`\u{1B}`), except newlines when `keepNewlines`:
    /// how text for people is written, so stored text cannot clear the screen, set a window title, write the
    /// clipboard or reorder a row.
    /// Whether `text` holds a character `escaped` rewrites, read byte by byte (the control characters' UTF-8
    /// forms: C0 and DEL, `C2 80`–`C2 9F`, `D8 9C`, `E2 80 8E`–`8F`, `E2 80 AA`–`AE`, `E2 81 A6`–`A9`), so a
    /// long table with dashes and arrows is not re-read scalar by scalar.
    public static func needsEscaping(_ text: String, keepNewlines: Bool) -> Bool {
        var copy = text
        return copy.withUTF8 { needsEscaping(utf8: $0, keepNewlines: keepNewlines) }
    }

    /// `needsEscaping` of the text whose UTF-8 bytes are `bytes`.
    public static func needsEscaping(utf8 bytes: [UInt8], keepNewlines: Bool) -> Bool {
        bytes.withUnsafeBufferPointer { needsEscaping(utf8: $0, keepNewlines: keepNewlines) }
    }

    static func needsEscaping(utf8 u: UnsafeBufferPointer<UInt8>, keepNewlines: Bool) -> Bool {
        // From `start` to `end`, looking past `end` for a sequence that begins before it.
        @Sendable func scan(_ u: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
            let n = u.count
            // Whether the character starting at `i` is one `escaped` rewrites.
            func rewritten(_ i: Int) -> Bool {
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
                return false
            }
            var i = start
            // Eight bytes at a time while they are all printable ASCII (below 0x20, DEL and bytes from 0x80 are
            // looked for in the whole word at once; a word holding any is read byte by byte, so a false alarm only
            // costs time).
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= end {
                let w = UnsafeRawPointer(u.baseAddress! + i).loadUnaligned(as: UInt64.self)
                let del = w ^ (ones &* 0x7F)
                let flagged = (w | ((w &- ones &* 0x20) & ~w) | ((del &- ones) & ~del)) & highs
                if flagged == 0 {
                    i += 8
                    continue
                }
                for k in i..<(i + 8) where rewritten(k) { return true }
                i += 8
            }
            while i < end {
                if rewritten(i) { return true }
                i += 1
            }
            return false
        }
        // A long text (a whole caseload's JSON) is read in two halves on both cores.
        guard u.count >= 1 << 20 else { return scan(u, from: 0, to: u.count) }
        let half = u.count / 2
        let found = ConcurrentResults<Bool>(count: 2)
        nonisolated(unsafe) let whole = u
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            found[k] = k == 0 ? scan(whole, from: 0, to: half) : scan(whole, from: half, to: whole.count)
        }
        return found[0] == true || found[1] == true
    }

    public static func escaped(_ text: String, keepNewlines: Bool = true) -> String {
        if !needsEscaping(text, keepNewlines: keepNewlines) { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isControl(s) && !(keepNewlines && s == "\n") {
                out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
