/// The one stylesheet of every report: screen and A4 print, legible in black and white.
///
/// Text colours meet WCAG AA contrast on white (body #1b1f24 is 16.6:1, muted #4a5560 is 7.6:1); bands carry a
/// word and a pattern as well as a tint.
enum Style {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 14px; line-height: 1.45;
          color: #1b1f24; background: #fff; margin: 0 auto; padding: 24px; max-width: 1080px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 0 0 6px; border-bottom: 3px solid #1b1f24; padding-bottom: 4px; }
        h3 { font-size: 16px; margin: 18px 0 6px; }
        h4 { font-size: 14px; margin: 12px 0 4px; }
        p { margin: 4px 0; }
        .meta { color: #4a5560; }
        .muted { fill: #4a5560; color: #4a5560; }
        header.report { border-bottom: 1px solid #8a949e; margin-bottom: 16px; padding-bottom: 8px; }
        section.child, section.family, section.caseload { margin: 0 0 28px; }
        .flags { list-style: none; padding: 0; margin: 6px 0; }
        .flags li { border-left: 6px solid #8b1a1a; background: #fbeaea; padding: 3px 8px; margin: 3px 0; }
        .flags li.none { border-left-color: #2e6b3f; background: #eaf4ed; }
        .lists { max-width: 820px; }
        .lists h4 { margin-top: 6px; }
        .lists ul { margin: 0; padding-left: 20px; }
        figure { margin: 10px 0 14px; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-weight: bold; margin-bottom: 4px; }
        figure.side { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: flex-start; }
        figure.side figcaption { flex-basis: 100%; }
        dt { font-weight: bold; }
        dd { margin: 0 0 6px 20px; }
        .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 4px 18px; }
        .siblings { display: flex; flex-wrap: wrap; gap: 12px 16px; }
        .legend { font-size: 12px; color: #1b1f24; margin: 2px 0 8px; }
        .sw { display: inline-block; width: 18px; height: 11px; vertical-align: -1px; border: 1px solid #8a949e; }
        .sw-strength { background: #e3f1e6; }
        .sw-borderline { background: repeating-linear-gradient(45deg, #a08c7a 0 1px, #fcf0cf 1px 4px); }
        .sw-concern { background: repeating-linear-gradient(-45deg, #a08c7a 0 1px, #f8dcdc 1px 3px); }
        .sw-bar { background: #2c3e57; border-color: #2c3e57; }
        .sw-prev { border: 1.5px dashed #1b1f24; background: none; }
        .siblings figure { margin: 0; }
        svg.chart { max-width: 100%; height: auto; display: block; }
        svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        .lbl { font-size: 12px; fill: #1b1f24; }
        .lbl.area { font-weight: bold; }
        .val { font-size: 12px; font-weight: bold; fill: #1b1f24; }
        .tick { font-size: 11px; fill: #4a5560; }
        .tick.strong { fill: #1b1f24; font-weight: bold; }
        .band-label { font-size: 11px; fill: #1b1f24; }
        .band-strength { fill: #e3f1e6; }
        .band-borderline { fill: #fcf0cf; }
        .band-concern { fill: #f8dcdc; }
        .hatch { stroke: #a08c7a; stroke-width: 1; }
        .spell { fill: #fbf0f0; }
        .spell-hatch { stroke: #e0c2c2; stroke-width: 1.5; }
        .grid { stroke: #c3c9cf; stroke-width: 1; }
        .sep { stroke: #8a949e; stroke-width: 1; }
        .axis { stroke: #4a5560; stroke-width: 1; }
        .bar { fill: #2c3e57; }
        .prev { fill: none; stroke: #1b1f24; stroke-width: 1.5; stroke-dasharray: 4 2; }
        .needs-line { stroke: #8b1a1a; stroke-width: 1.5; stroke-dasharray: 6 3; }
        .series { fill: none; stroke: #2c3e57; stroke-width: 2; }
        .point { fill: #2c3e57; stroke: #fff; stroke-width: 1.5; }
        .target { fill: #fff; stroke: #1b1f24; stroke-width: 1.5; }
        table { border-collapse: collapse; margin: 6px 0 10px; font-size: 12px; }
        caption { text-align: left; font-weight: bold; padding: 2px 0; white-space: nowrap; }
        th, td { border: 1px solid #aab2ba; padding: 2px 6px; text-align: left; vertical-align: top; }
        thead th { background: #eef1f4; }
        table.data { font-size: 11px; color: #1b1f24; }
        table.triage td:nth-child(2), table.triage td:nth-child(4) { white-space: nowrap; }
        .sr-note { font-size: 12px; color: #4a5560; }
        .id { white-space: nowrap; }
        footer.report { border-top: 1px solid #8a949e; margin-top: 24px; padding-top: 8px; font-size: 12px; color: #4a5560; }
        @page { size: A4; margin: 14mm 12mm; }
        @media print {
          body { padding: 0; max-width: none; font-size: 11pt; }
          section.child { break-before: page; page-break-before: always; }
          section.child:first-of-type { break-before: auto; page-break-before: auto; }
          figure, table, .lists > div, header.child { break-inside: avoid; page-break-inside: avoid; }
          h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
          .flags li { background: none; border-left-width: 4px; }
          table.data { font-size: 8pt; }
          th, td { padding: 1px 4px; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
