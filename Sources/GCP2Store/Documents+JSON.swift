import GCP2Core

// The index and caseload entries written straight to JSON bytes, whole (their members in
// `DirectJSON+Documents.swift`): `doctor` writes both entries of every family to compare them with the stored
// ones, and the entries' own keys through `Encodable` cost a third as much as all their members. The bytes are those of the synthesised `Encodable` conformances under `CanonicalJSON`;
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

extension IndexedDecision: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("decision", &out)
        decision.writeJSON(into: &out, indent: indent + 2)
        m.key("digest", &out)
        DirectJSON.string(digest, into: &out)
        m.close(&out)
    }
}

extension FamilyIndex: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("assessments", &out)
        DirectJSON.array(assessments, indent: indent + 2, into: &out)
        if let decisions {
            m.key("decisions", &out)
            DirectJSON.array(decisions, indent: indent + 2, into: &out)
        }
        m.key("family", &out)
        family.writeJSON(into: &out, indent: indent + 2)
        if let familyDigest {
            m.key("familyDigest", &out)
            DirectJSON.string(familyDigest, into: &out)
        }
        m.key("schemaVersion", &out)
        DirectJSON.int(schemaVersion, into: &out)
        m.close(&out)
    }
}

extension CaseloadEntry: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        if let decisions {
            m.key("decisions", &out)
            DirectJSON.array(decisions, indent: indent + 2, into: &out)
        }
        if let drafts {
            m.key("drafts", &out)
            DirectJSON.array(drafts, indent: indent + 2, into: &out)
        }
        m.key("family", &out)
        family.writeJSON(into: &out, indent: indent + 2)
        m.key("finals", &out)
        DirectJSON.array(finals, indent: indent + 2, into: &out)
        m.key("levels", &out)
        DirectJSON.string(levels, into: &out)
        m.key("schemaVersion", &out)
        DirectJSON.int(schemaVersion, into: &out)
        m.close(&out)
    }
}
