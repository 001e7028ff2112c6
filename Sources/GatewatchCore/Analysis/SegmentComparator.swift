/// Compares the arms in every segment and overall: deltas with intervals and p-values, BH q-values across
/// segments (fixed horizon), always-valid p-values and confidence sequences, drift of the score distributions, and hidden regressions.
public struct SegmentComparator: Sendable {
    /// Seconds between the looks of the always-valid p-value.
    public var lookInterval: Int64
    /// At most this many looks (the oldest are dropped first by widening the interval).
    public var maximumLooks: Int
    /// Whether to compute the always-valid results and delta trends, which need the counts at every look. The
    /// screen's marks, `hidden_regression`, `check` and the segment-guardrails gate use them: without them that gate
    /// is inconclusive (only benchmarks of the other work turn them off).
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

    /// Compares every segment and the overall. `tau` gives each metric's mixing standard deviation for the
    /// always-valid test (`Release.tau(for:)`).
    ///
    /// What the live screen marks and the gates decide on is always-valid: each delta's confidence sequence at
    /// level 1 − α/m, with m = (segments + 1) × metrics the release tests (Bonferroni: valid at every look, under
    /// any dependence between segments and metrics), and its p-value × m. The fixed-horizon z test, its interval and
    /// the Benjamini–Hochberg q-values across segments stay in `estimate` and `qValue`, valid only at one planned look.
    ///
    /// `designEffect` (the spec's `design_effect`, ≥ 1) is the variance inflation of clustered traffic: every test and
    /// interval reads the counts divided by it (Kish's effective sample size), so they widen by its square root.
    /// At 1 decisions are treated as independent.
    public func compare(metrics: DerivedMetrics, segments: [String], from start: Timestamp, to end: Timestamp, designEffect: Double = 1,
                        tau: (QualityMetric) -> (tau: Double, source: SequentialEstimate.TauSource) = { ($0.defaultTau, .default) })
        -> (overall: SegmentComparison, segments: [SegmentComparison]) {
        let deff = designEffect.isFinite && designEffect > 1 ? designEffect : 1
        let first = compareOne(metrics, segment: nil, from: start, to: end, designEffect: deff)
        var overall = first.comparison
        var compared = segments.map { compareOne(metrics, segment: $0, from: start, to: end, designEffect: deff) }
        let tests = Self.tests(segments: segments.count)
        func sequential(_ looks: [ConfidenceSequence.Look], _ metric: QualityMetric) -> SequentialEstimate? {
            let (t, source) = tau(metric)
            var running = ConfidenceSequence.Running(tau: t, alpha: Self.alpha / Double(tests))
            for look in looks { running.add(look) }
            return Self.estimate(running, tauSource: source, tests: tests)
        }
        if self.sequential {
            for (metric, looks) in first.looks { overall.metrics[metric]?.sequential = sequential(looks, metric) }
            for i in compared.indices {
                for (metric, looks) in compared[i].looks { compared[i].comparison.metrics[metric]?.sequential = sequential(looks, metric) }
            }
        }
        var rows = compared.map(\.comparison)
        for metric in QualityMetric.allCases {
            let indices = rows.indices.filter { rows[$0].metrics[metric] != nil }
            let qs = MultipleTesting.benjaminiHochberg(indices.map { rows[$0].metrics[metric]!.estimate.pValue })
            let overallWorse = overall.metrics[metric].map { $0.isWorse && $0.isSignificant } ?? false
            for (i, q) in zip(indices, qs) {
                rows[i].metrics[metric]!.qValue = q
                let c = rows[i].metrics[metric]!
                rows[i].metrics[metric]!.hiddenRegression = c.isWorse && c.isSignificant && !overallWorse
            }
        }
        return (overall, rows)
    }

    /// The number of deltas a release with `segments` segments tests: every metric in every segment and overall.
    /// Fixed by the spec, not by which metrics have data yet, so the correction cannot shrink as data arrives.
    public static func tests(segments: Int) -> Int { (segments + 1) * QualityMetric.allCases.count }

    /// The fixed-horizon test of one metric between two arms' counts, valid when read once: the pooled two-proportion
    /// z test with its score interval for a rate, Welch's test for the mean score (only when the score histograms say
    /// anything, `ArmCounts.scoresComparable`), the counts divided by the design effect; with the arms' denominators
    /// (the real counts). Nil when an arm has no data for it.
    public static func fixedHorizon(_ metric: QualityMetric, champion: ArmCounts, challenger: ArmCounts, designEffect deff: Double = 1)
        -> (estimate: DeltaEstimate, championCount: Double, challengerCount: Double)? {
        if let a = champion.proportion(metric), let b = challenger.proportion(metric) {
            return ProportionTest.twoProportion(successesA: a.successes / deff, totalA: a.total / deff,
                                                successesB: b.successes / deff, totalB: b.total / deff).map { ($0, a.total, b.total) }
        }
        guard metric == .meanScore, ArmCounts.scoresComparable(champion, challenger),
              let a = champion.scoreMoments(), let b = challenger.scoreMoments(),
              let welch = WelchTest.test(meanA: a.mean, sdA: a.sd, nA: a.n / deff, meanB: b.mean, sdB: b.sd, nB: b.n / deff) else { return nil }
        return (welch.estimate, a.n, b.n)
    }

