/// The alerting state of a stop rule, as in Prometheus (`inactive` is `ok` here).
public enum RuleStatus: String, Codable, Sendable, Comparable {
    case ok
    case pending
    case firing

    private var rank: Int { switch self { case .ok: 0; case .pending: 1; case .firing: 2 } }
    public static func < (a: RuleStatus, b: RuleStatus) -> Bool { a.rank < b.rank }
}

/// One change of a rule's state, with the value that caused it (nil when there was no data).
public struct RuleTransition: Codable, Sendable, Hashable {
    public var time: Timestamp
    public var from: RuleStatus
    public var to: RuleStatus
    public var value: Double?

    public init(time: Timestamp, from: RuleStatus, to: RuleStatus, value: Double?) {
        self.time = time
        self.from = from
        self.to = to
        self.value = value
    }
}

/// A rule's state at the as-of time, for one scope (overall, or one segment), with its history.
public struct RuleEvaluation: Codable, Sendable, Hashable {
    public var rule: StopRule
    /// The segment for `each_segment` rules; nil for overall.
    public var segment: String?
    public var status: RuleStatus
    /// Since when the current status holds (the Prometheus `activeAt` for pending and firing).
    public var since: Timestamp?
    /// The value at the last evaluation (nil: no data).
    public var value: Double?
    /// Time of the last evaluation.
    public var evaluatedAt: Timestamp?
    /// When the condition started to hold without a break (Prometheus' `activeAt`); nil when ok.
    public var activeAt: Timestamp?
    public var history: [RuleTransition]
    /// Set when the data the rule reads is stale: the time it was evaluated up to instead of the as-of time (the
    /// state is the one the last evidence gave; see `Freshness`).
    public var heldAt: Timestamp?

    public init(rule: StopRule, segment: String?, status: RuleStatus, since: Timestamp?, value: Double?,
                evaluatedAt: Timestamp?, activeAt: Timestamp? = nil, history: [RuleTransition]) {
        self.rule = rule
        self.segment = segment
        self.status = status
        self.since = since
        self.value = value
        self.evaluatedAt = evaluatedAt
        self.activeAt = activeAt
        self.history = history
    }

    /// Whether the rule holds promotion back (block or rollback severity, pending or firing, not a dry run).
    public var blocksPromotion: Bool {
        !rule.dryRun && rule.severity >= .block && status != .ok
    }
}
