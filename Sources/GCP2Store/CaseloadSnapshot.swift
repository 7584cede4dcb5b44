import Foundation
import GCP2Core

/// The caseload snapshot (`caseload.snapshot`): one caseload as of one date, as `CaseloadBuilder.build` gave it,
/// with the stamp of each family's caseload entry its lines were computed from. A cache of the account's answers,
/// never a source of truth: it is used only when its whole key matches (as-of date, instrument, policy, the running
/// gcp2's own file, the enum layout), and then
/// - as it is, when it was written `complete` and the store holds exactly its families, each entry's stamp unchanged;
/// - else family by family: an unchanged family's lines are taken from it, every other family is computed again.
/// A snapshot that is damaged in any way (its SHA-256, any field) is not used; the next caseload rewrites it.
///
/// File (`Docs/storage.md`): a magic line; the key; the table of strings in two parts; the totals; each family's id
/// and stamp, in id order; each family's counts and line positions; the lines in caseload order, in two parts; the
/// SHA-256 of all that. The parts are read on both cores.
struct CaseloadSnapshot {
    static let file = "caseload.snapshot"
    static let magic = Array("GCP2 caseload snapshot 1\n".utf8)
    /// An entry changed less than this long before the snapshot is written is not kept in it: a change in place
    /// within one tick of the file system's clock could leave its stamp as it was.
    static let settleNanoseconds: Int64 = 2_000_000_000
    /// The largest snapshot read: about 300 bytes a family, so some 1.5 million families.
    static let maxBytes = 512 * 1024 * 1024

    /// The caseload (of the families kept only, when not `complete`).
    var caseload: Caseload
    /// Every family the store held was kept: the caseload is the store's whole caseload.
    var complete: Bool
    /// The families kept, in id order, with the stamps of their entries.
    var ids: [String]
    var stamps: [FileStamp]
    /// Each family's counts and the positions of its lines in `caseload.lines`, in `ids` order; read only when the
    /// snapshot is used family by family (`familyLines`).
    private var details: Details

    private enum Details {
        case decoded([(counts: FamilyLines, lines: [Int])])
        case bytes(BinaryReader)
    }

    /// Each family's lines as `CaseloadBuilder.evaluate` gave them, by family; nil when the snapshot does not hold
    /// together (a line claimed by no family or by two, or by one it does not name).
    func familyLines() -> [FamilyID: Stamped<FamilyLines>]? {
        guard let parts = detailParts(), parts.count == ids.count else { return nil }
        var claimed = [Bool](repeating: false, count: caseload.lines.count)
        var out: [FamilyID: Stamped<FamilyLines>] = [:]
        out.reserveCapacity(ids.count)
        for (k, text) in ids.enumerated() {
            guard let id = FamilyID(rawValue: text), out[id] == nil else { return nil }
            var lines = parts[k].counts
            for p in parts[k].lines {
                guard p >= 0, p < claimed.count, !claimed[p], caseload.lines[p].familyId == id else { return nil }
                claimed[p] = true
                lines.lines.append(caseload.lines[p])
            }
            out[id] = Stamped(stamp: stamps[k], value: lines)
        }
        return claimed.contains(false) ? nil : out
    }

    /// Each family's counts and line positions, in `ids` order; nil when they cannot be read.
    private func detailParts() -> [(counts: FamilyLines, lines: [Int])]? {
        guard case .bytes(var r) = details else {
            if case .decoded(let parts) = details { return parts }
            return nil
        }
        var out: [(counts: FamilyLines, lines: [Int])] = []
        out.reserveCapacity(ids.count)
        do throws(BinaryReader.Malformed) {
            for _ in ids {
                let counts = try FamilyLines.read(from: &r, lines: [])
                let n = try r.count()
                var positions: [Int] = []
                positions.reserveCapacity(n)
                for _ in 0..<n { positions.append(try r.int()) }
                out.append((counts, positions))
            }
        } catch {
            return nil
        }
        return r.atEnd ? out : nil
    }

