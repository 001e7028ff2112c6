/// A check that must pass before promotion out of the current stage.
public enum GateKind: String, Codable, Sendable, CaseIterable {
    case bakeTime = "bake_time"
    case minimumSamples = "minimum_samples"
    case noBlockingRules = "no_blocking_rules"
    case labelMaturity = "label_maturity"
    case sampleRatio = "sample_ratio"
    case segmentGuardrails = "segment_guardrails"
    case approval
    /// The metrics are current: no stream stale, the last poll answered, nothing dated ahead of the clock (only
    /// listed when they are not).
    case metricsFresh = "metrics_fresh"
    /// An A/B stage's primary metrics have the samples their fixed-horizon test is planned for (only listed in A/B
    /// stages of releases with minimum detectable effects).
    case plannedSamples = "planned_samples"

    /// Words for "held by <label>: <reason>" and the gates panel (`no_blocking_rules` reads "blocking rules").
    public var label: String {
        switch self {
        case .bakeTime: return "bake time"
        case .minimumSamples: return "minimum samples"
        case .noBlockingRules: return "blocking rules"
        case .labelMaturity: return "label maturity"
        case .sampleRatio: return "sample ratio"
        case .segmentGuardrails: return "segment guardrails"
        case .approval: return "approval"
        case .metricsFresh: return "metrics freshness"
        case .plannedSamples: return "planned samples"
        }
    }
}

/// The outcome of one gate, with a reason a person can read.
public struct GateVerdict: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable {
        case passed
        case failed
        /// Cannot decide yet (e.g. too few labels); needs a human decision.
        case inconclusive
    }

    public var gate: GateKind
    public var outcome: Outcome
    public var reason: String
    /// What the gate checks, as a sentence (e.g. "time in stage ≥ bake time").
    public var check: String?
    /// The observed value and the threshold it is compared with, where the gate has numbers.
    public var observed: Double?
    public var threshold: Double?
    /// Seconds until the gate is expected to pass at the current traffic, for a gate that waits on time or samples
    /// (bake time, minimum samples, planned samples); nil when it passed, does not wait, or cannot be told.
    public var etaSeconds: Int64?

    public init(gate: GateKind, outcome: Outcome, reason: String, check: String? = nil, observed: Double? = nil, threshold: Double? = nil,
                etaSeconds: Int64? = nil) {
        self.gate = gate
        self.outcome = outcome
        self.reason = reason
        self.check = check
        self.observed = observed
        self.threshold = threshold
        self.etaSeconds = etaSeconds
    }

    public var passed: Bool { outcome == .passed }
}

/// Thresholds of the gates, from the release spec.
public struct GatePolicy: Codable, Sendable, Hashable {
    /// Decisions each arm must have served (or scored, in shadow) in the stage.
    public var minimumSamplesPerArm: Int
    /// Share of decisions whose label has arrived, from 0 to 1.
    public var minimumLabelMaturity: Double
    /// Sample-ratio-mismatch alert level.
    public var srmPValue: Double
    /// Fewer denominator events than this in a segment make its guardrail inconclusive.
    public var minimumSamplesPerSegment: Int

    public init(minimumSamplesPerArm: Int = 1000, minimumLabelMaturity: Double = 0.5, srmPValue: Double = 0.001,
                minimumSamplesPerSegment: Int = 30) {
        self.minimumSamplesPerArm = minimumSamplesPerArm
        self.minimumLabelMaturity = minimumLabelMaturity
        self.srmPValue = srmPValue
        self.minimumSamplesPerSegment = minimumSamplesPerSegment
    }

    enum CodingKeys: String, CodingKey {
        case minimumSamplesPerArm = "minimum_samples_per_arm"
        case minimumLabelMaturity = "minimum_label_maturity"
        case srmPValue = "srm_p_value"
        case minimumSamplesPerSegment = "minimum_samples_per_segment"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GatePolicy()
        minimumSamplesPerArm = try c.decodeIfPresent(Int.self, forKey: .minimumSamplesPerArm) ?? d.minimumSamplesPerArm
        minimumLabelMaturity = try c.decodeIfPresent(Double.self, forKey: .minimumLabelMaturity) ?? d.minimumLabelMaturity
        srmPValue = try c.decodeIfPresent(Double.self, forKey: .srmPValue) ?? d.srmPValue
        minimumSamplesPerSegment = try c.decodeIfPresent(Int.self, forKey: .minimumSamplesPerSegment) ?? d.minimumSamplesPerSegment
    }
}
