/// Turns release data into a `ReleaseAnalysis` at an as-of time. A pure function of its inputs, so the same code
/// serves the live screen (as-of = now), `check` and the review (as-of = a past event).
public struct ReleaseAnalyzer: Sendable {
    public var evaluator: RuleEvaluator
    /// Segment comparisons (their always-valid results feed the screen's marks and the guardrails gate).
    public var comparator: SegmentComparator
    /// When data counts as stale, and how far ahead of the clock a sample may be (see `Freshness`).
    public var freshness: FreshnessPolicy

    public init(evaluator: RuleEvaluator = RuleEvaluator(), comparator: SegmentComparator = SegmentComparator(),
                freshness: FreshnessPolicy? = nil) {
        self.evaluator = evaluator
        self.comparator = comparator
        self.freshness = freshness ?? .standard(evaluationInterval: evaluator.interval)
    }

    /// The oldest time an analysis as of `asOf` (or later) reads windows from, apart from the release start, the stage
    /// entry and the looks of the sequential test: the rules' look-back plus their longest window, plus an hour for
    /// the queue forecast and late samples. Samples before it can be thinned (`MetricSeriesSet.thin`).
    public func oldestTimeNeeded(release: Release, asOf: Timestamp) -> Timestamp {
        let window = release.rules.map(\.windowSeconds).max() ?? 0
        return asOf - evaluator.maximumLookback - window - 3600
    }

    /// `previousRules` (the rules of an earlier analysis of the same release and data, at an earlier as-of time)
    /// lets evaluation resume instead of starting over; the result is the same.
    /// `asOf` is the clock's time (never the data's). `metricsThrough`, when the last poll of the metrics failed
    /// (`pollError` says why), is the time the data is complete through; `refusedFuture` reports samples a source
    /// left out for being dated ahead of the clock. Freshness is judged from these and the data (see `Freshness`):
    /// each rule is evaluated no later than the end of the stale data it reads, so a source that stopped or is down
    /// never reads as "no data" and no rule turns `ok` for lack of it.
    public func analyze(release: Release, state: RolloutState, metrics data: MetricSeriesSet, asOf: Timestamp,
                        approvals: [AuditEvent] = [], previousRules: [RuleEvaluation]? = nil,
                        metricsThrough: Timestamp? = nil, pollError: String? = nil,
                        refusedFuture: FutureSamples? = nil) -> ReleaseAnalysis {
        let freshness = Freshness.judge(data, release: release, state: state, now: asOf, policy: self.freshness,
                                        pollFailure: metricsThrough.map {
                                            Freshness.PollFailure(through: $0, reason: pollError ?? "the metrics source did not answer")
                                        }, refusedFuture: refusedFuture)
        let metrics = DerivedMetrics(data)
        let segments = release.segments.isEmpty ? data.segments : release.segments.map(\.key)
        var earlier: [String: RuleEvaluation] = [:]
        for e in previousRules ?? [] { earlier[e.rule.name + "\u{0}" + (e.segment ?? "")] = e }
        var rules: [RuleEvaluation] = []
        for rule in release.rules {
            let held = freshness.heldAt(reading: FreshnessStream.read(by: rule))
            let ruleAsOf = held ?? asOf
            let scopes: [String?] = rule.scope == .eachSegment ? segments.map { Optional($0) } : [nil]
            for segment in scopes {
                let previous = earlier[rule.name + "\u{0}" + (segment ?? "")].flatMap {
                    $0.rule == rule && ($0.evaluatedAt ?? .min) <= ruleAsOf ? $0 : nil
                }
                var e = evaluator.evaluate(rule, segment: segment, metrics: metrics, origin: state.startedAt,
                                           asOf: ruleAsOf, queueLimit: release.reviewQueueLimit, resumingFrom: previous)
                e.heldAt = held
                rules.append(e)
            }
        }

        let stageStart = state.stageEnteredAt
        var stageDecisions: [Arm: Double] = [:]
        for arm in Arm.allCases {
            stageDecisions[arm] = metrics.decisions(arm, segment: nil, from: stageStart, to: asOf) ?? 0
        }
        var stageRates: [Arm: Double] = [:]
        let rateWindow = min(PlannedSample.rateWindow, asOf - stageStart)
        if rateWindow >= PlannedSample.minimumRateWindow {
            for arm in Arm.allCases {
                stageRates[arm] = (metrics.decisions(arm, segment: nil, from: asOf - rateWindow, to: asOf) ?? 0) * 3600 / Double(rateWindow)
            }
        }
        let total = stageDecisions.values.reduce(0, +)
        let stage = release.stages[min(max(state.stageIndex, 0), release.stages.count - 1)]
        let observedShare: Double? = (total > 0 && !stage.challengerShadows) ? stageDecisions[.challenger]! / total : nil
        let maturity = metrics.labelMaturity(.challenger, segment: nil, from: stageStart, to: asOf)

        var queue: QueueForecast? = nil
        if let depth = metrics.queueDepth(at: asOf) {
            let growth = metrics.queueGrowth(at: asOf)
            var hours: Double? = nil
            if let limit = release.reviewQueueLimit {
                hours = metrics.hoursToOverflow(at: asOf, limit: limit)
            }
            queue = QueueForecast(depth: depth, growthPerHour: growth.perHour, capacityPerHour: metrics.queueCapacity(at: asOf),
                                  limit: release.reviewQueueLimit, hoursToOverflow: hours,
                                  recentDepth: stride(from: asOf - 7200, through: asOf, by: 60).compactMap { metrics.queueDepth(at: $0) },
                                  growthSpanSeconds: growth.spanSeconds, growthWindowSeconds: growth.windowSeconds)
        }

        var analysis = ReleaseAnalysis(release: release, state: state, asOf: asOf, rules: rules, gates: [],
                                       stageDecisions: stageDecisions, observedChallengerShare: observedShare,
                                       labelMaturity: maturity, queue: queue)
        analysis.stageDecisionsPerHour = stageRates
        analysis.plannedSamples = DecisionPlanner.plan(release: release, stage: stage, metrics: metrics, startedAt: state.startedAt,
                                                       stageEnteredAt: stageStart, asOf: asOf)
        let comparison = comparator.compare(metrics: metrics, segments: segments, from: state.startedAt, to: asOf,
                                            designEffect: release.effectiveDesignEffect, tau: release.tau(for:))
        analysis.overall = comparison.overall
        analysis.segments = comparison.segments
        analysis.sampleRatio = SampleRatio.test(analysis)
        // What the screens and `check` show (a controller deciding every step skips it with the looks).
        if comparator.sequential {
            analysis.guardrailWaits = DecisionPlanner.guardrailWaits(release: release, overall: comparison.overall, segments: comparison.segments,
                                                                     metrics: metrics, startedAt: state.startedAt, stageEnteredAt: stageStart, asOf: asOf)
        }
        for arm in Arm.allCases {
            let counts = ArmCounts(metrics, arm: arm, segment: nil, from: state.startedAt, to: asOf)
            analysis.calibrationError[arm] = counts.coarseCalibrationError(blockThreshold: release.thresholds.block)
        }
        analysis.events = approvals.filter { $0.time <= asOf }
        analysis.freshness = freshness
        analysis.metricsThrough = freshness.earliestHold
        analysis.gates = GateEvaluator().verdicts(for: analysis, approvals: approvals)
        return analysis
    }
}
