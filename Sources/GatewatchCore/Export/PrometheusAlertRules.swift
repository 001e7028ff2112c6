/// A release's stop rules as a Prometheus alerting-rules file, for on-call stacks that page from Prometheus and
/// Alertmanager: one group per release, evaluated every minute as Gatewatch evaluates, one alerting rule per stop rule.
///
/// Each expression is the PromQL a Prometheus user would write for the rule on the contract's series
/// (`sum(increase(gatewatch_errors_total{release="…",arm="challenger"}[5m])) / …`), spelled so that it gives
/// Gatewatch's value at every evaluation: a family without series in the window counts as zero (`or 0 * D`), a ratio
/// over no events has no value (`/ (D > 0)`), `min_events` filters on the events (`and on (segment) (… >= N)`), and a
/// ratio to the champion divides as Gatewatch does. `CounterConformanceTests` runs the exported rules with
/// `promtool test rules` and checks every rule's value and state at every minute against Gatewatch's.
///
/// Labels: `release`, `severity` (`warn`, `block`, `rollback`), `gatewatch_rule`, `dry_run: "true"` for a dry-run
/// rule, and `segment` from the expression for an `each_segment` rule. Annotations: `summary` (the rule's summary, or
/// its expression) and `description` (its expression as Gatewatch shows it).
///
/// What Prometheus cannot say the same way is left out and listed in `skipped` (and as comments in the file): the
/// hours to overflow (Gatewatch fits the queue's growth over a full hour), the mean score and the score drift
/// (computed from the buckets' shares with Evidently's floors). A rule whose `no_data` is not `ok` is exported,
/// with a comment: an alert whose expression has no result resolves, where Gatewatch keeps the state or fires.
public enum PrometheusAlertRules {
    /// The file, and the rules left out with why.
    public struct Export: Sendable, Equatable {
        public var yaml: String
        public var skipped: [Skipped]
    }

    public struct Skipped: Sendable, Equatable {
        public var rule: String
        public var reason: String
    }

    /// Why `rule` cannot be exported, or nil.
    public static func unsupportedReason(_ metric: RuleMetric) -> String? {
        switch metric {
        case .reviewQueueHoursToOverflow:
            return "review_queue_hours_to_overflow fits the queue's growth over a full hour, which PromQL's deriv() does not do the same way"
        case .meanScore, .scorePSI, .scoreKS, .scoreJS:
            return "\(metric.rawValue) is computed from the score buckets' shares, which PromQL cannot spell the same way"
        default:
            return nil
        }
    }

    /// The rules file of `release` (see the type's notes).
    public static func export(_ release: Release) -> Export {
        var out = "# Alerting rules of the stop rules of release \(release.slug), as Gatewatch evaluates them.\n"
        out += "groups:\n  - name: \(quoted("gatewatch-\(release.slug)"))\n    interval: 1m\n    rules:\n"
        var skipped: [Skipped] = []
        var exported = 0
        for rule in release.rules {
            if let reason = unsupportedReason(rule.metric) {
                skipped.append(Skipped(rule: rule.name, reason: reason))
                out += "      # \(oneLine(rule.name)): not exported: \(reason)\n"
                continue
            }
            exported += 1
            switch rule.noData {
            case .ok: break
            case .keepState:
                out += "      # no_data: keep_state: while the expression has no result the alert resolves; Gatewatch keeps its state.\n"
            case .alerting:
                out += "      # no_data: alerting: while the expression has no result the alert resolves; Gatewatch counts it as holding.\n"
            }
            out += "      - alert: \(quoted(rule.name))\n"
            out += "        expr: \(quoted("\(expression(rule, release: release.slug)) \(rule.comparator.rawValue) \(number(rule.threshold))"))\n"
            out += "        for: \(duration(rule.forSeconds))\n"
            out += "        labels:\n"
            out += "          release: \(quoted(release.slug))\n"
            out += "          severity: \(rule.severity.rawValue)\n"
            out += "          gatewatch_rule: \(quoted(rule.name))\n"
            if rule.dryRun { out += "          dry_run: \"true\"\n" }
            out += "        annotations:\n"
            out += "          summary: \(quoted(rule.summary ?? rule.expressionText))\n"
            out += "          description: \(quoted("Gatewatch stop rule \(rule.name) of \(release.slug): \(rule.expressionText)"))\n"
        }
        if exported == 0 { out = out.replacingOccurrences(of: "    rules:\n", with: "    rules: []\n") }
        return Export(yaml: out, skipped: skipped)
    }

    /// The PromQL of a rule's value for `release`: per segment when the rule is `each_segment` (unless `segment`
    /// restricts it to one), challenger − champion or ÷ champion when relative, filtered by `min_events`. A metric
    /// that cannot be exported (`unsupportedReason`) gets an expression without a value.
    public static func expression(_ rule: StopRule, release: String, segment: String? = nil) -> String {
        let bySegment = rule.scope == .eachSegment && segment == nil
        let w = rule.windowSeconds
        func value(_ arm: Arm) -> String { metricExpression(rule.metric, arm: arm, release: release, window: w, bySegment: bySegment, segment: segment) }
        var text = rule.relativeToChampion && rule.metric.isPerArm
            ? "(\(value(.challenger))\(rule.relation == .ratio ? " / " : " - ")\(value(.champion)))"
            : value(rule.arm)
        if rule.minimumEvents > 0, rule.metric.isPerArm {
            let arms: [Arm] = rule.relativeToChampion ? [.champion, .challenger] : [rule.arm]
            let on = bySegment ? "on (segment)" : "on ()"
            for arm in arms {
                let events = eventsExpression(rule.metric, arm: arm, release: release, window: w, bySegment: bySegment, segment: segment)
                text = "(\(text) and \(on) (\(events) >= \(rule.minimumEvents)))"
            }
        }
        return text
    }

