import GatewatchCore

/// Words and numbers for one stop-rule row: state with timing, value against threshold.
enum RuleRowText {
    /// How a row reads: a rule with no value is never shown as a plain `ok` (the condition was not seen to hold,
    /// but nothing was measured either); after a rollback the challenger's rules only say what they were.
    enum Look { case ok, noData, pending, firing, rolledBack }

    static func look(_ e: RuleEvaluation, rolledBack: Bool) -> Look {
        if rolledBack && (e.rule.metric.isPerArm || e.rule.metric.isDrift) { return .rolledBack }
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
        if rolledBack && (e.rule.metric.isPerArm || e.rule.metric.isDrift) {
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

    /// A rule's value in the metric's own unit, as the rule compares it (see `RuleValueText`; a ratio to the
    /// champion as a factor).
    static func value(_ v: Double?, rule: StopRule) -> String { RuleValueText.value(v, rule: rule) }

    static func threshold(_ rule: StopRule) -> String { RuleValueText.threshold(rule) }
}
