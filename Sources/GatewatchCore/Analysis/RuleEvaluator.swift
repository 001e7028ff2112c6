/// Evaluates stop rules at a fixed interval with Prometheus alerting semantics: pending from the first
/// evaluation where the condition holds, firing once it has held at every evaluation for `for`, back to ok at
/// the first evaluation where it does not hold.
public struct RuleEvaluator: Sendable {
    /// Seconds between evaluations.
    public var interval: Int64
    /// How far back evaluation starts at most (older evaluations cannot change today's state for rules whose
    /// `for` is shorter than this).
    public var maximumLookback: Int64

    public init(interval: Int64 = 60, maximumLookback: Int64 = 86_400) {
        self.interval = max(1, interval)
        self.maximumLookback = maximumLookback
    }

    /// Evaluation times: `origin + k·interval` inside `[max(origin, asOf − lookback), asOf]`.
    public func evaluationTimes(origin: Timestamp, asOf: Timestamp) -> StrideThrough<Timestamp> {
        guard asOf >= origin else { return stride(from: origin, through: origin - 1, by: Int(interval)) }
        var first = origin
        let earliest = asOf - maximumLookback
        if earliest > origin { first = origin + ((earliest - origin + interval - 1) / interval) * interval }
        return stride(from: first, through: asOf, by: Int(interval))
    }

    /// Runs one rule over one scope from `origin` to `asOf`.
    /// With `previous` (an earlier result of the same rule, scope and origin) only the evaluations after it run:
    /// the state machine only moves forward, so the result equals a full evaluation.
    public func evaluate(_ rule: StopRule, segment: String?, metrics: DerivedMetrics, origin: Timestamp,
                         asOf: Timestamp, queueLimit: Double?, resumingFrom previous: RuleEvaluation? = nil) -> RuleEvaluation {
        var status = previous?.status ?? .ok
        var activeAt: Timestamp? = previous?.activeAt
        var since: Timestamp? = previous?.since
        var lastValue: Double? = previous?.value
        var lastTime: Timestamp? = previous?.evaluatedAt
        var history: [RuleTransition] = previous?.history ?? []

        let slot = metrics.data.slot(segment)
        for t in evaluationTimes(origin: origin, asOf: asOf) {
            if let done = previous?.evaluatedAt, t <= done { continue }
            let value = metrics.value(of: rule, slot: slot, at: t, queueLimit: queueLimit)
            lastValue = value
            lastTime = t
            let holds: Bool
            if let v = value, !v.isNaN {
                holds = rule.comparator.holds(v, rule.threshold)
            } else {
                switch rule.noData {
                case .ok: holds = false
                case .alerting: holds = true
                case .keepState: continue
                }
            }
            let previous = status
            if holds {
                if status == .ok { activeAt = t; status = .pending }
                if status == .pending, let a = activeAt, t - a >= rule.forSeconds { status = .firing }
            } else {
                status = .ok
                activeAt = nil
            }
            if status != previous {
                history.append(RuleTransition(time: t, from: previous, to: status, value: value))
                since = status == .ok ? t : activeAt
                if status == .firing { since = t }
            }
        }
        return RuleEvaluation(rule: rule, segment: segment, status: status, since: since, value: lastValue,
                              evaluatedAt: lastTime, activeAt: activeAt, history: history)
    }
}
