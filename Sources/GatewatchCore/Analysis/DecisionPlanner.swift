/// Plans the fixed-horizon decision of an A/B stage (its primary metrics' sample sizes and the time left to them),
/// and how long the traffic in a stage takes to bring a count to a target.
public enum DecisionPlanner {
    /// One `PlannedSample` per primary metric (`Release.primaryMetrics`) when the stage is an A/B stage, else none.
    /// The size is statsmodels' one-tail normal approximation for the pooled test (`SampleSize`), planned from the
    /// champion's rate from the release's start to the stage's (so the plan, and with it the horizon, stays put while
    /// the stage runs; so far, when the champion had no data before the stage) for an effect of the minimum
    /// detectable size in the metric's bad direction (the other direction when that one leaves [0, 1]), at the
    /// stage's planned split, and multiplied by the design effect. The time left is the larger of the two arms'
    /// shortfall over their rate in the last hour. Once both arms have their samples, the fixed-horizon test reads
    /// the data through the moment they first had them (`horizon`), and only that.
    public static func plan(release: Release, stage: Stage, metrics: DerivedMetrics, startedAt: Timestamp,
                            stageEnteredAt: Timestamp, asOf: Timestamp) -> [PlannedSample] {
        guard stage.kind == .ab else { return [] }
        let primary = release.primaryMetrics
        guard !primary.isEmpty else { return [] }
        let champion = ArmCounts(metrics, arm: .champion, segment: nil, from: startedAt, to: asOf)
        let challenger = ArmCounts(metrics, arm: .challenger, segment: nil, from: startedAt, to: asOf)
        let window = min(PlannedSample.rateWindow, asOf - max(stageEnteredAt, startedAt))
        let earlier: (ArmCounts, ArmCounts)? = window >= PlannedSample.minimumRateWindow
            ? (ArmCounts(metrics, arm: .champion, segment: nil, from: startedAt, to: asOf - window, includeScores: primary.contains(.meanScore)),
               ArmCounts(metrics, arm: .challenger, segment: nil, from: startedAt, to: asOf - window, includeScores: primary.contains(.meanScore)))
            : nil
        let planStart = max(stageEnteredAt, startedAt)
        let beforeStage: ArmCounts? = planStart > startedAt
            ? ArmCounts(metrics, arm: .champion, segment: nil, from: startedAt, to: planStart, includeScores: primary.contains(.meanScore)) : nil
        let shareB = stage.servedShare(.challenger), shareA = stage.servedShare(.champion)
        let deff = release.effectiveDesignEffect
        return primary.map { metric in
            let effect = release.minimumDetectableEffects[metric] ?? 0
            var plan = PlannedSample(metric: metric, minimumDetectableEffect: effect, power: release.power, alpha: release.alpha,
                                     champion: count(champion, metric) ?? 0, challenger: count(challenger, metric) ?? 0)
            if let (a, b) = earlier {
                plan.championPerHour = max(0, plan.champion - (count(a, metric) ?? 0)) * 3600 / Double(window)
                plan.challengerPerHour = max(0, plan.challenger - (count(b, metric) ?? 0)) * 3600 / Double(window)
            }
            guard shareA > 0, shareB > 0 else {
                plan.unknownReason = "the stage does not split traffic"
                return plan
            }
            let ratio = shareA / shareB
            let worse = metric.higherIsBetter ? -effect : effect
            var n1: Double?
            if metric.isProportion {
                let planned = beforeStage?.proportion(metric).flatMap { $0.total > 0 ? $0 : nil }
                guard let p = planned ?? champion.proportion(metric), p.total > 0 else {
                    plan.unknownReason = "the champion has no \(metric.rawValue) data to plan from yet"
                    return plan
                }
                let p2 = min(max(p.successes / p.total, 0), 1)
                plan.baseline = p2
                n1 = SampleSize.twoProportions(diff: worse, baseline: p2, power: release.power, ratio: ratio, alpha: release.alpha)
                    ?? SampleSize.twoProportions(diff: -worse, baseline: p2, power: release.power, ratio: ratio, alpha: release.alpha)
            } else {
                let planned = beforeStage?.scoreMoments().flatMap { $0.n > 1 ? $0 : nil }
                guard let m = planned ?? champion.scoreMoments(), m.n > 1 else {
                    plan.unknownReason = "the champion has no scores to plan from yet"
                    return plan
                }
                plan.baseline = m.mean
                n1 = SampleSize.twoMeans(diff: worse, sd: m.sd, power: release.power, ratio: ratio, alpha: release.alpha)
            }
            guard let n1 else {
                plan.unknownReason = "no sample size for an effect of \(NumberText.compact(effect)) at this baseline"
                return plan
            }
            plan.neededChallenger = n1 * deff
            plan.neededChampion = n1 * ratio * deff
            if plan.reached {
                plan.secondsLeft = 0
                decide(&plan, release: release, metrics: metrics, startedAt: startedAt, from: planStart, to: asOf)
                return plan
            }
            guard let rateA = plan.championPerHour, let rateB = plan.challengerPerHour else {
                plan.unknownReason = "measuring the stage's traffic (\(DurationText.format(PlannedSample.minimumRateWindow)) needed)"
                return plan
            }
            let waits = [wait(have: plan.champion, need: plan.neededChampion!, perHour: rateA),
                         wait(have: plan.challenger, need: plan.neededChallenger!, perHour: rateB)]
            if waits.contains(where: { $0 == nil }) {
                plan.unknownReason = "no \(metric.rawValue) samples in the last \(DurationText.format(window))"
                return plan
            }
            plan.secondsLeft = waits.map { $0! }.max()
            return plan
        }
    }

