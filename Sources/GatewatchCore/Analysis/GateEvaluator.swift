/// Decides the gates for promotion out of the current stage, each with a reason a person can act on.
public struct GateEvaluator: Sendable {
    public init() {}

    public func verdicts(for a: ReleaseAnalysis, approvals: [AuditEvent]) -> [GateVerdict] {
        // At the last stage there is nothing to promote to, so no gate applies.
        guard a.nextStage != nil, a.state.status != .rolledBack else { return [] }
        var result: [GateVerdict] = []
        let policy = a.release.gates
        let stage = a.stage

        let baked = a.timeInStage
        result.append(baked >= stage.bakeSeconds
            ? GateVerdict(gate: .bakeTime, outcome: .passed, reason: "baked \(DurationText.format(baked)) of \(DurationText.format(stage.bakeSeconds))")
            : GateVerdict(gate: .bakeTime, outcome: .failed, reason: "bake \(DurationText.format(baked))/\(DurationText.format(stage.bakeSeconds))",
                          etaSeconds: stage.bakeSeconds - baked))

        let minimum = Double(policy.minimumSamplesPerArm)
        let fewest = Arm.allCases.map { ($0, a.stageDecisions[$0] ?? 0) }.min { $0.1 < $1.1 }!
        if fewest.1 >= minimum {
            result.append(GateVerdict(gate: .minimumSamples, outcome: .passed, reason: "≥ \(policy.minimumSamplesPerArm) decisions per arm"))
        } else {
            // Both arms must get there: the gate waits for the slower.
            let waits = Arm.allCases.map { arm in
                a.stageDecisionsPerHour[arm].flatMap { DecisionPlanner.wait(have: a.stageDecisions[arm] ?? 0, need: minimum, perHour: $0) }
            }
            let eta = waits.contains(where: { $0 == nil }) ? nil : waits.map { $0! }.max()
            result.append(GateVerdict(gate: .minimumSamples, outcome: .failed,
                                      reason: "\(fewest.0.rawValue) has \(Int(fewest.1))/\(policy.minimumSamplesPerArm) decisions"
                                        + (eta.map { " (~\(DurationText.format($0)) at current traffic)" } ?? ""),
                                      etaSeconds: eta))
        }

        let blocking = a.rules.filter(\.blocksPromotion)
        if let first = blocking.first {
            let scope = first.segment.map { " [\($0)]" } ?? ""
            let more = blocking.count > 1 ? " (+\(blocking.count - 1) more)" : ""
            result.append(GateVerdict(gate: .noBlockingRules, outcome: .failed, reason: "\(first.rule.name)\(scope) \(first.status.rawValue)\(more)"))
        } else {
            result.append(GateVerdict(gate: .noBlockingRules, outcome: .passed, reason: "no block/rollback rule pending or firing"))
        }

        if policy.minimumLabelMaturity > 0 && stage.kind != .replay {
            if let m = a.labelMaturity {
                result.append(m >= policy.minimumLabelMaturity
                    ? GateVerdict(gate: .labelMaturity, outcome: .passed, reason: "labels \(NumberText.percent(m, decimals: 0)) mature")
                    : GateVerdict(gate: .labelMaturity, outcome: .inconclusive, reason: "labels \(NumberText.percent(m, decimals: 0))/\(NumberText.percent(policy.minimumLabelMaturity, decimals: 0)) mature"))
            } else {
                result.append(GateVerdict(gate: .labelMaturity, outcome: .inconclusive, reason: "no labels yet"))
            }
        }

        if let guardrails = guardrailVerdict(a) { result.append(guardrails) }
        if let planned = plannedSamplesVerdict(a) { result.append(planned) }

        if let srm = SampleRatio.test(a) {
            result.append(srm.pValue >= policy.srmPValue
                ? GateVerdict(gate: .sampleRatio, outcome: .passed, reason: "split matches plan (p=\(NumberText.compact(srm.pValue, digits: 3)))")
                : GateVerdict(gate: .sampleRatio, outcome: .failed, reason: "sample ratio mismatch (χ²=\(NumberText.fixed(srm.chi2, decimals: 1)), p<\(NumberText.compact(policy.srmPValue)))"))
        }

        if let f = a.freshness, !f.isCurrent {
            var reason = f.problems.joined(separator: "; ")
            if let through = a.metricsThrough { reason += " (rules held at \(TimeText.minute(through).suffix(5)))" }
            result.insert(GateVerdict(gate: .metricsFresh, outcome: .failed, reason: reason), at: 0)
        } else if let through = a.metricsThrough {
            result.insert(GateVerdict(gate: .metricsFresh, outcome: .failed,
                                      reason: "metrics stale for \(DurationText.format(a.metricsLag)) (rules held at \(TimeText.minute(through).suffix(5)))"), at: 0)
        }

        if stage.requiresApproval {
            let approved = approvals.contains { $0.kind == .promote && $0.time >= a.state.stageEnteredAt && $0.fromState == stage.name }
            result.append(approved
                ? GateVerdict(gate: .approval, outcome: .passed, reason: "approved")
                : GateVerdict(gate: .approval, outcome: .failed, reason: "needs approval by an owner"))
        }
        return result.map { explained($0, a, fewest: fewest.1, blocking: blocking.count) }
    }

