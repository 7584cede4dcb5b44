import Foundation

extension Instrument {
    /// Checks the definition and builds its lookups. `digest` is the identity of the file it came from (the store's
    /// `InstrumentFile` computes it); `checksText: false` reads an instrument already stored without holding its
    /// text to the `TextRule`s (it must stay readable).
    public func validated(digest: String, checksText: Bool = true) throws(ValidationFailure) -> ValidatedInstrument {
        var issues: [Issue] = checksText ? textIssues() : []
        var nodes: [LinkID: InstrumentNode] = [:]
        var codes: Set<String> = []
        let root = JSONPath()

        if id.isEmpty || !id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) {
            issues.append(
                Issue(
                    "id", "instrument id \(quoted(id)) is empty or has unusual characters",
                    expected: "letters, digits, '-' or '.'"))
        }
        if version.isEmpty { issues.append(Issue("version", "version is empty", expected: "a version such as 1.0.0")) }

        let labelled = scale.grades.map(\.grade)
        if labelled.sorted() != Array(Grade.scale) {
            issues.append(
                Issue(
                    "scale.grades", "grade labels are for \(labelled.sorted())",
                    expected: "one label for each grade 1, 2, 3, 4, 5"))
        }
        let b = bands
        if !Grade.scale.contains(b.strengthMax) || !Grade.scale.contains(b.borderlineMax) || b.strengthMax > b.borderlineMax {
            issues.append(
                Issue(
                    "bands", "thresholds strengthMax \(b.strengthMax), borderlineMax \(b.borderlineMax) do not fit the scale",
                    expected: "1 ≤ strengthMax ≤ borderlineMax ≤ 5"))
        }
        if areas.isEmpty { issues.append(Issue("areas", "the instrument has no areas", expected: "at least one area")) }

        func register(_ id: LinkID, _ node: InstrumentNode, code: String, at path: JSONPath, depth: Int, parent: LinkID?) {
            if !id.isWellFormed || id.depth != depth {
                issues.append(
                    Issue(
                        path["linkId"], "malformed linkId \(quoted(id.rawValue))",
                        expected: "\(depth) dot-separated lowercase segments"))
            } else if let parent, !id.rawValue.hasPrefix(parent.rawValue + ".") {
                issues.append(
                    Issue(
                        path["linkId"], "linkId \(quoted(id.rawValue)) is not under its parent \(parent)", expected: "\(parent).…"
                    ))
            }
            if nodes[id] != nil {
                issues.append(Issue(path["linkId"], "duplicate linkId \(quoted(id.rawValue))", expected: "each linkId used once"))
            } else {
                nodes[id] = node
            }
            if code.isEmpty || !codes.insert(code).inserted {
                issues.append(
                    Issue(path["code"], "missing or duplicate code \(quoted(code))", expected: "a unique record-sheet code"))
            }
        }

