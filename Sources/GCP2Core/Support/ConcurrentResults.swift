import Foundation

/// Fixed-size results filled in from `DispatchQueue.concurrentPerform`, one slot per iteration.
package final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    package init(count: Int) { slots = Array(repeating: nil, count: count) }

    package subscript(i: Int) -> T? {
        get { lock.withLock { slots[i] } }
        set { lock.withLock { slots[i] = newValue } }
    }

    /// Every slot, in iteration order.
    package var values: [T?] { lock.withLock { slots } }
}
