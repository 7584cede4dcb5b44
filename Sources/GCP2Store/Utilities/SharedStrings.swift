import Foundation
import GCP2Core

/// A fixed set of strings found by their bytes, so that a reader hands out one shared copy instead of making a new
/// string each time it meets the same text. An assessment names the instrument's link ids again and again (every
/// rating and grade, in every profile of every document), and a new string longer than 15 bytes is an allocation
/// and a free each time; `doctor` reads every document of the store.
///
/// What it returns is equal to the string the bytes would make: only plain ASCII text (no escapes) is looked up,
/// and the bytes are compared in full.
final class SharedStrings: Sendable {
    /// The link ids of the built-in instrument (areas, sub-areas and items); a licensee's instrument that uses
    /// others still reads them, as new strings.
    static let linkIDs = SharedStrings(
        Instrument.gcp2Structure.areas.flatMap { area in
            [area.linkId.rawValue]
                + area.subAreas.flatMap { sub in [sub.linkId.rawValue] + sub.items.map(\.linkId.rawValue) }
        })

    /// Shorter strings are stored inside the `String` value itself: nothing to share.
    static let shortest = 16

    private let strings: [String]
    private let bytes: [[UInt8]]
    /// Open addressing: each slot holds an index into `strings` plus one, or 0 for an empty slot.
    private let slots: [Int32]
    private let mask: Int

    init(_ texts: [String]) {
        let unique = Array(Set(texts.filter { $0.utf8.count >= SharedStrings.shortest && $0.utf8.allSatisfy { $0 < 0x80 } }))
            .sorted()
        strings = unique
        bytes = unique.map { Array($0.utf8) }
        var size = 16
        while size < unique.count * 4 { size *= 2 }
        mask = size - 1
        var table = [Int32](repeating: 0, count: size)
        for (n, b) in bytes.enumerated() {
            var at = b.withUnsafeBytes { SharedStrings.hash($0) } & (size - 1)
            while table[at] != 0 { at = (at + 1) & (size - 1) }
            table[at] = Int32(n + 1)
        }
        slots = table
    }

    /// The shared string whose bytes are `text`'s, if the set holds one.
    func string(_ text: UnsafeRawBufferPointer) -> String? {
        guard text.count >= SharedStrings.shortest, !strings.isEmpty else { return nil }
        var at = SharedStrings.hash(text) & mask
        while true {
            let n = Int(slots[at])
            guard n > 0 else { return nil }
            let candidate = bytes[n - 1]
            if candidate.count == text.count,
                candidate.withUnsafeBytes({ memcmp($0.baseAddress!, text.baseAddress!, text.count) }) == 0
            {
                return strings[n - 1]
            }
            at = (at + 1) & mask
        }
    }

    /// A hash of at least 16 bytes from its length, first eight and last eight bytes.
    private static func hash(_ text: UnsafeRawBufferPointer) -> Int {
        let first = text.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let last = text.loadUnaligned(fromByteOffset: text.count - 8, as: UInt64.self)
        var h = (first ^ (last &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(text.count)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }
}
