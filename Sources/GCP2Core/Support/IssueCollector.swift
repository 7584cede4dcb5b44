import Foundation

/// Gathers decoding problems in array elements so one pass reports them all.
///
/// Put one in `JSONDecoder.userInfo[IssueCollector.key]`; documents that support it decode each element
/// separately, record the failure with its path and go on with the next.
package final class IssueCollector: @unchecked Sendable {
    package static let key = CodingUserInfoKey(rawValue: "gcp2.issueCollector")!
    private let lock = NSLock()
    private var found: [Issue] = []

    package init() {}

    func add(_ error: any Error) {
        lock.lock()
        found.append(Issue(decodingError: error))
        lock.unlock()
    }

    /// The problems found so far.
    package var issues: [Issue] {
        lock.lock()
        defer { lock.unlock() }
        return found
    }
}

/// Accepts and discards any JSON value, to step past an element that failed to decode.
private struct Skip: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// Decodes an optional array; with a collector, a bad element is recorded and skipped instead of failing the whole.
func decodeCollecting<T: Decodable, K: CodingKey>(
    _ type: T.Type, from c: KeyedDecodingContainer<K>, forKey key: K, collector: IssueCollector?
) throws -> ([T], SourceIndex) {
    guard c.contains(key), !(try c.decodeNil(forKey: key)) else { return ([], SourceIndex()) }
    guard let collector else { return (try c.decode([T].self, forKey: key), SourceIndex()) }
    var array = try c.nestedUnkeyedContainer(forKey: key)
    var out: [T] = []
    var index = SourceIndex()
    while !array.isAtEnd {
        let before = array.currentIndex
        do {
            out.append(try array.decode(T.self))
            index.map.append(before)
        } catch {
            collector.add(error)
            if array.currentIndex == before { _ = try array.decode(Skip.self) }
        }
    }
    return (out, index)
}

/// Where each decoded element stood in the file's array, so messages name the original index after skipped
/// elements. It never affects equality.
public struct SourceIndex: Sendable, Equatable {
    var map: [Int] = []
    public init() {}
    /// The file's index of element `i`.
    public func callAsFunction(_ i: Int) -> Int { i < map.count ? map[i] : i }
    public static func == (a: SourceIndex, b: SourceIndex) -> Bool { true }
}
