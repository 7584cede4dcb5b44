import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2Store

#if canImport(Glibc)
    import Glibc
#endif

/// The caseload snapshot is a cache of the one account's lines: whatever happened to the store (amendments,
/// withdrawals, new records, a crash before the snapshot was rewritten, an entry edited in place, a torn or altered
/// snapshot, a link where it should be), the caseload read through it equals the caseload computed afresh.
@Suite struct CaseloadSnapshotTests {
    static let dates = [SyntheticStore.today, CalendarDate("2025-06-30")!, CalendarDate("2024-01-31")!]

    /// A generated store whose snapshot keeps every entry at once (no settling time).
    static func generated(families: Int = 40, seed: UInt64 = 11) throws -> (TempDir, Store) {
        let dir = TempDir()
        try SyntheticStore(families: families, seed: seed).write(to: dir.path + "/store", now: now)
        let store = try Store.open(at: dir.path + "/store")
        store.snapshotSettle = 0
        return (dir, store)
    }

    /// The caseload computed from the entries, the snapshot neither read nor written.
    static func fresh(_ store: Store, _ asOf: CalendarDate) throws -> Caseload {
        try store.caseloadCounting(asOf: asOf, snapshot: false).caseload
    }

    @Test func theSnapshotGivesTheCaseloadComputedAfreshAtEveryDate() throws {
        let (dir, store) = try Self.generated()
        defer { withExtendedLifetime(dir) {} }
        let families = try store.familyIDs().count
        for asOf in Self.dates {
            let expected = try Self.fresh(store, asOf)
            let first = try store.caseloadCounting(asOf: asOf)
            #expect(first.caseload == expected)
            #expect(first.reused == 0 && first.snapshotWritten, "\(asOf): the first caseload writes the snapshot")
            let second = try store.caseloadCounting(asOf: asOf)
            #expect(second.caseload == expected)
            #expect(second.reused == families && !second.snapshotWritten, "\(asOf): the whole caseload from the snapshot")
            #expect(second.damaged.isEmpty)
        }
    }