    /// The key of a caseload as of `asOf` under this store's policy and instrument, as this program computes it;
    /// nil when the program's own file cannot be named (then no snapshot is read or written).
    static func key(asOf: CalendarDate, instrument: ValidatedInstrument, policy: Policy) -> String? {
        guard let engine = POSIX.programStamps(),
            let policyJSON = try? Coding.encoder(pretty: false).encode(policy)
        else { return nil }
        return [
            "asOf \(asOf)", "instrument \(instrument.reference.digest)",
            "policy \(String(decoding: policyJSON, as: UTF8.self))",
            "engine " + engine.map { "\($0.device) \($0.inode) \($0.size) \($0.modified) \($0.changed)" }.joined(separator: " "),
            "layout \(FamilyLines.layout)",
        ].joined(separator: "\n")
    }

    /// The snapshot in `data` if it is whole and was written under `key` for `asOf`; nil otherwise.
    static func decode(_ data: Data, key: String, asOf: CalendarDate) -> CaseloadSnapshot? {
        let bytes = [UInt8](data)
        guard bytes.count > magic.count + 32, bytes.starts(with: magic) else { return nil }
        let bodyEnd = bytes.count - 32
        let digest = bytes.withUnsafeBufferPointer { b in
            Digest.bytes(of: UnsafeBufferPointer(rebasing: b[..<bodyEnd]))
        }
        guard digest[...] == bytes[bodyEnd...] else { return nil }
        do throws(BinaryReader.Malformed) {
            var r = BinaryReader(bytes, from: magic.count, to: bodyEnd, strings: [])
            guard try r.text() == key else { return nil }
            // The table of strings, its parts on both cores.
            let tableParts = try parts(&r)
            let decodedParts = ConcurrentResults<[String]>(count: tableParts.count)
            DispatchQueue.concurrentPerform(iterations: tableParts.count) { k in
                var p = BinaryReader(bytes, from: tableParts[k].start, to: tableParts[k].end, strings: [])
                var out: [String] = []
                out.reserveCapacity(tableParts[k].count)
                for _ in 0..<tableParts[k].count {
                    guard let s = try? p.text() else { return }
                    out.append(s)
                }
                if p.atEnd { decodedParts[k] = out }
            }
            var table: [String] = []
            for k in tableParts.indices {
                guard let part = decodedParts[k] else { return nil }
                table += part
            }
            let strings = table
            r = BinaryReader(bytes, from: r.offset, to: bodyEnd, strings: strings)
            let complete = try r.int()
            let familyCount = try r.int(), expected = try r.int()
            guard complete == 0 || complete == 1, familyCount >= 0, expected >= 0 else { return nil }
            var flagCounts: [String: Int] = [:]
            for _ in 0..<(try r.count()) { flagCounts[try r.string()] = try r.int() }
            var trendCounts: [String: [String: Int]] = [:]
            for _ in 0..<(try r.count()) {
                let area = try r.string()
                var counts: [String: Int] = [:]
                for _ in 0..<(try r.count()) { counts[try r.string()] = try r.int() }
                trendCounts[area] = counts
            }
            let kept = try r.count()
            var ids: [String] = []
            var stamps: [FileStamp] = []
            ids.reserveCapacity(kept)
            stamps.reserveCapacity(kept)
            for _ in 0..<kept {
                ids.append(try r.string())
                stamps.append(
                    FileStamp(
                        device: UInt64(bitPattern: Int64(try r.int())), inode: UInt64(bitPattern: Int64(try r.int())),
                        size: Int64(try r.int()), modified: Int64(try r.int()), changed: Int64(try r.int())))
            }
            let detailsLength = try r.count()
            let details = BinaryReader(bytes, from: r.offset, to: r.offset + detailsLength, strings: strings)
            try r.skip(detailsLength)
            // The lines, their parts on both cores.
            let lineCount = try r.count()
            let lineParts = try parts(&r)
            guard r.atEnd, lineParts.reduce(0, { $0 + $1.count }) == lineCount else { return nil }
            let decodedLines = ConcurrentResults<[CaseloadLine]>(count: lineParts.count)
            DispatchQueue.concurrentPerform(iterations: lineParts.count) { k in
                var p = BinaryReader(bytes, from: lineParts[k].start, to: lineParts[k].end, strings: strings)
                var out: [CaseloadLine] = []
                // The first part has room for all: the rest are moved onto its end, and it is never copied whole.
                out.reserveCapacity(k == 0 ? lineCount : lineParts[k].count)
                for _ in 0..<lineParts[k].count {
                    guard let line = try? CaseloadLine.read(from: &p) else { return }
                    out.append(line)
                }
                if p.atEnd { decodedLines[k] = out }
            }
            var lines: [CaseloadLine] = []
            for k in lineParts.indices {
                guard var part = decodedLines[k] else { return nil }
                decodedLines[k] = nil
                if k == 0 { swap(&lines, &part) } else { lines += part }
            }
            // Every line belongs to exactly one kept family, the one it names (read without making the families'
            // lines: the whole caseload may be used as it is).
            var check = details
            var claimed = [Bool](repeating: false, count: lines.count)
            for id in ids {
                _ = try check.int()
                for _ in 0..<(2 * (try check.count())) { _ = try check.string() }
                for _ in 0..<(try check.count()) {
                    let k = try check.int()
                    guard k >= 0, k < lines.count, !claimed[k], lines[k].familyId.rawValue == id else { return nil }
                    claimed[k] = true
                }
            }
            guard check.atEnd, !claimed.contains(false) else { return nil }
            let caseload = Caseload(
                asOf: asOf, families: familyCount, expected: expected, lines: lines, flagCounts: flagCounts,
                trendCounts: trendCounts)
            return CaseloadSnapshot(
                caseload: caseload, complete: complete == 1, ids: ids, stamps: stamps, details: .bytes(details))
        } catch {
            return nil
        }
    }

