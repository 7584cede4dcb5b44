import Foundation

// The caseload's lines written straight to JSON bytes: `caseload --json` at 10,000 families is 25,000 lines, and
// building a tree of them through `Encodable` cost as much as the caseload itself. The bytes are those of the
// synthesised `Encodable` conformance under `CanonicalJSON` (keys in byte order, absent optionals left out);
// `CanonicalWriterTests` compares them with `JSONEncoder`'s on generated stores at several dates.

extension CaseloadLine: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("areas", &out)
        DirectJSON.array(areas, indent: indent + 2, into: &out)
        m.key("assessments", &out)
        DirectJSON.int(assessments, into: &out)
        m.key("born", &out)
        DirectJSON.date(born, into: &out)
        m.key("childId", &out)
        DirectJSON.string(childId.rawValue, into: &out)
        m.key("childName", &out)
        DirectJSON.string(childName, into: &out)
        m.key("cumulativeDays", &out)
        DirectJSON.int(cumulativeDays, into: &out)
        if let v = currentSpellDays {
            m.key("currentSpellDays", &out)
            DirectJSON.int(v, into: &out)
        }
        if let v = daysOverdue {
            m.key("daysOverdue", &out)
            DirectJSON.int(v, into: &out)
        }
        if let v = daysSinceLatest {
            m.key("daysSinceLatest", &out)
            DirectJSON.int(v, into: &out)
        }
        m.key("familyId", &out)
        DirectJSON.string(familyId.rawValue, into: &out)
        m.key("familyRef", &out)
        DirectJSON.string(familyRef, into: &out)
        m.key("flags", &out)
        DirectJSON.array(flags.map(\.rawValue), indent: indent + 2, into: &out)
        if let v = latestAssessment {
            m.key("latestAssessment", &out)
            DirectJSON.string(v.rawValue, into: &out)
        }
        if let v = latestDate {
            m.key("latestDate", &out)
            DirectJSON.date(v, into: &out)
        }
        if let v = level {
            m.key("level", &out)
            DirectJSON.string(v.rawValue, into: &out)
        }
        m.key("severity", &out)
        DirectJSON.string(severity.rawValue, into: &out)
        m.key("spells", &out)
        DirectJSON.int(spells, into: &out)
        m.key("teenager", &out)
        out.append(contentsOf: teenager ? "true".utf8 : "false".utf8)
        if let v = worstGrade {
            m.key("worstGrade", &out)
            DirectJSON.int(v.rawValue, into: &out)
        }
        m.close(&out)
    }
}

extension CaseloadArea: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("code", &out)
        DirectJSON.string(code, into: &out)
        if let v = grade {
            m.key("grade", &out)
            DirectJSON.int(v.rawValue, into: &out)
        }
        m.key("linkId", &out)
        DirectJSON.string(linkId.rawValue, into: &out)
        if let v = trend {
            m.key("trend", &out)
            DirectJSON.string(v.rawValue, into: &out)
        }
        m.close(&out)
    }
}

extension String: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) { DirectJSON.string(self, into: &out) }
}

extension Caseload: DirectJSONWritable {
    /// The whole caseload written directly: its lines straight into the output, never one boxed value per line
    /// (at 30,000 families, 75,000 of them).
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("asOf", &out)
        DirectJSON.date(asOf, into: &out)
        m.key("children", &out)
        DirectJSON.int(children, into: &out)
        m.key("expected", &out)
        DirectJSON.int(expected, into: &out)
        m.key("families", &out)
        DirectJSON.int(families, into: &out)
        m.key("flagCounts", &out)
        DirectJSON.object(flagCounts, indent: indent + 2, into: &out) { n, out in DirectJSON.int(n, into: &out) }
        m.key("lines", &out)
        DirectJSON.array(large: lines, indent: indent + 2, into: &out)
        m.key("trendCounts", &out)
        DirectJSON.object(trendCounts, indent: indent + 2, into: &out) { counts, out in
            DirectJSON.object(counts, indent: indent + 4, into: &out) { n, out in DirectJSON.int(n, into: &out) }
        }
        m.close(&out)
    }
}
