import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2Store

/// `family list`, a lookup by name and the completion of ids read the compact caseload entries on both cores, not
/// every full index entry: what they give equals what the index entries give, entry by entry, and a family whose
/// entry is damaged is read from its index.
@Suite struct FamilyListingTests {
    /// The listing as the full index entries give it (how `family list` read it before).
    static func fromIndex(_ store: Store) throws -> [FamilyListing] {
        try store.allFamilies().families.map { f in
            let finals = f.effectiveFinals
            return FamilyListing(
                family: f.family, finals: finals.count, drafts: f.assessments.filter { $0.status == .draft }.count,
                latest: finals.map(\.date).max())
        }
    }

    @Test func listingEqualsTheIndexEntriesWithDraftsAmendmentsAndWithdrawals() throws {
        let fx = try Fixture()
        #expect(try fx.store.familyListing().families == (try Self.fromIndex(fx.store)))
        let a = try fx.store.record(
            fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        _ = try fx.store.record(
            fx.assessment(on: "2026-02-10", grade: 3), final: false, file: nil, actor: "t", now: now, today: today)
        let b = try fx.store.record(
            fx.assessment(on: "2026-03-10", grade: 3), final: true, file: nil, actor: "t", now: now, today: today)
        _ = try fx.store.amend(
            a.assessment.id, with: fx.assessment(on: "2026-01-12", grade: 3), reason: "wrong date", file: nil, actor: "t",
            now: now, today: today)
        _ = try fx.store.withdraw(b.assessment.id, reason: "entered twice", actor: "t", now: now)
        let listing = try fx.store.familyListing()
        #expect(listing.damaged.isEmpty)
        #expect(listing.families == (try Self.fromIndex(fx.store)))
        let only = try #require(listing.families.first)
        #expect(only.finals == 1 && only.drafts == 1 && only.latest == CalendarDate("2026-01-12"))
    }

    /// The completion's assessment ids, from the folders' listings, are every assessment the index entries list
    /// (withdrawn and amended ones included), each once.
    @Test func assessmentIDsAreTheIndexEntriesAssessments() throws {
        let dir = TempDir()
        let path = dir.path + "/store"
        try SyntheticStore(families: 30, seed: 6).write(to: path, now: now)
        let store = try Store.open(at: path)
        let fromIndex = try store.allFamilies().families.flatMap { $0.assessments.map(\.id) }
        #expect(try store.assessmentIDs() == fromIndex.sorted())
        #expect(Set(fromIndex).count == fromIndex.count)
        #expect(try store.allFamilies().families.contains { $0.assessments.contains { $0.status == .enteredInError } })
        // A stray file in a family's folder is no assessment.
        let folder = store.full("families/\(SyntheticStore.familyID(0))/assessments")
        for stray in ["notes.txt", "x.v1.json", "\(SyntheticStore.familyID(1))-a1.v1.json", "f-a1.vx.json"] {
            try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/" + stray))
        }
        #expect(try store.assessmentIDs() == fromIndex.sorted())
    }

    @Test func listingAndNamesEqualTheIndexOnAGeneratedStoreAndFallBackOnADamagedEntry() throws {
        let dir = TempDir()
        let path = dir.path + "/store"
        try SyntheticStore(families: 40, seed: 4).write(to: path, now: now)
        let store = try Store.open(at: path)
        let expected = try Self.fromIndex(store)
        #expect(try store.familyListing().families == expected)
        // A damaged caseload entry: that family comes from its index entry, nothing is reported damaged.
        let victim = SyntheticStore.familyID(3)
        try Data("{\"schemaVersion\": 2, \"fam".utf8).write(to: URL(fileURLWithPath: store.full(Store.caseloadFile(victim))))
        let again = try store.familyListing()
        #expect(again.damaged.isEmpty)
        #expect(again.families == expected)
        // Every child's full and first name finds what reading every index entry finds, in family and child order.
        let casework = Casework(store)
        for name in Set(expected.flatMap { $0.family.children.map(\.name) }).sorted().prefix(25) {
            for text in [name, String(name.split(separator: " ")[0]).uppercased()] {
                let found = try casework.children(named: text).map { "\($0.0.id) \($0.1.id)" }
                var byIndex: [String] = []
                for f in try store.allFamilies().families.sorted(by: { $0.family.id < $1.family.id }) {
                    for c in f.family.children {
                        let n = c.name.lowercased()
                        if n == text.lowercased() || n.split(separator: " ").first.map(String.init) == text.lowercased() {
                            byIndex.append("\(c.id) \(f.family.id)")
                        }
                    }
                }
                #expect(found == byIndex, "\(text)")
                #expect(!found.isEmpty)
            }
        }
    }

    /// An index entry left without its family folder is reported by `family list` but holds no child to find: a
    /// lookup by name goes on (it read only the family folders before).
    @Test func anOrphanIndexEntryDoesNotBlockALookupByName() throws {
        let fx = try Fixture()
        let orphan = try #require(FamilyID(rawValue: "f-zzzzzz"))
        try FileManager.default.copyItem(
            atPath: fx.store.full(Store.shardFile(fx.family.id)), toPath: fx.store.full(Store.shardFile(orphan)))
        #expect(try Casework(fx.store).children(named: "Ada").map(\.0.id) == [fx.child])
        #expect(try fx.store.familyListing().damaged.count == 1)
        #expect(try fx.store.familyListing(orphans: false).damaged.isEmpty)
    }

    @Test func aFamilyThatCannotBeReadFailsALookupByNameAcrossTheStore() throws {
        let fx = try Fixture()
        let index = fx.store.full(Store.shardFile(fx.family.id))
        let entry = fx.store.full(Store.caseloadFile(fx.family.id))
        #expect(try Casework(fx.store).children(named: "Ada").count == 1)
        // Entry and index both unreadable: the child could be in that family, so the lookup fails naming it.
        try Data("{".utf8).write(to: URL(fileURLWithPath: entry))
        try Data("{".utf8).write(to: URL(fileURLWithPath: index))
        #expect(throws: StoreError.self) { _ = try Casework(fx.store).children(named: "Ada") }
        #expect(try fx.store.familyListing().damaged.count == 1)
    }
}