    /// A section in parts: how many parts, then each part's count of items and length in bytes, then the parts.
    private static func parts(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> [(
        count: Int, start: Int, end: Int
    )] {
        let n = try r.count()
        var sizes: [(Int, Int)] = []
        for _ in 0..<n { sizes.append((try r.count(), try r.count())) }
        var out: [(count: Int, start: Int, end: Int)] = []
        for (count, length) in sizes {
            let start = r.offset
            try r.skip(length)
            out.append((count, start, r.offset))
        }
        return out
    }

    /// The file's bytes under `key`.
    func encoded(key: String) -> Data {
        var w = BinaryWriter()
        w.int(complete ? 1 : 0)
        w.int(caseload.families)
        w.int(caseload.expected)
        w.int(caseload.flagCounts.count)
        for (flag, n) in caseload.flagCounts.sorted(by: { $0.key < $1.key }) {
            w.string(flag)
            w.int(n)
        }
        w.int(caseload.trendCounts.count)
        for (area, counts) in caseload.trendCounts.sorted(by: { $0.key < $1.key }) {
            w.string(area)
            w.int(counts.count)
            for (trend, n) in counts.sorted(by: { $0.key < $1.key }) {
                w.string(trend)
                w.int(n)
            }
        }
        w.int(ids.count)
        for (id, s) in zip(ids, stamps) {
            w.string(id)
            for v in [Int64(bitPattern: s.device), Int64(bitPattern: s.inode), s.size, s.modified, s.changed] {
                w.int(Int(v))
            }
        }
        let totals = w.take()
        if let parts = detailParts() {
            for part in parts {
                part.counts.writeCounts(into: &w)
                w.int(part.lines.count)
                for k in part.lines { w.int(k) }
            }
        }
        let details = w.take()
        let half = (caseload.lines.count + 1) / 2
        for line in caseload.lines[..<half] { line.write(into: &w) }
        let firstLines = w.take()
        for line in caseload.lines[half...] { line.write(into: &w) }
        let secondLines = w.take()

        var out = CaseloadSnapshot.magic
        var frame = BinaryWriter()
        frame.text(key)
        let tableHalf = (w.strings.count + 1) / 2
        var tableParts: [(Int, [UInt8])] = []
        for range in [0..<tableHalf, tableHalf..<w.strings.count] {
            var t = BinaryWriter()
            for s in w.strings[range] { t.text(s) }
            tableParts.append((range.count, t.take()))
        }
        frame.int(2)
        for (count, bytes) in tableParts {
            frame.int(count)
            frame.int(bytes.count)
        }
        out += frame.take()
        for (_, bytes) in tableParts { out += bytes }
        out += totals
        frame.int(details.count)
        out += frame.take()
        out += details
        frame.int(caseload.lines.count)
        frame.int(2)
        frame.int(half)
        frame.int(firstLines.count)
        frame.int(caseload.lines.count - half)
        frame.int(secondLines.count)
        out += frame.take()
        out += firstLines
        out += secondLines
        out += Digest.bytes(of: out)
        return Data(out)
    }

    /// The snapshot of `caseload`, keeping the families in `kept` (the rest's lines left out).
    init(caseload: Caseload, kept: [FamilyID: Stamped<FamilyLines>]) {
        var positions: [FamilyID: [Int]] = [:]
        var lines: [CaseloadLine] = []
        lines.reserveCapacity(caseload.lines.count)
        for line in caseload.lines where kept[line.familyId] != nil {
            positions[line.familyId, default: []].append(lines.count)
            lines.append(line)
        }
        var c = caseload
        c.lines = lines
        c.children = lines.count
        self.caseload = c
        complete = kept.count == caseload.families && lines.count == caseload.lines.count
        let order = kept.keys.sorted()
        ids = order.map(\.rawValue)
        stamps = order.map { kept[$0]!.stamp }
        details = .decoded(order.map { (kept[$0]!.value, positions[$0] ?? []) })
    }

    private init(caseload: Caseload, complete: Bool, ids: [String], stamps: [FileStamp], details: Details) {
        self.caseload = caseload
        self.complete = complete
        self.ids = ids
        self.stamps = stamps
        self.details = details
    }
}

/// The caseload snapshot as this gcp2 would use it (its key is this program's for the date it was written for), for
/// `doctor`: each family it holds with an unchanged entry must have the lines that entry gives, and a complete one
/// must be the caseload those families make.
struct SnapshotCheck: Sendable {
    let asOf: CalendarDate
    let families: [FamilyID: Stamped<FamilyLines>]
    let builder: CaseloadBuilder
    /// The snapshot does not hold together, or its caseload (order, counts) is not the one its families make.
    let wholeDiffers: Bool

