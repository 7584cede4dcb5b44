import Foundation

/// Fixed-size results filled in from `DispatchQueue.concurrentPerform`, one slot per iteration.
public final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public subscript(i: Int) -> T? {
        get { lock.withLock { slots[i] } }
        set { lock.withLock { slots[i] = newValue } }
    }

    /// Every slot, in iteration order.
    public var values: [T?] { lock.withLock { slots } }
}
