/// A stop rule's value or threshold in the metric's own unit, the same on every screen and in every export: a
/// difference of rates in points (as the segment table), a rate in percent, latency in ms, time to overflow as a
/// duration.
public enum RuleValueText {
    /// `v` of `metric`; `relative` when it is challenger minus champion.
    public static func value(_ v: Double?, metric: RuleMetric, relative: Bool, ratio: Bool = false) -> String {
        guard let v else { return "no data" }
        if v.isInfinite { return v > 0 ? "∞" : "-∞" }
        guard !v.isNaN else { return "NaN" }
        // A ratio to the champion is a factor, whatever the metric's unit: `×2.13`.
        if relative && ratio { return "×" + NumberText.fixed(v, decimals: 2) }
        let sign = relative && v > 0 ? "+" : ""
        switch metric {
        case .errorRate, .falsePositiveRate:
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
        case .blockRate, .reviewRate:
            return relative ? sign + NumberText.fixed(v * 100, decimals: 2) + "pt" : NumberText.percent(v, decimals: 2)
        case .decisionsPerMinute:
            return sign + NumberText.fixed(v, decimals: 0) + "/min"
        case .meanScore:
            return sign + NumberText.fixed(v, decimals: 3)
        case .scorePSI, .scoreKS, .scoreJS:
            return NumberText.fixed(v, decimals: 3)
        }
    }

    /// `value` for a rule's own value: relative and ratio as the rule compares.
    public static func value(_ v: Double?, rule: StopRule) -> String {
        value(v, metric: rule.metric, relative: rule.relativeToChampion, ratio: rule.relation == .ratio)
    }

    /// `< -8.0pt`: the rule's comparator and threshold.
    public static func threshold(_ rule: StopRule) -> String {
        "\(rule.comparator.rawValue) \(value(rule.threshold, rule: rule))"
    }
}