    /// Nil when there is no snapshot this gcp2 would read (none, damaged, or under another key).
    init?(_ store: Store, instrument: ValidatedInstrument) {
        guard let data = try? POSIX.read(store.full(CaseloadSnapshot.file), limit: CaseloadSnapshot.maxBytes) else {
            return nil
        }
        var r = BinaryReader([UInt8](data), from: CaseloadSnapshot.magic.count, strings: [])
        guard data.starts(with: CaseloadSnapshot.magic), let written = try? r.text(),
            let line = written.split(separator: "\n").first(where: { $0.hasPrefix("asOf ") }),
            let asOf = CalendarDate(String(line.dropFirst(5))),
            let key = CaseloadSnapshot.key(asOf: asOf, instrument: instrument, policy: store.policy), key == written,
            let snapshot = CaseloadSnapshot.decode(data, key: key, asOf: asOf)
        else { return nil }
        self.asOf = asOf
        builder = CaseloadBuilder(policy: store.policy, instrument: instrument, asOf: asOf)
        guard let families = snapshot.familyLines() else {
            // Ids that are not family ids: never used family by family, but as a whole when complete.
            self.families = [:]
            wholeDiffers = snapshot.complete
            return
        }
        self.families = families
        var rebuilt = builder
        for id in families.keys.sorted() { rebuilt.add(families[id]!.value) }
        wholeDiffers = snapshot.complete && rebuilt.build() != snapshot.caseload
    }

