import Foundation
import GatewatchCore

/// Produces the contract series for both arms and every segment, one step at a time, following the traffic split of
/// the current stage. Deterministic: the same seed, step and rollout state always give the same samples.
public struct Simulator: Sendable {
    public let model: SimulationModel
    public let release: Release
    /// Cumulative counter values, by series.
    public private(set) var counters: [SeriesKey: Double] = [:]
    public private(set) var queueDepth: Double

    /// Upper bounds of the score histogram buckets.
    public static let scoreBounds: [Double] = (1...20).map { Double($0) / 20 }
    /// Upper bounds of the latency histogram buckets, in seconds.
    public static let latencyBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public init(model: SimulationModel, release: Release, resumeFrom latest: [SeriesKey: Double] = [:]) {
        self.model = model
        self.release = release
        counters = latest.filter { $0.key.family.isCounter }
        queueDepth = latest[SeriesKey(.reviewQueueDepth)] ?? model.reviewQueue.initialDepth
    }

    static func leText(_ bound: Double) -> String {
        bound.isInfinite ? "+Inf" : NumberText.compact(bound)
    }

    /// Share of served decisions that go to the challenger for a rollout state, as planned by the stage.
    public static func challengerShare(_ release: Release, _ state: RolloutState) -> Double {
        if state.status == .rolledBack { return 0 }
        let stage = release.stages[min(max(state.stageIndex, 0), release.stages.count - 1)]
        return stage.servedShare(.challenger)
    }

    /// Share of served decisions the (possibly mis-configured) router really sends to the challenger.
    public static func challengerShare(_ release: Release, _ state: RolloutState, bias: AssignmentBias?) -> Double {
        let planned = challengerShare(release, state)
        guard let bias, state.status != .rolledBack else { return planned }
        let stage = release.stages[min(max(state.stageIndex, 0), release.stages.count - 1)]
        return bias.apply(planned, stage: stage)
    }

    /// Runs the step that ends at `time` and returns the new samples (label counters are stamped at arrival time).
    public mutating func step(at time: Timestamp, state: RolloutState) -> [SeriesKey: [Sample]] {
        let stepIndex = UInt64(bitPattern: (time - model.start) / model.step)
        let stage = release.stages[min(max(state.stageIndex, 0), release.stages.count - 1)]
        let shadow = stage.challengerShadows && state.status != .rolledBack
        let challengerShare = Self.challengerShare(release, state, bias: model.assignmentBias)
        var out: [SeriesKey: [Sample]] = [:]
        func emit(_ key: SeriesKey, _ value: Double, at t: Timestamp = time) { out[key, default: []].append(Sample(time: t, value: value)) }
        func add(_ key: SeriesKey, _ amount: Int, at t: Timestamp = time) {
            let v = (counters[key] ?? 0) + Double(amount)
            counters[key] = v
            emit(key, v, at: t)
        }

        var reviewsServed = 0
        let expectedTotal = model.decisionsPerMinute * Double(model.step) / 60
        for (segmentIndex, segment) in model.segments.enumerated() {
            var rng = SeededRandom(seed: model.seed, streams: stepIndex, UInt64(segmentIndex))
            let mean = expectedTotal * segment.share
            let n = max(0, Int((mean + mean.squareRoot() * rng.normal()).rounded()))
            let toChallenger = rng.binomial(n, challengerShare)
            for arm in Arm.allCases {
                var armModel = model.arm(arm).underLoad(arm == .champion ? 1 - challengerShare : challengerShare)
                if let o = arm == .champion ? segment.champion : segment.challenger { armModel = o.apply(to: armModel) }
                let count: Int
                let served: Bool
                switch arm {
                case .champion: count = n - toChallenger; served = true
                case .challenger:
                    count = shadow ? n : toChallenger
                    served = !shadow
                }
                var armRng = SeededRandom(seed: model.seed, streams: stepIndex, UInt64(segmentIndex), arm == .champion ? 1 : 2)
                let result = Self.decide(count, segment: segment, arm: armModel, thresholds: model.thresholds(arm, release: release), rng: &armRng)
                let seg = segment.segment
                for action in DecisionAction.allCases {
                    add(SeriesKey(.decisions, arm: arm, segment: seg, extra: action.rawValue), result.actions[action] ?? 0)
                }
                if served { reviewsServed += result.actions[.review] ?? 0 }
                add(SeriesKey(.errors, arm: arm, segment: seg), result.errors)
                var cumulative = 0
                for (i, bound) in (Self.latencyBounds + [.infinity]).enumerated() {
                    cumulative += result.latencyBuckets[i]
                    let key = SeriesKey(.latencyBucket, arm: arm, segment: seg, extra: Self.leText(bound))
                    counters[key] = (counters[key] ?? 0) + Double(cumulative)
                    emit(key, counters[key]!)
                }
                cumulative = 0
                for (i, bound) in (Self.scoreBounds.dropLast() + [.infinity]).enumerated() {
                    cumulative += result.scoreBuckets[i]
                    let key = SeriesKey(.scoreBucket, arm: arm, segment: seg, extra: Self.leText(bound))
                    counters[key] = (counters[key] ?? 0) + Double(cumulative)
                    emit(key, counters[key]!)
                }
                for outcome in LabelOutcome.allCases {
                    add(SeriesKey(.labels, arm: arm, segment: seg, extra: outcome.rawValue), result.outcomes[outcome] ?? 0,
                        at: time + model.labelDelay)
                }
            }
        }
        let capacityPerStep = model.reviewQueue.capacityPerHour * Double(model.step) / 3600
        queueDepth = max(0, queueDepth + Double(reviewsServed) - capacityPerStep)
        emit(SeriesKey(.reviewQueueDepth), queueDepth.rounded())
        emit(SeriesKey(.reviewCapacityPerHour), model.reviewQueue.capacityPerHour)
        return out
    }

