import GCP2Core

/// Inline SVG charts. Each is an `<svg role="img">` with a `<title>` and `<desc>`; band and needing-work areas
/// carry a pattern and a word as well as a tint, so nothing depends on colour alone (or on a colour printer).
enum Chart {
    /// One row of a profile chart: a level's latest grade (solid) and the previous assessment's (outline).
    struct ProfileRow {
        var label: String
        var isArea: Bool
        var latest: Grade?
        var previous: Grade?
    }

    /// A mark on a time chart: a target's grade at its review-by date.
    struct Marker {
        var date: CalendarDate
        var grade: Grade
        var label: String
    }

    /// The patterns one chart uses, with ids unique to the chart (ids are global to the page).
    static func defs(_ id: String) -> String {
        """
        <defs><pattern id="\(id)-hb" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="6" height="6" class="band-borderline"/><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>\
        <pattern id="\(id)-hc" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">\
        <rect width="5" height="5" class="band-concern"/><line x1="0" y1="0" x2="0" y2="5" class="hatch"/>\
        <line x1="2.5" y1="0" x2="2.5" y2="5" class="hatch"/></pattern>\
        <pattern id="\(id)-hs" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="8" height="8" class="spell"/><line x1="0" y1="0" x2="0" y2="8" class="spell-hatch"/></pattern></defs>
        """
    }

    /// The opening of a chart; `table` is the id of the table holding the same numbers.
    static func open(id: String, table: String, width: Int, height: Int, title: String, desc: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" "
            + "data-table=\"\(HTML.escape(table))\" "
            + "width=\"\(width)\" height=\"\(height)\" aria-labelledby=\"\(id)-t \(id)-d\">"
            + "<title id=\"\(id)-t\">\(HTML.escape(title))</title><desc id=\"\(id)-d\">\(HTML.escape(desc))</desc>"
            + defs(id)
    }

    static func text(
        _ x: Double, _ y: Double, _ s: String, anchor: String = "start", cls: String = "lbl", extra: String = ""
    ) -> String {
        "<text x=\"\(Num.f(x))\" y=\"\(Num.f(y))\" text-anchor=\"\(anchor)\" class=\"\(cls)\"\(extra)>\(HTML.escape(s))</text>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ attrs: String) -> String {
        "<rect x=\"\(Num.f(x))\" y=\"\(Num.f(y))\" width=\"\(Num.f(max(0, w)))\" height=\"\(Num.f(max(0, h)))\" \(attrs)/>"
    }

    /// The fill of a band: a tint for strength, hatching for borderline and concern.
    static func bandFill(_ band: Band, _ id: String) -> String {
        switch band {
        case .strength: "class=\"band-strength\""
        case .borderline: "fill=\"url(#\(id)-hb)\""
        case .concern: "fill=\"url(#\(id)-hc)\""
        }
    }

