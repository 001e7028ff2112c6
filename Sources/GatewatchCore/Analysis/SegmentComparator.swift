/// Compares the arms in every segment and overall: deltas with intervals and p-values, BH q-values across
/// segments, always-valid p-values, drift of the score distributions, and hidden regressions.
public struct SegmentComparator: Sendable {
    /// Seconds between the looks of the always-valid p-value.
    public var lookInterval: Int64
    /// At most this many looks (the oldest are dropped first by widening the interval).
    public var maximumLooks: Int
    /// Whether to compute the always-valid p-values and delta trends, which need the counts at every look. Only
    /// the screen shows them; gates and rules do not use them, so a controller deciding every step can skip them.
    public var sequential: Bool
    /// Counts at settled looks kept from earlier analyses of the same growing data (nil: count every look each time).
    public var looks: LookCountCache?

    public init(lookInterval: Int64 = 900, maximumLooks: Int = 96, sequential: Bool = true, looks: LookCountCache? = nil) {
        self.lookInterval = lookInterval
        self.maximumLooks = maximumLooks
        self.sequential = sequential
        self.looks = looks
    }

    /// Significance level for q-values and hidden regressions.
    public static let alpha = 0.05

    public func compare(metrics: DerivedMetrics, segments: [String], from start: Timestamp, to end: Timestamp) -> (overall: SegmentComparison, segments: [SegmentComparison]) {
        let overall = compareOne(metrics, segment: nil, from: start, to: end)
        var rows = segments.map { compareOne(metrics, segment: $0, from: start, to: end) }
        for metric in QualityMetric.allCases {
            let indices = rows.indices.filter { rows[$0].metrics[metric] != nil }
            let qs = MultipleTesting.benjaminiHochberg(indices.map { rows[$0].metrics[metric]!.estimate.pValue })
            for (i, q) in zip(indices, qs) {
                rows[i].metrics[metric]!.qValue = q
                let c = rows[i].metrics[metric]!
                let overallWorseAndSignificant = overall.metrics[metric].map { $0.isWorse && $0.estimate.pValue < Self.alpha } ?? false
                rows[i].metrics[metric]!.hiddenRegression = c.isWorse && q < Self.alpha && !overallWorseAndSignificant
            }
        }
        return (overall, rows)
    }

    func compareOne(_ metrics: DerivedMetrics, segment: String?, from start: Timestamp, to end: Timestamp) -> SegmentComparison {
        let champion = ArmCounts(metrics, arm: .champion, segment: segment, from: start, to: end)
        let challenger = ArmCounts(metrics, arm: .challenger, segment: segment, from: start, to: end)
        var result: [QualityMetric: MetricComparison] = [:]
        let times = sequential ? lookTimes(from: start, to: end) : []
        var lookCounts: [(ArmCounts, ArmCounts)]? = nil
        var trend: [QualityMetric: [Double]] = [:]
        for metric in QualityMetric.allCases {
            if let a = champion.proportion(metric), let b = challenger.proportion(metric),
               let estimate = ProportionTest.twoProportion(successesA: a.successes, totalA: a.total, successesB: b.successes, totalB: b.total) {
                if lookCounts == nil {
                    lookCounts = times.map { t in
                        // The last look is the whole range, counted above.
                        if t == end { return (champion, challenger) }
                        let count = {
                            (champion: ArmCounts(metrics, arm: .champion, segment: segment, from: start, to: t, includeScores: false),
                             challenger: ArmCounts(metrics, arm: .challenger, segment: segment, from: start, to: t, includeScores: false))
                        }
                        let pair = self.looks?.counts(segment: segment, start: start, time: t, end: end, compute: count) ?? count()
                        return (pair.champion, pair.challenger)
                    }
                }
                let sequence = lookCounts!.compactMap { pair -> (successesA: Double, totalA: Double, successesB: Double, totalB: Double)? in
                    guard let x = pair.0.proportion(metric), let y = pair.1.proportion(metric), x.total > 0, y.total > 0 else { return nil }
                    return (x.successes, x.total, y.successes, y.total)
                }
                let avp = sequential ? MixtureSPRT.alwaysValidPSequence(sequence).last : nil
                if sequential { trend[metric] = sequence.map { $0.successesB / $0.totalB - $0.successesA / $0.totalA } }
                result[metric] = MetricComparison(metric: metric, estimate: estimate, qValue: nil, alwaysValidP: avp,
                                                  championCount: a.total, challengerCount: b.total, hiddenRegression: false)
            } else if metric == .meanScore, let a = champion.scoreMoments(), let b = challenger.scoreMoments(),
                      let welch = WelchTest.test(meanA: a.mean, sdA: a.sd, nA: a.n, meanB: b.mean, sdB: b.sd, nB: b.n) {
                result[metric] = MetricComparison(metric: metric, estimate: welch.estimate, qValue: nil, alwaysValidP: nil,
                                                  championCount: a.n, challengerCount: b.n, hiddenRegression: false)
            }
        }
        var drift: DriftSummary? = nil
        if champion.scoreBuckets.reduce(0, +) > 0, challenger.scoreBuckets.reduce(0, +) > 0 {
            drift = DriftSummary(psi: Drift.psi(reference: champion.scoreBuckets, current: challenger.scoreBuckets),
                                 ks: Drift.ksHistogram(reference: champion.scoreBuckets, current: challenger.scoreBuckets),
                                 js: Drift.jensenShannon(champion.scoreBuckets, challenger.scoreBuckets))
        }
        return SegmentComparison(segment: segment, metrics: result, drift: drift,
                                 championScores: champion.scoreBuckets, challengerScores: challenger.scoreBuckets,
                                 scoreBounds: champion.scoreBounds.isEmpty ? challenger.scoreBounds : champion.scoreBounds, trend: trend)
    }

    /// Look times `start + k·interval` up to `end` (always including `end`), at most `maximumLooks`.
    func lookTimes(from start: Timestamp, to end: Timestamp) -> [Timestamp] {
        guard end > start else { return [end] }
        var interval = max(60, lookInterval)
        while (end - start) / interval > Int64(maximumLooks) { interval *= 2 }
        var times = Array(stride(from: start + interval, to: end, by: Int(interval)))
        times.append(end)
        return times
    }
}
