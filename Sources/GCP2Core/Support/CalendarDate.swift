/// A calendar date without time or zone (`YYYY-MM-DD`), used for births, visits and assessment dates.
public struct CalendarDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date if the year, month and day form a real proleptic Gregorian date (years 1900–2999).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Creates a date from a day number (days since 1970-01-01).
    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    /// Whole months completed from `self` to `other` (the age in months when `self` is a birth date).
    public func wholeMonths(to other: CalendarDate) -> Int {
        var months = (other.year - year) * 12 + (other.month - month)
        if other.day < day { months -= 1 }
        return months
    }

    /// Whole years completed from `self` to `other` (the age in years when `self` is a birth date).
    public func wholeYears(to other: CalendarDate) -> Int { wholeMonths(to: other) / 12 }

    /// The date `n` days later.
    public func adding(days n: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + n) }

    public var description: String {
        // Years are 1900–2999 by construction: ten ASCII bytes, written straight into a small string.
        if year >= 1000 && year <= 9999 {
            return String(unsafeUninitializedCapacity: 10) { b in
                b[0] = 0x30 + UInt8(year / 1000)
                b[1] = 0x30 + UInt8(year / 100 % 10)
                b[2] = 0x30 + UInt8(year / 10 % 10)
                b[3] = 0x30 + UInt8(year % 10)
                b[4] = 0x2D
                b[5] = 0x30 + UInt8(month / 10)
                b[6] = 0x30 + UInt8(month % 10)
                b[7] = 0x2D
                b[8] = 0x30 + UInt8(day / 10)
                b[9] = 0x30 + UInt8(day % 10)
                return 10
            }
        }
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = CalendarDate(text) else {
            // In the right form but not a day of the calendar (2026-06-31): say so, not only the form.
            let shaped =
                text.count == 10
                && text.enumerated().allSatisfy { k, ch in k == 4 || k == 7 ? ch == "-" : ch.isASCII && ch.isNumber }
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: shaped
                        ? "expected a day that exists in the calendar (YYYY-MM-DD), found \(quoted(text))"
                        : "expected a calendar date YYYY-MM-DD, found \(quoted(text))"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
