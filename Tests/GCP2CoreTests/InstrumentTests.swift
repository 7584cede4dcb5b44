import Foundation
import GCP2Store
import Testing

@testable import GCP2Core

enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
    static var invalidInstruments: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("invalid-instruments").path))
            ?? []).sorted()
    }
    static func licensee() throws -> ValidatedInstrument { try InstrumentFile.load(from: data("licensee-instrument.json")) }
}

@Suite struct InstrumentTests {
    @Test func defaultInstrumentHasThePublicStructure() {
        let inst = Instrument.gcp2Structure
        #expect(inst.id == "gcp2-structure")
        #expect(inst.areas.map(\.code) == ["A", "B", "C", "D"])
        #expect(inst.areas.map(\.subAreas.count) == [5, 2, 2, 4])
        #expect(
            inst.areas.flatMap(\.subAreas).map(\.code) == [
                "A.1", "A.2", "A.3", "A.4", "A.5", "B.1", "B.2", "C.1", "C.2", "D.1", "D.2", "D.3", "D.4",
            ])
        #expect(inst.node(LinkID("physical.nutrition.quality"))?.code == "A.1.a")
        #expect(inst.node(LinkID("safety.presence.online"))?.title == "Online safety")
        #expect(inst.node(LinkID("physical.nutrition.weight")) != nil)
        #expect(inst.substitution(for: LinkID("emotional.engagement"))?.from == LinkID("emotional.carer"))
        #expect(inst.digest.count == 64)
    }

    @Test func defaultInstrumentLoadsThroughTheFilePath() throws {
        let reloaded = try InstrumentFile.load(from: Data(Instrument.gcp2StructureJSON.utf8))
        #expect(reloaded.digest == Instrument.gcp2Structure.digest)
        // Its canonical JSON loads again to the same digest: the digest is stable.
        #expect(try InstrumentFile.load(from: InstrumentFile.canonicalJSON(reloaded)).digest == reloaded.digest)
        // The digest every store written so far records for gcp2-structure 1.0.0: moving the file format out of
        // the domain (issue 9) must not change it.
        #expect(reloaded.digest == "34c16d968be3b45c0b3577eaacce77c22be79d416bb267595ff4f6d3e9b41740")
        let canonical = try JSONSerialization.jsonObject(with: InstrumentFile.canonicalJSON(reloaded)) as! [String: Any]
        #expect(canonical["schemaVersion"] as? Int == InstrumentFile.currentVersion)
    }

    @Test func theInstrumentFileVersionIsCheckedBeforeTheDefinition() throws {
        var raw = try JSONSerialization.jsonObject(with: Data(Instrument.gcp2StructureJSON.utf8)) as! [String: Any]
        for (version, words) in [(2, "newer than this build"), (0, "unsupported version 0")] as [(Int, String)] {
            raw["schemaVersion"] = version
            let data = try JSONSerialization.data(withJSONObject: raw)
            #expect(throws: ValidationFailure.self) { try InstrumentFile.load(from: data) }
            do { _ = try InstrumentFile.load(from: data) } catch {
                #expect(error.issues.map(\.path) == ["schemaVersion"] && error.description.contains(words))
            }
        }
        raw.removeValue(forKey: "schemaVersion")
        let unversioned = try JSONSerialization.data(withJSONObject: raw)
        #expect(throws: ValidationFailure.self) { try InstrumentFile.load(from: unversioned) }
        do { _ = try InstrumentFile.load(from: unversioned) } catch {
            #expect(error.description.contains("schemaVersion: missing key"))
        }
    }

    @Test func stimulationItemsFollowAge() {
        let inst = Instrument.gcp2Structure
        let stim = inst.areas[3].subAreas[0]
        #expect(inst.applicableItems(in: stim, ageMonths: 30).map(\.code) == ["D.1.a"])
        #expect(inst.applicableItems(in: stim, ageMonths: 60).map(\.code) == ["D.1.b"])
        let online = inst.areas[1].subAreas[0]
        #expect(inst.applicableItems(in: online, ageMonths: 12).map(\.code) == ["B.1.a", "B.1.b"])
    }

    @Test func licenseeInstrumentLoads() throws {
        let inst = try Fixtures.licensee()
        #expect(inst.id == "riverside-gcp-local")
        #expect(inst.rule(for: inst.areas[0].subAreas[0]) == .modeWorse)
        #expect(inst.rule(for: inst.areas[0].subAreas[1]) == .medianWorse)
        #expect(inst.rule(for: inst.areas[0]) == .worst)
        #expect(inst.rule(for: inst.areas[1]) == .meanHalfWorse)
        guard case .item(let item, _, _)? = inst.node(LinkID("physical.food.variety")) else {
            Issue.record("item missing")
            return
        }
        #expect(item.descriptors?.count == 5)
    }

    static let expectations: [String: (path: String, words: String)] = [
        "duplicate-linkid.json": ("areas[0].subAreas[1].items[1].linkId", "duplicate linkId"),
        "malformed-linkid.json": ("areas[0].subAreas[1].items[0].linkId", "malformed linkId"),
        "subarea-without-items.json": ("areas[0].subAreas[1].items", "has no items"),
        "overlapping-ages.json": ("areas[0].subAreas[0].items[3].ages", "overlaps"),
        "inverted-ages.json": ("areas[0].subAreas[0].items[2].ages", "inverted age range"),
        "unknown-rule.json": ("aggregation.area", "\"average\""),
        "threshold-outside-scale.json": ("bands", "do not fit the scale"),
        "substitution-unknown.json": ("substitutions[0].from", "is not a sub-area"),
        "missing-title.json": ("title", "missing key"),
        "newer-version.json": ("schemaVersion", "newer than this build"),
        "grade-labels-incomplete.json": ("scale.grades", "grade labels"),
    ]

    @Test(arguments: Fixtures.invalidInstruments)
    func invalidInstrumentIsRejectedWithPath(name: String) throws {
        let data = try Fixtures.data("invalid-instruments/\(name)")
        let expected = try #require(Self.expectations[name], "no expectation for fixture \(name)")
        do {
            _ = try InstrumentFile.load(from: data)
            Issue.record("\(name) loaded")
        } catch {
            let hit = error.issues.first { $0.path == expected.path }
            #expect(hit != nil, "\(name): \(error.issues)")
            #expect(hit?.description.contains(expected.words) == true, "\(name): \(error.issues)")
        }
    }

    @Test func everyInvalidFixtureHasAnExpectation() {
        #expect(Set(Fixtures.invalidInstruments) == Set(Self.expectations.keys))
    }

    @Test func notJSONIsAClearError() {
        #expect(throws: ValidationFailure.self) { try InstrumentFile.load(from: Data("{ not json".utf8)) }
        do {
            _ = try InstrumentFile.load(from: Data([0xFF, 0xFE, 0x00]))
        } catch {
            #expect(error.issues.first?.problem.contains("not valid JSON") == true)
        }
    }
}

