import Foundation
import Testing

@testable import GCP2Core

enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
    static var invalidInstruments: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("invalid-instruments").path))
            ?? []).sorted()
    }
    static func licensee() throws -> ValidatedInstrument { try Instrument.load(from: data("licensee-instrument.json")) }
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
        let reloaded = try Instrument.load(from: Data(Instrument.gcp2StructureJSON.utf8))
        #expect(reloaded.digest == Instrument.gcp2Structure.digest)
        // Its canonical JSON loads again to the same digest: the digest is stable.
        #expect(try Instrument.load(from: reloaded.canonicalJSON).digest == reloaded.digest)
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
            _ = try Instrument.load(from: data)
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
        #expect(throws: ValidationFailure.self) { try Instrument.load(from: Data("{ not json".utf8)) }
        do {
            _ = try Instrument.load(from: Data([0xFF, 0xFE, 0x00]))
        } catch {
            #expect(error.issues.first?.problem.contains("not valid JSON") == true)
        }
    }
}
