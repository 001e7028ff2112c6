import Foundation
import GatewatchCore

/// The JSON document of `gatewatch check --format json`. Field names are a documented public contract
/// (README "gatewatch check"); numbers that are not finite are written as null.
public struct CheckReport: Encodable, Sendable {
    public struct RuleEntry: Encodable, Sendable {
        var name: String
        var severity: String
        var scope: String
        var segment: String?
        var state: String
        var since: String?
        var value: Double?
        var threshold: Double
        var op: String
        var expr: String
        var window: String
        var forDuration: String
        var dryRun: Bool
        var wouldBlock: Bool
        var summary: String?
        var history: [Transition]
        var heldAt: String?

        /// One change of state, with the value that caused it.
        struct Transition: Encodable, Sendable {
            var time: String
            var from: String
            var to: String
            var value: Double?

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(time, forKey: .time)
                try c.encode(from, forKey: .from)
                try c.encode(to, forKey: .to)
                try c.encode(value, forKey: .value)
            }
            enum CodingKeys: String, CodingKey { case time, from, to, value }
        }

        enum CodingKeys: String, CodingKey {
            case name, severity, scope, segment, state, since, value, threshold, op, expr, window, summary, history
            case forDuration = "for"
            case dryRun = "dry_run"
            case wouldBlock = "would_block"
            case heldAt = "held_at"
        }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(severity, forKey: .severity)
            try c.encode(scope, forKey: .scope)
            try c.encode(segment, forKey: .segment)
            try c.encode(state, forKey: .state)
            try c.encode(since, forKey: .since)
            try c.encode(value, forKey: .value)
            try c.encode(threshold, forKey: .threshold)
            try c.encode(op, forKey: .op)
            try c.encode(expr, forKey: .expr)
            try c.encode(window, forKey: .window)
            try c.encode(forDuration, forKey: .forDuration)
            try c.encode(dryRun, forKey: .dryRun)
            try c.encode(wouldBlock, forKey: .wouldBlock)
            try c.encode(summary, forKey: .summary)
            try c.encode(history, forKey: .history)
            try c.encode(heldAt, forKey: .heldAt)
        }
    }

    public struct GateEntry: Encodable, Sendable {
        var name: String
        var passed: Bool
        var outcome: String
        var reason: String
        var check: String?
        var observed: Double?
        var threshold: Double?
        var etaSeconds: Int64?

        /// Every key is written; a missing value is `null`.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(passed, forKey: .passed)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(reason, forKey: .reason)
            try c.encode(check, forKey: .check)
            try c.encode(observed, forKey: .observed)
            try c.encode(threshold, forKey: .threshold)
            try c.encode(etaSeconds, forKey: .etaSeconds)
        }
        enum CodingKeys: String, CodingKey { case name, passed, outcome, reason, check, observed, threshold; case etaSeconds = "eta_seconds" }
    }

    /// How long one guarded rate's always-valid interval needs to rule its guardrail in or out (`GuardrailWait`).
    public struct GuardrailWaitEntry: Encodable, Sendable {
        var segment: String
        var metric: String
        var limit: Double
        var decided: Bool
        var secondsLeft: Int64?
        var ruleOutSeconds: Int64?
        var unknownReason: String?
        enum CodingKeys: String, CodingKey {
            case segment, metric, limit, decided
            case secondsLeft = "seconds_left", ruleOutSeconds = "rule_out_seconds", unknownReason = "unknown_reason"
        }

        init(_ w: GuardrailWait) {
            segment = w.segment ?? "overall"; metric = w.metric.rawValue; limit = w.limit; decided = w.decided
            secondsLeft = w.secondsLeft; ruleOutSeconds = w.ruleOutSeconds; unknownReason = w.unknownReason
        }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(segment, forKey: .segment)
            try c.encode(metric, forKey: .metric)
            try c.encode(limit, forKey: .limit)
            try c.encode(decided, forKey: .decided)
            try c.encode(secondsLeft, forKey: .secondsLeft)
            try c.encode(ruleOutSeconds, forKey: .ruleOutSeconds)
            try c.encode(unknownReason, forKey: .unknownReason)
        }
    }

    /// The planned fixed-horizon decision of one primary metric of an A/B stage (`PlannedSample`).
    public struct PlannedSampleEntry: Encodable, Sendable {
        var metric: String
        var minimumDetectableEffect: Double
        var power: Double
        var alpha: Double
        var baseline: Double?
        var neededChampion: Double?
        var neededChallenger: Double?
        var championN: Double
        var challengerN: Double
        var championPerHour: Double?
        var challengerPerHour: Double?
        var secondsLeft: Int64?
        var reached: Bool
        var eta: String
        var unknownReason: String?
        var horizon: HorizonEntry?

        /// The fixed-horizon test at the planned samples, read once there.
        struct HorizonEntry: Encodable, Sendable {
            var time: String
            var delta: Double?
            var ciLow: Double?
            var ciHigh: Double?
            var pValue: Double?
            var verdict: String

            enum CodingKeys: String, CodingKey {
                case time, delta, verdict
                case ciLow = "ci_low", ciHigh = "ci_high", pValue = "p_value"
            }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(time, forKey: .time)
                try c.encode(delta, forKey: .delta)
                try c.encode(ciLow, forKey: .ciLow)
                try c.encode(ciHigh, forKey: .ciHigh)
                try c.encode(pValue, forKey: .pValue)
                try c.encode(verdict, forKey: .verdict)
            }
        }

        enum CodingKeys: String, CodingKey {
            case metric, power, alpha, baseline, reached, eta, horizon
            case minimumDetectableEffect = "minimum_detectable_effect"
            case neededChampion = "needed_champion", neededChallenger = "needed_challenger"
            case championN = "champion_n", challengerN = "challenger_n"
            case championPerHour = "champion_per_hour", challengerPerHour = "challenger_per_hour"
            case secondsLeft = "seconds_left", unknownReason = "unknown_reason"
        }

        init(_ p: PlannedSample) {
            metric = p.metric.rawValue; minimumDetectableEffect = p.minimumDetectableEffect; power = p.power; alpha = p.alpha
            baseline = CheckReport.finite(p.baseline)
            neededChampion = CheckReport.finite(p.neededChampion); neededChallenger = CheckReport.finite(p.neededChallenger)
            championN = p.champion; challengerN = p.challenger
            championPerHour = CheckReport.finite(p.championPerHour); challengerPerHour = CheckReport.finite(p.challengerPerHour)
            secondsLeft = p.secondsLeft; reached = p.reached; eta = p.etaText; unknownReason = p.unknownReason
            if let t = p.horizonTime, let e = p.horizon, let verdict = p.verdict {
                horizon = HorizonEntry(time: TimeText.iso(t), delta: CheckReport.finite(e.delta), ciLow: CheckReport.finite(e.ciLow),
                                       ciHigh: CheckReport.finite(e.ciHigh), pValue: CheckReport.finite(e.pValue), verdict: verdict.rawValue)
            }
        }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(metric, forKey: .metric)
            try c.encode(minimumDetectableEffect, forKey: .minimumDetectableEffect)
            try c.encode(power, forKey: .power)
            try c.encode(alpha, forKey: .alpha)
            try c.encode(baseline, forKey: .baseline)
            try c.encode(neededChampion, forKey: .neededChampion)
            try c.encode(neededChallenger, forKey: .neededChallenger)
            try c.encode(championN, forKey: .championN)
            try c.encode(challengerN, forKey: .challengerN)
            try c.encode(championPerHour, forKey: .championPerHour)
            try c.encode(challengerPerHour, forKey: .challengerPerHour)
            try c.encode(secondsLeft, forKey: .secondsLeft)
            try c.encode(reached, forKey: .reached)
            try c.encode(eta, forKey: .eta)
            try c.encode(unknownReason, forKey: .unknownReason)
            try c.encode(horizon, forKey: .horizon)
        }
    }

    public struct MetricEntry: Encodable, Sendable {
        var champion: Double?
        var challenger: Double?
        var delta: Double?
        var ciLow: Double?
        var ciHigh: Double?
        var pValue: Double?
        var qValue: Double?
        var alwaysValidP: Double?
        var alwaysValid: AlwaysValidEntry?
        var championN: Double?
        var challengerN: Double?
        var hiddenRegression: Bool

        /// A metric the segment has no comparison for (no decisions or no labels on an arm, a zero denominator):
        /// every key, each `null`.
        static let missing = MetricEntry(champion: nil, challenger: nil, delta: nil, ciLow: nil, ciHigh: nil, pValue: nil, qValue: nil,
                                         alwaysValidP: nil, alwaysValid: nil, championN: nil, challengerN: nil, hiddenRegression: false)

        enum CodingKeys: String, CodingKey {
            case champion, challenger, delta
            case ciLow = "ci_low", ciHigh = "ci_high", pValue = "p_value", qValue = "q_value", alwaysValidP = "always_valid_p"
            case alwaysValid = "always_valid"
            case championN = "champion_n", challengerN = "challenger_n", hiddenRegression = "hidden_regression"
        }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(champion, forKey: .champion)
            try c.encode(challenger, forKey: .challenger)
            try c.encode(delta, forKey: .delta)
            try c.encode(ciLow, forKey: .ciLow)
            try c.encode(ciHigh, forKey: .ciHigh)
            try c.encode(pValue, forKey: .pValue)
            try c.encode(qValue, forKey: .qValue)
            try c.encode(alwaysValidP, forKey: .alwaysValidP)
            try c.encode(alwaysValid, forKey: .alwaysValid)
            try c.encode(championN, forKey: .championN)
            try c.encode(challengerN, forKey: .challengerN)
            try c.encode(hiddenRegression, forKey: .hiddenRegression)
        }
    }

    /// The always-valid result of a delta (what the screen's marks, `hidden_regression` and the guardrails gate use).
    public struct AlwaysValidEntry: Encodable, Sendable {
        var p: Double?
        var pAdjusted: Double?
        var ciLow: Double?
        var ciHigh: Double?
        var tau: Double?
        var tauSource: String
        var tests: Int
        var looks: Int
        enum CodingKeys: String, CodingKey {
            case p, tau, tests, looks
            case pAdjusted = "p_adjusted", ciLow = "ci_low", ciHigh = "ci_high", tauSource = "tau_source"
        }

        init(_ s: SequentialEstimate) {
            p = CheckReport.finite(s.pValue); pAdjusted = CheckReport.finite(s.adjustedP)
            ciLow = CheckReport.finite(s.ciLow); ciHigh = CheckReport.finite(s.ciHigh)
            tau = CheckReport.finite(s.tau); tauSource = s.tauSource.rawValue; tests = s.tests; looks = s.looks
        }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .p)
            try c.encode(pAdjusted, forKey: .pAdjusted)
            try c.encode(ciLow, forKey: .ciLow)
            try c.encode(ciHigh, forKey: .ciHigh)
            try c.encode(tau, forKey: .tau)
            try c.encode(tauSource, forKey: .tauSource)
            try c.encode(tests, forKey: .tests)
            try c.encode(looks, forKey: .looks)
        }
    }

    public struct DriftEntry: Encodable, Sendable {
        var psi: Double?
        var ksD: Double?
        var ksP: Double?
        var js: Double?
        enum CodingKeys: String, CodingKey { case psi, js; case ksD = "ks_d", ksP = "ks_p" }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(psi, forKey: .psi)
            try c.encode(ksD, forKey: .ksD)
            try c.encode(ksP, forKey: .ksP)
            try c.encode(js, forKey: .js)
        }
    }

    public struct SegmentEntry: Encodable, Sendable {
        var segment: String
        /// Every metric of `QualityMetric`, `MetricEntry.missing` where there is no comparison.
        var metrics: [String: MetricEntry]
        var drift: DriftEntry?
        enum CodingKeys: String, CodingKey { case segment, metrics, drift }

        /// Every key is written; `drift` is `null` when an arm has no scores.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(segment, forKey: .segment)
            try c.encode(metrics, forKey: .metrics)
            try c.encode(drift, forKey: .drift)
        }
    }

    public struct SRMEntry: Encodable, Sendable {
        var chi2: Double?
        var pValue: Double?
        enum CodingKeys: String, CodingKey { case chi2; case pValue = "p_value" }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(chi2, forKey: .chi2)
            try c.encode(pValue, forKey: .pValue)
        }
    }

    public struct QueueEntry: Encodable, Sendable {
        var depth: Double?
        var growthPerHour: Double?
        var capacityPerHour: Double?
        var hoursToOverflow: Double?
        var draining: Bool?
        var growthSpanSeconds: Int64
        enum CodingKeys: String, CodingKey {
            case depth, draining
            case growthPerHour = "growth_per_hour", capacityPerHour = "capacity_per_hour", hoursToOverflow = "hours_to_overflow"
            case growthSpanSeconds = "growth_span_seconds"
        }

        /// Every key is written; a missing value is `null`, so the shape never changes.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(depth, forKey: .depth)
            try c.encode(growthPerHour, forKey: .growthPerHour)
            try c.encode(capacityPerHour, forKey: .capacityPerHour)
            try c.encode(hoursToOverflow, forKey: .hoursToOverflow)
            try c.encode(draining, forKey: .draining)
            try c.encode(growthSpanSeconds, forKey: .growthSpanSeconds)
        }
    }

    /// How current the metrics are (`Freshness`): every key always written.
    public struct FreshnessEntry: Encodable, Sendable {
        struct Stream: Encodable, Sendable {
            var stream: String
            var newest: String
            var ageSeconds: Int64
            var stale: Bool
            enum CodingKeys: String, CodingKey { case stream, newest, stale; case ageSeconds = "age_seconds" }
        }
        var current: Bool
        var stale: Bool
        var staleAfterSeconds: Int64
        var ageSeconds: Int64?
        var heldAt: String?
        var pollError: String?
        var futureSamples: Int
        var firstFutureSample: String?
        var problems: [String]
        var streams: [Stream]

        enum CodingKeys: String, CodingKey {
            case current, stale, problems, streams
            case staleAfterSeconds = "stale_after_seconds", ageSeconds = "age_seconds", heldAt = "held_at", pollError = "poll_error"
            case futureSamples = "future_samples", firstFutureSample = "first_future_sample"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(current, forKey: .current)
            try c.encode(stale, forKey: .stale)
            try c.encode(staleAfterSeconds, forKey: .staleAfterSeconds)
            try c.encode(ageSeconds, forKey: .ageSeconds)
            try c.encode(heldAt, forKey: .heldAt)
            try c.encode(pollError, forKey: .pollError)
            try c.encode(futureSamples, forKey: .futureSamples)
            try c.encode(firstFutureSample, forKey: .firstFutureSample)
            try c.encode(problems, forKey: .problems)
            try c.encode(streams, forKey: .streams)
        }

        init(_ f: Freshness) {
            current = f.isCurrent
            stale = f.isStale
            staleAfterSeconds = f.policy.staleAfter
            ageSeconds = f.age
            heldAt = f.earliestHold.map(TimeText.iso)
            pollError = f.pollFailure?.reason
            futureSamples = f.refusedFuture?.count ?? 0
            firstFutureSample = f.refusedFuture.map { TimeText.iso($0.first) }
            problems = f.problems
            streams = f.streams.map { Stream(stream: $0.stream.description, newest: TimeText.iso($0.newest), ageSeconds: max(0, f.now - $0.newest), stale: $0.stale) }
        }
    }

    var release: String
    var asOf: String
    var freshness: FreshnessEntry?
    var stage: String
    var stageEnteredAt: String
    var startedAt: String
    var status: String
    var verdict: String
    var exitStatus: Int32
    var rules: [RuleEntry]
    var gates: [GateEntry]
    var segments: [SegmentEntry]
    var overall: SegmentEntry?
    var srm: SRMEntry?
    var queue: QueueEntry?
    var calibrationError: [String: Double?]
    var plannedSamples: [PlannedSampleEntry]
    var guardrailWaits: [GuardrailWaitEntry]

    enum CodingKeys: String, CodingKey {
        case release, stage, status, verdict, rules, gates, segments, overall, srm, queue, freshness
        case plannedSamples = "planned_samples", guardrailWaits = "guardrail_waits"
        case asOf = "as_of"
        case stageEnteredAt = "stage_entered_at"
        case startedAt = "started_at"
        case exitStatus = "exit_status"
        case calibrationError = "calibration_error"
    }

    static func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }

    /// Every key is written; what does not exist (`freshness` before a poll, `overall` without data, `srm` outside
    /// canary and A/B stages, `queue` without queue data) is `null`, so the shape never changes.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(release, forKey: .release)
        try c.encode(asOf, forKey: .asOf)
        try c.encode(freshness, forKey: .freshness)
        try c.encode(stage, forKey: .stage)
        try c.encode(stageEnteredAt, forKey: .stageEnteredAt)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(status, forKey: .status)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(exitStatus, forKey: .exitStatus)
        try c.encode(rules, forKey: .rules)
        try c.encode(gates, forKey: .gates)
        try c.encode(segments, forKey: .segments)
        try c.encode(overall, forKey: .overall)
        try c.encode(srm, forKey: .srm)
        try c.encode(queue, forKey: .queue)
        try c.encode(calibrationError, forKey: .calibrationError)
        try c.encode(plannedSamples, forKey: .plannedSamples)
        try c.encode(guardrailWaits, forKey: .guardrailWaits)
    }

    public init(_ a: ReleaseAnalysis) {
        let verdict = CheckVerdict(a)
        release = a.release.slug
        asOf = TimeText.iso(a.asOf)
        freshness = a.freshness.map(FreshnessEntry.init)
        stage = a.stage.name
        stageEnteredAt = TimeText.iso(a.state.stageEnteredAt)
        startedAt = TimeText.iso(a.state.startedAt)
        status = a.state.status.rawValue
        self.verdict = verdict.rawValue
        exitStatus = verdict.exitStatus
        rules = a.rules.map { e in
            RuleEntry(name: e.rule.name, severity: e.rule.severity.rawValue, scope: e.rule.scope.rawValue, segment: e.segment,
                      state: e.status.rawValue, since: e.since.map(TimeText.iso), value: Self.finite(e.value),
                      threshold: e.rule.threshold, op: e.rule.comparator.rawValue, expr: e.rule.expressionText,
                      window: DurationText.format(e.rule.windowSeconds), forDuration: DurationText.format(e.rule.forSeconds),
                      dryRun: e.rule.dryRun, wouldBlock: e.rule.dryRun && e.rule.severity >= .block && e.status != .ok,
                      summary: e.rule.summary,
                      history: e.history.map { RuleEntry.Transition(time: TimeText.iso($0.time), from: $0.from.rawValue, to: $0.to.rawValue, value: Self.finite($0.value)) },
                      heldAt: e.heldAt.map(TimeText.iso))
        }
        gates = a.gates.map { GateEntry(name: $0.gate.rawValue, passed: $0.passed, outcome: $0.outcome.rawValue, reason: $0.reason,
                                        check: $0.check, observed: Self.finite($0.observed), threshold: Self.finite($0.threshold),
                                        etaSeconds: $0.etaSeconds) }
        plannedSamples = a.plannedSamples.map(PlannedSampleEntry.init)
        guardrailWaits = a.guardrailWaits.map(GuardrailWaitEntry.init)
        segments = a.segments.map(Self.segment)
        overall = a.overall.map(Self.segment)
        srm = a.sampleRatio.map { SRMEntry(chi2: Self.finite($0.chi2), pValue: Self.finite($0.pValue)) }
        queue = a.queue.map { q in
            QueueEntry(depth: Self.finite(q.depth), growthPerHour: Self.finite(q.growthPerHour), capacityPerHour: Self.finite(q.capacityPerHour),
                       hoursToOverflow: Self.finite(q.hoursToOverflow), draining: q.draining, growthSpanSeconds: q.growthSpanSeconds)
        }
        var calibration: [String: Double?] = [:]
        for arm in Arm.allCases { calibration[arm.rawValue] = Self.finite(a.calibrationError[arm]) }
        calibrationError = calibration
    }

    static func segment(_ s: SegmentComparison) -> SegmentEntry {
        var metrics: [String: MetricEntry] = [:]
        for metric in QualityMetric.allCases { metrics[metric.rawValue] = .missing }
        for (metric, c) in s.metrics {
            metrics[metric.rawValue] = MetricEntry(champion: finite(c.estimate.champion), challenger: finite(c.estimate.challenger),
                                                   delta: finite(c.estimate.delta), ciLow: finite(c.estimate.ciLow), ciHigh: finite(c.estimate.ciHigh),
                                                   pValue: finite(c.estimate.pValue), qValue: finite(c.qValue), alwaysValidP: finite(c.alwaysValidP), alwaysValid: c.sequential.map(AlwaysValidEntry.init),
                                                   championN: c.championCount, challengerN: c.challengerCount, hiddenRegression: c.hiddenRegression)
        }
        let drift = s.drift.map { DriftEntry(psi: finite($0.psi), ksD: finite($0.ks.d), ksP: finite($0.ks.pValue), js: finite($0.js)) }
        return SegmentEntry(segment: s.segment ?? "overall", metrics: metrics, drift: drift)
    }

    /// Pretty, key-sorted JSON.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
