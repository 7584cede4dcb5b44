import Foundation
import GCP2Core

/// Writes a command's results: text for people, JSON for programs, errors to stderr.
final class Output: @unchecked Sendable {
    private let env: CLIEnvironment
    /// The stores this run opened and the changes they committed.
    let session = Session()
    init(_ env: CLIEnvironment) { self.env = env }

    // Every text sink writes through `TextRule.escaped`: control and bidirectional control characters in stored
    // or given text reach the terminal as `\u{1B}`, never raw. Newlines are kept; the renderers indent the
    // continuation lines of stored multi-line text (`Layout.continued`), so it cannot fake a line of its own.

    func line(_ s: String = "") { env.write(TextRule.escaped(s) + "\n") }
    func text(_ s: String) { env.write(TextRule.escaped(s.hasSuffix("\n") ? s : s + "\n")) }

    /// A question without a newline, for the interactive session.
    func prompt(_ s: String) { env.write(TextRule.escaped(s, keepNewlines: false)) }

    /// `error: …` on stderr, then the hint.
    func error(_ message: String, hint: String?) {
        env.writeError("error: \(TextRule.escaped(message))\n")
        if let hint { env.writeError(Layout.wrapped("hint: ", TextRule.escaped(hint), indent: "      ") + "\n") }
    }

    /// Information on stderr, beside output that a program may read from stdout.
    func note(_ message: String) { env.writeError("note: \(TextRule.escaped(message))\n") }

    /// A note on stderr that does not change the exit code.
    func warn(_ message: String) { env.writeError("warning: \(TextRule.escaped(message))\n") }

    /// Deterministic JSON with a trailing newline. The encoder escapes C0 controls itself; DEL, C1 and the
    /// bidirectional controls, which it writes raw, are written as `\uXXXX` escapes too (the same JSON value).
    func json<T: Encodable>(_ value: T) {
        // Written as the writer's bytes when there is nothing to escape: a whole region's `caseload --json` is tens
        // of megabytes, never copied into a string.
        guard let bytes = CanonicalWriter.document(value) else {
            return env.write(Output.jsonEscaped(CanonicalJSON.text(value)))
        }
        if !TextRule.needsEscaping(utf8: bytes, keepNewlines: true) { return env.writeBytes(bytes) }
        env.write(Output.jsonEscaped(String(decoding: bytes, as: UTF8.self)))
    }

    /// JSON text with every raw control character (`TextRule.isControl`) written as a `\uXXXX` escape. Raw, they
    /// can only stand inside strings, where the escape means the same character.
    static func jsonEscaped(_ json: String) -> String {
        // Text without a control character but the newline (nearly all output, accented names included) is returned
        // as it is: the control characters are found by their UTF-8 bytes, without decoding scalars.
        guard TextRule.needsEscaping(json, keepNewlines: true) else { return json }
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            if TextRule.isControl(s) && s != "\n" {
                let hex = String(s.value, radix: 16)
                out.append(contentsOf: "\\u\(String(repeating: "0", count: 4 - hex.count))\(hex)".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// User-supplied text made safe for an error line: control characters (`TextRule.isControl`) replaced, length
    /// capped.
    static func safe(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { TextRule.isControl($0) ? "?" : $0 }))
        return clean.count > 48 ? "'\(clean.prefix(48))…'" : "'\(clean)'"
    }
}

/// Text layout helpers shared by the reports.
enum Layout {
    /// A five-cell bar for a grade: one filled cell per grade point (more filled is worse).
    static func bar(_ g: Grade?) -> String {
        guard let g else { return "·····" }
        return String(repeating: "█", count: g.rawValue) + String(repeating: "░", count: 5 - g.rawValue)
    }

    static func grade(_ g: Grade?) -> String { g.map { String($0.rawValue) } ?? "–" }

    static func band(_ b: Band?) -> String { b?.rawValue ?? "not graded" }

    /// Left-aligned columns separated by two spaces; trailing spaces trimmed.
    static func table(_ rows: [[String]], indent: String = "  ") -> String {
        render(rows, widths: columnWidths(rows), indent: indent)
    }