    /// Adds what each gate checks, and its observed value against its threshold, so a verdict explains itself.
    func explained(_ v: GateVerdict, _ a: ReleaseAnalysis, fewest: Double, blocking: Int) -> GateVerdict {
        var v = v
        let policy = a.release.gates
        switch v.gate {
        case .bakeTime:
            v.check = "time in stage \(a.stage.name) ≥ its bake time"
            v.observed = Double(a.timeInStage); v.threshold = Double(a.stage.bakeSeconds)
        case .minimumSamples:
            v.check = "decisions of the smaller arm in this stage ≥ minimum_samples_per_arm"
            v.observed = fewest; v.threshold = Double(policy.minimumSamplesPerArm)
        case .noBlockingRules:
            v.check = "no block- or rollback-severity stop rule pending or firing (dry runs excluded)"
            v.observed = Double(blocking); v.threshold = 0
        case .labelMaturity:
            v.check = "share of this stage's decisions whose label arrived ≥ minimum_label_maturity"
            v.observed = a.labelMaturity; v.threshold = policy.minimumLabelMaturity
        case .segmentGuardrails:
            v.check = "every segment's always-valid interval (confidence sequence at 1 − α/m) of each guarded delta lies inside its guardrail (straddling: inconclusive)"
        case .sampleRatio:
            v.check = "χ² p-value of the served split against the plan ≥ srm_p_value"
            v.observed = SampleRatio.test(a)?.pValue; v.threshold = policy.srmPValue
        case .metricsFresh:
            v.check = "every stream's newest sample is at most staleAfter old, the last poll answered, and no sample is dated ahead of the clock"
            v.observed = Double(a.freshness?.age ?? a.metricsLag); v.threshold = a.freshness.map { Double($0.policy.staleAfter) } ?? 0
        case .approval:
            v.check = "an owner promotes out of this stage (the promotion is the approval)"
        case .plannedSamples:
            v.check = "each primary metric's arms have the samples its fixed-horizon test needs to detect the minimum detectable effect at power \(NumberText.percent(a.release.power, decimals: 0)) and α \(NumberText.compact(a.release.alpha)) (smallest share of the planned samples); then that test, read once on the data through the moment the samples were in, must not find the challenger worse"
            let shares = a.plannedSamples.compactMap { p -> Double? in
                guard let na = p.neededChampion, let nb = p.neededChallenger, na > 0, nb > 0 else { return nil }
                return min(p.champion / na, p.challenger / nb)
            }
            v.observed = shares.min(); v.threshold = 1
        }
        return v
    }
}

extension GateEvaluator {
    /// The planned-samples gate of an A/B stage: failed until every primary metric has its planned samples, with
    /// the time left at the current traffic (the longest of the metrics'; none when one cannot be told).
    func plannedSamplesVerdict(_ a: ReleaseAnalysis) -> GateVerdict? {
        guard !a.plannedSamples.isEmpty else { return nil }
        let short = a.plannedSamples.filter { !$0.reached }
        if short.isEmpty {
            // Decided once, at the horizon: a primary metric significantly worse there fails the stage.
            if let worse = a.plannedSamples.first(where: { $0.verdict == .worse }) {
                let more = a.plannedSamples.filter { $0.verdict == .worse }.count - 1
                return GateVerdict(gate: .plannedSamples, outcome: .failed,
                                   reason: "\(worse.metric.rawValue) \(worse.horizonText ?? "worse")" + (more > 0 ? " (+\(more) more)" : ""))
            }
            if let undecided = a.plannedSamples.first(where: { $0.verdict == nil }) {
                return GateVerdict(gate: .plannedSamples, outcome: .inconclusive,
                                   reason: "\(undecided.metric.rawValue): planned samples in, but no test at the horizon (an arm has no data)")
            }
            let first = a.plannedSamples[0]
            let more = a.plannedSamples.count > 1 ? " (+\(a.plannedSamples.count - 1) more, none worse)" : ""
            return GateVerdict(gate: .plannedSamples, outcome: .passed,
                               reason: "\(first.metric.rawValue) \(first.horizonText ?? "decided")" + more)
        }
        let eta = short.contains(where: { $0.secondsLeft == nil }) ? nil : short.map { $0.secondsLeft! }.max()
        let slowest = short.max { ($0.secondsLeft ?? .max) < ($1.secondsLeft ?? .max) }!
        var reason = "\(slowest.metric.rawValue) " + slowest.samplesText + ": " + slowest.etaText
        if short.count > 1 { reason += " (+\(short.count - 1) more)" }
        return GateVerdict(gate: .plannedSamples, outcome: .failed, reason: reason, etaSeconds: eta)
    }

