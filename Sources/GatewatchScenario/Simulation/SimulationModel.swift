import GatewatchCore

/// How the simulator produces traffic for a scenario (`sample-data/<scenario>/simulation.yaml`).
public struct SimulationModel: Decodable, Sendable {
    /// One line shown by `gatewatch scenarios`.
    public var description: String
    public var seed: UInt64
    /// Simulated time at which the release starts.
    public var start: Timestamp
    /// Seconds of simulated time per step.
    public var step: Int64
    /// Decisions per minute across all segments.
    public var decisionsPerMinute: Double
    /// Seconds until a decision's label arrives.
    public var labelDelay: Int64
    public var segments: [SegmentModel]
    public var champion: ArmModel
    public var challenger: ArmModel
    public var reviewQueue: ReviewQueueModel
    /// Whether the simulated controller promotes when the gates pass.
    public var autoPromote: Bool
    /// Whether the simulated controller rolls back when a rollback rule fires.
    public var autoRollback: Bool
    /// Score thresholds the champion decides with (`champion_thresholds: {review: 0.6, block: 0.85}`); nil means the
    /// release's `thresholds`. The release spec's thresholds are always the challenger's (the new ones), so a
    /// threshold-only release sets this to the old thresholds. Thresholds act on 0.05-wide score buckets, so use
    /// multiples of 0.05.
    public var championThresholds: ScoreThresholds?
    /// A broken traffic router (`assignment_bias:`): the challenger's real share of served decisions differs from
    /// the stage plan. See `AssignmentBias`.
    public var assignmentBias: AssignmentBias?
    /// How long after `start` the simulation may run (`horizon:`, default 14d): commands refuse a time past it
    /// instead of simulating without end.
    public var horizon: Int64 = SimulationModel.defaultHorizon

    /// The horizon of a simulation that does not set one.
    public static let defaultHorizon: Int64 = 14 * 86_400

    enum CodingKeys: String, CodingKey {
        case description, seed, start, step, segments, champion, challenger
        case decisionsPerMinute = "decisions_per_minute"
        case labelDelay = "label_delay"
        case reviewQueue = "review_queue"
        case autoPromote = "auto_promote"
        case autoRollback = "auto_rollback"
        case championThresholds = "champion_thresholds"
        case assignmentBias = "assignment_bias"
        case horizon
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1
        let startText = try c.decode(String.self, forKey: .start)
        guard let start = ISO8601.parse(startText) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "'\(startText)' is not a UTC time like 2026-11-02T09:00:00Z")
        }
        self.start = start
        step = try c.decodeIfPresent(FlexibleDuration.self, forKey: .step)?.seconds ?? 60
        decisionsPerMinute = try c.decode(Double.self, forKey: .decisionsPerMinute)
        labelDelay = try c.decodeIfPresent(FlexibleDuration.self, forKey: .labelDelay)?.seconds ?? 1800
        segments = try c.decode([SegmentModel].self, forKey: .segments)
        champion = try c.decode(ArmModel.self, forKey: .champion)
        challenger = try c.decode(ArmModel.self, forKey: .challenger)
        reviewQueue = try c.decodeIfPresent(ReviewQueueModel.self, forKey: .reviewQueue) ?? ReviewQueueModel()
        autoPromote = try c.decodeIfPresent(Bool.self, forKey: .autoPromote) ?? true
        autoRollback = try c.decodeIfPresent(Bool.self, forKey: .autoRollback) ?? true
        championThresholds = try c.decodeIfPresent(ScoreThresholds.self, forKey: .championThresholds)
        if let t = championThresholds, !(0 < t.review && t.review <= t.block && t.block <= 1) {
            throw DecodingError.dataCorruptedError(forKey: .championThresholds, in: c, debugDescription: "champion_thresholds must satisfy 0 < review ≤ block ≤ 1")
        }
        assignmentBias = try c.decodeIfPresent(AssignmentBias.self, forKey: .assignmentBias)
        horizon = try c.decodeIfPresent(FlexibleDuration.self, forKey: .horizon)?.seconds ?? Self.defaultHorizon
        guard horizon > 0 else { throw DecodingError.dataCorruptedError(forKey: .horizon, in: c, debugDescription: "horizon must be positive") }
        guard step > 0 else { throw DecodingError.dataCorruptedError(forKey: .step, in: c, debugDescription: "step must be positive") }
        guard decisionsPerMinute >= 0, decisionsPerMinute.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .decisionsPerMinute, in: c, debugDescription: "decisions_per_minute must be a non-negative number")
        }
    }

    public func arm(_ arm: Arm) -> ArmModel { arm == .champion ? champion : challenger }

    /// The thresholds an arm decides with: the release's for the challenger, `champion_thresholds` (else the
    /// release's) for the champion.
    public func thresholds(_ arm: Arm, release: Release) -> ScoreThresholds {
        arm == .champion ? (championThresholds ?? release.thresholds) : release.thresholds
    }

    /// The same model starting `seconds` earlier (a fleet member's `start_offset`).
    public func startingEarlier(by seconds: Int64) -> SimulationModel {
        var copy = self
        copy.start -= seconds
        return copy
    }
}

