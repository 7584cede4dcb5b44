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
    public static func escaped(_ text: String, keepNewlines: Bool = true) -> String {
        // Fast path: nothing to escape (ASCII without controls; lead bytes of the escaped ranges checked).
        var clean = true
        for b in text.utf8 where b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2 {
            if b == 0x0A && keepNewlines { continue }
            clean = false
            break
        }
        if clean { return text }
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