    /// The segment-guardrails gate, on always-valid intervals (each delta's confidence sequence at 1 − α/m, the
    /// level the screen marks with): failed when a row's interval lies wholly past a guardrail, inconclusive when it
    /// straddles the guardrail, the row has too few samples or no interval yet, passed otherwise. Reading the
    /// interval at every poll keeps its coverage, so a gate that passes is not one look's luck. An inconclusive
    /// gate's ETA is the longest wait of its undecided guardrails at the current traffic (`ReleaseAnalysis.guardrailWaits`);
    /// none when one of them cannot be told.
    func guardrailVerdict(_ a: ReleaseAnalysis) -> GateVerdict? {
        guard !a.release.guardrails.isEmpty, a.overall != nil else { return nil }
        let minimum = Double(a.release.gates.minimumSamplesPerSegment)
        var breaches: [String] = []
        // What keeps the gate open, each with its wait (nil: cannot be told).
        var unsure: [(text: String, wait: Int64?)] = []
        func pt(_ x: Double) -> String { NumberText.fixed(x * 100, decimals: 2) }
        for row in [a.overall!] + a.segments {
            let name = row.segment ?? "overall"
            for guardrail in a.release.guardrails {
                guard let c = row.metrics[guardrail.metric] else {
                    unsure.append(("\(name): no \(guardrail.metric.rawValue) data", nil))
                    continue
                }
                let fewest = min(c.championCount, c.challengerCount)
                if fewest < minimum {
                    unsure.append(("\(name): \(Int(fewest))/\(Int(minimum)) samples for \(guardrail.metric.rawValue)", nil))
                    continue
                }
                guard let s = c.sequential, let position = c.guardrailPosition(guardrail, minimumSamples: minimum) else {
                    unsure.append(("\(name): no always-valid interval for \(guardrail.metric.rawValue) yet", nil))
                    continue
                }
                let text = "\(name) \(guardrail.metric.rawValue) \(pt(c.estimate.delta))pt [\(pt(s.ciLow)), \(pt(s.ciHigh))] vs limit \(pt(guardrail.limit))pt"
                switch position {
                case .inside: break
                case .past: breaches.append(text)
                case .straddles:
                    let w = a.guardrailWaits.first { $0.segment == row.segment && $0.metric == guardrail.metric }
                    let when = w?.secondsLeft.map { "decidable in ~\(DurationText.format($0)) at current traffic" }
                        ?? w?.unknownReason.map { "wait unknown: \($0)" }
                    unsure.append((text + " (interval straddles the limit" + (when.map { "; " + $0 } ?? "") + ")", w?.secondsLeft))
                }
            }
        }
        if let first = breaches.first {
            return GateVerdict(gate: .segmentGuardrails, outcome: .failed, reason: first + (breaches.count > 1 ? " (+\(breaches.count - 1) more)" : ""))
        }
        guard !unsure.isEmpty else {
            return GateVerdict(gate: .segmentGuardrails, outcome: .passed, reason: "every segment within its guardrails")
        }
        // The reason names what the gate waits for longest (one that cannot be told first), the ETA is that wait.
        let eta = unsure.contains(where: { $0.wait == nil }) ? nil : unsure.map { $0.wait! }.max()
        let slowest = unsure.first { $0.wait == eta }!
        return GateVerdict(gate: .segmentGuardrails, outcome: .inconclusive,
                           reason: slowest.text + (unsure.count > 1 ? " (+\(unsure.count - 1) more)" : ""), etaSeconds: eta)
    }
}

/// Sample-ratio-mismatch test: χ² goodness of fit of served decisions per arm against the stage's planned split.
public enum SampleRatio {
    public struct Result: Sendable, Hashable, Codable {
        public var chi2: Double
        public var pValue: Double
    }

    /// χ² against expected shares (df = arms − 1). Nil when there is nothing to test.
    public static func chiSquared(observed: [Double], expectedShares: [Double]) -> Result? {
        let total = observed.reduce(0, +)
        guard total > 0, observed.count == expectedShares.count, observed.count >= 2 else { return nil }
        var chi2 = 0.0
        for (o, share) in zip(observed, expectedShares) {
            let e = total * share
            guard e > 0 else { return nil }
            chi2 += (o - e) * (o - e) / e
        }
        return Result(chi2: chi2, pValue: Distributions.chiSquaredSurvival(chi2, degreesOfFreedom: observed.count - 1))
    }

    /// The test for the current stage of an analysis (only stages that split served traffic).
    public static func test(_ a: ReleaseAnalysis) -> Result? {
        guard a.stage.kind == .canary || a.stage.kind == .ab else { return nil }
        let shares = [a.stage.servedShare(.champion), a.stage.servedShare(.challenger)]
        return chiSquared(observed: [a.stageDecisions[.champion] ?? 0, a.stageDecisions[.challenger] ?? 0], expectedShares: shares)
    }
}