/// A mis-configured traffic router: the share of served decisions that really goes to the challenger.
///
/// ```yaml
/// assignment_bias:
///   multiplier: 1.4        # the challenger gets 1.4× its planned share (5% → 7%)
///   offset: 0.02           # and/or an absolute offset in share units (0.02 = 2 points; may be negative)
///   stages: [canary-5]     # optional: only in these stages (default: every stage)
/// ```
/// The biased share is `planned × multiplier + offset`, clamped to 0…1. It applies only to stages that split
/// served traffic (canary, A/B, with a planned share strictly between 0 and 1): shadow, replay and full stages and a
/// rolled-back release are never biased.
public struct AssignmentBias: Decodable, Sendable, Hashable {
    public var multiplier: Double
    public var offset: Double
    /// Stage names the bias applies in; nil: every stage that splits traffic.
    public var stages: [String]?

    public init(multiplier: Double = 1, offset: Double = 0, stages: [String]? = nil) {
        self.multiplier = multiplier
        self.offset = offset
        self.stages = stages
    }

    enum CodingKeys: String, CodingKey { case multiplier, offset, stages }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        multiplier = try c.decodeIfPresent(Double.self, forKey: .multiplier) ?? 1
        offset = try c.decodeIfPresent(Double.self, forKey: .offset) ?? 0
        stages = try c.decodeIfPresent([String].self, forKey: .stages)
        guard multiplier >= 0, multiplier.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .multiplier, in: c, debugDescription: "multiplier must be a non-negative number")
        }
        guard abs(offset) <= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .offset, in: c, debugDescription: "offset is a share of traffic between -1 and 1")
        }
    }

    /// The share the router really sends to the challenger in `stage` when the plan says `planned`.
    public func apply(_ planned: Double, stage: Stage) -> Double {
        guard planned > 0, planned < 1 else { return planned }
        if let stages, !stages.contains(stage.name) { return planned }
        return min(1, max(0, planned * multiplier + offset))
    }
}

/// Behaviour of one arm.
public struct ArmModel: Decodable, Sendable {
    public var errorRate: Double
    public var latencyMedianMs: Double
    public var latencyP99Ms: Double
    /// Mean logit of the score for legitimate and fraudulent decisions.
    public var legitLogit: Double
    public var fraudLogit: Double
    /// Latency when the arm serves more traffic than its serving pool is sized for (optional).
    public var overload: OverloadModel?

    enum CodingKeys: String, CodingKey {
        case errorRate = "error_rate"
        case latencyMedianMs = "latency_median_ms"
        case latencyP99Ms = "latency_p99_ms"
        case legitLogit = "legit_logit"
        case fraudLogit = "fraud_logit"
        case overload
    }

    /// The arm's behaviour when it serves `servedShare` (0…1) of the decisions.
    public func underLoad(_ servedShare: Double) -> ArmModel {
        guard let o = overload, servedShare * 100 > o.aboveTraffic + 1e-9 else { return self }
        var m = self
        if let v = o.latencyMedianMs { m.latencyMedianMs = v }
        if let v = o.latencyP99Ms { m.latencyP99Ms = v }
        if let v = o.errorRate { m.errorRate = v }
        return m
    }
}

/// A serving pool sized for a small share of traffic: above `above_traffic` percent of served decisions the arm's
/// latency (and optionally error rate) become these values. Shadow scoring is mirrored off the serving path, so it
/// never counts as load.
///
/// ```yaml
/// overload: { above_traffic: 10, latency_median_ms: 95, latency_p99_ms: 460 }
/// ```
public struct OverloadModel: Decodable, Sendable {
    public var aboveTraffic: Double
    public var latencyMedianMs: Double?
    public var latencyP99Ms: Double?
    public var errorRate: Double?

    enum CodingKeys: String, CodingKey {
        case aboveTraffic = "above_traffic"
        case latencyMedianMs = "latency_median_ms"
        case latencyP99Ms = "latency_p99_ms"
        case errorRate = "error_rate"
    }
}

/// Per-arm changes for one segment.
public struct ArmOverride: Decodable, Sendable {
    public var errorRate: Double?
    public var latencyMedianMs: Double?
    public var latencyP99Ms: Double?
    public var legitLogit: Double?
    public var fraudLogit: Double?

    enum CodingKeys: String, CodingKey {
        case errorRate = "error_rate"
        case latencyMedianMs = "latency_median_ms"
        case latencyP99Ms = "latency_p99_ms"
        case legitLogit = "legit_logit"
        case fraudLogit = "fraud_logit"
    }

    func apply(to base: ArmModel) -> ArmModel {
        var m = base
        if let v = errorRate { m.errorRate = v }
        if let v = latencyMedianMs { m.latencyMedianMs = v }
        if let v = latencyP99Ms { m.latencyP99Ms = v }
        if let v = legitLogit { m.legitLogit = v }
        if let v = fraudLogit { m.fraudLogit = v }
        return m
    }
}

/// One segment's share of traffic, fraud rate and arm overrides.
public struct SegmentModel: Decodable, Sendable {
    public var segment: String
    public var share: Double
    public var fraudRate: Double
    public var champion: ArmOverride?
    public var challenger: ArmOverride?

    enum CodingKeys: String, CodingKey {
        case segment, share, champion, challenger
        case fraudRate = "fraud_rate"
    }
}

/// The manual-review team.
public struct ReviewQueueModel: Decodable, Sendable {
    public var initialDepth: Double = 100
    public var capacityPerHour: Double = 600

    init() {}

    enum CodingKeys: String, CodingKey {
        case initialDepth = "initial_depth"
        case capacityPerHour = "capacity_per_hour"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        initialDepth = try c.decodeIfPresent(Double.self, forKey: .initialDepth) ?? 100
        capacityPerHour = try c.decodeIfPresent(Double.self, forKey: .capacityPerHour) ?? 600
    }
}

