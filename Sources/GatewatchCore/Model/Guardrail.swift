/// A limit on how much a quality metric may move against the champion in any segment.
public struct Guardrail: Codable, Sendable, Hashable {
    public var metric: QualityMetric
    /// Worst acceptable change of challenger − champion in the bad direction, as a positive number
    /// (e.g. 0.005 for "false-positive rate may rise by at most 0.5 points").
    public var maxWorsening: Double

    public init(metric: QualityMetric, maxWorsening: Double) {
        self.metric = metric
        self.maxWorsening = maxWorsening
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case maxWorsening = "max_worsening"
    }

    /// The delta at which the guardrail is crossed (negative for metrics where higher is better).
    public var limit: Double { metric.higherIsBetter ? -maxWorsening : maxWorsening }

    /// Whether a delta is worse than the limit.
    public func isCrossed(by delta: Double) -> Bool {
        metric.higherIsBetter ? delta < limit : delta > limit
    }

    /// Where an interval of the delta lies against the limit: the segment-guardrails gate's rule for one row.
    public enum Position: Sendable, Hashable {
        /// Wholly on the good side: the worsening is ruled out.
        case inside
        /// On both sides: not decided yet.
        case straddles
        /// Wholly past the limit: breached.
        case past
    }

    public func position(low: Double, high: Double) -> Position {
        switch (isCrossed(by: low), isCrossed(by: high)) {
        case (true, true): return .past
        case (false, false): return .inside
        default: return .straddles
        }
    }
}

/// Quality metrics compared between the arms in every segment.
public enum QualityMetric: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Hashable {
    case precision
    case recall
    case falsePositiveRate = "false_positive_rate"
    case errorRate = "error_rate"
    case blockRate = "block_rate"
    case reviewRate = "review_rate"
    case meanScore = "mean_score"

    /// Whether a rise is an improvement (precision, recall) or a regression (false positives, errors).
    public var higherIsBetter: Bool {
        switch self {
        case .precision, .recall: return true
        case .falsePositiveRate, .errorRate: return false
        case .blockRate, .reviewRate, .meanScore: return false
        }
    }

    /// A short name for tables.
    public var screenName: String {
        switch self {
        case .precision: return "precision"
        case .recall: return "recall"
        case .falsePositiveRate: return "FPR"
        case .errorRate: return "errors"
        case .blockRate: return "block"
        case .reviewRate: return "review"
        case .meanScore: return "score"
        }
    }

    /// The always-valid test's mixing standard deviation when the spec names no effect for the metric: one point
    /// for a rate (the size of regression a release gate cares about for error or accuracy rates), 0.02 of score.
    public var defaultTau: Double { self == .meanScore ? 0.02 : 0.01 }

    /// Whether the delta compares proportions (z test) or means (Welch).
    public var isProportion: Bool { self != .meanScore }

    /// Whether the metric needs labels.
    public var needsLabels: Bool {
        switch self {
        case .precision, .recall, .falsePositiveRate: return true
        default: return false
        }
    }
}
