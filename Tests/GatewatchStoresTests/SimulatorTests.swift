import Foundation
import Testing
import GatewatchCore
@testable import GatewatchScenario

@Suite struct SimulatorTests {
    static func state(stage: Int, status: RolloutStatus = .running, at t: Timestamp) -> RolloutState {
        RolloutState(stageIndex: stage, stageEnteredAt: t, startedAt: t, status: status)
    }

    /// Steps `count` times from the scenario start, with the state given per step.
    static func run(_ sim: inout Simulator, steps count: Int, state: (Int) -> RolloutState) -> [[SeriesKey: [Sample]]] {
        (1...count).map { k in sim.step(at: sim.model.start + Int64(k) * sim.model.step, state: state(k)) }
    }

    @Test func sameScenarioSameStepsSameSamples() throws {
        let scenario = try TestSupport.healthyScenario()
        var a = Simulator(model: scenario.simulation, release: scenario.release)
        var b = Simulator(model: scenario.simulation, release: scenario.release)
        let start = scenario.simulation.start
        let plan: (Int) -> RolloutState = { k in Self.state(stage: k < 20 ? 0 : (k < 40 ? 2 : 4), at: start) }
        let ra = Self.run(&a, steps: 60, state: plan)
        let rb = Self.run(&b, steps: 60, state: plan)
        #expect(ra == rb)
        #expect(a.counters == b.counters)
        #expect(a.queueDepth == b.queueDepth)
        // and it is not trivially constant: decisions differ between steps
        let key = SeriesKey(.decisions, arm: .champion, segment: "market=BR,surface=app", extra: "allow")
        let increments = zip(ra.dropFirst(), ra).map { ($0[key]!.last!.value - $1[key]!.last!.value) }
        #expect(Set(increments).count > 5)
    }

    @Test func aStepDependsOnlyOnItsTimeNotOnWhatRanBefore() throws {
        let scenario = try TestSupport.healthyScenario()
        let start = scenario.simulation.start
        var full = Simulator(model: scenario.simulation, release: scenario.release)
        let all = Self.run(&full, steps: 10, state: { _ in Self.state(stage: 2, at: start) })
        // a simulator resumed from the counters after step 9 produces the same step 10
        var resumed = Simulator(model: scenario.simulation, release: scenario.release)
        _ = Self.run(&resumed, steps: 9, state: { _ in Self.state(stage: 2, at: start) })
        var fresh = Simulator(model: scenario.simulation, release: scenario.release, resumeFrom: resumed.counters.merging(
            [SeriesKey(.reviewQueueDepth): resumed.queueDepth]) { $1 })
        let tenth = fresh.step(at: start + 10 * scenario.simulation.step, state: Self.state(stage: 2, at: start))
        #expect(tenth == all[9])
    }

    @Test func aDifferentSeedGivesDifferentSamples() throws {
        let scenario = try TestSupport.healthyScenario()
        var other = scenario.simulation
        other.seed &+= 1
        var a = Simulator(model: scenario.simulation, release: scenario.release)
        var b = Simulator(model: other, release: scenario.release)
        let start = scenario.simulation.start
        let ra = Self.run(&a, steps: 10, state: { _ in Self.state(stage: 2, at: start) })
        let rb = Self.run(&b, steps: 10, state: { _ in Self.state(stage: 2, at: start) })
        #expect(ra != rb)
        #expect(Set(ra.last!.keys) == Set(rb.last!.keys))  // same series, different values
        let differing = ra.last!.keys.filter { ra.last![$0] != rb.last![$0] }
        #expect(differing.count > 20)
    }

    /// Served decisions per arm summed over every segment, from the cumulative counters after the run.
    static func totals(_ sim: Simulator) -> [Arm: Double] {
        var t: [Arm: Double] = [:]
        for (key, value) in sim.counters where key.family == .decisions { t[key.arm!, default: 0] += value }
        return t
    }

    @Test func canaryFivePercentSplitsTrafficAsPlanned() throws {
        let scenario = try TestSupport.healthyScenario()
        #expect(scenario.release.stages[2].name == "canary-5")
        var sim = Simulator(model: scenario.simulation, release: scenario.release)
        let steps = Self.run(&sim, steps: 200, state: { _ in Self.state(stage: 2, at: scenario.simulation.start) })
        let t = Self.totals(sim)
        let total = t[.champion]! + t[.challenger]!
        // about 1200 decisions a minute
        #expect(abs(total - 200 * 1200) < 200 * 1200 * 0.02)
        let share = t[.challenger]! / total
        #expect(abs(share - 0.05) <= 0.005, "challenger share \(share)")
        // every step's challenger increments are plausible for 5% too (never all or nothing)
        let key = SeriesKey(.decisions, arm: .challenger, segment: "market=BR,surface=app", extra: "allow")
        #expect(steps.allSatisfy { $0[key] != nil })
        // the split passes the gate's own SRM test
        let srm = try #require(SampleRatio.chiSquared(observed: [t[.champion]!, t[.challenger]!], expectedShares: [0.95, 0.05]))
        #expect(srm.pValue > 0.001)
    }

    @Test func shadowScoresEverythingWithoutServing() throws {
        let scenario = try TestSupport.healthyScenario()
        #expect(scenario.release.stages[0].kind == .shadow)
        var sim = Simulator(model: scenario.simulation, release: scenario.release)
        let steps = Self.run(&sim, steps: 60, state: { _ in Self.state(stage: 0, at: scenario.simulation.start) })
        let t = Self.totals(sim)
        #expect(t[.champion]! > 60 * 1000)
        #expect(t[.challenger] == t[.champion])
        // per segment and per step as well
        for segment in scenario.simulation.segments.map(\.segment) {
            for step in steps {
                let champion = DecisionAction.allCases.map { step[SeriesKey(.decisions, arm: .champion, segment: segment, extra: $0.rawValue)]!.last!.value }
                let challenger = DecisionAction.allCases.map { step[SeriesKey(.decisions, arm: .challenger, segment: segment, extra: $0.rawValue)]!.last!.value }
                #expect(champion.reduce(0, +) == challenger.reduce(0, +))
            }
        }
        #expect(Simulator.challengerShare(scenario.release, Self.state(stage: 0, at: 0)) == 0)
    }

    @Test func afterARollbackTheChallengerGetsNothing() throws {
        let scenario = try TestSupport.healthyScenario()
        let start = scenario.simulation.start
        var sim = Simulator(model: scenario.simulation, release: scenario.release)
        // 30 steps at 25%, then rolled back at that stage (and at the shadow stage, which must not shadow any more)
        _ = Self.run(&sim, steps: 30, state: { _ in Self.state(stage: 3, at: start) })
        let before = Self.totals(sim)
        #expect(before[.challenger]! > 0)
        for (stage, minutes) in [(3, 31...60), (0, 61...90)] {
            for k in minutes {
                let out = sim.step(at: start + Int64(k) * scenario.simulation.step,
                                   state: Self.state(stage: stage, status: .rolledBack, at: start))
                let challengerDecisions = out.filter { $0.key.family == .decisions && $0.key.arm == .challenger }
                #expect(challengerDecisions.count == 18)  // the series are still written (6 segments × 3 actions)…
            }
        }
        let t = Self.totals(sim)
        #expect(t[.challenger] == before[.challenger])  // no challenger decision since the rollback
        #expect(t[.champion]! > before[.champion]! + 50_000)
        #expect(Simulator.challengerShare(scenario.release, Self.state(stage: 3, status: .rolledBack, at: 0)) == 0)
    }
}
