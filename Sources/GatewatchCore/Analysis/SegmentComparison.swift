/// Challenger − champion for one quality metric in one segment (or overall).
public struct MetricComparison: Codable, Sendable, Hashable {
    public var metric: QualityMetric
    public var estimate: DeltaEstimate
    /// Fixed-horizon Benjamini–Hochberg q-value across segments (nil for the overall row): valid at one planned
    /// look, not under continuous watching.
    public var qValue: Double?
    /// The always-valid result (confidence sequence and p-value over the looks so far, corrected for the release's
    /// number of tests); nil when no look had data on both arms, or the comparator skipped the looks.
    public var sequential: SequentialEstimate?
    /// Denominators: decisions, or labelled decisions for label metrics.
    public var championCount: Double
    public var challengerCount: Double
    /// A segment that regresses significantly (always-valid) while the overall number does not (the "aggregate
    /// looks fine" case).
    public var hiddenRegression: Bool

    public init(metric: QualityMetric, estimate: DeltaEstimate, qValue: Double?, sequential: SequentialEstimate? = nil,
                championCount: Double, challengerCount: Double, hiddenRegression: Bool) {
        self.metric = metric
        self.estimate = estimate
        self.qValue = qValue
        self.sequential = sequential
        self.championCount = championCount
        self.challengerCount = challengerCount
        self.hiddenRegression = hiddenRegression
    }

    /// The always-valid p-value before the multiplicity correction.
    public var alwaysValidP: Double? { sequential?.pValue }

    /// Whether the delta is significant as the live screen and the gates judge it: the release-wide always-valid
    /// p-value below α (its confidence sequence excludes 0).
    public var isSignificant: Bool { (sequential?.adjustedP ?? 1) < SegmentComparator.alpha }

    /// `***` < 0.001, `**` < 0.01, `*` < 0.05 of the corrected always-valid p-value; "" otherwise.
    public var stars: String {
        guard let p = sequential?.adjustedP else { return "" }
        return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : ""
    }

    /// Whether the change is in the bad direction.
    public var isWorse: Bool { metric.higherIsBetter ? estimate.delta < 0 : estimate.delta > 0 }

    /// Where the always-valid interval lies against a guardrail, as the segment-guardrails gate reads it; nil when
    /// the gate cannot read it (fewer than `minimumSamples` on an arm, or no interval yet).
    public func guardrailPosition(_ guardrail: Guardrail, minimumSamples: Double) -> Guardrail.Position? {
        guard min(championCount, challengerCount) >= minimumSamples, let s = sequential else { return nil }
        return guardrail.position(low: s.ciLow, high: s.ciHigh)
    }
}

/// Score distributions of the two arms compared: PSI, KS and Jensen–Shannon.
public struct DriftSummary: Codable, Sendable, Hashable {
    public var psi: Double
    public var ks: KSResult
    public var js: Double
}

/// Every comparison of one segment (nil segment: overall).
public struct SegmentComparison: Codable, Sendable, Hashable {
    public var segment: String?
    public var metrics: [QualityMetric: MetricComparison]
    public var drift: DriftSummary?
    /// Score-bucket counts per arm, and the buckets' upper bounds.
    public var championScores: [Double]
    public var challengerScores: [Double]
    public var scoreBounds: [Double] = []
    /// Delta of each proportion metric at each look (oldest first), for sparklines.
    public var trend: [QualityMetric: [Double]] = [:]

    public init(segment: String?, metrics: [QualityMetric: MetricComparison], drift: DriftSummary?, championScores: [Double],
                challengerScores: [Double], scoreBounds: [Double] = [], trend: [QualityMetric: [Double]] = [:]) {
        self.segment = segment
        self.metrics = metrics
        self.drift = drift
        self.championScores = championScores
        self.challengerScores = challengerScores
        self.scoreBounds = scoreBounds
        self.trend = trend
    }
}
