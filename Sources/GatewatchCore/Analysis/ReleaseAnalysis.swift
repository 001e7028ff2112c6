/// Everything the screens and actions need to know about one release at one time.
public struct ReleaseAnalysis: Sendable {
    public var release: Release
    public var state: RolloutState
    public var asOf: Timestamp
    public var rules: [RuleEvaluation]
    public var gates: [GateVerdict]
    /// Decisions per arm in the current stage (served, or scored in shadow).
    public var stageDecisions: [Arm: Double]
    /// Decisions per hour of each arm over the stage's last hour (or all of it when it is younger); empty before the
    /// stage has run `PlannedSample.minimumRateWindow`.
    public var stageDecisionsPerHour: [Arm: Double] = [:]
    /// The planned fixed-horizon decision of an A/B stage, per primary metric (empty in other stages).
    public var plannedSamples: [PlannedSample] = []
    /// What Alertmanager holds for the release, when one is configured (filled in by the poller, not the analysis).
    public var heldAlerts: HeldAlerts?
    /// How long each guarded rate's always-valid interval needs to rule its guardrail in or out, per row.
    public var guardrailWaits: [GuardrailWait] = []
    /// Share of served decisions that went to the challenger in the current stage.
    public var observedChallengerShare: Double?
    /// Label maturity of the challenger in the current stage.
    public var labelMaturity: Double?
    public var queue: QueueForecast?
    /// Challenger vs champion overall, since the release started.
    public var overall: SegmentComparison?
    /// The same per segment, with BH q-values across segments.
    public var segments: [SegmentComparison] = []
    /// Sample-ratio test of the current stage (canary and A/B stages only).
    public var sampleRatio: SampleRatio.Result?
    /// Coarse expected calibration error per arm (see `ArmCounts.coarseCalibrationError`).
    public var calibrationError: [Arm: Double] = [:]
    /// The audit events of the release up to the as-of time, oldest first.
    public var events: [AuditEvent] = []
    /// Set when the metrics are stale (a stream stopped, or a poll failed): the earliest time a rule is held at
    /// (`Freshness.earliestHold`). Each rule is held where the data it reads ends, so a source that is down or stopped
    /// never reads as "no data" and no rule turns `ok` for lack of it; promotion is held by the `metrics_fresh` gate;
    /// rollback is never held.
    public var metricsThrough: Timestamp?
    /// The freshness judgement of this analysis (nil only for analyses made without one).
    public var freshness: Freshness?

    /// Seconds the metrics lag behind the as-of time (0 when they are current).
    public var metricsLag: Int64 { metricsThrough.map { max(0, asOf - $0) } ?? 0 }

    /// The event that put the release in its current state (the last promotion, rollback, pause or resume).
    public var lastDecision: AuditEvent? {
        events.last { [.promote, .rollback, .pause, .resume, .start, .override].contains($0.kind) }
    }

    public var stage: Stage { release.stages[min(max(state.stageIndex, 0), release.stages.count - 1)] }
    public var nextStage: Stage? {
        state.stageIndex + 1 < release.stages.count ? release.stages[state.stageIndex + 1] : nil
    }
    /// Seconds spent in the current stage.
    public var timeInStage: Int64 { max(0, asOf - state.stageEnteredAt) }

    /// The worst state among rules that are not dry runs.
    public var worstRuleStatus: RuleStatus {
        rules.filter { !$0.rule.dryRun }.map(\.status).max() ?? .ok
    }

    /// Whether every gate passes.
    public var promotable: Bool { nextStage != nil && gates.allSatisfy(\.passed) }

    /// The first gate that holds promotion, if any.
    public var holdingGate: GateVerdict? { gates.first { !$0.passed } }

    /// Rules with rollback severity that are firing (and not dry runs); none once the release is rolled back.
    public var firingRollbackRules: [RuleEvaluation] {
        guard state.status != .rolledBack else { return [] }
        return rules.filter { !$0.rule.dryRun && $0.rule.severity == .rollback && $0.status == .firing }
    }
}

/// Review queue figures at the as-of time.
public struct QueueForecast: Sendable, Hashable, Codable {
    public var depth: Double
    public var growthPerHour: Double?
    public var capacityPerHour: Double?
    public var limit: Double?
    /// Hours until the queue passes its limit; infinity when draining.
    public var hoursToOverflow: Double?
    /// Depth at one-minute steps over the last two hours (oldest first), for the sparkline.
    public var recentDepth: [Double] = []
    /// How much of the growth window (`growthWindowSeconds`) the depth samples span; the growth is nil until they span it.
    public var growthSpanSeconds: Int64 = 0
    public var growthWindowSeconds: Int64 = 3600

    /// True when the fitted growth is at most 0; nil before there is a fit.
    public var draining: Bool? { growthPerHour.map { $0 <= 0 } }

    /// What the growth fit still waits for: "1h of depth (23m so far)".
    public var growthWaitText: String {
        "\(DurationText.format(growthWindowSeconds)) of depth (\(DurationText.format(growthSpanSeconds)) so far)"
    }
}
