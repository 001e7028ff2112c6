import Foundation
import Testing
@testable import GatewatchCore

/// An A/B stage's planned decision is the fixed-horizon test read once, on the data through the moment the planned
/// samples were in: later polls show the same result, and a challenger worse there fails the stage.
@Suite struct PlannedHorizonTests {
    /// The 20% A/B stage of `DecisionPlannerTests` (100 champion and 25 challenger decisions a minute, the champion
    /// erring on 2%), with the challenger's error rate given per minute.
    static func data(minutes: Int = 900, challengerErrors: (Int) -> Double) -> MetricSeriesSet {
        var data = MetricSeriesSet()
        for arm in Arm.allCases {
            let perMinute = arm == .champion ? 100.0 : 25.0
            var errors = 0.0, samples: [Sample] = [], decisions: [Sample] = []
            for m in 0...minutes {
                if m > 0 { errors += perMinute * (arm == .champion ? 0.02 : challengerErrors(m)) }
                decisions.append(Sample(time: Timestamp(m * 60), value: perMinute * Double(m)))
                samples.append(Sample(time: Timestamp(m * 60), value: errors))
            }
            data.append(decisions, to: SeriesKey(.decisions, arm: arm, segment: "s", extra: DecisionAction.allow.rawValue))
            data.append(samples, to: SeriesKey(.errors, arm: arm, segment: "s"))
        }
        return data
    }

    static func analysis(at time: Timestamp, challengerErrors: @escaping (Int) -> Double) -> ReleaseAnalysis {
        ReleaseAnalyzer().analyze(release: DecisionPlannerTests.release(),
                                  state: RolloutState(stageIndex: 0, stageEnteredAt: 0, startedAt: 0, status: .running),
                                  metrics: data(challengerErrors: challengerErrors), asOf: time)
    }

    /// 8,397.87 challenger and 33,591.5 champion decisions are needed (statsmodels, `DecisionPlannerTests`): the
    /// 336th minute brings 8,400 and 33,600, so the horizon is 5h36m. A challenger that errs on 3% is worse there:
    /// the test at the horizon is the pooled z test on the counts through it, and the stage fails.
    @Test func aWorseChallengerFailsAtTheHorizon() throws {
        let a = Self.analysis(at: 6 * 3600) { _ in 0.03 }
        let plan = try #require(a.plannedSamples.first)
        #expect(plan.reached && plan.horizonTime == 336 * 60, "\(String(describing: plan.horizonTime))")
        let expected = try #require(ProportionTest.twoProportion(successesA: 0.02 * 33_600, totalA: 33_600, successesB: 0.03 * 8_400, totalB: 8_400))
        let e = try #require(plan.horizon)
        #expect(abs(e.delta - expected.delta) < 1e-12 && abs(e.pValue - expected.pValue) < 1e-12 * max(1e-300, expected.pValue), "\(e) vs \(expected)")
        #expect(e.pValue < 0.05 && plan.verdict == .worse)
        let gate = try #require(a.gates.first { $0.gate == .plannedSamples })
        #expect(gate.outcome == .failed, "\(gate)")
        #expect(gate.reason.hasPrefix("error_rate challenger worse: +1.00pt, p="), "\(gate.reason)")
        #expect(gate.reason.hasSuffix(" at the planned samples (01-01 05:36Z)"), "\(gate.reason)")
        #expect(plan.etaText == "decided: challenger worse")
        #expect(!a.promotable)
    }

    /// Read once: a challenger that is like the champion until the horizon and errs on 10% from minute 400 is still
    /// "no difference" at 8 hours, though the test on all the data would now find it worse (the always-valid
    /// guardrails and the stop rules watch what comes after the horizon; the planned test does not look again).
    @Test func laterDataDoesNotChangeTheDecision() throws {
        let errors: (Int) -> Double = { $0 > 400 ? 0.10 : 0.02 }
        let early = try #require(Self.analysis(at: 6 * 3600, challengerErrors: errors).plannedSamples.first)
        let a = Self.analysis(at: 8 * 3600, challengerErrors: errors)
        let late = try #require(a.plannedSamples.first)
        #expect(late.horizonTime == 336 * 60 && late.horizonTime == early.horizonTime)
        #expect(late.horizon == early.horizon && late.verdict == .noDifference)
        let overall = try #require(a.overall?.metrics[.errorRate]?.estimate)
        #expect(overall.delta > 0 && overall.pValue < 0.001, "the premise: the data so far is worse: \(overall)")
        #expect(a.gates.first { $0.gate == .plannedSamples }?.outcome == .passed)
    }

    /// The plan is made from the champion's rate before the stage, so it does not move while the stage runs: the
    /// champion's later data does not change the samples needed.
    @Test func thePlanIsMadeBeforeTheStage() throws {
        let release = DecisionPlannerTests.release()
        let state = RolloutState(stageIndex: 0, stageEnteredAt: 3600, startedAt: 0, status: .running)
        let a = ReleaseAnalyzer().analyze(release: release, state: state, metrics: Self.data { _ in 0.02 }, asOf: 2 * 3600)
        let b = ReleaseAnalyzer().analyze(release: release, state: state, metrics: Self.data { _ in 0.02 }, asOf: 3 * 3600)
        let pa = try #require(a.plannedSamples.first), pb = try #require(b.plannedSamples.first)
        #expect(pa.baseline == 0.02 && pa.neededChallenger == pb.neededChallenger && pa.neededChampion == pb.neededChampion)
    }

    /// check's JSON carries the result at the horizon; before it, `horizon` is null.
    @Test func theHorizonIsNilBeforeTheSamplesAreIn() throws {
        let plan = try #require(Self.analysis(at: 2 * 3600) { _ in 0.03 }.plannedSamples.first)
        #expect(!plan.reached && plan.horizonTime == nil && plan.horizon == nil && plan.verdict == nil && plan.horizonText == nil)
    }
}