        for (ai, area) in areas.enumerated() {
            let ap = root.key("areas").index(ai)
            register(area.linkId, .area(area), code: area.code, at: ap, depth: 1, parent: nil)
            if area.subAreas.isEmpty {
                issues.append(Issue(ap["subAreas"], "area \(area.code) has no sub-areas", expected: "at least one sub-area"))
            }
            for (si, sub) in area.subAreas.enumerated() {
                let sp = ap.key("subAreas").index(si)
                register(sub.linkId, .subArea(sub, area: area.linkId), code: sub.code, at: sp, depth: 2, parent: area.linkId)
                if sub.items.isEmpty {
                    issues.append(Issue(sp["items"], "sub-area \(sub.code) has no items", expected: "at least one item"))
                }
                for (ii, item) in sub.items.enumerated() {
                    let ip = sp.key("items").index(ii)
                    register(
                        item.linkId, .item(item, subArea: sub.linkId, area: area.linkId), code: item.code, at: ip, depth: 3,
                        parent: sub.linkId)
                    if let r = item.ages {
                        if let f = r.fromMonths, f < 0 {
                            issues.append(Issue(ip["ages.fromMonths"], "negative age \(f)", expected: "0 or more months"))
                        }
                        if let f = r.fromMonths, let t = r.toMonths, f >= t {
                            issues.append(
                                Issue(ip["ages"], "inverted age range \(f)–\(t) months", expected: "fromMonths < toMonths"))
                        }
                    }
                    for (di, d) in (item.descriptors ?? []).enumerated() where !Grade.scale.contains(d.grade) {
                        issues.append(
                            Issue(
                                ip.key("descriptors").index(di)["grade"], "descriptor for grade \(d.grade)",
                                expected: "a grade 1 to 5"))
                    }
                    if let dup = Dictionary(grouping: item.descriptors ?? [], by: \.grade).first(where: { $0.value.count > 1 }) {
                        issues.append(Issue(ip["descriptors"], "two descriptors for grade \(dup.key)", expected: "one per grade"))
                    }
                }
                // Items that are age variants of each other must not overlap.
                let groups = Dictionary(grouping: sub.items.enumerated().filter { $0.element.variantGroup != nil }) {
                    $0.element.variantGroup!
                }
                for (_, members) in groups.sorted(by: { $0.key < $1.key }) {
                    for x in 0..<members.count {
                        for y in (x + 1)..<members.count {
                            let a = members[x].element.ages ?? AgeRange(), b = members[y].element.ages ?? AgeRange()
                            if a.overlaps(b) {
                                issues.append(
                                    Issue(
                                        sp.key("items").index(members[y].offset)["ages"],
                                        "age range overlaps \(members[x].element.code) in variant group \(quoted(members[x].element.variantGroup!))",
                                        expected: "age variants with disjoint ranges"))
                            }
                        }
                    }
                }
            }
        }
        for (i, s) in substitutions.enumerated() {
            let p = root.key("substitutions").index(i)
            for (key, id) in [("subArea", s.subArea), ("from", s.from)] {
                guard case .subArea = nodes[id] else {
                    issues.append(
                        Issue(
                            p[key], "\(quoted(id.rawValue)) is not a sub-area of this instrument", expected: "a sub-area linkId"))
                    continue
                }
            }
            if s.subArea == s.from {
                issues.append(Issue(p["from"], "a sub-area cannot be graded from itself", expected: "another sub-area"))
            }
        }
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return ValidatedInstrument(definition: self, digest: digest, nodes: nodes)
    }
}

extension Instrument {
    /// Text that breaks its `TextRule`: titles, codes and the version are one line; labels, prompts, descriptors
    /// and substitution conditions may run to several.
    func textIssues() -> [Issue] {
        var out: [Issue] = []
        func check(_ text: String?, _ rule: TextRule, _ path: String) {
            if let text, let issue = rule.issue(text, at: path) { out.append(issue) }
        }
        let root = JSONPath()
        check(title, .line, "title")
        check(version, .line, "version")
        for (gi, g) in scale.grades.enumerated() {
            let gp = root.key("scale").key("grades").index(gi)
            check(g.needsMet, .block, gp["needsMet"])
            check(g.commitment, .block, gp["commitment"])
            check(g.quality, .block, gp["quality"])
        }
        for (ai, area) in areas.enumerated() {
            let ap = root.key("areas").index(ai)
            check(area.code, .line, ap["code"])
            check(area.title, .line, ap["title"])
            for (si, sub) in area.subAreas.enumerated() {
                let sp = ap.key("subAreas").index(si)
                check(sub.code, .line, sp["code"])
                check(sub.title, .line, sp["title"])
                for (ii, item) in sub.items.enumerated() {
                    let ip = sp.key("items").index(ii)
                    check(item.code, .line, ip["code"])
                    check(item.title, .line, ip["title"])
                    check(item.prompt, .block, ip["prompt"])
                    check(item.variantGroup, .line, ip["variantGroup"])
                    for (di, d) in (item.descriptors ?? []).enumerated() {
                        check(d.text, .block, ip.key("descriptors").index(di)["text"])
                    }
                }
            }
        }
        for (i, s) in substitutions.enumerated() { check(s.when, .block, root.key("substitutions").index(i)["when"]) }
        return out
    }
}
