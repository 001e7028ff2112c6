import Foundation
import Testing
@testable import GatewatchCore

/// An A/B stage says how many samples its primary metrics need, how many it has and when it will have them; the
/// gates that wait on time or samples say how long.
@Suite struct DecisionPlannerTests {
    /// A 20% A/B stage entered at 0: per minute the champion makes 100 decisions and 2 errors, the challenger 25 and
    /// 0.5 (a 2% error rate on both, 1,500 challenger decisions an hour).
    static func data(minutes: Int = 900) -> MetricSeriesSet {
        var data = MetricSeriesSet()
        for arm in Arm.allCases {
            let perMinute = arm == .champion ? 100.0 : 25.0
            let times = (0...minutes).map { Timestamp($0 * 60) }
            data.append(times.map { Sample(time: $0, value: perMinute * Double($0 / 60)) },
                        to: SeriesKey(.decisions, arm: arm, segment: "s", extra: DecisionAction.allow.rawValue))
            data.append(times.map { Sample(time: $0, value: 0.02 * perMinute * Double($0 / 60)) }, to: SeriesKey(.errors, arm: arm, segment: "s"))
        }
        return data
    }

    static func release(effects: [QualityMetric: Double] = [.errorRate: 0.005], kind: StageKind = .ab) -> Release {
        var r = Release(slug: "r", title: "r", model: "m", championVersion: "1", challengerVersion: "2", owner: "o", changes: [],
                        stages: [Stage(name: "ab-20", kind: kind, trafficPercent: 20, bakeSeconds: 3600), Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                        rules: [], segments: [Segment("s")], gates: GatePolicy(minimumSamplesPerArm: 5000, minimumLabelMaturity: 0))
        r.minimumDetectableEffects = effects
        return r
    }

    static func analysis(_ release: Release, at time: Timestamp, entered: Timestamp = 0) -> ReleaseAnalysis {
        ReleaseAnalyzer().analyze(release: release, state: RolloutState(stageIndex: 0, stageEnteredAt: entered, startedAt: 0, status: .running),
                                  metrics: data(), asOf: time)
    }

    /// statsmodels' size for a 0.5 pt rise on 2% at a 4:1 split (Tests/Reference/sample_size.json, second case):
    /// 8,397.87 challenger decisions and four times as many champion ones; at 3,000 and 12,000 after two hours
    /// with 1,500 and 6,000 an hour, 3h35m are left.
    @Test func anABStageSaysWhenItWillBeDecided() throws {
        let a = Self.analysis(Self.release(), at: 7200)
        let plan = try #require(a.plannedSamples.first)
        #expect(a.plannedSamples.count == 1 && plan.metric == .errorRate)
        #expect(plan.baseline == 0.02)
        let n1 = 8397.866308476032
        #expect(abs(try #require(plan.neededChallenger) - n1) < 1e-9 * n1)
        #expect(abs(try #require(plan.neededChampion) - 4 * n1) < 1e-9 * 4 * n1)
        #expect(plan.champion == 12_000 && plan.challenger == 3_000)
        #expect(plan.championPerHour == 6_000 && plan.challengerPerHour == 1_500)
        #expect(plan.secondsLeft == Int64(((n1 - 3000) / 1500 * 3600).rounded(.up)))
        #expect(plan.secondsLeft == 12_955)
        #expect(plan.etaText == "decision in ~3h35m")
        let gate = try #require(a.gates.first { $0.gate == .plannedSamples })
        #expect(gate.outcome == .failed && gate.etaSeconds == 12_955)
        #expect(gate.reason == "error_rate 12.0k/33.5k champion, 3.0k/8.3k challenger: decision in ~3h35m", "\(gate.reason)")
        #expect(!a.promotable)
    }

    @Test func theGatePassesOnceThePlannedSamplesAreIn() throws {
        let a = Self.analysis(Self.release(), at: 6 * 3600)
        let plan = try #require(a.plannedSamples.first)
        #expect(plan.reached && plan.secondsLeft == 0 && plan.etaText == "decided: no difference")
        let gate = try #require(a.gates.first { $0.gate == .plannedSamples })
        #expect(gate.outcome == .passed && gate.etaSeconds == nil)
        #expect(gate.reason == "error_rate no difference: +0.00pt, p=1 at the planned samples (01-01 05:36Z)", "\(gate.reason)")
    }

    /// Two primary metrics: the gate waits for the slower; a label metric without labels cannot be planned, so the
    /// gate has no estimate (and says why) instead of the other metric's.
    @Test func theGateWaitsForTheSlowestMetricAndSaysWhenItCannotTell() throws {
        let a = Self.analysis(Self.release(effects: [.errorRate: 0.005, .blockRate: 0.001]), at: 7200)
        #expect(a.plannedSamples.map(\.metric) == [.errorRate, .blockRate])
        let block = try #require(a.plannedSamples.last)
        // No block decisions at all: a 0% baseline, planned for a rise to 0.1%.
        #expect(block.baseline == 0)
        let gate = try #require(a.gates.first { $0.gate == .plannedSamples })
        #expect(gate.etaSeconds == a.plannedSamples.compactMap(\.secondsLeft).max())
        #expect(gate.reason.hasPrefix(a.plannedSamples.max { $0.secondsLeft! < $1.secondsLeft! }!.metric.rawValue))
        #expect(gate.reason.hasSuffix("(+1 more)"))

        let labels = Self.analysis(Self.release(effects: [.errorRate: 0.005, .precision: 0.02]), at: 7200)
        let precision = try #require(labels.plannedSamples.first { $0.metric == .precision })
        #expect(precision.neededChampion == nil && precision.secondsLeft == nil)
        #expect(precision.unknownReason == "the champion has no precision data to plan from yet")
        let held = try #require(labels.gates.first { $0.gate == .plannedSamples })
        #expect(held.outcome == .failed && held.etaSeconds == nil)
        #expect(held.reason.contains("no estimate: the champion has no precision data"), "\(held.reason)")
    }

    /// A stage younger than five minutes has no traffic rate yet: no estimate rather than a guess.
    @Test func aYoungStageMeasuresItsTrafficFirst() throws {
        let a = Self.analysis(Self.release(), at: 7200, entered: 7200 - 120)
        let plan = try #require(a.plannedSamples.first)
        #expect(plan.neededChallenger != nil && plan.challengerPerHour == nil && plan.secondsLeft == nil)
        #expect(plan.unknownReason == "measuring the stage's traffic (5m needed)")
        // The rate is the stage's own: entered 20 minutes ago, it is measured over those 20 minutes.
        let b = Self.analysis(Self.release(), at: 7200, entered: 7200 - 1200)
        #expect(b.plannedSamples.first?.challengerPerHour == 1_500)
    }

    @Test func onlyABStagesWithPrimaryMetricsArePlanned() {
        #expect(Self.analysis(Self.release(kind: .canary), at: 7200).plannedSamples.isEmpty)
        let none = Self.analysis(Self.release(effects: [:]), at: 7200)
        #expect(none.plannedSamples.isEmpty && !none.gates.contains { $0.gate == .plannedSamples })
    }

    /// The design effect multiplies the samples needed.
    @Test func theDesignEffectMultipliesTheSamplesNeeded() throws {
        var r = Self.release()
        let plain = try #require(Self.analysis(r, at: 7200).plannedSamples.first?.neededChallenger)
        r.designEffect = 2
        let clustered = try #require(Self.analysis(r, at: 7200).plannedSamples.first?.neededChallenger)
        #expect(abs(clustered - 2 * plain) < 1e-9 * plain)
    }

    /// The bake and minimum-samples gates say when they will pass too: 5,000 challenger decisions at 1,500 an hour
    /// from 1,500 after an hour take 2h20m more; the bake of an hour has 40 minutes left at 20 minutes.
    @Test func gatesThatWaitSayHowLong() throws {
        let a = Self.analysis(Self.release(), at: 3600)
        let samples = try #require(a.gates.first { $0.gate == .minimumSamples })
        #expect(samples.outcome == .failed && samples.etaSeconds == 8400)
        #expect(samples.reason == "challenger has 1500/5000 decisions (~2h20m at current traffic)")
        let early = Self.analysis(Self.release(), at: 1200)
        #expect(early.gates.first { $0.gate == .bakeTime }?.etaSeconds == 2400)
        #expect(a.gates.first { $0.gate == .bakeTime }?.etaSeconds == nil)
    }

    /// A guardrail of half a point on the error rate, both arms at 2%: the always-valid interval (level 0.05/14, τ =
    /// the guardrail) narrows to ±0.5 pt after the wait it states at two hours, and not before; an unchanged challenger
    /// is exactly this case, so its rule-out time is the same.
    @Test func aGuardrailSaysWhenItsIntervalCanDecide() throws {
        var release = Self.release(effects: [:])
        release.guardrails = [Guardrail(metric: .errorRate, maxWorsening: 0.005)]
        let a = Self.analysis(release, at: 7200)
        #expect(a.guardrailWaits.map { $0.segment ?? "overall" } == ["overall", "s"])
        let wait = try #require(a.guardrailWaits.first)
        #expect(!wait.decided && wait.limit == 0.005 && wait.unknownReason == nil)
        let seconds = try #require(wait.secondsLeft)
        #expect(wait.ruleOutSeconds == seconds)
        // Checked with the radius itself at the stated time and a second before.
        func radius(after t: Int64) -> Double {
            let hours = Double(7200 + t) / 3600
            let look = ConfidenceSequence.proportionLook(successesA: 0.02 * 6000 * hours, totalA: 6000 * hours,
                                                         successesB: 0.02 * 1500 * hours, totalB: 1500 * hours)!
            return ConfidenceSequence.radius(variance: look.variance, tau: 0.005, alpha: 0.05 / 14)!
        }
        #expect(radius(after: seconds) <= 0.005 && radius(after: seconds - 1) > 0.005, "\(seconds)")
        #expect(seconds > 6 * 3600 && seconds < 9 * 3600, "\(seconds)")
        // The analysis at that time (to the next minute, the data's step) has it decided; two minutes before, not.
        let due = 7200 + (seconds + 59) / 60 * 60
        #expect(Self.analysis(release, at: due).guardrailWaits.first?.decided == true)
        let before = Self.analysis(release, at: due - 120).guardrailWaits.first
        #expect(before?.decided == false && (before?.secondsLeft ?? 0) > 0)
        #expect(Self.analysis(release, at: due).guardrailWaits.first?.secondsLeft == 0)
        // A stage younger than five minutes has no rate to wait with.
        let young = try #require(Self.analysis(release, at: 7200, entered: 7100).guardrailWaits.first)
        #expect(young.secondsLeft == nil && young.unknownReason == "measuring the stage's traffic (5m needed)")
    }

    /// What cannot be waited for is nil, never a number: no margin, no traffic and too wide, or a wait past a year.
    @Test func waitsThatCannotBeToldAreNil() {
        let few = (rate: 0.02, n: 100.0, perHour: 0.0)
        #expect(GuardrailWait.seconds(margin: 0, tau: 0.005, alpha: 0.05, champion: few, challenger: few) == nil)
        #expect(GuardrailWait.seconds(margin: 0.005, tau: 0.005, alpha: 0.05, champion: few, challenger: few) == nil)
        let trickle = (rate: 0.02, n: 100.0, perHour: 0.01)
        #expect(GuardrailWait.seconds(margin: 0.0001, tau: 0.005, alpha: 0.05, champion: trickle, challenger: trickle) == nil)
        // Already narrow enough: no wait.
        let many = (rate: 0.02, n: 1e9, perHour: 0.0)
        #expect(GuardrailWait.seconds(margin: 0.005, tau: 0.005, alpha: 0.05, champion: many, challenger: many) == 0)
    }

    @Test func powerAndAlphaAreReadAndChecked() throws {
        func release(_ extra: String) throws -> Release {
            try JSONDecoder().decode(Release.self, from: Data("""
            {"slug": "r", "model": "m", "champion": "1", "challenger": "2",
             "stages": [{"name": "ab", "kind": "ab", "traffic": 50, "bake": "10m"}]\(extra)}
            """.utf8))
        }
        let plain = try release("")
        #expect(plain.power == 0.8 && plain.alpha == 0.05 && plain.problems().isEmpty)
        let custom = try release(#", "power": 0.9, "alpha": 0.01"#)
        #expect(custom.power == 0.9 && custom.alpha == 0.01 && custom.problems().isEmpty)
        #expect(try release(#", "power": 1"#).problems().map(\.path.dotted) == ["power"])
        #expect(try release(#", "power": 0.04"#).problems().map(\.path.dotted) == ["power"])
        #expect(try release(#", "alpha": 0"#).problems().map(\.path.dotted) == ["alpha"])
        #expect(try release(#", "alpha": 0.6"#).problems().map(\.path.dotted) == ["alpha"])
    }

    @Test func countsAreShortAndNeverRoundUp() {
        #expect(NumberText.count(950) == "950")
        #expect(NumberText.count(8397.9) == "8.3k")
        #expect(NumberText.count(33_591.5) == "33.5k")
        #expect(NumberText.count(2_999_999) == "2.99M")
        #expect(NumberText.count(-3) == "0")
    }
}
