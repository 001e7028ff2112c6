import Foundation

/// The counts of both arms at past looks of the always-valid p-value, kept between analyses of one growing data set.
///
/// A look at time t counts what happened in `(start, t]`; once the data has moved past t (by more than Prometheus'
/// five-minute staleness window, so late samples are in), those counts never change. Keeping them turns the
/// sequential test of every segment from one count per look per poll into one count per poll.
/// Only share a cache between analyses of the same data as it grows (a live source's), never between data sets
/// that differ in the past (the then-and-now view rewrites past values).
public final class LookCountCache: @unchecked Sendable {
    struct LookKey: Hashable {
        var segment: String?
        var start: Timestamp
        var time: Timestamp
    }

    private var counts: [LookKey: (champion: ArmCounts, challenger: ArmCounts)] = [:]
    private let lock = NSLock()
    /// At most this many looks are kept; past it the cache starts over.
    public let capacity: Int
    /// Looks answered from the cache and computed, since the cache was made.
    public private(set) var hits = 0, misses = 0

    public init(capacity: Int = 500_000) { self.capacity = capacity }

    /// Seconds a look must lie behind the newest data before its counts are kept.
    public static let settle: Int64 = 300

    /// The counts at one look, from the cache or computed (and kept when the look has settled).
    func counts(segment: String?, start: Timestamp, time: Timestamp, end: Timestamp,
                compute: () -> (champion: ArmCounts, challenger: ArmCounts)) -> (champion: ArmCounts, challenger: ArmCounts) {
        let key = LookKey(segment: segment, start: start, time: time)
        lock.lock()
        if let cached = counts[key] {
            hits += 1
            lock.unlock()
            return cached
        }
        misses += 1
        lock.unlock()
        let value = compute()
        guard time <= end - Self.settle else { return value }
        lock.lock()
        if counts.count >= capacity { counts.removeAll(keepingCapacity: true) }
        counts[key] = value
        lock.unlock()
        return value
    }
}
