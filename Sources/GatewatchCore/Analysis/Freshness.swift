/// A stream of samples whose freshness is judged: one metric family, per arm where the family has arms.
public struct FreshnessStream: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var family: MetricFamily
    public var arm: Arm?

    public init(_ family: MetricFamily, arm: Arm? = nil) {
        self.family = family
        self.arm = family.isPerArm ? arm : nil
    }

    /// `gatewatch_latency_seconds (challenger)`: the family as an exporter names it (histograms without `_bucket`).
    public var description: String {
        let name = family.isHistogram ? String(family.rawValue.dropLast("_bucket".count)) : family.rawValue
        return name + (arm.map { " (\($0.rawValue))" } ?? "")
    }

    public static func < (a: FreshnessStream, b: FreshnessStream) -> Bool {
        (a.family.ordinal, a.arm.map { $0 == .champion ? 0 : 1 } ?? -1) < (b.family.ordinal, b.arm.map { $0 == .champion ? 0 : 1 } ?? -1)
    }

    /// The streams a stop rule reads (its value and its minimum-events count).
    public static func read(by rule: StopRule) -> [FreshnessStream] {
        let arms: [Arm] = (rule.relativeToChampion && rule.metric.isPerArm) || rule.metric.isDrift ? [.champion, .challenger] : [rule.arm]
        let families: [MetricFamily]
        switch rule.metric {
        case .errorRate: families = [.decisions, .errors]
        case .latencyP50, .latencyP99: families = rule.minimumEvents > 0 ? [.latencyBucket, .decisions] : [.latencyBucket]
        case .precision, .recall, .falsePositiveRate: families = [.labels]
        case .labelMaturity: families = [.decisions, .labels]
        case .blockRate, .reviewRate, .decisionsPerMinute: families = [.decisions]
        case .meanScore, .scorePSI, .scoreKS, .scoreJS: families = rule.minimumEvents > 0 ? [.scoreBucket, .decisions] : [.scoreBucket]
        case .reviewQueueDepth, .reviewQueueHoursToOverflow: return [FreshnessStream(.reviewQueueDepth)]
        }
        return families.flatMap { family in arms.map { FreshnessStream(family, arm: $0) } }
    }
}

/// How fresh the metrics must be, and how far ahead of the clock a sample may be dated.
public struct FreshnessPolicy: Sendable, Hashable, Codable {
    /// A stream whose newest sample is older than this (seconds) is stale.
    public var staleAfter: Int64
    /// Samples dated more than this many seconds after the clock are refused.
    public var futureSkew: Int64

    public static let defaultFutureSkew: Int64 = 300

    public init(staleAfter: Int64, futureSkew: Int64 = FreshnessPolicy.defaultFutureSkew) {
        self.staleAfter = max(1, staleAfter)
        self.futureSkew = max(0, futureSkew)
    }

    /// The default bound: three evaluation steps plus the poll interval.
    public static func standard(evaluationInterval: Int64 = 60, pollInterval: Double = 0) -> FreshnessPolicy {
        let poll = pollInterval.isFinite ? Int64(max(0, min(86_400, pollInterval)).rounded(.up)) : 0
        return FreshnessPolicy(staleAfter: 3 * max(1, evaluationInterval) + poll)
    }
}

/// Samples dated after the clock (beyond the allowed skew) that a source left out: reported, never used.
public struct FutureSamples: Sendable, Hashable, Codable {
    public var count: Int
    /// The earliest of them, and its family.
    public var first: Timestamp
    public var family: MetricFamily?

    public init(count: Int, first: Timestamp, family: MetricFamily?) {
        self.count = count
        self.first = first
        self.family = family
    }
}

/// The one judgement of how current the metrics of a release are, made once per analysis and read by the release
/// screen, the overview, `check`, the guard and the action layer.
///
/// Data is stale when the newest sample of a stream the release reads is older than `policy.staleAfter` at `now`,
/// or when the last poll failed (then the data is complete only through `pollFailure.through`). Stale data holds the
/// rules that read it where it ends (`heldAt`), fails the `metrics_fresh` gate and never promotes; a rule held
/// `firing` still counts as firing. Samples dated in the future are refused by the sources and reported here.
public struct Freshness: Sendable, Hashable {
    /// The newest sample of one stream at `now`.
    public struct StreamAge: Sendable, Hashable {
        public var stream: FreshnessStream
        public var newest: Timestamp
        public var stale: Bool
    }

    /// A poll that failed: the data is complete through `through`.
    public struct PollFailure: Sendable, Hashable {
        public var through: Timestamp
        public var reason: String

        public init(through: Timestamp, reason: String) {
            self.through = through
            self.reason = reason
        }
    }

