import GatewatchCore

/// Words and numbers for one stop-rule row: state with timing, value against threshold.
enum RuleRowText {
    /// `ok`, `pending 3m/5m`, `FIRING 12m`.
    static func state(_ e: RuleEvaluation, asOf: Timestamp) -> String {
        let prefix = e.rule.dryRun ? "dry-run " : ""
        switch e.status {
        case .ok: return prefix + "ok"
        case .pending:
            let held = e.since.map { asOf - $0 } ?? 0
            return prefix + "pending \(DurationText.format(held))/\(DurationText.format(e.rule.forSeconds))"
        case .firing:
            let firing = e.since.map { asOf - $0 } ?? 0
            return prefix + "FIRING \(DurationText.format(firing))"
        }
    }

    static func role(_ e: RuleEvaluation) -> String {
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
            return sign + NumberText.percent(v, decimals: 2)
        case .precision, .recall, .labelMaturity:
            return relative ? sign + NumberText.fixed(v * 100, decimals: 1) + "pt" : NumberText.percent(v, decimals: 1)
        case .latencyP50, .latencyP99:
            return sign + NumberText.fixed(v * 1000, decimals: 0) + "ms"
        case .reviewQueueDepth:
            return NumberText.fixed(v, decimals: 0)
        case .reviewQueueHoursToOverflow:
            return NumberText.fixed(v, decimals: 1) + "h"
        }
    }

    static func threshold(_ rule: StopRule) -> String {
        "\(rule.comparator.rawValue) \(value(rule.threshold, metric: rule.metric, relative: rule.relativeToChampion))"
    }
}
