/// Quantities derived from the contract series at one evaluation time: rates over a window, quantiles from
/// histogram buckets, quality at the working threshold.
public struct DerivedMetrics: Sendable {
    public let data: MetricSeriesSet

    public init(_ data: MetricSeriesSet) { self.data = data }

    /// Latency bucket bounds and score bucket bounds are read from the `le` label.
    static func bound(_ le: String?) -> Double {
        SeriesKey(.latencyBucket, extra: le).upperBound
    }

    /// Decisions made by an arm in `[start, end]` (`MetricSeriesSet.increase`), optionally in one segment and for one action.
    public func decisions(_ arm: Arm?, segment: String?, action: DecisionAction? = nil, from start: Timestamp, to end: Timestamp) -> Double? {
        decisions(arm, slot: data.slot(segment), action: action, from: start, to: end)
    }

    /// `decisions` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func decisions(_ arm: Arm?, slot: SegmentSlot, action: DecisionAction? = nil, from start: Timestamp, to end: Timestamp) -> Double? {
        data.increaseSum(.decisions, arm: arm, slot: slot, extra: action?.rawValue, from: start, to: end)
    }

    /// Errors / decisions over the window.
    public func errorRate(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> Double? {
        errorRate(arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `errorRate` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func errorRate(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> Double? {
        guard let d = decisions(arm, slot: slot, from: start, to: end), d > 0 else { return nil }
        let e = data.increaseSum(.errors, arm: arm, slot: slot, from: start, to: end) ?? 0
        return e / d
    }

    /// Increase of each bucket of a histogram family over the window, summed across the matching series.
    public func bucketIncreases(_ family: MetricFamily, arm: Arm?, segment: String?, from start: Timestamp, to end: Timestamp) -> [(upperBound: Double, count: Double)] {
        bucketIncreases(family, arm: arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `bucketIncreases` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func bucketIncreases(_ family: MetricFamily, arm: Arm?, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> [(upperBound: Double, count: Double)] {
        data.bucketIncreases(family, arm: arm, slot: slot, from: start, to: end)
    }

    /// A latency quantile in seconds over the window (`histogram_quantile(q, increase(...[window]))`).
    public func latencyQuantile(_ q: Double, arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> Double? {
        latencyQuantile(q, arm: arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `latencyQuantile` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func latencyQuantile(_ q: Double, arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> Double? {
        let buckets = bucketIncreases(.latencyBucket, arm: arm, slot: slot, from: start, to: end)
        let value = HistogramQuantile.quantile(q, buckets: buckets)
        return value.isNaN ? nil : value
    }

    /// Label outcome counts that arrived in the window.
    public func outcomes(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> LabelCounts {
        outcomes(arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `outcomes` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func outcomes(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> LabelCounts {
        data.labelCounts(arm, slot: slot, from: start, to: end)
    }

    /// Precision tp / (tp + fp) at the working threshold.
    public func precision(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> Double? {
        precision(arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `precision` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func precision(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> Double? {
        let o = outcomes(arm, slot: slot, from: start, to: end)
        let denominator = o.tp + o.fp
        return denominator > 0 ? o.tp / denominator : nil
    }

    /// Recall tp / (tp + fn).
    public func recall(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> Double? {
        recall(arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `recall` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func recall(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> Double? {
        let o = outcomes(arm, slot: slot, from: start, to: end)
        let denominator = o.tp + o.fn
        return denominator > 0 ? o.tp / denominator : nil
    }

    /// False-positive rate fp / (fp + tn).
    public func falsePositiveRate(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> Double? {
        falsePositiveRate(arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `falsePositiveRate` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func falsePositiveRate(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> Double? {
        let o = outcomes(arm, slot: slot, from: start, to: end)
        let denominator = o.fp + o.tn
        return denominator > 0 ? o.fp / denominator : nil
    }

    /// Share of the decisions in the window whose label has arrived by `end`.
    public func labelMaturity(_ arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> Double? {
        labelMaturity(arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `labelMaturity` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func labelMaturity(_ arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> Double? {
        guard let d = decisions(arm, slot: slot, from: start, to: end), d > 0 else { return nil }
        let labelled = outcomes(arm, slot: slot, from: start, to: end).total
        return min(1, labelled / d)
    }

    /// Review queue depth at `time`.
    public func queueDepth(at time: Timestamp) -> Double? {
        data.value(SeriesKey(.reviewQueueDepth), at: time)
    }

    /// Review team capacity per hour at `time`.
    public func queueCapacity(at time: Timestamp) -> Double? {
        data.value(SeriesKey(.reviewCapacityPerHour), at: time)
    }

    /// Queue growth per hour over the last `window` seconds (see `QueueGrowth`).
    public func queueGrowthPerHour(at time: Timestamp, window: Int64 = 3600) -> Double? {
        queueGrowth(at: time, window: window).perHour
    }

    /// The least-squares slope of the depth samples in `[time − window, time]`; no slope before the samples span the
    /// window (the first at most a minute after it opens) or with fewer than three of them.
    public func queueGrowth(at time: Timestamp, window: Int64 = 3600) -> QueueGrowth {
        let samples = data.samples(SeriesKey(.reviewQueueDepth), from: time - window - 1, to: time)
        guard let first = samples.first, let last = samples.last else { return QueueGrowth(perHour: nil, spanSeconds: 0, windowSeconds: window) }
        let span = last.time - first.time
        guard samples.count >= 3, first.time <= time - window + 60 else {
            return QueueGrowth(perHour: nil, spanSeconds: span, windowSeconds: window)
        }
        return QueueGrowth(perHour: LeastSquares.slope(samples.map { (Double($0.time - first.time), $0.value) }).map { $0 * 3600 },
                           spanSeconds: span, windowSeconds: window)
    }

    /// Hours until the queue passes `limit` at the fitted growth; 0 when it is already there, infinity when it is draining
    /// or flat, nil without a fit yet.
    public func hoursToOverflow(at time: Timestamp, limit: Double) -> Double? {
        guard let depth = queueDepth(at: time) else { return nil }
        if depth >= limit { return 0 }
        guard let growth = queueGrowthPerHour(at: time) else { return nil }
        return growth > 0 ? (limit - depth) / growth : .infinity
    }

    /// The value of a stop-rule metric for one arm (or challenger − champion) at `time`.
    public func value(of rule: StopRule, segment: String?, at time: Timestamp, queueLimit: Double?) -> Double? {
        value(of: rule, slot: data.slot(segment), at: time, queueLimit: queueLimit)
    }

    /// `value` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func value(of rule: StopRule, slot: SegmentSlot, at time: Timestamp, queueLimit: Double?) -> Double? {
        if rule.minimumEvents > 0 {
            let arms: [Arm] = rule.relativeToChampion || rule.metric.isDrift ? [.champion, .challenger] : [rule.arm]
            for arm in arms {
                if let n = eventCount(rule.metric, arm: arm, slot: slot, from: time - rule.windowSeconds, to: time),
                   n < Double(rule.minimumEvents) { return nil }
            }
        }
        if rule.relativeToChampion && rule.metric.isPerArm {
            guard let c = value(rule.metric, arm: .challenger, slot: slot, window: rule.windowSeconds, at: time, queueLimit: queueLimit),
                  let b = value(rule.metric, arm: .champion, slot: slot, window: rule.windowSeconds, at: time, queueLimit: queueLimit)
            else { return nil }
            switch rule.relation {
            case .difference: return c - b
            case .ratio: return Self.ratio(c, b)
            }
        }
        return value(rule.metric, arm: rule.arm, slot: slot, window: rule.windowSeconds, at: time, queueLimit: queueLimit)
    }

    /// The number of events a metric's value rests on (its denominator), or nil for metrics without one.
    public func eventCount(_ metric: RuleMetric, arm: Arm, segment: String?, from start: Timestamp, to end: Timestamp) -> Double? {
        eventCount(metric, arm: arm, slot: data.slot(segment), from: start, to: end)
    }

    /// `eventCount` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func eventCount(_ metric: RuleMetric, arm: Arm, slot: SegmentSlot, from start: Timestamp, to end: Timestamp) -> Double? {
        switch metric {
        case .errorRate, .latencyP50, .latencyP99, .labelMaturity:
            return decisions(arm, slot: slot, from: start, to: end) ?? 0
        case .precision:
            let o = outcomes(arm, slot: slot, from: start, to: end); return o.tp + o.fp
        case .recall:
            let o = outcomes(arm, slot: slot, from: start, to: end); return o.tp + o.fn
        case .falsePositiveRate:
            let o = outcomes(arm, slot: slot, from: start, to: end); return o.fp + o.tn
        case .blockRate, .reviewRate, .decisionsPerMinute, .meanScore, .scorePSI, .scoreKS, .scoreJS:
            return decisions(arm, slot: slot, from: start, to: end) ?? 0
        case .reviewQueueDepth, .reviewQueueHoursToOverflow:
            return nil
        }
    }

    /// challenger ÷ champion for a ratio rule, as PromQL divides: over a champion of 0 it is ±∞ (so `> 2 ×
    /// champion` fires, never reads as no data), and 0 ÷ 0 is no value (the rule's `no_data` decides).
    static func ratio(_ challenger: Double, _ champion: Double) -> Double? {
        let r = challenger / champion
        return r.isNaN ? nil : r
    }

    /// The value of a metric for one arm at `time` over the trailing window.
    public func value(_ metric: RuleMetric, arm: Arm, segment: String?, window: Int64, at time: Timestamp, queueLimit: Double?) -> Double? {
        value(metric, arm: arm, slot: data.slot(segment), window: window, at: time, queueLimit: queueLimit)
    }

    /// `value` for a segment slot (`MetricSeriesSet.slot(_:)`).
    public func value(_ metric: RuleMetric, arm: Arm, slot: SegmentSlot, window: Int64, at time: Timestamp, queueLimit: Double?) -> Double? {
        let start = time - window
        switch metric {
        case .errorRate: return errorRate(arm, slot: slot, from: start, to: time)
        case .latencyP50: return latencyQuantile(0.5, arm: arm, slot: slot, from: start, to: time)
        case .latencyP99: return latencyQuantile(0.99, arm: arm, slot: slot, from: start, to: time)
        case .precision: return precision(arm, slot: slot, from: start, to: time)
        case .recall: return recall(arm, slot: slot, from: start, to: time)
        case .falsePositiveRate: return falsePositiveRate(arm, slot: slot, from: start, to: time)
        case .labelMaturity: return labelMaturity(arm, slot: slot, from: start, to: time)
        case .reviewQueueDepth: return queueDepth(at: time)
        case .reviewQueueHoursToOverflow: return queueLimit.flatMap { hoursToOverflow(at: time, limit: $0) }
        case .blockRate, .reviewRate:
            let counts = ArmCounts(self, arm: arm, slot: slot, from: start, to: time, includeScores: false)
            guard counts.decisions > 0 else { return nil }
            return (counts.actions[metric == .blockRate ? .block : .review] ?? 0) / counts.decisions
        case .decisionsPerMinute:
            guard window > 0, let d = decisions(arm, slot: slot, from: start, to: time) else { return nil }
            return d / (Double(window) / 60)
        case .meanScore:
            return ArmCounts(self, arm: arm, slot: slot, from: start, to: time).scoreMoments()?.mean
        case .scorePSI, .scoreKS, .scoreJS:
            // As the histogram panel: nothing to say until both arms' histograms say something (`scoresComparable`).
            let champion = ArmCounts(self, arm: .champion, slot: slot, from: start, to: time)
            let challenger = ArmCounts(self, arm: .challenger, slot: slot, from: start, to: time)
            guard ArmCounts.scoresComparable(champion, challenger) else { return nil }
            switch metric {
            case .scorePSI: return Drift.psi(reference: champion.scoreBuckets, current: challenger.scoreBuckets)
            case .scoreKS: return Drift.ksHistogram(reference: champion.scoreBuckets, current: challenger.scoreBuckets).d
            default: return Drift.jensenShannon(champion.scoreBuckets, challenger.scoreBuckets)
            }
        }
    }
}