    @Test func afterAmendmentsWithdrawalsAndRecordsOnlyTheChangedFamilyIsComputedAgain() throws {
        let fx = try Fixture()
        fx.store.snapshotSettle = 0
        let other = try fx.store.addFamily(ref: "RX-2", actor: "t", now: now)
        _ = try fx.store.addChild(
            to: other.id, name: "Eli Sample", born: CalendarDate("2019-01-05")!, actor: "t", now: now, today: today)
        let a = try fx.store.record(
            fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        let b = try fx.store.record(
            fx.assessment(on: "2026-03-10", grade: 4), final: true, file: nil, actor: "t", now: now, today: today)
        _ = try fx.store.caseloadCounting(asOf: today)
        let changes: [(String, () throws -> Void)] = [
            (
                "amended",
                {
                    _ = try fx.store.amend(
                        a.assessment.id, with: fx.assessment(on: "2026-01-12", grade: 3), reason: "wrong date", file: nil,
                        actor: "t", now: now, today: today)
                }
            ),
            ("withdrawn", { _ = try fx.store.withdraw(b.assessment.id, reason: "entered twice", actor: "t", now: now) }),
            (
                "recorded",
                {
                    _ = try fx.store.record(
                        fx.assessment(on: "2026-05-10", grade: 5), final: true, file: nil, actor: "t", now: now,
                        today: today)
                }
            ),
            (
                "draft",
                {
                    _ = try fx.store.record(
                        fx.assessment(on: "2026-06-10", grade: 1), final: false, file: nil, actor: "t", now: now,
                        today: today)
                }
            ),
        ]
        for (what, change) in changes {
            try change()
            let expected = try Self.fresh(fx.store, today)
            let after = try fx.store.caseloadCounting(asOf: today)
            #expect(after.caseload == expected, "\(what)")
            #expect(after.reused == 1 && after.snapshotWritten, "\(what): the other family is taken from the snapshot")
            let again = try fx.store.caseloadCounting(asOf: today)
            #expect(again.caseload == expected && again.reused == 2 && !again.snapshotWritten, "\(what)")
        }
    }

    /// A change lands after the snapshot was written and the process stops before the snapshot is rewritten (or its
    /// rewrite fails): the next caseload still sees the change.
    @Test func aCrashBetweenAnEntryWriteAndTheSnapshotWriteLosesNothing() throws {
        let fx = try Fixture()
        fx.store.snapshotSettle = 0
        _ = try fx.store.record(
            fx.assessment(on: "2026-01-10", grade: 2), final: true, file: nil, actor: "t", now: now, today: today)
        _ = try fx.store.caseloadCounting(asOf: today)
        let before = try Data(contentsOf: URL(fileURLWithPath: fx.store.full(CaseloadSnapshot.file)))
        _ = try fx.store.record(
            fx.assessment(on: "2026-04-10", grade: 5), final: true, file: nil, actor: "t", now: now, today: today)
        // The snapshot's rewrite fails at its rename.
        let plan = FaultInjection(.rename, failing: 1, errno: EIO)
        let failed = try FaultInjection.$current.withValue(plan) { try fx.store.caseloadCounting(asOf: today) }
        #expect(plan.fired && !failed.snapshotWritten)
        #expect(failed.caseload == (try Self.fresh(fx.store, today)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fx.store.full(CaseloadSnapshot.file))) == before)
        #expect(try POSIX.list(fx.store.path).allSatisfy { !$0.contains(".tmp-") }, "no temp file is left")
        let next = try fx.store.caseloadCounting(asOf: today)
        #expect(next.caseload == failed.caseload && next.reused == 0 && next.snapshotWritten)
        #expect(next.caseload.lines.contains { $0.worstGrade == Grade(rawValue: 5) })
    }

    /// An entry rewritten in place with the same size and its modification time set back is still seen: its change
    /// time (which no one can set back) differs.
    @Test func anEntryEditedInPlaceWithItsTimeSetBackIsSeen() throws {
        let (dir, store) = try Self.generated(families: 12, seed: 4)
        defer { withExtendedLifetime(dir) {} }
        _ = try store.caseloadCounting(asOf: SyntheticStore.today)
        let id = SyntheticStore.familyID(3)
        let path = store.full(Store.caseloadFile(id))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let marker = Array(#""ref" : ""#.utf8)
        let at = try #require(
            (0...(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        let k = at + marker.count
        bytes[k] = bytes[k] == UInt8(ascii: "Z") ? UInt8(ascii: "Y") : UInt8(ascii: "Z")
        let old = try #require(POSIX.stamp(path))
        // Written over the same inode, then its modification time put back.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: bytes)
        try handle.close()
        var times = [
            timespec(tv_sec: Int(old.modified / 1_000_000_000), tv_nsec: Int(old.modified % 1_000_000_000)),
            timespec(tv_sec: Int(old.modified / 1_000_000_000), tv_nsec: Int(old.modified % 1_000_000_000)),
        ]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let edited = try #require(POSIX.stamp(path))
        #expect(edited.inode == old.inode && edited.size == old.size && edited.modified == old.modified)
        let expected = try Self.fresh(store, SyntheticStore.today)
        let after = try store.caseloadCounting(asOf: SyntheticStore.today)
        #expect(after.caseload == expected)
        #expect(after.reused == 11)
        #expect(
            after.caseload.lines.contains { $0.familyId == id && ($0.familyRef.hasPrefix("Z") || $0.familyRef.hasPrefix("Y")) })
    }

    /// Entries changed within the settling time are never kept: a change in place within one tick of the file clock
    /// could otherwise leave an entry's stamp as it was.
    @Test func entriesChangedAMomentAgoAreNotKept() throws {
        let (dir, store) = try Self.generated(families: 8, seed: 2)
        defer { withExtendedLifetime(dir) {} }
        store.snapshotSettle = 3_600 * 1_000_000_000
        let first = try store.caseloadCounting(asOf: SyntheticStore.today)
        #expect(!first.snapshotWritten && !FileManager.default.fileExists(atPath: store.full(CaseloadSnapshot.file)))
        let second = try store.caseloadCounting(asOf: SyntheticStore.today)
        #expect(second.reused == 0 && second.caseload == first.caseload)
        store.snapshotSettle = 0
        #expect(try store.caseloadCounting(asOf: SyntheticStore.today).snapshotWritten)
    }

    /// A snapshot torn, truncated, altered in any byte, written for another date, or not a regular file is not
    /// used, and the caseload is the one computed afresh.
    @Test func aDamagedOrForeignSnapshotIsNotUsed() throws {
        let (dir, store) = try Self.generated(families: 10, seed: 9)
        defer { withExtendedLifetime(dir) {} }
        let asOf = SyntheticStore.today
        let expected = try Self.fresh(store, asOf)
        _ = try store.caseloadCounting(asOf: asOf)
        let path = store.full(CaseloadSnapshot.file)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let key = try #require(CaseloadSnapshot.key(asOf: asOf, instrument: store.currentInstrument(), policy: store.policy))
        #expect(CaseloadSnapshot.decode(good, key: key, asOf: asOf) != nil)
        #expect(CaseloadSnapshot.decode(good, key: key + " ", asOf: asOf) == nil)
        var variants: [Data] = [Data(), good.prefix(good.count / 2), good.dropLast(), good + [0]]
        for k in stride(from: 0, to: good.count, by: max(1, good.count / 40)) {
            var d = good
            d[d.startIndex + k] ^= 0x5A
            variants.append(d)
        }
        for (n, bad) in variants.enumerated() {
            #expect(CaseloadSnapshot.decode(bad, key: key, asOf: asOf) == nil, "variant \(n)")
            try bad.write(to: URL(fileURLWithPath: path))
            let r = try store.caseloadCounting(asOf: asOf)
            #expect(r.caseload == expected && r.reused == 0, "variant \(n)")
        }
        // Written for another date: not used for this one.
        _ = try store.caseloadCounting(asOf: Self.dates[1])
        #expect(try store.caseloadCounting(asOf: asOf).reused == 0)
    }

    /// A link where the snapshot belongs is neither followed nor written through: the file it points to is left
    /// alone, and the link is replaced by the store's own file.
    @Test func aLinkInPlaceOfTheSnapshotIsNeverFollowed() throws {
        let (dir, store) = try Self.generated(families: 6, seed: 5)
        defer { withExtendedLifetime(dir) {} }
        let outside = dir.path + "/outside.bin"
        try Data("not the store's".utf8).write(to: URL(fileURLWithPath: outside))
        let path = store.full(CaseloadSnapshot.file)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside)
        let r = try store.caseloadCounting(asOf: SyntheticStore.today)
        #expect(r.reused == 0 && r.snapshotWritten)
        #expect(try Data(contentsOf: URL(fileURLWithPath: outside)) == Data("not the store's".utf8))
        #expect(POSIX.stamp(path) != nil, "a regular file now")
        #expect(try store.caseloadCounting(asOf: SyntheticStore.today).reused == 6)
    }

    /// Used family by family (one family changed), the snapshot gives each family's lines as `evaluate` gave them;
    /// a snapshot whose lines and families do not hold together is not used.
    @Test func familyByFamilyTheSnapshotHoldsTogether() throws {
        let (dir, store) = try Self.generated(families: 15, seed: 8)
        defer { withExtendedLifetime(dir) {} }
        let asOf = SyntheticStore.today
        _ = try store.caseloadCounting(asOf: asOf)
        let key = try #require(CaseloadSnapshot.key(asOf: asOf, instrument: store.currentInstrument(), policy: store.policy))
        let snapshot = try #require(
            CaseloadSnapshot.decode(
                try Data(contentsOf: URL(fileURLWithPath: store.full(CaseloadSnapshot.file))), key: key, asOf: asOf))
        let byFamily = try #require(snapshot.familyLines())
        #expect(byFamily.count == 15)
        let inst = try store.currentInstrument()
        let builder = CaseloadBuilder(policy: store.policy, instrument: inst, asOf: asOf)
        for family in try store.allFamilies().families {
            let evaluated = builder.evaluate(
                family: family.family.family, finals: family.effectiveFinals,
                decisions: Decision.inForce(family.allDecisions), drafts: family.pendingDrafts)
            let kept = try #require(byFamily[family.family.id])
            #expect(Set(kept.value.lines.map(\.childId)) == Set(evaluated.lines.map(\.childId)))
            for line in evaluated.lines {
                #expect(kept.value.lines.first { $0.childId == line.childId } == line)
            }
            #expect(kept.value.expected == evaluated.expected)
            #expect(kept.value.trends.map { "\($0.0) \($0.1)" } == evaluated.trends.map { "\($0.0) \($0.1)" })
        }
        // Lines claimed by the wrong family: the snapshot is not used at all (neither whole nor family by family).
        var swapped = snapshot
        swapped.caseload.lines.swapAt(
            0, swapped.caseload.lines.firstIndex { $0.familyId != snapshot.caseload.lines[0].familyId }!)
        #expect(CaseloadSnapshot.decode(swapped.encoded(key: key), key: key, asOf: asOf) == nil)
    }

    /// `doctor` checks the snapshot this gcp2 would use against the entries: a snapshot whose lines, counts or order
    /// were altered (its digest made again, as only someone writing the store's files could) is named, and
    /// `doctor --repair` removes it; an honest one is not named.
    @Test func doctorNamesASnapshotThatDiffersFromTheEntriesAndRepairRemovesIt() throws {
        let (dir, store) = try Self.generated(families: 12, seed: 3)
        defer { withExtendedLifetime(dir) {} }
        let asOf = SyntheticStore.today
        let expected = try Self.fresh(store, asOf)
        _ = try store.caseloadCounting(asOf: asOf)
        let path = store.full(CaseloadSnapshot.file)
        let named = { (r: DoctorReport) in r.findings.filter { $0.path == path } }
        #expect(named(try store.doctor()).isEmpty, "an honest snapshot is not named")
        let key = try #require(CaseloadSnapshot.key(asOf: asOf, instrument: store.currentInstrument(), policy: store.policy))
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let alterations: [(String, (inout CaseloadSnapshot) -> Void)] = [
            ("a grade", { $0.caseload.lines[0].worstGrade = Grade(rawValue: $0.caseload.lines[0].worstGrade == .best ? 2 : 1) }),
            (
                "a flag dropped",
                { s in
                    let k = s.caseload.lines.firstIndex { !$0.flags.isEmpty }!
                    s.caseload.lines[k].flags.removeFirst()
                }
            ),
            ("a count", { $0.caseload.flagCounts["drift", default: 0] += 1 }),
            (
                "the order",
                { s in
                    // Two lines of one family, of different severity, swapped: every line still its family's.
                    let lines = s.caseload.lines
                    let pair = lines.indices.lazy.flatMap { i in
                        lines.indices.lazy.filter { j in
                            j > i && lines[j].familyId == lines[i].familyId && lines[j].severity != lines[i].severity
                        }.map { (i, $0) }
                    }.first!
                    s.caseload.lines.swapAt(pair.0, pair.1)
                }
            ),
        ]
        for (what, alter) in alterations {
            var snapshot = try #require(CaseloadSnapshot.decode(good, key: key, asOf: asOf))
            alter(&snapshot)
            try snapshot.encoded(key: key).write(to: URL(fileURLWithPath: path))
            #expect(try store.caseloadCounting(asOf: asOf).caseload != expected, "\(what): the caseload would show it")
            let report = try store.doctor()
            #expect(named(report).count == 1 && named(report).first?.repaired == nil, "\(what)")
            let repaired = try store.doctor(repair: true)
            #expect(named(repaired).first?.repaired == true, "\(what)")
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try store.caseloadCounting(asOf: asOf).caseload == expected, "\(what)")
        }
    }

