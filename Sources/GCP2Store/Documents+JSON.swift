import GCP2Core

// The index and caseload entries written straight to JSON bytes, whole (their members in
// `DirectJSON+Documents.swift`): `doctor` writes both entries of every family to compare them with the stored
// ones, and the entries' own keys through `Encodable` cost a third as much as all their members. The bytes are those of the synthesised `Encodable` conformances under `CanonicalJSON`;
// `CanonicalWriterTests` compares them with `JSONEncoder`'s on every entry of generated stores.

extension IndexedFamily: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("carers", &out)
        storeArray(carers, indent: indent + 2, into: &out)
        m.key("children", &out)
        storeArray(children, indent: indent + 2, into: &out)
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
            storeArray(agencies, indent: indent + 2, into: &out) { a, out in DirectJSON.string(a.rawValue, into: &out) }
        }
        m.key("carers", &out)
        storeArray(carers, indent: indent + 2, into: &out) { c, out in DirectJSON.string(c.rawValue, into: &out) }
        m.key("date", &out)
        DirectJSON.date(date, into: &out)
        m.key("digests", &out)
        DirectJSON.object(digests, indent: indent + 2, into: &out)
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("profiles", &out)
        storeArray(profiles, indent: indent + 2, into: &out)
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
            DirectJSON.object(items, indent: indent + 2, into: &out)
        }
        if let seenAlone {
            m.key("seenAlone", &out)
            DirectJSON.bool(seenAlone, into: &out)
        }
        if let targets {
            m.key("targets", &out)
            storeArray(targets, indent: indent + 2, into: &out)
        }
        m.close(&out)
    }
}

extension CaseloadEntry.Final: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        if let agencies {
            m.key("agencies", &out)
            storeArray(agencies, indent: indent + 2, into: &out) { a, out in DirectJSON.string(a.rawValue, into: &out) }
        }
        m.key("carers", &out)
        storeArray(carers, indent: indent + 2, into: &out) { c, out in DirectJSON.string(c.rawValue, into: &out) }
        m.key("date", &out)
        DirectJSON.date(date, into: &out)
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("profiles", &out)
        storeArray(profiles, indent: indent + 2, into: &out)
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
        storeArray(assessments, indent: indent + 2, into: &out)
        if let decisions {
            m.key("decisions", &out)
            storeArray(decisions, indent: indent + 2, into: &out)
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
            storeArray(decisions, indent: indent + 2, into: &out)
        }
        if let drafts {
            m.key("drafts", &out)
            storeArray(drafts, indent: indent + 2, into: &out)
        }
        m.key("family", &out)
        family.writeJSON(into: &out, indent: indent + 2)
        m.key("finals", &out)
        storeArray(finals, indent: indent + 2, into: &out)
        m.key("levels", &out)
        DirectJSON.string(levels, into: &out)
        m.key("schemaVersion", &out)
        DirectJSON.int(schemaVersion, into: &out)
        m.close(&out)
    }
}

/// `DirectJSON.array`, written again in this module: called from here, another module's generic function runs
/// unspecialized, looking up type metadata for every array of every entry `doctor` writes; this one is made for
/// each element type. The bytes are `DirectJSON.array`'s (`CanonicalWriterTests`).
private func storeArray<T: DirectJSONWritable>(_ items: [T], indent: Int, into out: inout [UInt8]) {
    storeArray(items, indent: indent, into: &out) { item, out in item.writeJSON(into: &out, indent: indent + 2) }
}

/// `DirectJSON.array(_:indent:into:_:)`, written again in this module (see above).
private func storeArray<T>(_ items: [T], indent: Int, into out: inout [UInt8], _ write: (T, inout [UInt8]) -> Void) {
    out.append(0x5B)
    out.append(0x0A)
    if items.isEmpty { out.append(0x0A) }
    for (n, item) in items.enumerated() {
        DirectJSON.spaces(indent + 2, into: &out)
        write(item, &out)
        if n + 1 < items.count { out.append(0x2C) }
        out.append(0x0A)
    }
    DirectJSON.spaces(indent, into: &out)
    out.append(0x5D)
}
