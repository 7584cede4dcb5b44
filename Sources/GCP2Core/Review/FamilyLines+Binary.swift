/// A compact binary form of what the one account said about a family on a date (its `FamilyLines`), for the
/// store's caseload snapshot: a record of the account's answer, read back exactly, never a second account.
///
/// Strings go through one table (`BinaryWriter.strings`), integers are zigzag varints, enums are their position in
/// `allCases` (`layout` names every case in order, so a snapshot written by another order is never read).
extension FamilyLines {
    /// Every enum case the form stores by position, in order: part of a snapshot's key.
    package static let layout: String = [
        CaseFlag.allCases.map(\.rawValue), Severity.allCases.map(\.rawValue), Trend.allCases.map(\.rawValue),
        DecisionLevel.allCases.map(\.rawValue),
    ].map { $0.joined(separator: ",") }.joined(separator: ";")

    /// The family's counts (children expected, trends), without its lines (written in caseload order apart).
    package func writeCounts(into w: inout BinaryWriter) {
        w.int(expected)
        w.int(trends.count)
        for (area, trend) in trends {
            w.string(area)
            w.string(trend)
        }
    }

    /// A family's counts as `writeCounts` wrote them, with `lines`.
    package static func read(from r: inout BinaryReader, lines: [CaseloadLine]) throws(BinaryReader.Malformed)
        -> FamilyLines
    {
        var out = FamilyLines()
        out.expected = try r.int()
        let trends = try r.count()
        out.trends.reserveCapacity(trends)
        for _ in 0..<trends { out.trends.append((try r.string(), try r.string())) }
        out.lines = lines
        return out
    }
}

extension Caseload {
    /// Builds a caseload from parts already counted (the store's snapshot of one `CaseloadBuilder.build`).
    package init(
        asOf: CalendarDate, families: Int, expected: Int, lines: [CaseloadLine], flagCounts: [String: Int],
        trendCounts: [String: [String: Int]]
    ) {
        self.init(
            asOf: asOf, families: families, children: lines.count, expected: expected, lines: lines,
            flagCounts: flagCounts, trendCounts: trendCounts)
    }
}

extension CaseloadLine {
    fileprivate static let flags = CaseFlag.allCases
    fileprivate static let severities = Severity.allCases
    fileprivate static let trends = Trend.allCases
    fileprivate static let levels = DecisionLevel.allCases

    package func write(into w: inout BinaryWriter) {
        w.string(familyId.rawValue)
        w.string(familyRef)
        w.string(childId.rawValue)
        w.string(childName)
        w.int(born.dayNumber)
        w.int(assessments)
        w.optional(latestAssessment) { $0.string($1.rawValue) }
        w.optional(latestDate) { $0.int($1.dayNumber) }
        w.int(areas.count)
        for a in areas {
            w.string(a.linkId.rawValue)
            w.string(a.code)
            w.optional(a.grade) { $0.int($1.rawValue) }
            w.optional(a.trend) { $0.position($1, in: Self.trends) }
        }
        w.optional(worstGrade) { $0.int($1.rawValue) }
        w.optional(daysSinceLatest) { $0.int($1) }
        w.optional(daysOverdue) { $0.int($1) }
        w.optional(currentSpellDays) { $0.int($1) }
        w.int(cumulativeDays)
        w.int(spells)
        w.int(flags.count)
        for f in flags { w.position(f, in: Self.flags) }
        w.int(teenager ? 1 : 0)
        w.position(severity, in: Self.severities)
        w.optional(level) { $0.position($1, in: Self.levels) }
    }

    package static func read(from r: inout BinaryReader) throws(BinaryReader.Malformed) -> CaseloadLine {
        func id<I: SafeIdentifier>(_: I.Type) throws(BinaryReader.Malformed) -> I {
            guard let id = I(rawValue: try r.string()) else { throw .init() }
            return id
        }
        func grade(_ raw: Int) throws(BinaryReader.Malformed) -> Grade {
            guard let g = Grade(rawValue: raw) else { throw .init() }
            return g
        }
        let familyId = try id(FamilyID.self)
        let familyRef = try r.string()
        let childId = try id(ChildID.self)
        let childName = try r.string()
        let born = try r.date()
        let assessments = try r.int()
        let latestAssessment = try r.isPresent() ? try id(AssessmentID.self) : nil
        let latestDate = try r.isPresent() ? try r.date() : nil
        let count = try r.count()
        var areas: [CaseloadArea] = []
        areas.reserveCapacity(count)
        for _ in 0..<count {
            let link = LinkID(try r.string())
            let code = try r.string()
            let g = try r.isPresent() ? try grade(try r.int()) : nil
            let trend = try r.isPresent() ? try r.position(in: trends) : nil
            areas.append(CaseloadArea(linkId: link, code: code, grade: g, trend: trend))
        }
        let worst = try r.isPresent() ? try grade(try r.int()) : nil
        let daysSince = try r.isPresent() ? try r.int() : nil
        let overdue = try r.isPresent() ? try r.int() : nil
        let spell = try r.isPresent() ? try r.int() : nil
        let cumulative = try r.int()
        let spells = try r.int()
        let flagCount = try r.count()
        var flags: [CaseFlag] = []
        flags.reserveCapacity(flagCount)
        for _ in 0..<flagCount { flags.append(try r.position(in: Self.flags)) }
        let teenager = try r.int()
        guard teenager == 0 || teenager == 1 else { throw .init() }
        let severity = try r.position(in: severities)
        let level = try r.isPresent() ? try r.position(in: levels) : nil
        return CaseloadLine(
            familyId: familyId, familyRef: familyRef, childId: childId, childName: childName, born: born,
            assessments: assessments, latestAssessment: latestAssessment, latestDate: latestDate, areas: areas,
            worstGrade: worst, daysSinceLatest: daysSince, daysOverdue: overdue, currentSpellDays: spell,
            cumulativeDays: cumulative, spells: spells, flags: flags, teenager: teenager == 1, severity: severity,
            level: level)
    }
}