    /// One `GuardrailWait` per guardrail on a rate and row (the overall row first, then the segments), from the
    /// rows' always-valid intervals and each row's traffic over the stage's last hour (`GuardrailWait.seconds`, at
    /// the level and τ the comparator used). The wait assumes a fresh interval at the end; the real one is the
    /// intersection over the looks and can only be narrower, so the wait is at most what it says.
    public static func guardrailWaits(release: Release, overall: SegmentComparison?, segments: [SegmentComparison], metrics: DerivedMetrics,
                                      startedAt: Timestamp, stageEnteredAt: Timestamp, asOf: Timestamp) -> [GuardrailWait] {
        let guarded = release.guardrails.filter { $0.metric.isProportion }
        guard !guarded.isEmpty, let overall else { return [] }
        let window = min(PlannedSample.rateWindow, asOf - max(stageEnteredAt, startedAt))
        let alpha = SegmentComparator.alpha / Double(SegmentComparator.tests(segments: segments.count))
        let deff = release.effectiveDesignEffect
        var waits: [GuardrailWait] = []
        for row in [overall] + segments {
            let slot = metrics.data.slot(row.segment)
            for guardrail in guarded {
                var wait = GuardrailWait(segment: row.segment, metric: guardrail.metric, limit: guardrail.limit, decided: false)
                guard let c = row.metrics[guardrail.metric] else {
                    wait.unknownReason = "no \(guardrail.metric.rawValue) data on both arms yet"
                    waits.append(wait)
                    continue
                }
                if let s = c.sequential, guardrail.position(low: s.ciLow, high: s.ciHigh) != .straddles {
                    wait.decided = true
                    wait.secondsLeft = 0
                }
                guard window >= PlannedSample.minimumRateWindow else {
                    wait.unknownReason = "measuring the stage's traffic (\(DurationText.format(PlannedSample.minimumRateWindow)) needed)"
                    waits.append(wait)
                    continue
                }
                // Only the metric's denominator an hour ago (one query per arm, not every count of the arm).
                let before = { (arm: Arm) in denominator(guardrail.metric, metrics, arm: arm, slot: slot, from: startedAt, to: asOf - window) ?? 0 }
                let hours = Double(window) / 3600
                let champion = (rate: c.estimate.champion, n: c.championCount, perHour: max(0, c.championCount - before(.champion)) / hours)
                let challenger = (rate: c.estimate.challenger, n: c.challengerCount, perHour: max(0, c.challengerCount - before(.challenger)) / hours)
                let tau = release.tau(for: guardrail.metric).tau
                wait.ruleOutSeconds = GuardrailWait.seconds(margin: guardrail.maxWorsening, tau: tau, alpha: alpha, champion: champion,
                                                            challenger: (champion.rate, challenger.n, challenger.perHour), designEffect: deff)
                if !wait.decided {
                    let margin = abs(c.estimate.delta - guardrail.limit)
                    wait.secondsLeft = GuardrailWait.seconds(margin: margin, tau: tau, alpha: alpha, champion: champion, challenger: challenger,
                                                             designEffect: deff)
                    if wait.secondsLeft == nil {
                        wait.unknownReason = margin == 0 ? "the estimate is on the limit"
                            : champion.perHour <= 0 || challenger.perHour <= 0 ? "no \(guardrail.metric.rawValue) samples in the last \(DurationText.format(window))"
                            : "more than a year at current traffic"
                    }
                }
                waits.append(wait)
            }
        }
        return waits
    }

