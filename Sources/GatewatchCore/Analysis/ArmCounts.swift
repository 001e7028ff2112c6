/// The counts of one arm in one segment over a time range, from which every quality metric is derived.
public struct ArmCounts: Sendable, Hashable {
    public var decisions = 0.0
    public var actions: [DecisionAction: Double] = [:]
    public var errors = 0.0
    public var outcomes = LabelCounts()
    /// Per-bucket (not cumulative) score counts, ordered by upper bound.
    public var scoreBuckets: [Double] = []
    public var scoreBounds: [Double] = []

    public init() {}

    /// Reads the counts of `arm` (in `segment`, or all segments) over `[start, end]` (counter increases as Prometheus' `increase()` computes them).
    public init(_ metrics: DerivedMetrics, arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp, includeScores: Bool = true) {
        self.init(metrics, arm: arm, slot: metrics.data.slot(segment), from: start, to: end, includeScores: includeScores)
    }

    /// The counts for a segment slot (`MetricSeriesSet.slot(_:)`).
    public init(_ metrics: DerivedMetrics, arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp, includeScores: Bool = true) {
        let byAction = metrics.data.decisionCounts(arm, slot: slot, from: start, to: end)
        for (action, count) in byAction { actions[action] = count }
        // Added in a fixed order, not the dictionary's: extrapolated counts are fractions, whose sum depends on it.
        decisions = byAction.reduce(0) { $0 + $1.1 }
        errors = metrics.data.increaseSum(.errors, arm: arm, slot: slot, from: start, to: end) ?? 0
        outcomes = metrics.outcomes(arm, slot: slot, from: start, to: end)
        guard includeScores else { return }
        let cumulative = metrics.bucketIncreases(.scoreBucket, arm: arm, slot: slot, from: start, to: end)
        scoreBounds = cumulative.map(\.upperBound)
        var previous = 0.0
        scoreBuckets = cumulative.map { bucket in
            defer { previous = max(previous, bucket.count) }
            return max(0, bucket.count - previous)
        }
    }

    /// (successes, total) of a proportion metric.
    public func proportion(_ metric: QualityMetric) -> (successes: Double, total: Double)? {
        let o = { (k: LabelOutcome) in outcomes[k] }
        switch metric {
        case .precision: return (o(.tp), o(.tp) + o(.fp))
        case .recall: return (o(.tp), o(.tp) + o(.fn))
        case .falsePositiveRate: return (o(.fp), o(.fp) + o(.tn))
        case .errorRate: return (errors, decisions)
        case .blockRate: return (actions[.block] ?? 0, decisions)
        case .reviewRate: return (actions[.review] ?? 0, decisions)
        case .meanScore: return nil
        }
    }

    /// How many score buckets hold any of this arm's decisions.
    public var occupiedScoreBuckets: Int { scoreBuckets.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Whether two arms' score histograms say anything about their distributions: both have data, and together they
    /// occupy at least two buckets. Otherwise the mean score, PSI, KS and Jensen–Shannon would be computed from the
    /// bucket layout alone (all decisions in one bucket, or a single `+Inf` bucket), and are left out (`null`).
    public static func scoresComparable(_ a: ArmCounts, _ b: ArmCounts) -> Bool {
        guard a.scoreBuckets.reduce(0, +) > 0, b.scoreBuckets.reduce(0, +) > 0 else { return false }
        var occupied = 0
        for i in 0..<max(a.scoreBuckets.count, b.scoreBuckets.count) {
            let x = i < a.scoreBuckets.count ? a.scoreBuckets[i] : 0, y = i < b.scoreBuckets.count ? b.scoreBuckets[i] : 0
            if x + y > 0 { occupied += 1 }
        }
        return occupied >= 2
    }

    /// Mean, standard deviation and count of the score, from bucket midpoints (the last bucket ends at 1).
    public func scoreMoments() -> (mean: Double, sd: Double, n: Double)? {
        let n = scoreBuckets.reduce(0, +)
        guard n >= 2 else { return nil }
        var lower = 0.0, sum = 0.0, sumSquares = 0.0
        for (count, bound) in zip(scoreBuckets, scoreBounds) {
            let upper = bound.isFinite ? bound : 1
            let mid = (lower + upper) / 2
            sum += count * mid
            sumSquares += count * mid * mid
            lower = upper
        }
        let mean = sum / n
        let variance = max(0, (sumSquares - n * mean * mean) / (n - 1))
        return (mean, variance.squareRoot(), n)
    }

    /// Expected calibration error over two bins split at the block threshold — the contract carries outcomes only
    /// at the working threshold, so this is a coarse check: within each side, observed fraud rate vs mean score.
    /// Nil when the arm's scores are all in one bucket: its mean score would be that bucket's midpoint, not a measurement.
    public func coarseCalibrationError(blockThreshold: Double) -> Double? {
        guard occupiedScoreBuckets >= 2 else { return nil }
        var below = (n: 0.0, sum: 0.0), above = (n: 0.0, sum: 0.0)
        var lower = 0.0
        for (count, bound) in zip(scoreBuckets, scoreBounds) {
            let upper = bound.isFinite ? bound : 1
            let mid = (lower + upper) / 2
            if lower >= blockThreshold - 1e-9 { above.n += count; above.sum += count * mid } else { below.n += count; below.sum += count * mid }
            lower = upper
        }
        let o = { (k: LabelOutcome) in outcomes[k] }
        var bins: [CalibrationBin] = []
        if o(.tn) + o(.fn) > 0, below.n > 0 { bins.append(CalibrationBin(count: o(.tn) + o(.fn), positives: o(.fn), meanScore: below.sum / below.n)) }
        if o(.tp) + o(.fp) > 0, above.n > 0 { bins.append(CalibrationBin(count: o(.tp) + o(.fp), positives: o(.tp), meanScore: above.sum / above.n)) }
        return Calibration.expectedCalibrationError(bins)
    }

    /// Labelled decisions (any outcome).
    public var labelled: Double { outcomes.total }
}