@Suite struct LicenseeInstrumentProfileTests {
    /// The licensee fixture's own rules, age variants and substitution drive the computed profile.
    @Test func profileFollowsTheLicenseeRules() throws {
        let inst = try Fixtures.licensee()
        let fid = FamilyID(rawValue: "f-lic001")!
        let child = ChildID(rawValue: "f-lic001-c1")!
        let family = Family(
            id: fid, ref: "LIC-1", children: [Child(id: child, name: "Io Sample", born: CalendarDate("2024-01-10")!)])
        func r(_ id: String, _ g: Int) -> ItemRating { ItemRating(LinkID(id), .graded(Grade(rawValue: g)!, evidence: "Seen.")) }
        let date = CalendarDate("2025-06-01")!  // 16 months: the older-child feeding variant applies
        var record = ProfileRecord(
            childId: child,
            ratings: [
                r("physical.food.variety", 2), r("physical.food.routine", 4), r("physical.food.older", 4),
                r("physical.home.repair", 1), r("warmth.carer.notice", 3),
            ],
            substitutions: [SubstitutionUse(subArea: LinkID("warmth.together"), comment: "Temperament distorts play.")],
            childViewNotObtained: ChildViewNotObtained(reason: .tooYoung), dailyLife: "Seen at a meal and at play.",
            seenAlone: false, notSeenAloneReason: "A baby, seen with the carer.")
        let a = Assessment(
            id: AssessmentID(rawValue: "f-lic001-a1")!, familyId: fid,
            window: ObservationWindow(start: date.adding(days: -14), end: date),
            visits: [Visit(date: date, announced: true)],
            assessors: [Assessor(name: "Sam Worker", role: "social worker", team: "North")], profiles: [record])
        let ctx = AssessmentContext(instrument: inst, family: family, today: date, requireComplete: true)
        let p = try #require(try a.computeProfiles(in: ctx).first)
        // Food uses mode-worse: 2, 4, 4 → 4. Home uses the default sub-area rule median-worse: 1.
        #expect(p.areas[0].subAreas[0].result.suggested == Grade(rawValue: 4))
        #expect(p.areas[0].subAreas[0].result.rule == "mode-worse")
        #expect(p.areas[0].subAreas[1].result.suggested == Grade(rawValue: 1))
        // Physical uses the instrument's area rule, worst: max(4, 1) = 4.
        #expect(p.areas[0].result.suggested == Grade(rawValue: 4))
        #expect(p.areas[0].result.rule == "worst")
        // Warmth overrides the area rule with mean-half-worse: carer 3, together substituted from carer 3 → 3.
        #expect(p.areas[1].subAreas[1].result.substitutedFrom == LinkID("warmth.carer"))
        #expect(p.areas[1].result.suggested == Grade(rawValue: 3))
        // The infant-feeding variant does not apply at 16 months.
        record.ratings.append(r("physical.food.infant", 2))
        var b = a
        b.profiles = [record]
        #expect(throws: ValidationFailure.self) { try b.computeProfiles(in: ctx) }
    }
}
