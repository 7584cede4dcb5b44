import Foundation

/// The lines of a text held in `Data`, found with `memchr`: `Data.split` compares byte by byte through the generic
/// collection protocol, and the audit log of a large store is tens of megabytes.
enum Lines {
    /// The range of each line of `data`, in `data`'s indices, without its newline, as
    /// `data.split(separator: 0x0A, omittingEmptySubsequences: false)` gives them: the text after the last newline
    /// is the last line (empty when the text ends with a newline).
    static func ranges(in data: Data) -> [Range<Data.Index>] {
        let base = data.startIndex
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Range<Data.Index>] in
            var out: [Range<Data.Index>] = []
            guard let start = raw.baseAddress, raw.count > 0 else { return [base..<base] }
            var from = 0
            while from < raw.count, let hit = memchr(start + from, 0x0A, raw.count - from) {
                let at = start.distance(to: UnsafeRawPointer(hit))
                out.append(base + from..<base + at)
                from = at + 1
            }
            out.append(base + from..<base + raw.count)
            return out
        }
    }
}
