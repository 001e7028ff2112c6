import GatewatchCore

/// Words and numbers for one stop-rule row: state with timing, value against threshold.
enum RuleRowText {
    /// How a row reads: a rule with no value is never shown as a plain `ok` (the condition was not seen to hold,
    /// but nothing was measured either); after a rollback the challenger's rules only say what they were.
    enum Look { case ok, noData, pending, firing, rolledBack }

    static func look(_ e: RuleEvaluation, rolledBack: Bool) -> Look {
        if rolledBack && e.rule.metric.isPerArm { return .rolledBack }
        switch e.status {
        // Held on stale data, `ok` is only what the last evidence said: not shown as a plain ok.
        case .ok: return e.value == nil || e.heldAt != nil ? .noData : .ok
        case .pending: return .pending
        case .firing: return .firing
        }
    }

    /// `ok`, `no data`, `pending 3m/5m`, `FIRING 12m`, `was firing` (after a rollback), `FIRING held` (on stale data).
    static func state(_ e: RuleEvaluation, asOf: Timestamp, rolledBack: Bool = false) -> String {
        let prefix = e.rule.dryRun ? "dry-run " : ""
        if rolledBack && e.rule.metric.isPerArm {
            return prefix + (e.status == .ok ? "rolled back" : "was \(e.status.rawValue)")
        }
        if e.heldAt != nil {
            // Held where stale data ends: the state then, not a timing that keeps counting.
            let then = e.status == .ok && e.value == nil ? "no data" : (e.status == .firing ? "FIRING" : e.status.rawValue)
            return prefix + then + " held"
        }
        switch e.status {
        case .ok: return prefix + (e.value == nil ? "no data" : "ok")
        case .pending:
            let held = e.since.map { asOf - $0 } ?? 0
            return prefix + "pending \(DurationText.format(held))/\(DurationText.format(e.rule.forSeconds))"
        case .firing:
            let firing = e.since.map { asOf - $0 } ?? 0
            return prefix + "FIRING \(DurationText.format(firing))"
        }
    }

    static func role(_ e: RuleEvaluation, rolledBack: Bool = false) -> String {
        switch look(e, rolledBack: rolledBack) {
        case .rolledBack: return "text.dim"
        case .noData: return e.rule.severity == .rollback && !e.rule.dryRun ? "warning" : "rule.inconclusive"
        default: break
        }
        switch e.status {
        case .ok: return "rule.ok"
        case .pending: return "rule.pending"
        case .firing: return e.rule.dryRun ? "rule.pending" : "rule.firing"
        }
    }

    /// A value in the metric's own unit.
    static func value(_ v: Double?, metric: RuleMetric, relative: Bool) -> String {
        guard let v else { return "no data" }
        if v.isInfinite { return v > 0 ? "∞" : "-∞" }
        let sign = relative && v > 0 ? "+" : ""
        switch metric {
        case .errorRate, .falsePositiveRate:
            // A difference of rates is in points, as in the segment table; a rate itself in percent.
            return relative ? sign + NumberText.fixed(v * 100, decimals: 2) + "pt" : NumberText.percent(v, decimals: 2)
        case .precision, .recall, .labelMaturity:
            return relative ? sign + NumberText.fixed(v * 100, decimals: 1) + "pt" : NumberText.percent(v, decimals: 1)
        case .latencyP50, .latencyP99:
            return sign + NumberText.fixed(v * 1000, decimals: 0) + "ms"
        case .reviewQueueDepth:
            return NumberText.fixed(v, decimals: 0)
        case .reviewQueueHoursToOverflow:
            // A duration, as the queue panel says it ("overflows in 6m"), not a fraction of hours.
            return DurationText.format(Int64((max(0, v) * 3600).rounded()))
        }
    }

    static func threshold(_ rule: StopRule) -> String {
        "\(rule.comparator.rawValue) \(value(rule.threshold, metric: rule.metric, relative: rule.relativeToChampion))"
    }
}