    /// Horizontal bars on the 1–5 scale over the strength, borderline and concern bands: the latest grade solid,
    /// the previous assessment's as a dashed outline, the grade written at the end of each bar.
    static func profile(
        id: String, table: String, title: String, desc: String, rows: [ProfileRow], bands: BandThresholds, labelWidth: Int = 230,
        plotWidth: Int = 400, rowHeight: Int = 20, compact: Bool = false
    ) -> String {
        // Compact charts (siblings side by side) are too narrow for band names and a legend: the page gives one
        // legend for all of them (`Report.legend`).
        let top = compact ? 20.0 : 34.0, lw = Double(labelWidth), pw = Double(plotWidth)
        let height = Int(top) + rows.count * rowHeight + (compact ? 4 : 26)
        let width = labelWidth + plotWidth + 40
        func x(_ g: Double) -> Double { lw + (g - 0.5) / 5 * pw }
        var s = open(id: id, table: table, width: width, height: height, title: title, desc: desc)
        let plotH = Double(rows.count * rowHeight)
        let ranges: [(Band, Double, Double, String)] = [
            (.strength, 0.5, Double(bands.strengthMax) + 0.5, "strength 1–\(bands.strengthMax)"),
            (
                .borderline, Double(bands.strengthMax) + 0.5, Double(bands.borderlineMax) + 0.5,
                bands.borderlineMax == bands.strengthMax + 1
                    ? "borderline \(bands.borderlineMax)" : "borderline \(bands.strengthMax + 1)–\(bands.borderlineMax)"
            ),
            (.concern, Double(bands.borderlineMax) + 0.5, 5.5, "concern \(bands.borderlineMax + 1)–5"),
        ]
        for (band, from, to, label) in ranges where to > from {
            s += rect(x(from), top, x(to) - x(from), plotH, bandFill(band, id))
            if !compact { s += text((x(from) + x(to)) / 2, 14, label, anchor: "middle", cls: "band-label") }
        }
        for g in Grade.scale {
            s +=
                "<line x1=\"\(Num.f(x(Double(g))))\" y1=\"\(Num.f(top - 4))\" x2=\"\(Num.f(x(Double(g))))\" "
                + "y2=\"\(Num.f(top + plotH))\" class=\"grid\"/>"
            s += text(
                x(Double(g)), top - 8, g == 1 ? "1 best" : g == 5 && !compact ? "5 worst" : "\(g)", anchor: "middle", cls: "tick")
        }
        for (k, r) in rows.enumerated() {
            let y = top + Double(k * rowHeight)
            let h = Double(rowHeight)
            s += text(r.isArea ? 4 : 16, y + h * 0.68, r.label, cls: r.isArea ? "lbl area" : "lbl")
            if let g = r.latest {
                s += rect(x(0.5), y + h * 0.22, x(Double(g.rawValue)) - x(0.5), h * 0.56, "class=\"bar\"")
                s += text(x(Double(g.rawValue)) + 5, y + h * 0.68, "\(g)", cls: "val")
            } else {
                s += text(x(0.5) + 4, y + h * 0.68, "not graded", cls: "lbl muted")
            }
            if let p = r.previous {
                s += rect(x(0.5), y + h * 0.12, x(Double(p.rawValue)) - x(0.5), h * 0.76, "class=\"prev\"")
            }
            if r.isArea && k > 0 {
                s += "<line x1=\"0\" y1=\"\(Num.f(y))\" x2=\"\(Num.f(x(5.5)))\" y2=\"\(Num.f(y))\" class=\"sep\"/>"
            }
        }
        if !compact {
            let ly = top + plotH + 16
            s += rect(lw, ly - 9, 22, 10, "class=\"bar\"") + text(lw + 28, ly, "latest assessment", cls: "lbl")
            s += rect(lw + 160, ly - 11, 22, 14, "class=\"prev\"") + text(lw + 188, ly, "previous assessment", cls: "lbl")
        }
        return s + "</svg>"
    }

