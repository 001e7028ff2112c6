import Testing
@testable import GatewatchCore

/// Keeping the counts at settled looks between analyses of a growing data set must not change any result, and
/// must leave only the looks that are not yet settled to be counted again.
@Suite struct LookCountCacheTests {
    static let start: Timestamp = 1_762_074_000

    /// Three segments of counters that grow every minute, labels included, up to `minutes`.
    static func data(minutes: Int) -> MetricSeriesSet {
        var data = MetricSeriesSet()
        for (s, segment) in ["market=BR", "market=DE", "market=US"].enumerated() {
            for arm in Arm.allCases {
                let rate = arm == .champion ? 40.0 : 12.0
                let shares: [(MetricFamily, String?, Double)] = [
                    (.decisions, "allow", 0.9), (.decisions, "block", 0.1), (.errors, nil, 0.01),
                    (.labels, "tp", 0.05 + (arm == .challenger ? 0.01 * Double(s) : 0)), (.labels, "fp", 0.02), (.labels, "tn", 0.9), (.labels, "fn", 0.03),
                ]
                for (family, extra, share) in shares {
                    data.append((1...minutes).map { Sample(time: start + Int64($0 * 60), value: rate * share * Double($0)) },
                                to: SeriesKey(family, arm: arm, segment: segment, extra: extra))
                }
            }
        }
        return data
    }

    @Test func cachedLooksGiveTheSameComparisonsAndOnlyRecentLooksAreCountedAgain() {
        let cache = LookCountCache()
        let cached = SegmentComparator(looks: cache), plain = SegmentComparator()
        let segments = ["market=BR", "market=DE", "market=US"]
        var missesBefore = 0
        for minutes in [180, 181, 182, 240] {
            let metrics = DerivedMetrics(Self.data(minutes: minutes))
            let end = Self.start + Int64(minutes * 60)
            let a = cached.compare(metrics: metrics, segments: segments, from: Self.start, to: end)
            let b = plain.compare(metrics: metrics, segments: segments, from: Self.start, to: end)
            #expect(a.segments == b.segments && a.overall == b.overall, "at \(minutes) min")
            #expect(a.segments.allSatisfy { $0.metrics[.precision]?.alwaysValidP != nil })
            if minutes == 181 {
                // 12 looks of 15 min; all but the last (the end itself) settled a minute ago.
                #expect(cache.misses - missesBefore <= 4, "only unsettled looks are counted again: \(cache.misses - missesBefore)")
            }
            missesBefore = cache.misses
        }
        #expect(cache.hits > 0)
    }
}
