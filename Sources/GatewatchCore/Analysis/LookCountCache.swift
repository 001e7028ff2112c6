import Foundation
import Synchronization

/// The counts of both arms at past looks of the always-valid p-value, kept between analyses of one growing data set.
///
/// A look at time t counts what happened in `(start, t]`; once the data has moved past t (by more than Prometheus'
/// five-minute staleness window, so late samples are in), those counts never change. Keeping them turns the
/// sequential test of every segment from one count per look per poll into one count per poll.
/// Only share a cache between analyses of the same data as it grows (a live source's), never between data sets
/// that differ in the past (the then-and-now view rewrites past values).
public final class LookCountCache: Sendable {
    struct LookKey: Hashable {
        var segment: String?
        var start: Timestamp
        var time: Timestamp
    }

    private struct Store {
        var counts: [LookKey: (champion: ArmCounts, challenger: ArmCounts)] = [:]
        var hits = 0, misses = 0
    }

    /// The looks and the counters, under one lock (analyses of several releases may share a cache across threads).
    /// The standard library's `Mutex`, not NIOLockedValueBox: the analysis module depends on nothing. (ThreadSanitizer
    /// does not see this lock's futex; the cache is one lock around two dictionary operations, nothing else.)
    private let store = Mutex(Store())
    /// At most this many looks are kept; past it the cache starts over.
    public let capacity: Int
    /// Looks answered from the cache, since the cache was made.
    public var hits: Int { store.withLock { $0.hits } }
    /// Looks computed, since the cache was made.
    public var misses: Int { store.withLock { $0.misses } }

    public init(capacity: Int = 500_000) { self.capacity = capacity }

    /// Seconds a look must lie behind the newest data before its counts are kept.
    public static let settle: Int64 = 300

    /// The counts at one look, from the cache or computed (and kept when the look has settled). The computation
    /// runs outside the lock.
    func counts(segment: String?, start: Timestamp, time: Timestamp, end: Timestamp,
                compute: () -> (champion: ArmCounts, challenger: ArmCounts)) -> (champion: ArmCounts, challenger: ArmCounts) {
        let key = LookKey(segment: segment, start: start, time: time)
        let cached = store.withLock { s -> (champion: ArmCounts, challenger: ArmCounts)? in
            if let cached = s.counts[key] { s.hits += 1; return cached }
            s.misses += 1
            return nil
        }
        if let cached { return cached }
        let value = compute()
        guard time <= end - Self.settle else { return value }
        let capacity = self.capacity
        store.withLock { s in
            if s.counts.count >= capacity { s.counts.removeAll(keepingCapacity: true) }
            s.counts[key] = value
        }
        return value
    }
}
