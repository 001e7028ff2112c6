import Foundation
import Testing
@testable import GatewatchCore

/// The segment-guardrails gate reads the always-valid interval (the confidence sequence the screen marks with), not
/// the fixed-horizon one: a gate read at every poll must not pass on one look's luck, and it says how long it waits.
@Suite struct GuardrailGateTests {
    /// A 20% canary entered at 0 in one segment: per minute the champion makes 100 decisions, the challenger 25; the
    /// champion errs on 2%, the challenger on `challengerErrors`.
    static func data(challengerErrors: Double = 0.02, minutes: Int = 900) -> MetricSeriesSet {
        var data = MetricSeriesSet()
        for arm in Arm.allCases {
            let perMinute = arm == .champion ? 100.0 : 25.0
            let errors = arm == .champion ? 0.02 : challengerErrors
            let times = (0...minutes).map { Timestamp($0 * 60) }
            data.append(times.map { Sample(time: $0, value: perMinute * Double($0 / 60)) },
                        to: SeriesKey(.decisions, arm: arm, segment: "s", extra: DecisionAction.allow.rawValue))
            data.append(times.map { Sample(time: $0, value: errors * perMinute * Double($0 / 60)) }, to: SeriesKey(.errors, arm: arm, segment: "s"))
        }
        return data
    }

    /// A guardrail of half a point on the error rate; bake and samples pass early, so the guardrail decides.
    static let release: Release = {
        var r = Release(slug: "r", title: "r", model: "m", championVersion: "1", challengerVersion: "2", owner: "o", changes: [],
                        stages: [Stage(name: "canary-20", kind: .canary, trafficPercent: 20, bakeSeconds: 600),
                                 Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                        rules: [], segments: [Segment("s")], gates: GatePolicy(minimumSamplesPerArm: 100, minimumLabelMaturity: 0))
        r.guardrails = [Guardrail(metric: .errorRate, maxWorsening: 0.005)]
        return r
    }()

    static func analysis(at time: Timestamp, challengerErrors: Double = 0.02, comparator: SegmentComparator = SegmentComparator()) -> ReleaseAnalysis {
        ReleaseAnalyzer(comparator: comparator)
            .analyze(release: release, state: RolloutState(stageIndex: 0, stageEnteredAt: 0, startedAt: 0, status: .running),
                     metrics: data(challengerErrors: challengerErrors), asOf: time)
    }

    /// The defect: after four hours of an unchanged challenger the fixed-horizon 95% interval lies inside the
    /// guardrail, so a gate on it passed and the release was promotable — on an interval whose coverage does not
    /// hold when it is read every poll. The always-valid interval still straddles the limit: the gate is
    /// inconclusive, nothing is promotable, and the gate says how long the wait is.
    @Test func aFixedHorizonPassIsNotEnough() throws {
        let a = Self.analysis(at: 4 * 3600)
        let row = try #require(a.segments.first?.metrics[.errorRate])
        let limit = Self.release.guardrails[0]
        // The premise: the fixed-horizon interval is inside the guardrail …
        #expect(!limit.isCrossed(by: row.estimate.ciLow) && !limit.isCrossed(by: row.estimate.ciHigh), "\(row.estimate)")
        // … the always-valid one is not.
        let s = try #require(row.sequential)
        #expect(!limit.isCrossed(by: s.ciLow) && limit.isCrossed(by: s.ciHigh), "\(s)")

        let gate = try #require(a.gates.first { $0.gate == .segmentGuardrails })
        #expect(gate.outcome == .inconclusive, "\(gate)")
        #expect(!a.promotable)
        let waits = a.guardrailWaits.filter { !$0.decided }
        #expect(waits.count == 2)
        let eta = try #require(gate.etaSeconds)
        #expect(eta == waits.compactMap(\.secondsLeft).max())
        #expect(gate.reason.hasPrefix("overall error_rate 0.00pt ["), "\(gate.reason)")
        #expect(gate.reason.contains("vs limit 0.50pt (interval straddles the limit; decidable in ~\(DurationText.format(eta)) at current traffic)"),
                "\(gate.reason)")
        #expect(gate.reason.hasSuffix("(+1 more)"), "\(gate.reason)")
        #expect(gate.check?.contains("always-valid") == true)
    }

    /// Once the always-valid interval is inside the guardrail (the wait it stated has passed), the gate passes.
    @Test func theGatePassesWhenTheIntervalClearsTheLimit() throws {
        let wait = try #require(Self.analysis(at: 4 * 3600).gates.first { $0.gate == .segmentGuardrails }?.etaSeconds)
        let due = 4 * 3600 + (wait + 59) / 60 * 60
        let a = Self.analysis(at: due)
        let gate = try #require(a.gates.first { $0.gate == .segmentGuardrails })
        #expect(gate.outcome == .passed && gate.reason == "every segment within its guardrails", "\(gate)")
        #expect(gate.etaSeconds == nil)
        #expect(a.promotable)
        let before = try #require(Self.analysis(at: due - 180).gates.first { $0.gate == .segmentGuardrails })
        #expect(before.outcome == .inconclusive, "\(before)")
    }

    /// A challenger that errs on 4% breaks the half-point guardrail: the always-valid interval lies wholly past it.
    @Test func aBreachFailsTheGate() throws {
        let a = Self.analysis(at: 4 * 3600, challengerErrors: 0.04)
        let gate = try #require(a.gates.first { $0.gate == .segmentGuardrails })
        let s = try #require(a.overall?.metrics[.errorRate]?.sequential)
        #expect(s.ciLow > 0.005)
        #expect(gate.outcome == .failed && gate.etaSeconds == nil, "\(gate)")
        #expect(gate.reason.hasPrefix("overall error_rate 2.00pt [\(NumberText.fixed(s.ciLow * 100, decimals: 2)), "), "\(gate.reason)")
        #expect(gate.reason.hasSuffix("vs limit 0.50pt (+1 more)"), "\(gate.reason)")
    }

    /// Without the looks there is no always-valid interval, and the gate does not fall back to the fixed-horizon one.
    @Test func noIntervalIsInconclusive() throws {
        let a = Self.analysis(at: 12 * 3600, comparator: SegmentComparator(sequential: false))
        let gate = try #require(a.gates.first { $0.gate == .segmentGuardrails })
        #expect(gate.outcome == .inconclusive && gate.etaSeconds == nil, "\(gate)")
        #expect(gate.reason == "overall: no always-valid interval for error_rate yet (+1 more)", "\(gate.reason)")
        #expect(!a.promotable)
    }

    /// A wait that cannot be told says why, and the gate has no ETA.
    @Test func anUnknownWaitSaysWhy() throws {
        let a = ReleaseAnalyzer().analyze(release: Self.release, state: RolloutState(stageIndex: 0, stageEnteredAt: 4 * 3600 - 120, startedAt: 0, status: .running),
                                          metrics: Self.data(), asOf: 4 * 3600)
        let gate = try #require(a.gates.first { $0.gate == .segmentGuardrails })
        #expect(gate.outcome == .inconclusive && gate.etaSeconds == nil, "\(gate)")
        #expect(gate.reason.contains("(interval straddles the limit; wait unknown: measuring the stage's traffic (5m needed))"), "\(gate.reason)")
    }
}