    /// Two children named alike but for the form of an accent ("Zoë" composed, and "e" with a combining mark) keep
    /// their own bytes through the snapshot: its table of strings is keyed by bytes, not by `String` equality.
    @Test func namesKeepTheirOwnBytes() throws {
        let fx = try Fixture()
        fx.store.snapshotSettle = 0
        let other = try fx.store.addFamily(ref: "RX-3", actor: "t", now: now)
        for name in ["Zo\u{EB} Sample", "Zoe\u{308} Sample"] {
            _ = try fx.store.addChild(
                to: other.id, name: name, born: CalendarDate("2018-03-01")!, actor: "t", now: now, today: today)
        }
        func names(_ c: Caseload) -> [[UInt8]] {
            c.lines.map { Array($0.childName.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        let expected = try Self.fresh(fx.store, today)
        #expect(Set(names(expected)).count == 4)
        _ = try fx.store.caseloadCounting(asOf: today)
        let warm = try fx.store.caseloadCounting(asOf: today)
        #expect(warm.reused == 2)
        #expect(names(warm.caseload) == names(expected))
    }

    /// After a complete snapshot, a family added, a family's folder gone (its index entry left, named as before),
    /// or an entry deleted (the family read from its index entry): the caseload is the one computed afresh.
    @Test func familiesAddedRemovedOrReadFromTheIndexAfterACompleteSnapshot() throws {
        let (dir, store) = try Self.generated(families: 10, seed: 12)
        defer { withExtendedLifetime(dir) {} }
        let asOf = SyntheticStore.today
        _ = try store.caseloadCounting(asOf: asOf)
        func agrees(_ what: String, reused: Int) throws {
            let fresh = try store.caseloadCounting(asOf: asOf, snapshot: false)
            let r = try store.caseloadCounting(asOf: asOf)
            #expect(r.caseload == fresh.caseload, "\(what)")
            #expect(r.damaged.map(\.description) == fresh.damaged.map(\.description), "\(what)")
            #expect(r.reused == reused, "\(what)")
        }
        _ = try store.addFamily(ref: "NEW-1", actor: "t", now: now)
        try agrees("a family added", reused: 10)
        try FileManager.default.removeItem(atPath: store.full(Store.familyFolder(SyntheticStore.familyID(2))))
        try agrees("a family folder gone", reused: 10)
        try FileManager.default.removeItem(atPath: store.full(Store.caseloadFile(SyntheticStore.familyID(4))))
        try agrees("an entry deleted", reused: 9)
        try agrees("again, nothing changed", reused: 9)
    }

    /// The key changes with the date, the policy and the instrument.
    @Test func theKeyNamesDatePolicyAndInstrument() throws {
        let inst = Instrument.gcp2Structure
        var other = Policy.default
        other.needsWorkFrom = 4
        let base = try #require(CaseloadSnapshot.key(asOf: SyntheticStore.today, instrument: inst, policy: .default))
        #expect(base != CaseloadSnapshot.key(asOf: SyntheticStore.today.adding(days: 1), instrument: inst, policy: .default))
        #expect(base != CaseloadSnapshot.key(asOf: SyntheticStore.today, instrument: inst, policy: other))
        let licensee = try InstrumentFile.load(
            from: Data(Instrument.gcp2StructureJSON.replacingOccurrences(of: "gcp2-structure", with: "gcp2-other").utf8))
        #expect(base != CaseloadSnapshot.key(asOf: SyntheticStore.today, instrument: licensee, policy: .default))
        #expect(base.contains("engine ") && base.split(separator: "\n").count == 5)
    }

    /// A name in the snapshot changed only in form (composed to decomposed: equal as `String`s, other bytes) is named by
    /// `doctor`: it compares the lines byte for byte.
    @Test func doctorNamesANameChangedOnlyInForm() throws {
        let fx = try Fixture()
        fx.store.snapshotSettle = 0
        let other = try fx.store.addFamily(ref: "RX-4", actor: "t", now: now)
        _ = try fx.store.addChild(
            to: other.id, name: "Zo\u{EB} Sample", born: CalendarDate("2018-03-01")!, actor: "t", now: now, today: today)
        _ = try fx.store.caseloadCounting(asOf: today)
        let path = fx.store.full(CaseloadSnapshot.file)
        let key = try #require(
            CaseloadSnapshot.key(asOf: today, instrument: fx.store.currentInstrument(), policy: fx.store.policy))
        var snapshot = try #require(
            CaseloadSnapshot.decode(try Data(contentsOf: URL(fileURLWithPath: path)), key: key, asOf: today))
        let k = try #require(snapshot.caseload.lines.firstIndex { $0.childName.hasPrefix("Zo") })
        snapshot.caseload.lines[k].childName = "Zoe\u{308} Sample"
        #expect(snapshot.caseload.lines[k].childName == "Zo\u{EB} Sample", "equal as strings")
        try snapshot.encoded(key: key).write(to: URL(fileURLWithPath: path))
        #expect(try fx.store.doctor().findings.contains { $0.path == path })
    }
}
