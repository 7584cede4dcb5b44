import GCP2Core

// The index and caseload entries' large parts written straight to JSON bytes (their members in
// `DirectJSON+Documents.swift`): `doctor` writes both entries of every family to compare them with the stored
// ones. The bytes are those of the synthesised `Encodable` conformances under `CanonicalJSON`;
// `CanonicalWriterTests` compares them with `JSONEncoder`'s on every entry of generated stores.

extension IndexedFamily: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("carers", &out)
        DirectJSON.array(carers, indent: indent + 2, into: &out)
        m.key("children", &out)
        DirectJSON.array(children, indent: indent + 2, into: &out)
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("ref", &out)
        DirectJSON.string(ref, into: &out)
        m.close(&out)
    }
}

extension IndexedAssessment: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        if let agencies {
            m.key("agencies", &out)
            DirectJSON.array(agencies, indent: indent + 2, into: &out) { a, out in DirectJSON.string(a.rawValue, into: &out) }
        }
        m.key("carers", &out)
        DirectJSON.array(carers, indent: indent + 2, into: &out) { c, out in DirectJSON.string(c.rawValue, into: &out) }
        m.key("date", &out)
        DirectJSON.date(date, into: &out)
        m.key("digests", &out)
        DirectJSON.object(digests, indent: indent + 2, into: &out) { d, out in DirectJSON.string(d, into: &out) }
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("profiles", &out)
        DirectJSON.array(profiles, indent: indent + 2, into: &out)
        m.key("status", &out)
        DirectJSON.string(status.rawValue, into: &out)
        if let teams {
            m.key("teams", &out)
            DirectJSON.strings(teams, indent: indent + 2, into: &out)
        }
        if let unannounced {
            m.key("unannounced", &out)
            DirectJSON.int(unannounced, into: &out)
        }
        m.key("version", &out)
        DirectJSON.int(version, into: &out)
        m.close(&out)
    }
}

extension CaseloadEntry.ChildGrades: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("child", &out)
        DirectJSON.string(child.rawValue, into: &out)
        m.key("grades", &out)
        DirectJSON.string(grades, into: &out)
        if let heard {
            m.key("heard", &out)
            DirectJSON.string(heard.rawValue, into: &out)
        }
        if let items {
            m.key("items", &out)
            DirectJSON.object(items, indent: indent + 2, into: &out) { g, out in DirectJSON.int(g, into: &out) }
        }
        if let seenAlone {
            m.key("seenAlone", &out)
            DirectJSON.bool(seenAlone, into: &out)
        }
        if let targets {
            m.key("targets", &out)
            DirectJSON.array(targets, indent: indent + 2, into: &out)
        }
        m.close(&out)
    }
}

extension CaseloadEntry.Final: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        if let agencies {
            m.key("agencies", &out)
            DirectJSON.array(agencies, indent: indent + 2, into: &out) { a, out in DirectJSON.string(a.rawValue, into: &out) }
        }
        m.key("carers", &out)
        DirectJSON.array(carers, indent: indent + 2, into: &out) { c, out in DirectJSON.string(c.rawValue, into: &out) }
        m.key("date", &out)
        DirectJSON.date(date, into: &out)
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("profiles", &out)
        DirectJSON.array(profiles, indent: indent + 2, into: &out)
        if let teams {
            m.key("teams", &out)
            DirectJSON.strings(teams, indent: indent + 2, into: &out)
        }
        if let unannounced {
            m.key("unannounced", &out)
            DirectJSON.int(unannounced, into: &out)
        }
        m.close(&out)
    }
}