    /// Grades over time with true date spacing: 1 best at the top, the needs-work line, spells needing work
    /// shaded, and targets as diamonds at their review-by date.
    static func trend(
        id: String, table: String, title: String, desc: String, points: [SeriesPoint], spells: [Spell], markers: [Marker],
        from: CalendarDate, to: CalendarDate, needsWorkFrom: Int, width: Int = 470, height: Int = 214
    ) -> String {
        let left = 46.0, right = Double(width) - 14, top = 24.0, bottom = Double(height) - 62
        let span = Double(max(1, from.days(to: to)))
        func x(_ d: CalendarDate) -> Double { left + Double(from.days(to: d)) / span * (right - left) }
        func y(_ g: Double) -> Double { top + (g - 1) / 4 * (bottom - top) }
        var s = open(id: id, table: table, width: width, height: height, title: title, desc: desc)
        for sp in spells {
            let a = max(from, sp.start), b = min(to, sp.end ?? to)
            if b < a { continue }
            s += rect(x(a), top - 6, max(2, x(b) - x(a)), bottom - top + 12, "fill=\"url(#\(id)-hs)\" class=\"spell-area\"")
        }
        for g in Grade.scale {
            s +=
                "<line x1=\"\(Num.f(left))\" y1=\"\(Num.f(y(Double(g))))\" x2=\"\(Num.f(right))\" y2=\"\(Num.f(y(Double(g))))\" class=\"grid\"/>"
            s += text(left - 6, y(Double(g)) + 4, g == 1 ? "1 best" : g == 5 ? "5 worst" : "\(g)", anchor: "end", cls: "tick")
        }
        let nw = y(Double(needsWorkFrom) - 0.5)
        s += "<line x1=\"\(Num.f(left))\" y1=\"\(Num.f(nw))\" x2=\"\(Num.f(right))\" y2=\"\(Num.f(nw))\" class=\"needs-line\"/>"
        // Axis: the first and last dates, and the year boundaries in between.
        s +=
            "<line x1=\"\(Num.f(left))\" y1=\"\(Num.f(bottom + 6))\" x2=\"\(Num.f(right))\" y2=\"\(Num.f(bottom + 6))\" class=\"axis\"/>"
        s += text(left, bottom + 20, from.description, anchor: "start", cls: "tick")
        s += text(right, bottom + 20, to.description, anchor: "end", cls: "tick")
        var year = from.year + 1
        while let jan = CalendarDate(year: year, month: 1, day: 1), jan < to {
            let jx = x(jan)
            if jx - left > 70 && right - jx > 70 {
                s +=
                    "<line x1=\"\(Num.f(jx))\" y1=\"\(Num.f(bottom + 2))\" x2=\"\(Num.f(jx))\" y2=\"\(Num.f(bottom + 10))\" class=\"axis\"/>"
                s += text(jx, bottom + 20, String(year), anchor: "middle", cls: "tick")
            }
            year += 1
        }
        // Legend: the needs-work line, then the spells and targets when there are any.
        let l1 = bottom + 36, l2 = bottom + 53
        s += "<line x1=\"4\" y1=\"\(Num.f(l1 - 4))\" x2=\"26\" y2=\"\(Num.f(l1 - 4))\" class=\"needs-line\"/>"
        s += text(30, l1, "below the line: graded \(needsWorkFrom) or worse, needs work", cls: "tick")
        if !spells.isEmpty {
            s += rect(4, l2 - 10, 22, 12, "fill=\"url(#\(id)-hs)\" class=\"spell-area\"")
            s += text(30, l2, "a spell when any area needed work", cls: "tick")
        }
        if !markers.isEmpty {
            s += "<path d=\"M240 \(Num.f(l2 - 4)) l5 -5 l5 5 l-5 5 z\" class=\"target\"/>"
            s += text(254, l2, "a target, at its review-by date", cls: "tick")
        }
        if points.count > 1 {
            let path = points.map { "\(Num.f(x($0.date))),\(Num.f(y(Double($0.grade.rawValue))))" }.joined(separator: " ")
            s += "<polyline points=\"\(path)\" class=\"series\"/>"
        }
        for p in points {
            let px = x(p.date), py = y(Double(p.grade.rawValue))
            s += "<circle cx=\"\(Num.f(px))\" cy=\"\(Num.f(py))\" r=\"4.5\" class=\"point\"/>"
            s += text(px, py - 8, "\(p.grade)", anchor: "middle", cls: "val")
        }
        for m in markers {
            let mx = x(m.date), my = y(Double(m.grade.rawValue))
            s +=
                "<path d=\"M\(Num.f(mx)) \(Num.f(my - 6)) l6 6 l-6 6 l-6 -6 z\" class=\"target\"><title>\(HTML.escape(m.label))</title></path>"
        }
        return s + "</svg>"
    }

    /// Horizontal bars of counts, the number written at the end of each bar.
    static func counts(
        id: String, table: String, title: String, desc: String, rows: [(String, Int)], labelWidth: Int = 200,
        plotWidth: Int = 220,
        rowHeight: Int = 18
    ) -> String {
        let top = 6.0, lw = Double(labelWidth), pw = Double(plotWidth)
        let height = Int(top) + rows.count * rowHeight + 8
        let maxValue = max(1, rows.map(\.1).max() ?? 1)
        var s = open(id: id, table: table, width: labelWidth + plotWidth + 40, height: height, title: title, desc: desc)
        s +=
            "<line x1=\"\(Num.f(lw))\" y1=\"\(Num.f(top))\" x2=\"\(Num.f(lw))\" y2=\"\(Num.f(top + Double(rows.count * rowHeight)))\" class=\"axis\"/>"
        for (k, r) in rows.enumerated() {
            let y = top + Double(k * rowHeight), h = Double(rowHeight)
            s += text(lw - 6, y + h * 0.7, r.0, anchor: "end", cls: "lbl")
            let w = Double(r.1) / Double(maxValue) * pw
            if r.1 > 0 { s += rect(lw, y + h * 0.2, w, h * 0.6, "class=\"bar\"") }
            s += text(lw + w + 5, y + h * 0.7, "\(r.1)", cls: "val")
        }
        return s + "</svg>"
    }
}