/// Writes the binary form: zigzag varints, strings as positions in a table of distinct strings.
package struct BinaryWriter {
    package private(set) var bytes: [UInt8] = []
    /// The distinct strings, in the order first written.
    package private(set) var strings: [String] = []
    /// By UTF-8 bytes, not by `String` equality: two names equal only canonically ("Zoë" composed, and "e" with a
    /// combining mark) are different strings here, each read back in its own form.
    private var table: [[UInt8]: Int] = [:]

    package init() {}

    /// The bytes written since the last `take`, handed over (the table of strings is kept): a file made of sections
    /// that share one table.
    package mutating func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    package mutating func int(_ v: Int) {
        var u = UInt64(bitPattern: Int64((v << 1) ^ (v >> (Int.bitWidth - 1))))
        while u >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: u) | 0x80)
            u >>= 7
        }
        bytes.append(UInt8(u))
    }

    package mutating func string(_ s: String) {
        let bytes = Array(s.utf8)
        if let k = table[bytes] {
            int(k)
        } else {
            table[bytes] = strings.count
            int(strings.count)
            strings.append(s)
        }
    }

    /// A string written whole (its UTF-8 length, then its bytes), not through the table.
    package mutating func text(_ s: String) {
        int(s.utf8.count)
        bytes += s.utf8
    }

    package mutating func position<E: Equatable>(_ e: E, in all: [E]) { int(all.firstIndex(of: e)!) }

    package mutating func optional<T>(_ v: T?, _ write: (inout BinaryWriter, T) -> Void) {
        if let v {
            bytes.append(1)
            write(&self, v)
        } else {
            bytes.append(0)
        }
    }
}

/// Reads the binary form; anything out of place (a short read, a position past a table, an unknown flag byte)
/// throws `Malformed`, never traps.
package struct BinaryReader {
    package struct Malformed: Error { package init() {} }

    private let bytes: [UInt8]
    private let strings: [String]
    package private(set) var offset: Int
    /// Where reading stops: nothing at or past it is read.
    package let end: Int

    /// Reads `bytes` from `offset` up to `end` (the whole array when nil), its strings positions in `strings`.
    package init(_ bytes: [UInt8], from offset: Int, to end: Int? = nil, strings: [String]) {
        self.bytes = bytes
        self.end = min(end ?? bytes.count, bytes.count)
        self.offset = min(max(0, offset), self.end)
        self.strings = strings
    }

    package var atEnd: Bool { offset == end }

    /// Skips `n` bytes (a section read elsewhere).
    package mutating func skip(_ n: Int) throws(Malformed) {
        guard n >= 0, n <= end - offset else { throw Malformed() }
        offset += n
    }

    package mutating func int() throws(Malformed) -> Int {
        var u: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw Malformed() }
            let b = bytes[offset]
            offset += 1
            u |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        let v = Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
        return Int(v)
    }

    /// A count of items that follow, each at least one byte: never more than the bytes left.
    package mutating func count() throws(Malformed) -> Int {
        let n = try int()
        guard n >= 0, n <= end - offset else { throw Malformed() }
        return n
    }

    package mutating func string() throws(Malformed) -> String {
        let k = try int()
        guard k >= 0, k < strings.count else { throw Malformed() }
        return strings[k]
    }

    /// A string written whole by `BinaryWriter.text`.
    package mutating func text() throws(Malformed) -> String {
        let n = try count()
        defer { offset += n }
        return String(decoding: bytes[offset..<(offset + n)], as: UTF8.self)
    }

    package mutating func date() throws(Malformed) -> CalendarDate {
        let n = try int()
        // Years 1900–2999, as every `CalendarDate` is.
        guard n >= -25_567, n <= 376_199 else { throw Malformed() }
        return CalendarDate(dayNumber: n)
    }

    package mutating func position<E>(in all: [E]) throws(Malformed) -> E {
        let k = try int()
        guard k >= 0, k < all.count else { throw Malformed() }
        return all[k]
    }

    package mutating func isPresent() throws(Malformed) -> Bool {
        guard offset < end, bytes[offset] <= 1 else { throw Malformed() }
        offset += 1
        return bytes[offset - 1] == 1
    }
}