    /// What `count` decisions of one arm in one segment look like.
    struct StepResult {
        var actions: [DecisionAction: Int] = [:]
        var outcomes: [LabelOutcome: Int] = [:]
        var errors = 0
        var latencyBuckets: [Int] = []
        var scoreBuckets: [Int] = []
    }

    static func decide(_ count: Int, segment: SegmentModel, arm: ArmModel, thresholds: ScoreThresholds, rng: inout SeededRandom) -> StepResult {
        var r = StepResult()
        let fraud = rng.binomial(count, segment.fraudRate)
        let legit = count - fraud
        let legitBuckets = rng.multinomial(legit, scoreProbabilities(meanLogit: arm.legitLogit))
        let fraudBuckets = rng.multinomial(fraud, scoreProbabilities(meanLogit: arm.fraudLogit))
        r.scoreBuckets = zip(legitBuckets, fraudBuckets).map { $0 + $1 }
        for (i, upper) in scoreBounds.enumerated() {
            let lower = upper - 0.05
            let action: DecisionAction = lower >= thresholds.block - 1e-9 ? .block : (lower >= thresholds.review - 1e-9 ? .review : .allow)
            r.actions[action, default: 0] += legitBuckets[i] + fraudBuckets[i]
            if action == .block {
                r.outcomes[.tp, default: 0] += fraudBuckets[i]
                r.outcomes[.fp, default: 0] += legitBuckets[i]
            } else {
                r.outcomes[.fn, default: 0] += fraudBuckets[i]
                r.outcomes[.tn, default: 0] += legitBuckets[i]
            }
        }
        r.errors = rng.binomial(count, arm.errorRate)
        r.latencyBuckets = rng.multinomial(count, latencyProbabilities(medianMs: arm.latencyMedianMs, p99Ms: arm.latencyP99Ms))
        return r
    }

    /// Probabilities of the 20 score buckets when logit(score) ~ N(mean, 1).
    static func scoreProbabilities(meanLogit: Double) -> [Double] {
        var previous = 0.0
        return scoreBounds.map { upper in
            let cdf = upper >= 1 ? 1 : Distributions.normalCDF(log(upper / (1 - upper)) - meanLogit)
            defer { previous = cdf }
            return max(0, cdf - previous)
        }
    }

    /// Probabilities of the latency buckets (last one +Inf) for a log-normal latency.
    static func latencyProbabilities(medianMs: Double, p99Ms: Double) -> [Double] {
        let mu = log(max(medianMs, 0.001) / 1000)
        let sigma = max(0.01, log(max(p99Ms, medianMs * 1.01) / max(medianMs, 0.001)) / 2.326)
        var previous = 0.0
        var result = latencyBounds.map { bound -> Double in
            let cdf = Distributions.normalCDF((log(bound) - mu) / sigma)
            defer { previous = cdf }
            return max(0, cdf - previous)
        }
        result.append(max(0, 1 - previous))
        return result
    }
}
