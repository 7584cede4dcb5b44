// The small types the index and caseload entries are made of, written straight to JSON bytes: `doctor` rebuilds
// and writes both entries of every family to compare them with the stored ones, and through `Encodable` that
// cost more than reading the family's documents. The bytes are those of each type's `Encodable` conformance
// under `CanonicalJSON` (keys in byte order, absent optionals left out); `CanonicalWriterTests` compares them
// with `JSONEncoder`'s on every document of generated stores, so a field added to a type and not here fails.

extension InstrumentRef: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("digest", &out)
        DirectJSON.string(digest, into: &out)
        m.key("id", &out)
        DirectJSON.string(id, into: &out)
        m.key("version", &out)
        DirectJSON.string(version, into: &out)
        m.close(&out)
    }
}

extension TargetOwner: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        if let carer {
            m.key("carer", &out)
            DirectJSON.string(carer.rawValue, into: &out)
        }
        m.key("kind", &out)
        DirectJSON.string(kind.rawValue, into: &out)
        if let name {
            m.key("name", &out)
            DirectJSON.string(name, into: &out)
        }
        m.close(&out)
    }
}

extension Target: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        if let action {
            m.key("action", &out)
            DirectJSON.string(action, into: &out)
        }
        m.key("grade", &out)
        DirectJSON.int(grade.rawValue, into: &out)
        m.key("linkId", &out)
        DirectJSON.string(linkId.rawValue, into: &out)
        if let owner {
            m.key("owner", &out)
            owner.writeJSON(into: &out, indent: indent + 2)
        }
        m.key("reviewBy", &out)
        DirectJSON.date(reviewBy, into: &out)
        if let support {
            m.key("support", &out)
            DirectJSON.string(support, into: &out)
        }
        m.close(&out)
    }
}

extension ProfileSummary: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("assessmentId", &out)
        DirectJSON.string(assessmentId.rawValue, into: &out)
        m.key("childId", &out)
        DirectJSON.string(childId.rawValue, into: &out)
        m.key("date", &out)
        DirectJSON.date(date, into: &out)
        m.key("grades", &out)
        DirectJSON.grades(grades, indent: indent + 2, into: &out)
        if let heard {
            m.key("heard", &out)
            DirectJSON.string(heard.rawValue, into: &out)
        }
        m.key("instrument", &out)
        instrument.writeJSON(into: &out, indent: indent + 2)
        if let seenAlone {
            m.key("seenAlone", &out)
            DirectJSON.bool(seenAlone, into: &out)
        }
        m.key("targets", &out)
        DirectJSON.array(targets, indent: indent + 2, into: &out)
        m.key("version", &out)
        DirectJSON.int(version, into: &out)
        m.close(&out)
    }
}

extension FatherNotRecorded: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("reason", &out)
        DirectJSON.string(reason.rawValue, into: &out)
        if let text {
            m.key("text", &out)
            DirectJSON.string(text, into: &out)
        }
        m.close(&out)
    }
}

extension Child: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("born", &out)
        DirectJSON.date(born, into: &out)
        if let expected {
            m.key("expected", &out)
            DirectJSON.bool(expected, into: &out)
        }
        if let fatherNotRecorded {
            m.key("fatherNotRecorded", &out)
            fatherNotRecorded.writeJSON(into: &out, indent: indent + 2)
        }
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("name", &out)
        DirectJSON.string(name, into: &out)
        m.close(&out)
    }
}

extension ChildRelationship: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("child", &out)
        DirectJSON.string(child.rawValue, into: &out)
        m.key("relationship", &out)
        DirectJSON.string(relationship.rawValue, into: &out)
        m.close(&out)
    }
}

extension Carer: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        if let children {
            m.key("children", &out)
            DirectJSON.array(children, indent: indent + 2, into: &out)
        }
        if let gender {
            m.key("gender", &out)
            DirectJSON.string(gender.rawValue, into: &out)
        }
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("livesWithChildren", &out)
        DirectJSON.bool(livesWithChildren, into: &out)
        m.key("name", &out)
        DirectJSON.string(name, into: &out)
        m.key("relationship", &out)
        DirectJSON.string(relationship.rawValue, into: &out)
        m.close(&out)
    }
}

extension PendingDraft: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("assessmentId", &out)
        DirectJSON.string(assessmentId.rawValue, into: &out)
        m.key("children", &out)
        DirectJSON.array(children, indent: indent + 2, into: &out) { c, out in DirectJSON.string(c.rawValue, into: &out) }
        m.key("date", &out)
        DirectJSON.date(date, into: &out)
        m.close(&out)
    }
}

extension Decision: DirectJSONWritable {
    package func writeJSON(into out: inout [UInt8], indent: Int) {
        var m = DirectJSONObject(indent: indent, out: &out)
        m.key("children", &out)
        DirectJSON.array(children, indent: indent + 2, into: &out) { c, out in DirectJSON.string(c.rawValue, into: &out) }
        m.key("date", &out)
        DirectJSON.date(date, into: &out)
        m.key("familyId", &out)
        DirectJSON.string(familyId.rawValue, into: &out)
        m.key("id", &out)
        DirectJSON.string(id.rawValue, into: &out)
        m.key("level", &out)
        DirectJSON.string(level.rawValue, into: &out)
        m.key("reason", &out)
        DirectJSON.string(reason, into: &out)
        if let supersedes {
            m.key("supersedes", &out)
            DirectJSON.string(supersedes.rawValue, into: &out)
        }
        m.close(&out)
    }
}