    /// The clock's time the judgement is made at (the analysis' as-of time).
    public var now: Timestamp
    public var policy: FreshnessPolicy
    /// Every stream that has data, in stream order.
    public var streams: [StreamAge]
    public var pollFailure: PollFailure?
    public var refusedFuture: FutureSamples?

    public init(now: Timestamp, policy: FreshnessPolicy, streams: [StreamAge], pollFailure: PollFailure? = nil,
                refusedFuture: FutureSamples? = nil) {
        self.now = now
        self.policy = policy
        self.streams = streams
        self.pollFailure = pollFailure
        self.refusedFuture = refusedFuture
    }

    /// Judges `data` at `now`. Streams of an arm that serves nothing in `state` (the challenger after a rollback, the
    /// old champion once the release is complete) are not required to go on.
    public static func judge(_ data: MetricSeriesSet, release: Release, state: RolloutState, now: Timestamp,
                             policy: FreshnessPolicy, pollFailure: PollFailure? = nil,
                             refusedFuture: FutureSamples? = nil) -> Freshness {
        var idle: Arm? = nil
        if state.status == .rolledBack { idle = .challenger }
        if state.status == .complete { idle = .champion }
        var streams: [StreamAge] = []
        for family in MetricFamily.allCases {
            let arms: [Arm?] = family.isPerArm ? Arm.allCases.map { $0 } : [nil]
            for arm in arms {
                guard let newest = data.newestTime(family, arm: arm) else { continue }
                let seen = min(newest, now)
                let required = idle == nil || arm != idle
                let stale = required && now - seen > policy.staleAfter
                streams.append(StreamAge(stream: FreshnessStream(family, arm: arm), newest: seen, stale: stale))
            }
        }
        return Freshness(now: now, policy: policy, streams: streams, pollFailure: pollFailure.map {
            PollFailure(through: min($0.through, now), reason: $0.reason)
        }, refusedFuture: refusedFuture)
    }

    /// The streams that stopped arriving.
    public var staleStreams: [StreamAge] { streams.filter(\.stale) }

    /// Whether the data is stale: a stream stopped, or the last poll failed.
    public var isStale: Bool { pollFailure != nil || streams.contains(where: \.stale) }

    /// Whether the data can be trusted for promotion: not stale and nothing dated in the future.
    public var isCurrent: Bool { !isStale && refusedFuture == nil }

    /// Where the rules reading `streams` are held (nil: at the as-of time): the end of the stalest stream they read,
    /// or the time a failed poll's data is complete through.
    public func heldAt(reading read: [FreshnessStream]) -> Timestamp? {
        var held = pollFailure?.through
        for age in streams where age.stale && read.contains(age.stream) {
            held = min(held ?? age.newest, age.newest)
        }
        return held.map { min($0, now) }
    }

    /// The earliest time any rule is held at (a stale stream's end, or a failed poll's), if any.
    public var earliestHold: Timestamp? {
        let ends = staleStreams.map(\.newest) + (pollFailure.map { [$0.through] } ?? [])
        return ends.min()
    }

    /// The data's own age: how long ago the stalest stream's newest sample was taken, or the failed poll's data ends.
    public var age: Int64? { earliestHold.map { max(0, now - $0) } }

    /// `data 29d old (gatewatch_latency_seconds (challenger) +3)`: the age of the stalest data and its stream, or
    /// `data 2m old` when only the last poll failed; nil when nothing is stale.
    public var staleText: String? {
        guard let age else { return nil }
        guard let oldest = staleStreams.min(by: { $0.newest < $1.newest }), oldest.newest == earliestHold else {
            return "data \(DurationText.format(age)) old"
        }
        let others = staleStreams.count - 1
        return "data \(DurationText.format(age)) old (\(oldest.stream)\(others > 0 ? " +\(others)" : ""))"
    }

    /// `1 sample of gatewatch_review_queue_depth dated 2030-01-01 00:00 refused (more than 5m ahead of the clock)`.
    public var futureText: String? {
        guard let f = refusedFuture else { return nil }
        let what = f.count == 1 ? "1 sample" : "\(f.count) samples"
        let family = f.family.map { " of \($0.rawValue)" } ?? ""
        let dated = f.count == 1 ? "dated" : "from"
        return "\(what)\(family) \(dated) \(TimeText.minute(f.first)) refused (more than \(DurationText.format(policy.futureSkew)) ahead of the clock)"
    }

    /// Every problem, for a gate reason or a banner.
    public var problems: [String] {
        var out: [String] = []
        if let f = pollFailure { out.append("last poll failed: \(f.reason)") }
        if let s = staleText { out.append(s) }
        if let f = futureText { out.append(f) }
        return out
    }
}
