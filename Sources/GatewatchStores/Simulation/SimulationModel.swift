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

    enum CodingKeys: String, CodingKey {
        case description, seed, start, step, segments, champion, challenger
        case decisionsPerMinute = "decisions_per_minute"
        case labelDelay = "label_delay"
        case reviewQueue = "review_queue"
        case autoPromote = "auto_promote"
        case autoRollback = "auto_rollback"
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
        step = try c.decodeIfPresent(DurationValue.self, forKey: .step)?.seconds ?? 60
        decisionsPerMinute = try c.decode(Double.self, forKey: .decisionsPerMinute)
        labelDelay = try c.decodeIfPresent(DurationValue.self, forKey: .labelDelay)?.seconds ?? 1800
        segments = try c.decode([SegmentModel].self, forKey: .segments)
        champion = try c.decode(ArmModel.self, forKey: .champion)
        challenger = try c.decode(ArmModel.self, forKey: .challenger)
        reviewQueue = try c.decodeIfPresent(ReviewQueueModel.self, forKey: .reviewQueue) ?? ReviewQueueModel()
        autoPromote = try c.decodeIfPresent(Bool.self, forKey: .autoPromote) ?? true
        autoRollback = try c.decodeIfPresent(Bool.self, forKey: .autoRollback) ?? true
        guard step > 0 else { throw DecodingError.dataCorruptedError(forKey: .step, in: c, debugDescription: "step must be positive") }
        guard decisionsPerMinute >= 0, decisionsPerMinute.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .decisionsPerMinute, in: c, debugDescription: "decisions_per_minute must be a non-negative number")
        }
    }

    public func arm(_ arm: Arm) -> ArmModel { arm == .champion ? champion : challenger }
}

/// Behaviour of one arm.
public struct ArmModel: Decodable, Sendable {
    public var errorRate: Double
    public var latencyMedianMs: Double
    public var latencyP99Ms: Double
    /// Mean logit of the score for legitimate and fraudulent decisions.
    public var legitLogit: Double
    public var fraudLogit: Double

    enum CodingKeys: String, CodingKey {
        case errorRate = "error_rate"
        case latencyMedianMs = "latency_median_ms"
        case latencyP99Ms = "latency_p99_ms"
        case legitLogit = "legit_logit"
        case fraudLogit = "fraud_logit"
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

/// A duration in a YAML file: seconds, or text like `5m`.
struct DurationValue: Decodable {
    let seconds: Int64
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int64.self) { seconds = n; return }
        let text = try c.decode(String.self)
        guard let s = DurationText.parse(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not a duration (use 90s, 5m, 1h30m, 2d)")
        }
        seconds = s
    }
}
