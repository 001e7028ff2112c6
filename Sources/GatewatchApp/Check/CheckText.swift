import GatewatchCore

/// The text form of `gatewatch check`: the verdict first, then why — gates, rules (each with its expression, value,
/// threshold, window, `for`, scope and since when), segment regressions, drift, sample ratio and queue.
public enum CheckText {
    public static func render(_ a: ReleaseAnalysis) -> String {
        let verdict = CheckVerdict(a)
        var out: [String] = []
        out.append("\(a.release.slug) at \(TimeText.iso(a.asOf)) — stage \(a.stage.name) (\(a.state.status.label))")
        let what: String
        switch verdict {
        case .clear: what = a.nextStage.map { "CLEAR: every gate passes for promotion to \($0.name)" } ?? "CLEAR: last stage, no rollback rule firing"
        case .blocked where a.state.status == .rolledBack:
            let by = a.lastDecision.map { " by \($0.actorText) at \(TimeText.iso($0.time)): \($0.reason)" } ?? ""
            what = "BLOCKED: rolled back\(by)"
        case .blocked where !a.gates.contains(where: { !$0.passed }):
            what = "BLOCKED: metrics not current: " + (a.freshness?.problems.joined(separator: "; ") ?? "held at \(a.metricsThrough.map(TimeText.iso) ?? "?")")
        case .blocked:
            let held = a.gates.filter { !$0.passed }
            let inconclusive = held.contains { $0.outcome == .inconclusive }
            what = "BLOCKED: " + held.map { "\($0.gate.rawValue) \($0.outcome.rawValue) (\($0.reason))" }.joined(separator: "; ")
                + (inconclusive ? " — needs a human decision: promote, wait or roll back" : "")
        case .rollback:
            what = "ROLLBACK: " + a.firingRollbackRules.map { "\($0.rule.name)\($0.segment.map { " [\($0)]" } ?? "") firing" }.joined(separator: "; ")
        }
        out.append("verdict: \(what) (exit \(verdict.exitStatus))")
        if let f = a.freshness, !f.isCurrent {
            var line = "STALE: " + f.problems.joined(separator: "; ")
            if let held = f.earliestHold { line += " — rules held at \(TimeText.iso(held)); promotion waits, rollback still acts on held rules" }
            out.append(line)
        }
        if !a.gates.isEmpty {
            out.append("")
            out.append("gates for \(a.nextStage?.name ?? "-"):")
            for g in a.gates {
                let mark = g.outcome == .passed ? "pass" : (g.outcome == .inconclusive ? "????" : "FAIL")
                out.append("  \(mark)  \(g.gate.rawValue): \(g.reason)")
            }
        }
        let open = a.guardrailWaits.filter { !$0.decided }
        if !a.guardrailWaits.isEmpty {
            out.append("")
            out.append("guardrails on always-valid intervals: \(a.guardrailWaits.count - open.count) of \(a.guardrailWaits.count) decided"
                       + (open.isEmpty ? "" : "; at current traffic:"))
            for w in open {
                let when = w.secondsLeft.map { $0 == 0 ? "decidable at the next look" : "decidable in ~\(DurationText.format($0))" } ?? "no estimate: \(w.unknownReason ?? "unknown")"
                // Feasibility: how long the guardrail takes to clear a challenger that changes nothing.
                let ruleOut = w.ruleOutSeconds.map { $0 == 0 ? "; an unchanged challenger would be cleared already" : "; an unchanged challenger is cleared in ~\(DurationText.format($0))" }
                    ?? (w.unknownReason == nil || w.unknownReason == "more than a year at current traffic" ? "; an unchanged challenger is not cleared within a year" : "")
                out.append("  \(w.segment ?? "overall") \(w.metric.rawValue): \(when)\(ruleOut)")
            }
        }
        if !a.plannedSamples.isEmpty {
            out.append("")
            out.append("planned A/B decision (fixed horizon, power \(NumberText.percent(a.release.power, decimals: 0)), α \(NumberText.compact(a.release.alpha)), two-sided):")
            for p in a.plannedSamples {
                out.append("  \(p.metric.rawValue) (effect \(NumberText.compact(p.minimumDetectableEffect))): \(p.samplesText) — \(p.horizonText ?? p.etaText)")
            }
        }
        out.append("")
        out.append("stop rules:")
        for e in a.rules {
            let state = e.rule.dryRun ? "\(e.status.rawValue) (dry run\(e.status != .ok ? ", would \(e.rule.severity == .rollback ? "roll back" : "block")" : ""))" : e.status.rawValue
            let since = (e.since.map { " since \(TimeText.iso($0))" } ?? "") + (e.heldAt.map { " (held at \(TimeText.iso($0)): data stale)" } ?? "")
            let value = e.value.map { NumberText.compact($0, digits: 4) } ?? "no data"
            out.append("  \(state.uppercased() == "OK" ? "ok" : state)  \(e.rule.name) [\(e.segment ?? "overall")] \(e.rule.severity.rawValue)")
            out.append("      \(e.rule.expressionText) — value \(value) vs threshold \(e.rule.comparator.rawValue) \(NumberText.compact(e.rule.threshold))\(since)")
        }
        let hidden = a.segments.flatMap { s in s.metrics.values.filter(\.hiddenRegression).map { (s.segment ?? "overall", $0) } }
        if !hidden.isEmpty {
            out.append("")
            out.append("segments that regress while the overall number does not:")
            for (segment, c) in hidden.sorted(by: { ($0.0, $0.1.metric.rawValue) < ($1.0, $1.1.metric.rawValue) }) {
                let f = c.metric.isProportion ? pt : { (v: Double) in (v > 0 ? "+" : "") + NumberText.fixed(v, decimals: 4) }
                let s = c.sequential
                out.append("  \(segment) \(c.metric.rawValue): \(f(c.estimate.delta)) [\(f(s?.ciLow ?? .nan)), \(f(s?.ciHigh ?? .nan))] always-valid p=\(p(s?.adjustedP ?? .nan))")
            }
        }
        if let o = a.overall {
            out.append("")
            out.append("overall deltas (challenger − champion, always-valid intervals):")
            for metric in QualityMetric.allCases {
                guard let c = o.metrics[metric] else { continue }
                let f = metric.isProportion ? pt : { (v: Double) in (v > 0 ? "+" : "") + NumberText.fixed(v, decimals: 4) }
                let s = c.sequential
                out.append("  \(metric.rawValue): \(f(c.estimate.delta)) [\(f(s?.ciLow ?? .nan)), \(f(s?.ciHigh ?? .nan))] always-valid p=\(p(s?.adjustedP ?? .nan))"
                           + " (fixed-horizon p=\(p(c.estimate.pValue)))")
            }
            if let d = o.drift {
                out.append("  score drift: PSI \(NumberText.fixed(d.psi, decimals: 4)), KS D \(NumberText.fixed(d.ks.d, decimals: 4)) p=\(p(d.ks.pValue)), JS \(NumberText.fixed(d.js, decimals: 4))")
            }
        }
        if let srm = a.sampleRatio {
            out.append("sample ratio: χ² \(NumberText.fixed(srm.chi2, decimals: 2)), p=\(p(srm.pValue))")
        }
        if let q = a.queue {
            let forecast: String
            if let h = q.hoursToOverflow, h.isFinite {
                forecast = h <= 0 ? "over its limit" : "overflows in \(DurationText.format(Int64(h * 3600)))"
            } else if let draining = q.draining {
                forecast = draining ? "draining" : "growing, no limit set"
            } else {
                forecast = "no trend yet: needs \(q.growthWaitText)"
            }
            let growth = q.growthPerHour.map { "\(NumberText.fixed($0, decimals: 0))/h" } ?? "unknown"
            out.append("review queue: depth \(Int(q.depth)), growth \(growth), capacity \(NumberText.fixed(q.capacityPerHour ?? 0, decimals: 0))/h — \(forecast)")
        }
        return out.joined(separator: "\n")
    }

    /// A p- or q-value: four decimals, or `<0.0001`.
    static func p(_ value: Double) -> String {
        value.isNaN ? "n/a" : (value < 0.0001 ? "<0.0001" : NumberText.compact(value, digits: 4))
    }

    static func pt(_ fraction: Double) -> String {
        (fraction > 0 ? "+" : "") + NumberText.fixed(fraction * 100, decimals: 2) + "pt"
    }
}
