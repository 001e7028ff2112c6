/// The series of the metrics contract (DESIGN.md §4), with Prometheus names.
public enum MetricFamily: String, Codable, Sendable, CaseIterable {
    case decisions = "gatewatch_decisions_total"
    case errors = "gatewatch_errors_total"
    case latencyBucket = "gatewatch_latency_seconds_bucket"
    case scoreBucket = "gatewatch_score_bucket"
    case labels = "gatewatch_labels_total"
    case reviewQueueDepth = "gatewatch_review_queue_depth"
    case reviewCapacityPerHour = "gatewatch_review_capacity_per_hour"

    /// The extra label of the family (`action`, `le`, `outcome`), if any.
    public var extraLabel: String? {
        switch self {
        case .decisions: return "action"
        case .latencyBucket, .scoreBucket: return "le"
        case .labels: return "outcome"
        default: return nil
        }
    }

    /// Counters only go up (resets aside); gauges are read as they are.
    public var isCounter: Bool {
        switch self {
        case .reviewQueueDepth, .reviewCapacityPerHour: return false
        default: return true
        }
    }

    /// Whether the family is a histogram's cumulative buckets (`le` label).
    public var isHistogram: Bool { self == .latencyBucket || self == .scoreBucket }

    /// Whether the series carries `arm` and `segment` labels.
    public var isPerArm: Bool { isCounter }

    /// Position in `allCases`.
    var ordinal: Int {
        switch self {
        case .decisions: 0
        case .errors: 1
        case .latencyBucket: 2
        case .scoreBucket: 3
        case .labels: 4
        case .reviewQueueDepth: 5
        case .reviewCapacityPerHour: 6
        }
    }
}

/// Decision actions of the policy.
public enum DecisionAction: String, Codable, Sendable, CaseIterable {
    case allow
    case review
    case block

    /// Position in `allCases`.
    var ordinal: Int {
        switch self { case .allow: 0; case .review: 1; case .block: 2 }
    }
}

/// Label outcomes at the working (block) threshold.
public enum LabelOutcome: String, Codable, Sendable, CaseIterable {
    case tp, fp, tn, fn
}

/// Label outcome counts of one arm over a window.
public struct LabelCounts: Hashable, Sendable {
    public var tp = 0.0, fp = 0.0, tn = 0.0, fn = 0.0

    public init(tp: Double = 0, fp: Double = 0, tn: Double = 0, fn: Double = 0) {
        self.tp = tp; self.fp = fp; self.tn = tn; self.fn = fn
    }

    /// Every labelled decision.
    public var total: Double { tp + fp + tn + fn }

    public subscript(outcome: LabelOutcome) -> Double {
        get {
            switch outcome { case .tp: tp; case .fp: fp; case .tn: tn; case .fn: fn }
        }
        set {
            switch outcome { case .tp: tp = newValue; case .fp: fp = newValue; case .tn: tn = newValue; case .fn: fn = newValue }
        }
    }
}

/// Identifies one series: family plus labels. `segment` is the flattened segment key.
public struct SeriesKey: Hashable, Sendable, Codable, Comparable {
    public var family: MetricFamily
    public var arm: Arm?
    public var segment: String?
    /// Value of the family's extra label (`action`, `le` or `outcome`), if it has one.
    public var extra: String?

    public init(_ family: MetricFamily, arm: Arm? = nil, segment: String? = nil, extra: String? = nil) {
        self.family = family
        self.arm = arm
        self.segment = segment
        self.extra = extra
    }

    /// The upper bound of a histogram bucket series (its `le` label), NaN when there is none or it is not a number.
    public var upperBound: Double {
        guard let extra else { return .nan }
        if extra == "+Inf" || extra == "Inf" || extra == "inf" { return .infinity }
        return Double(extra) ?? .nan
    }

    public static func < (a: SeriesKey, b: SeriesKey) -> Bool {
        (a.family.rawValue, a.arm?.rawValue ?? "", a.segment ?? "", a.extra ?? "") <
            (b.family.rawValue, b.arm?.rawValue ?? "", b.segment ?? "", b.extra ?? "")
    }
}

/// One sample of a series.
public struct Sample: Hashable, Sendable, Codable {
    public var time: Timestamp
    public var value: Double

    public init(time: Timestamp, value: Double) {
        self.time = time
        self.value = value
    }
}