    /// Whether the snapshot holds family `id` with `stamp` (so a caseload would take its lines from it) and lines,
    /// counts or trends other than `entry` gives.
    func differs(for id: FamilyID, entry: CaseloadEntry, stamp: FileStamp?, levels: CaseloadEntry.Levels) -> Bool {
        guard let kept = families[id], let stamp, kept.stamp == stamp else { return false }
        // An entry the caseload reads from the index instead (written for another instrument) is never kept.
        guard let finals = entry.summaries(for: levels) else { return true }
        let fresh = builder.evaluate(
            family: entry.family.family, finals: finals, decisions: entry.decisions ?? [], drafts: entry.drafts ?? [])
        // Compared in the binary form, byte for byte: `String` equality would pass a name changed between its composed
        // and decomposed forms.
        func form(_ lines: FamilyLines) -> ([UInt8], [[UInt8]]) {
            var w = BinaryWriter()
            lines.writeCounts(into: &w)
            for line in lines.lines.sorted(by: { $0.childId < $1.childId }) { line.write(into: &w) }
            return (w.take(), w.strings.map { Array($0.utf8) })
        }
        return form(fresh) != form(kept.value)
    }
}

/// A value computed from a caseload entry, with the stamp of the entry file it was computed from.
package struct Stamped<T: Sendable>: Sendable {
    var stamp: FileStamp
    var value: T
}

extension Store {
    /// The caseload as of `asOf`, and what the snapshot gave: `reused` families' lines came from it (all of them when
    /// it was used as it is), and `snapshotWritten` says whether it was rewritten. Every line is the one account's
    /// (`CaseloadBuilder.evaluate`), computed now or on an earlier run from the very same entry file.
    package func caseloadCounting(asOf: CalendarDate, snapshot: Bool = true) throws(StoreError) -> (
        caseload: Caseload, damaged: [StoreError], reused: Int, snapshotWritten: Bool
    ) {
        let inst = try currentInstrument()
        let key = snapshot ? CaseloadSnapshot.key(asOf: asOf, instrument: inst, policy: policy) : nil
        let path = full(CaseloadSnapshot.file)
        let earlier = key.flatMap { key in
            (try? POSIX.read(path, limit: CaseloadSnapshot.maxBytes)).flatMap {
                CaseloadSnapshot.decode($0, key: key, asOf: asOf)
            }
        }
        if let earlier, earlier.complete, let whole = try unchanged(earlier) {
            return (earlier.caseload, whole, earlier.ids.count, false)
        }
        let reuse = key == nil ? nil : earlier?.familyLines() ?? [:]
        var builder = CaseloadBuilder(policy: policy, instrument: inst, asOf: asOf)
        let evaluator = builder
        // Entries changed less than the settling time before they are stamped are left out of the snapshot (computed
        // again next time), so a change in place within one tick of the file clock can never hide behind an unchanged
        // stamp. Taken before any is stamped, so a long run cannot let a fresh one through.
        let settled = POSIX.nowNanoseconds() - settleNanoseconds
        var kept: [FamilyID: Stamped<FamilyLines>] = [:]
        var reused = 0
        var fresh: Set<FamilyID> = []
        let damaged = try eachFamily(instrument: inst, reuse: reuse) {
            evaluator.evaluate(family: $0, finals: $1, decisions: $2, drafts: $3)
        } add: {
            builder.add($0)
        } kept: { id, stamped, wasReused in
            kept[id] = stamped
            if wasReused { reused += 1 } else { fresh.insert(id) }
        }
        let caseload = builder.build()
        var written = false
        // A store this process may not write (read-only) keeps the snapshot it has, if any.
        if let key, POSIX.isWritable(path: self.path) {
            kept = kept.filter { $0.value.stamp.changed < settled && $0.value.stamp.modified < settled }
            // Rewritten when it would hold something new, or no longer hold a family it holds.
            if kept.keys.contains(where: fresh.contains) || kept.count != (reuse?.count ?? -1) {
                // A cache: a store that cannot be written here (read-only, full) is read as before, only slower; and
                // not made durable, since a torn file fails its digest and is computed again.
                let data = CaseloadSnapshot(caseload: caseload, kept: kept).encoded(key: key)
                written = (try? POSIX.atomicWrite(data, to: path, syncFolder: false, durable: false)) != nil
            }
        }
        return (caseload, damaged, reused, written)
    }

    /// When every family in the store has its caseload entry exactly as `snapshot` stamped it, the families that
    /// could not be read (index entries without a family: the only kind there can be then); nil otherwise.
    private func unchanged(_ snapshot: CaseloadSnapshot) throws(StoreError) -> [StoreError]? {
        try withLock(exclusive: false) { () throws(StoreError) -> [StoreError]? in
            let ids = try familyIDs()
            guard ids.count == snapshot.ids.count, zip(ids, snapshot.ids).allSatisfy({ $0.rawValue == $1 }),
                let stamps = POSIX.stamps(in: full("caseload"), ids.map { "\($0).json" }),
                zip(stamps, snapshot.stamps).allSatisfy({ $0 == $1 })
            else { return nil }
            return try missingFamilies(besides: ids)
        }
    }

    /// How long an entry must have been left alone before the snapshot keeps its lines (tests shorten it).
    var settleNanoseconds: Int64 { snapshotSettle ?? CaseloadSnapshot.settleNanoseconds }
}