    /// The planned decision of a plan whose samples are in: the horizon is the first whole minute in `from...to` (or
    /// `from` itself) at which both arms' counts since `startedAt` reach the plan (counts only grow, so it is found
    /// by bisection, and it does not move once passed); the fixed-horizon test of the overall delta reads the data through it, two-sided at
    /// the release's α.
    static func decide(_ plan: inout PlannedSample, release: Release, metrics: DerivedMetrics, startedAt: Timestamp, from: Timestamp, to: Timestamp) {
        guard let needA = plan.neededChampion, let needB = plan.neededChallenger else { return }
        let metric = plan.metric
        let slot = metrics.data.slot(nil)
        func counts(_ arm: Arm, through t: Timestamp) -> ArmCounts {
            ArmCounts(metrics, arm: arm, segment: nil, from: startedAt, to: t, includeScores: metric == .meanScore)
        }
        func have(_ arm: Arm, through t: Timestamp) -> Double {
            if metric.isProportion { return denominator(metric, metrics, arm: arm, slot: slot, from: startedAt, to: t) ?? 0 }
            return count(counts(arm, through: t), metric) ?? 0
        }
        func reached(_ t: Timestamp) -> Bool { have(.champion, through: t) >= needA && have(.challenger, through: t) >= needB }
        // Candidates: the stage's start, every whole minute after it (the rules' step: between samples a count is
        // only an extrapolation), and now.
        let firstMinute = from % 60 == 0 ? from / 60 + 1 : (from + 59) / 60, lastMinute = to / 60
        let minutes = max(0, lastMinute - firstMinute + 1)
        func candidate(_ i: Int64) -> Timestamp { i == 0 ? from : i <= minutes ? (firstMinute + i - 1) * 60 : to }
        var horizon = to
        if reached(from) {
            horizon = from
        } else {
            var lo: Int64 = 0, hi = minutes + 1
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2
                if reached(candidate(mid)) { hi = mid } else { lo = mid }
            }
            horizon = candidate(hi)
        }
        plan.horizonTime = horizon
        guard let fixed = SegmentComparator.fixedHorizon(metric, champion: counts(.champion, through: horizon),
                                                         challenger: counts(.challenger, through: horizon),
                                                         designEffect: release.effectiveDesignEffect) else { return }
        plan.horizon = fixed.estimate
        let worse = metric.higherIsBetter ? fixed.estimate.delta < 0 : fixed.estimate.delta > 0
        plan.verdict = fixed.estimate.pValue < release.alpha ? (worse ? .worse : .better) : .noDifference
    }

    /// Seconds until `have` reaches `need` at `perHour` (0 when it has; nil when it never will), at most
    /// `PlannedSample.longestWait`.
    public static func wait(have: Double, need: Double, perHour: Double) -> Int64? {
        guard need.isFinite, have.isFinite else { return nil }
        if have >= need { return 0 }
        guard perHour > 0, perHour.isFinite else { return nil }
        let seconds = ((need - have) / perHour * 3600).rounded(.up)
        return seconds >= Double(PlannedSample.longestWait) ? PlannedSample.longestWait : Int64(seconds)
    }

    /// The denominator of a rate metric (its samples) of one arm and segment slot over a range: what
    /// `ArmCounts.proportion(metric)?.total` gives, from only the series it needs.
    static func denominator(_ metric: QualityMetric, _ metrics: DerivedMetrics, arm: Arm, slot: SegmentSlot, from start: Timestamp,
                            to end: Timestamp) -> Double? {
        var counts = ArmCounts()
        switch metric {
        case .precision, .recall, .falsePositiveRate:
            counts.outcomes = metrics.outcomes(arm, slot: slot, from: start, to: end)
        case .errorRate, .blockRate, .reviewRate:
            // Summed in the actions' order, as ArmCounts sums them.
            counts.decisions = metrics.data.decisionCounts(arm, slot: slot, from: start, to: end).reduce(0) { $0 + $1.1 }
        case .meanScore:
            return nil
        }
        return counts.proportion(metric)?.total
    }

    /// The metric's denominator in the counts (its samples).
    static func count(_ counts: ArmCounts, _ metric: QualityMetric) -> Double? {
        metric.isProportion ? counts.proportion(metric)?.total : counts.scoreMoments()?.n
    }
}
