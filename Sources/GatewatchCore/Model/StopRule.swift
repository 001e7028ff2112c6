/// How a rule compares its value with its threshold.
public enum Comparator: String, Codable, Sendable, CaseIterable {
    case greaterThan = ">"
    case greaterOrEqual = ">="
    case lessThan = "<"
    case lessOrEqual = "<="

    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greaterThan: return value > threshold
        case .greaterOrEqual: return value >= threshold
        case .lessThan: return value < threshold
        case .lessOrEqual: return value <= threshold
        }
    }
}

/// What a rule does when it fires.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case warn
    case block
    case rollback

    private var rank: Int { switch self { case .warn: 0; case .block: 1; case .rollback: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Whether a rule is evaluated once overall or once per segment.
public enum RuleScope: String, Codable, Sendable, CaseIterable {
    case overall
    case eachSegment = "each_segment"
}

/// What a rule does at an evaluation without data (Grafana-style `no_data` policy).
public enum NoDataPolicy: String, Codable, Sendable, CaseIterable {
    /// Treat as "condition does not hold".
    case ok
    /// Treat as "condition holds".
    case alerting
    /// Keep the previous state.
    case keepState = "keep_state"
}

/// The quantity a stop rule watches, derived from the metrics contract.
public enum RuleMetric: String, Codable, Sendable, CaseIterable {
    case errorRate = "error_rate"
    case latencyP50 = "latency_p50"
    case latencyP99 = "latency_p99"
    case precision
    case recall
    case falsePositiveRate = "false_positive_rate"
    case labelMaturity = "label_maturity"
    case reviewQueueDepth = "review_queue_depth"
    case reviewQueueHoursToOverflow = "review_queue_hours_to_overflow"
    /// Action mix: the share of the arm's decisions in the window that blocked, or went to manual review.
    case blockRate = "block_rate"
    case reviewRate = "review_rate"
    /// Traffic: the arm's decisions per minute over the window.
    case decisionsPerMinute = "decisions_per_minute"
    /// The arm's mean score over the window (from the score buckets' midpoints, as the segment table).
    case meanScore = "mean_score"
    /// Score drift between the arms over the window: PSI, the KS statistic D, the Jensen–Shannon distance (`Drift`),
    /// as the histogram panel computes them.
    case scorePSI = "score_psi"
    case scoreKS = "score_ks"
    case scoreJS = "score_js"

    /// Whether the metric is per arm (the queue is shared by both arms; drift compares the two).
    public var isPerArm: Bool {
        switch self {
        case .reviewQueueDepth, .reviewQueueHoursToOverflow, .scorePSI, .scoreKS, .scoreJS: return false
        default: return true
        }
    }

    /// Whether the metric compares the champion's and the challenger's score distributions itself.
    public var isDrift: Bool { self == .scorePSI || self == .scoreKS || self == .scoreJS }

    /// Whether the metric exists per segment.
    public var isPerSegment: Bool { isPerArm || isDrift }
}

/// How a rule relative to the champion compares the arms.
public enum ChampionRelation: String, Codable, Sendable, CaseIterable {
    /// challenger − champion.
    case difference
    /// challenger ÷ champion (`latency_p99 > 2 × champion` is `ratio`, threshold 2).
    case ratio
}

/// A named condition over a metric with Prometheus alerting semantics (`for:`), a `no_data` policy and a severity.
public struct StopRule: Codable, Sendable, Hashable {
    public var name: String
    public var metric: RuleMetric
    /// The arm whose value is compared; with `relativeToChampion` the value is challenger − champion, or
    /// challenger ÷ champion when `relation` is `ratio`.
    public var arm: Arm
    public var relativeToChampion: Bool
    public var relation: ChampionRelation
    public var comparator: Comparator
    public var threshold: Double
    /// Window over which counters are turned into rates, in seconds.
    public var windowSeconds: Int64
    /// How long the condition must hold at every evaluation before the rule fires, in seconds.
    public var forSeconds: Int64
    public var scope: RuleScope
    public var severity: Severity
    public var noData: NoDataPolicy
    /// Evaluated and shown, but never blocks, rolls back or pages.
    public var dryRun: Bool
    /// Free text shown with the rule.
    public var summary: String?
    /// Fewer events than this in the window (decisions, or labelled outcomes for quality metrics) count as no data.
    public var minimumEvents: Int

    public init(name: String, metric: RuleMetric, arm: Arm = .challenger, relativeToChampion: Bool = false,
                relation: ChampionRelation = .difference, comparator: Comparator, threshold: Double, windowSeconds: Int64 = 300, forSeconds: Int64 = 0,
                scope: RuleScope = .overall, severity: Severity = .block, noData: NoDataPolicy = .keepState,
                dryRun: Bool = false, summary: String? = nil, minimumEvents: Int = 0) {
        self.name = name
        self.metric = metric
        self.arm = arm
        self.relativeToChampion = relativeToChampion
        self.relation = relativeToChampion ? relation : .difference
        self.comparator = comparator
        self.threshold = threshold
        self.windowSeconds = windowSeconds
        self.forSeconds = forSeconds
        self.scope = scope
        self.severity = severity
        self.noData = noData
        self.dryRun = dryRun
        self.summary = summary
        self.minimumEvents = minimumEvents
    }

    enum CodingKeys: String, CodingKey {
        case name, metric, arm, op, threshold, window, scope, severity, summary
        case relativeToChampion = "relative_to_champion"
        case forDuration = "for"
        case noData = "no_data"
        case dryRun = "dry_run"
        case minimumEvents = "min_events"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        metric = try c.decode(RuleMetric.self, forKey: .metric)
        arm = try c.decodeIfPresent(Arm.self, forKey: .arm) ?? .challenger
        // `true` / `difference`: challenger − champion; `ratio`: challenger ÷ champion.
        if let text = try? c.decodeIfPresent(String.self, forKey: .relativeToChampion), let relation = ChampionRelation(rawValue: text) {
            relativeToChampion = true
            self.relation = relation
        } else if let flag = try? c.decodeIfPresent(Bool.self, forKey: .relativeToChampion) {
            relativeToChampion = flag
            relation = .difference
        } else if c.contains(.relativeToChampion) {
            throw DecodingError.dataCorruptedError(forKey: .relativeToChampion, in: c,
                                                   debugDescription: "must be true, false, difference or ratio")
        } else {
            relativeToChampion = false
            relation = .difference
        }
        comparator = try c.decode(Comparator.self, forKey: .op)
        threshold = try c.decode(Double.self, forKey: .threshold)
        windowSeconds = try c.decodeDurationIfPresent(.window) ?? 300
        forSeconds = try c.decodeDurationIfPresent(.forDuration) ?? 0
        scope = try c.decodeIfPresent(RuleScope.self, forKey: .scope) ?? .overall
        severity = try c.decodeIfPresent(Severity.self, forKey: .severity) ?? .block
        noData = try c.decodeIfPresent(NoDataPolicy.self, forKey: .noData) ?? .keepState
        dryRun = try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        minimumEvents = try c.decodeIfPresent(Int.self, forKey: .minimumEvents) ?? 0
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(metric, forKey: .metric)
        try c.encode(arm, forKey: .arm)
        if relativeToChampion && relation == .ratio {
            try c.encode(ChampionRelation.ratio.rawValue, forKey: .relativeToChampion)
        } else {
            try c.encode(relativeToChampion, forKey: .relativeToChampion)
        }
        try c.encode(comparator, forKey: .op)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(windowSeconds, forKey: .window)
        try c.encode(forSeconds, forKey: .forDuration)
        try c.encode(scope, forKey: .scope)
        try c.encode(severity, forKey: .severity)
        try c.encode(noData, forKey: .noData)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encodeIfPresent(summary, forKey: .summary)
        try c.encode(minimumEvents, forKey: .minimumEvents)
    }

    /// The rule as one line of text, e.g. `error_rate{arm="challenger"}[5m] > 0.02 for 5m`.
    public var expressionText: String {
        var selector = relativeToChampion ? "\(metric.rawValue){challenger\(relation == .ratio ? "/" : "-")champion}" :
            (metric.isPerArm ? "\(metric.rawValue){arm=\"\(arm.rawValue)\"}" : metric.rawValue)
        if scope == .eachSegment { selector += " by (segment)" }
        let window = (metric.isPerArm || metric.isDrift) && metric != .labelMaturity ? "[\(DurationText.format(windowSeconds))]" : ""
        let forText = forSeconds > 0 ? " for \(DurationText.format(forSeconds))" : ""
        return "\(selector)\(window) \(comparator.rawValue) \(NumberText.compact(threshold))\(forText)"
    }
}