    /// The widest cell of each column.
    static func columnWidths(_ rows: [[String]]) -> [Int] {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], displayWidth(c)) } }
        return widths
    }

    /// Rows padded to `widths`, two spaces between columns, trailing spaces trimmed. A cell of several lines (stored
    /// evidence) has its continuation lines indented to its column.
    static func render(_ rows: [[String]], widths: [Int], indent: String) -> String {
        rows.map { r in
            var line: [UInt8] = []
            renderRow(r, widths: widths, indent: indent, into: &line)
            return String(decoding: line, as: UTF8.self)
        }.joined(separator: "\n")
    }

    /// One row of `render`, appended as bytes (the caseload renders tens of thousands of rows into one buffer).
    static func renderRow(_ r: [String], widths: [Int], indent: String, into line: inout [UInt8]) {
        let rowStart = line.count
        line += indent.utf8
        var column = displayWidth(indent)
        for (i, c) in r.enumerated() {
            // The continuation indent is built only for a cell of several lines (rare; the caseload has 25,000 rows).
            let several = !scan(c).oneLine
            line += several ? continued(c, indent: String(repeating: " ", count: column)).utf8 : c.utf8
            if i < r.count - 1 {
                let pad = max(0, widths[i] - (several ? lastLineWidth(c) : displayWidth(c))) + 2
                line.append(contentsOf: repeatElement(0x20, count: pad))
                column += widths[i] + 2
            }
        }
        while line.count > rowStart, line.last == 0x20 { line.removeLast() }
    }

    /// Columns a string takes (its widest line): its byte count when ASCII (the common case, O(1)), else its
    /// characters.
    static func displayWidth(_ s: String) -> Int {
        let (bytes, oneLine, ascii) = scan(s)
        if ascii && oneLine { return bytes }
        // Lines split on the newline byte: split by characters, a "\r\n" stays one character and the same string
        // would come back here for ever.
        if !oneLine {
            return s.utf8.split(separator: 0x0A).map { displayWidth(String(decoding: $0, as: UTF8.self)) }.max() ?? 0
        }
        return s.count
    }

    /// A string's UTF-8 length, whether it has no newline byte, and whether it is all ASCII: one pass over its bytes
    /// (a caseload's table measures every cell of 25,000 rows).
    static func scan(_ s: String) -> (bytes: Int, oneLine: Bool, ascii: Bool) {
        func over(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Bool, Bool) {
            var any: UInt8 = 0
            var newline = false
            for x in b {
                any |= x
                newline = newline || x == 0x0A
            }
            return (b.count, !newline, any < 0x80)
        }
        if let r = s.utf8.withContiguousStorageIfAvailable(over) { return r }
        var copy = s
        return copy.withUTF8(over)
    }

    /// Columns the last line of a string takes.
    static func lastLineWidth(_ s: String) -> Int {
        guard let cut = s.lastIndex(of: "\n") else { return displayWidth(s) }
        return displayWidth(String(s[s.index(after: cut)...]))
    }

    /// Stored text that may hold several lines (evidence, views, notes, reasons) with its continuation lines
    /// indented by `indent`, so that no line of it can pass for a line of gcp2's own (`error: …`).
    static func continued(_ text: String, indent: String) -> String {
        text.contains("\n") ? text.replacingOccurrences(of: "\n", with: "\n" + indent) : text
    }

    /// `lead` then `text` wrapped at word boundaries to `width` columns; continuation lines, and every line of a
    /// stored multi-line text, start with `indent`, so no line of it can pass for a line of gcp2's own.
    static func wrapped(_ lead: String, _ text: String, indent: String, width: Int = 80) -> String {
        var lines: [String] = []
        var current = lead
        for (k, paragraph) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if k > 0 {
                lines.append(current)
                current = indent
            }
            for word in paragraph.split(separator: " ") {
                let w = String(word)
                let gap = current.isEmpty || current.hasSuffix(" ") ? "" : " "
                if displayWidth(current) + gap.count + displayWidth(w) > width && displayWidth(current) > indent.count {
                    lines.append(current)
                    current = indent + w
                } else {
                    current += gap + w
                }
            }
        }
        lines.append(current)
        return lines.map { l in
            var l = l
            while l.last == " " { l.removeLast() }
            return l
        }.joined(separator: "\n")
    }

    /// Two columns, the second wrapped at word boundaries so every line fits `width`: a name and its description,
    /// continuation lines under the description (or, when the names are wide, indented on the next lines).
    static func definitions(_ rows: [(String, String)], width: Int = 80) -> String {
        let nameWidth = min(rows.map { displayWidth($0.0) }.max() ?? 0, 26)
        return rows.map { name, text in
            let pad = max(0, nameWidth - displayWidth(name))
            if displayWidth(name) > nameWidth {
                return name + "\n"
                    + wrapped(
                        String(repeating: " ", count: nameWidth + 2), text,
                        indent: String(repeating: " ", count: nameWidth + 2), width: width)
            }
            return wrapped(
                name + String(repeating: " ", count: pad + 2), text,
                indent: String(repeating: " ", count: nameWidth + 2), width: width)
        }.joined(separator: "\n")
    }

    /// "1 family", "3 families": a count with its noun in the right number.
    static func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

    /// "7 years 2 months" or "8 months".
    static func age(months: Int) -> String {
        if months < 24 { return "\(months) month\(months == 1 ? "" : "s")" }
        let y = months / 12, m = months % 12
        return m == 0 ? "\(y) years" : "\(y) years \(m) month\(m == 1 ? "" : "s")"
    }

    /// "5 months" or "40 days", for durations in sentences.
    static func duration(days: Int) -> String {
        if days >= 60 { return "\(days / 30) months" }
        if days >= 14 { return "\(days / 7) weeks" }
        return "\(days) day\(days == 1 ? "" : "s")"
    }

    /// Wraps a list sentence at `width` columns, breaking after commas where it can (so names stay whole),
    /// indenting every line by two spaces and continuation lines by four.
    static func wrap(_ text: String, width: Int = 80) -> String {
        let pieces = text.components(separatedBy: ", ")
        var lines: [String] = []
        var current = "  "
        for (n, piece) in pieces.enumerated() {
            let item = piece + (n < pieces.count - 1 ? "," : "")
            let gap = current.hasSuffix(" ") ? "" : " "
            if displayWidth(current) + gap.count + displayWidth(item) > width && current.count > 4 {
                lines.append(current)
                current = "    " + item
            } else {
                current += gap + item
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A list of bullets, each wrapped at word boundaries to `width` columns with continuation lines aligned.
    static func bullets(_ items: [String], indent: String = "  ", width: Int = 80) -> String {
        items.map { item in
            var lines: [String] = []
            var current = indent + "- "
            let lead = String(repeating: " ", count: displayWidth(current))
            for word in item.split(separator: " ", omittingEmptySubsequences: false) {
                let w = String(word)
                if displayWidth(current) + 1 + displayWidth(w) > width && current.count > lead.count {
                    lines.append(current)
                    current = lead + w
                } else {
                    current += (current.hasSuffix("- ") && current.count == lead.count ? "" : " ") + w
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n") + "\n"
        }.joined()
    }

    static func arrow(_ d: Direction) -> String {
        switch d {
        case .improved: "↓ better"
        case .worse: "↑ worse"
        case .unchanged: "= same"
        case .notComparable: "  –"
        }
    }
}