    // MARK: Pieces

    /// `sum(increase(family{matchers}[window]))`, by segment when `bySegment`, and by `extra` too.
    static func sum(_ family: MetricFamily, _ matchers: [String], window: Int64, bySegment: Bool, by extra: String? = nil) -> String {
        let groups = (bySegment ? ["segment"] : []) + (extra.map { [$0] } ?? [])
        let by = groups.isEmpty ? "" : " by (\(groups.joined(separator: ", ")))"
        return "sum\(by) (increase(\(family.rawValue){\(matchers.joined(separator: ","))}[\(duration(window))]))"
    }

    /// `numerator / denominator` as Gatewatch reads it: no numerator series is zero, no events is no value.
    static func ratio(_ numerator: String, _ denominator: String) -> String {
        "((\(numerator) or 0 * \(denominator)) / (\(denominator) > 0))"
    }

    static func matchers(arm: Arm, release: String, segment: String?) -> [String] {
        var base = ["release=\"\(escape(release))\"", "arm=\"\(arm.rawValue)\""]
        if let segment { base.append("segment=\"\(escape(segment))\"") }
        return base
    }

    /// The PromQL of a rule metric for one arm (see `expression`).
    static func metricExpression(_ metric: RuleMetric, arm: Arm, release: String, window w: Int64, bySegment: Bool, segment: String?) -> String {
        let base = matchers(arm: arm, release: release, segment: segment)
        let labels = { (outcomes: String) in base + ["outcome=~\"\(outcomes)\""] }
        switch metric {
        case .errorRate:
            return ratio(sum(.errors, base, window: w, bySegment: bySegment), sum(.decisions, base, window: w, bySegment: bySegment))
        case .precision:
            return ratio(sum(.labels, labels("tp"), window: w, bySegment: bySegment), sum(.labels, labels("tp|fp"), window: w, bySegment: bySegment))
        case .recall:
            return ratio(sum(.labels, labels("tp"), window: w, bySegment: bySegment), sum(.labels, labels("tp|fn"), window: w, bySegment: bySegment))
        case .falsePositiveRate:
            return ratio(sum(.labels, labels("fp"), window: w, bySegment: bySegment), sum(.labels, labels("fp|tn"), window: w, bySegment: bySegment))
        case .labelMaturity:
            return "clamp_max(" + ratio(sum(.labels, base, window: w, bySegment: bySegment), sum(.decisions, base, window: w, bySegment: bySegment)) + ", 1)"
        case .latencyP50, .latencyP99:
            let q = metric == .latencyP50 ? "0.5" : "0.99"
            return "histogram_quantile(\(q), \(sum(.latencyBucket, base, window: w, bySegment: bySegment, by: "le")))"
        case .blockRate, .reviewRate:
            let action = base + ["action=\"\(metric == .blockRate ? "block" : "review")\""]
            return ratio(sum(.decisions, action, window: w, bySegment: bySegment), sum(.decisions, base, window: w, bySegment: bySegment))
        case .decisionsPerMinute:
            return "(\(sum(.decisions, base, window: w, bySegment: bySegment)) / \(number(Double(w) / 60)))"
        case .reviewQueueDepth:
            return "\(MetricFamily.reviewQueueDepth.rawValue){release=\"\(escape(release))\"}"
        case .reviewQueueHoursToOverflow, .meanScore, .scorePSI, .scoreKS, .scoreJS:
            // Not exported (`unsupportedReason`); an expression that never has a value, should it be asked for.
            return "vector(0) unless vector(0)"
        }
    }

    /// The events a metric's value rests on (`DerivedMetrics.eventCount`), as PromQL.
    static func eventsExpression(_ metric: RuleMetric, arm: Arm, release: String, window w: Int64, bySegment: Bool, segment: String?) -> String {
        let base = matchers(arm: arm, release: release, segment: segment)
        switch metric {
        case .precision: return sum(.labels, base + ["outcome=~\"tp|fp\""], window: w, bySegment: bySegment)
        case .recall: return sum(.labels, base + ["outcome=~\"tp|fn\""], window: w, bySegment: bySegment)
        case .falsePositiveRate: return sum(.labels, base + ["outcome=~\"fp|tn\""], window: w, bySegment: bySegment)
        default: return sum(.decisions, base, window: w, bySegment: bySegment)
        }
    }

    /// A duration the way Prometheus writes it: `90s` → `1m30s`, `0s`.
    public static func duration(_ seconds: Int64) -> String {
        guard seconds > 0 else { return "0s" }
        var rest = seconds, out = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }

    /// A number PromQL and YAML both read back exactly (the shortest round-trip text).
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// `text` escaped for a PromQL double-quoted string (`PromQLString.escape`).
    static func escape(_ text: String) -> String { PromQLString.escape(text) }

    /// A YAML double-quoted scalar: quotes, backslashes, line breaks and every control character escaped (a YAML
    /// stream may not hold control characters, and promtool refuses one that does).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isControl(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    out += unicodeEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text for a `#` comment: one line, control characters shown as U+FFFD.
    static func oneLine(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            out.unicodeScalars.append(isControl(scalar) || scalar.properties.generalCategory == .lineSeparator
                                        || scalar.properties.generalCategory == .paragraphSeparator ? "\u{FFFD}" : scalar)
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