    /// The always-valid result of a running confidence sequence (at level α/tests) of one of `tests` deltas.
    public static func estimate(_ running: ConfidenceSequence.Running, tauSource: SequentialEstimate.TauSource, tests: Int) -> SequentialEstimate? {
        guard let run = running.result else { return nil }
        // Every metric compared is a rate or a score in [0, 1], so its delta lies in [−1, 1]: an interval reaching past
        // that (a test tuned to a small effect, on few samples) is cut there, which keeps its coverage.
        return SequentialEstimate(tau: running.tau, tauSource: tauSource, pValue: run.pValue, adjustedP: min(1, run.pValue * Double(tests)),
                                  tests: tests, ciLow: max(-1, run.low), ciHigh: min(1, run.high), looks: running.count)
    }

    func compareOne(_ metrics: DerivedMetrics, segment: String?, from start: Timestamp, to end: Timestamp, designEffect deff: Double = 1)
        -> (comparison: SegmentComparison, looks: [QualityMetric: [ConfidenceSequence.Look]]) {
        let champion = ArmCounts(metrics, arm: .champion, segment: segment, from: start, to: end)
        let challenger = ArmCounts(metrics, arm: .challenger, segment: segment, from: start, to: end)
        var result: [QualityMetric: MetricComparison] = [:]
        var looks: [QualityMetric: [ConfidenceSequence.Look]] = [:]
        let times = sequential ? lookTimes(from: start, to: end) : []
        var lookCounts: [(ArmCounts, ArmCounts)]? = nil
        var trend: [QualityMetric: [Double]] = [:]
        // The counts at every look, score buckets included (the mean score's test reads them), counted once for all
        // metrics and kept in the cache once settled: a poll then counts only the looks that are not.
        func countsAtLooks() -> [(ArmCounts, ArmCounts)] {
            times.map { t in
                // The last look is the whole range, counted above.
                if t == end { return (champion, challenger) }
                let count = {
                    (champion: ArmCounts(metrics, arm: .champion, segment: segment, from: start, to: t),
                     challenger: ArmCounts(metrics, arm: .challenger, segment: segment, from: start, to: t))
                }
                let pair = self.looks?.counts(segment: segment, start: start, time: t, end: end, compute: count) ?? count()
                return (pair.champion, pair.challenger)
            }
        }
        for metric in QualityMetric.allCases {
            guard let fixed = Self.fixedHorizon(metric, champion: champion, challenger: challenger, designEffect: deff) else { continue }
            if sequential {
                if lookCounts == nil { lookCounts = countsAtLooks() }
                if metric.isProportion {
                    let sequence = lookCounts!.compactMap { pair -> ConfidenceSequence.Look? in
                        guard let x = pair.0.proportion(metric), let y = pair.1.proportion(metric), x.total > 0, y.total > 0 else { return nil }
                        return ConfidenceSequence.proportionLook(successesA: x.successes / deff, totalA: x.total / deff,
                                                                 successesB: y.successes / deff, totalB: y.total / deff)
                    }
                    looks[metric] = sequence
                    trend[metric] = sequence.map(\.delta)
                } else {
                    looks[metric] = lookCounts!.compactMap { pair -> ConfidenceSequence.Look? in
                        guard ArmCounts.scoresComparable(pair.0, pair.1), let x = pair.0.scoreMoments(), let y = pair.1.scoreMoments() else { return nil }
                        return ConfidenceSequence.Look(delta: y.mean - x.mean, variance: deff * (x.sd * x.sd / x.n + y.sd * y.sd / y.n))
                    }
                }
            }
            result[metric] = MetricComparison(metric: metric, estimate: fixed.estimate, qValue: nil,
                                              championCount: fixed.championCount, challengerCount: fixed.challengerCount, hiddenRegression: false)
        }
        var drift: DriftSummary? = nil
        if ArmCounts.scoresComparable(champion, challenger) {
            drift = DriftSummary(psi: Drift.psi(reference: champion.scoreBuckets, current: challenger.scoreBuckets),
                                 ks: Drift.ksHistogram(reference: champion.scoreBuckets, current: challenger.scoreBuckets),
                                 js: Drift.jensenShannon(champion.scoreBuckets, challenger.scoreBuckets))
        }
        return (SegmentComparison(segment: segment, metrics: result, drift: drift,
                                  championScores: champion.scoreBuckets, challengerScores: challenger.scoreBuckets,
                                  scoreBounds: champion.scoreBounds.isEmpty ? challenger.scoreBounds : champion.scoreBounds, trend: trend),
                looks)
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
