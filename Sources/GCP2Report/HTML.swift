/// Builds HTML text: every piece of text that is not markup goes through `escape`.
struct HTML {
    private(set) var text = ""

    /// Text made safe for element content and quoted attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in an HTML document.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" || (0x7F...0x9F).contains(ch.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// A name or other user-given text, escaped and isolated so right-to-left text cannot reorder what is around it.
    static func name(_ s: String) -> String { "<bdi>\(escape(s))</bdi>" }

    /// Appends raw markup.
    mutating func raw(_ s: String) { text += s }
    /// Appends escaped text.
    mutating func esc(_ s: String) { text += HTML.escape(s) }

    /// `<tag attrs>escaped text</tag>`.
    mutating func element(_ tag: String, _ content: String, attrs: String = "") {
        text += "<\(tag)\(attrs.isEmpty ? "" : " " + attrs)>\(HTML.escape(content))</\(tag)>"
    }

    /// A bulleted list of escaped items, or the `empty` words when there are none.
    mutating func list(_ items: [String], empty: String? = nil, cls: String = "") {
        let shown = items.isEmpty ? (empty.map { [$0] } ?? []) : items
        if shown.isEmpty { return }
        text += cls.isEmpty ? "<ul>" : "<ul class=\"\(cls)\">"
        for i in shown { text += "<li>\(HTML.escape(i))</li>" }
        text += "</ul>\n"
    }

    /// A table: a caption, a header row and body rows; every cell escaped. The first column is a row header.
    mutating func table(id: String, caption: String, header: [String], rows: [[String]], cls: String = "data") {
        text += "<table class=\"\(cls)\" id=\"\(HTML.escape(id))\"><caption>\(HTML.escape(caption))</caption>"
        text += "<thead><tr>" + header.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for r in rows {
            text += "<tr>"
            for (k, c) in r.enumerated() {
                text += k == 0 ? "<th scope=\"row\">\(HTML.escape(c))</th>" : "<td>\(HTML.escape(c))</td>"
            }
            text += "</tr>"
        }
        text += "</tbody></table>\n"
    }
}

/// Numbers written the same way on every run and every machine.
enum Num {
    /// A coordinate with at most one decimal place.
    static func f(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
