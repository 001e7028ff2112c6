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

/// Thinning what the analysis no longer reads changes nothing it computes, and bounds the samples held.
@Suite struct ThinningTests {
    @Test func aThinnedSetAnalysesExactlyAsTheFullOne() {
        let start = LookCountCacheTests.start
        let minutes = 30 * 60
        let full = LookCountCacheTests.data(minutes: minutes)
        let release = Release(slug: "r", title: "r", model: "m", championVersion: "1", challengerVersion: "2", owner: "o", changes: [],
                              stages: [Stage(name: "canary", kind: .canary, trafficPercent: 25, bakeSeconds: 3600),
                                       Stage(name: "ab", kind: .ab, trafficPercent: 50, bakeSeconds: 3600),
                                       Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                              rules: [StopRule(name: "err", metric: .errorRate, comparator: .greaterThan, threshold: 0.02, forSeconds: 300, severity: .rollback),
                                      StopRule(name: "prec", metric: .precision, relativeToChampion: true, comparator: .lessThan, threshold: -0.001,
                                               windowSeconds: 3600, forSeconds: 600, scope: .eachSegment, severity: .block)],
                              segments: ["market=BR", "market=DE", "market=US"].map(Segment.init))
        // Entered its stage at an odd moment, long before the cut.
        let state = RolloutState(stageIndex: 1, stageEnteredAt: start + 7 * 3600 + 1234, startedAt: start, status: .running)
        let asOf = start + Int64(minutes * 60)
        let analyzer = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: 60, maximumLookback: 6 * 3600))
        var thinned = full
        let cutoff = analyzer.oldestTimeNeeded(release: release, asOf: asOf)
        thinned.thin(before: cutoff, origin: start, every: analyzer.comparator.lookInterval, keeping: [state.startedAt, state.stageEnteredAt])
        #expect(thinned.sampleCount < full.sampleCount / 2, "\(thinned.sampleCount) of \(full.sampleCount) samples kept")
        let a = analyzer.analyze(release: release, state: state, metrics: full, asOf: asOf)
        let b = analyzer.analyze(release: release, state: state, metrics: thinned, asOf: asOf)
        #expect(a.segments == b.segments && a.overall == b.overall)
        #expect(a.rules == b.rules)
        #expect(a.stageDecisions == b.stageDecisions && a.labelMaturity == b.labelMaturity)
        #expect(a.gates == b.gates)
        // A window that starts before the cut at a moment that was not kept starts at the first kept sample after
        // it (8 minutes later: extrapolated back by half an interval only, so it counts less).
        let key = SeriesKey(.decisions, arm: .champion, segment: "market=BR", extra: "allow")
        let odd = start + 3 * 3600 + 7 * 60
        #expect(thinned.increase(key, from: odd, to: asOf)! < full.increase(key, from: odd, to: asOf)!)
        #expect(thinned.increase(key, from: start + 3 * 3600, to: asOf) == full.increase(key, from: start + 3 * 3600, to: asOf))
    }
}
