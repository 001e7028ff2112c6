/// Challenger − champion for one quality metric in one segment (or overall).
public struct MetricComparison: Codable, Sendable, Hashable {
    public var metric: QualityMetric
    public var estimate: DeltaEstimate
    /// Benjamini–Hochberg q-value across segments (nil for the overall row).
    public var qValue: Double?
    /// Always-valid (mSPRT) p-value over the looks taken so far.
    public var alwaysValidP: Double?
    /// Denominators: decisions, or labelled decisions for label metrics.
    public var championCount: Double
    public var challengerCount: Double
    /// A segment that regresses significantly while the overall number does not (the "aggregate looks fine" case).
    public var hiddenRegression: Bool

    /// Whether the change is in the bad direction.
    public var isWorse: Bool { metric.higherIsBetter ? estimate.delta < 0 : estimate.delta > 0 }
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
}
