import Foundation
import Testing
import GatewatchCore
@testable import GatewatchSQLite
@testable import GatewatchScenario

/// Each sample scenario tells its story: run it in an in-memory store with the rollout controller and check what the
/// analysis (the same one `check` and the screens use) says at the time the story is told.
@Suite struct ScenariosStoryTests {
    /// A scenario running in an in-memory store.
    struct Run {
        let scenario: Scenario
        let store: SQLiteStore
        let driver: DemoDriver

        init(_ name: String) throws {
            scenario = try ScenarioLoader.load(name, root: TestSupport.sampleDataRoot)
            store = try SQLiteStore()
            driver = try DemoDriver(scenario: scenario, store: store)
        }

        init(_ scenario: Scenario, store: SQLiteStore) throws {
            self.scenario = scenario
            self.store = store
            driver = try DemoDriver(scenario: scenario, store: store)
        }

        /// Advances to `offset` seconds after the scenario's start and analyses what the store holds by then.
        func analysis(after offset: Int64) throws -> ReleaseAnalysis {
            try driver.advance(to: scenario.simulation.start + offset)
            return try analyze()
        }

        func analyze() throws -> ReleaseAnalysis {
            let slug = scenario.release.slug
            let state = try #require(try store.state(slug))
            return ReleaseAnalyzer().analyze(release: scenario.release, state: state,
                                             metrics: driver.metrics.truncated(to: driver.clock), asOf: driver.clock,
                                             approvals: try store.auditEvents(release: slug))
        }
    }

    static let eu = "market=EU,surface=web"

    @Test func euSegmentRegressionIsHiddenByTheOverallNumbers() throws {
        let run = try Run("eu-segment-regression")
        let a = try run.analysis(after: 2 * 3600)

        // overall the challenger looks better …
        let overall = try #require(a.overall)
        let precision = try #require(overall.metrics[.precision])
        #expect(precision.estimate.delta > 0 && precision.estimate.pValue < 0.05, "overall precision \(precision.estimate)")
        let overallFPR = try #require(overall.metrics[.falsePositiveRate])
        #expect(!overallFPR.isWorse, "overall FPR should not be worse: \(overallFPR.estimate)")

        // … but EU web's false-positive rate rises significantly: a hidden regression, in that segment only
        let row = try #require(a.segments.first { $0.segment == Self.eu })
        let fpr = try #require(row.metrics[.falsePositiveRate])
        #expect(fpr.hiddenRegression)
        #expect(fpr.estimate.delta > 0.005 && (fpr.qValue ?? 1) < 0.05)
        let others = a.segments.filter { $0.segment != Self.eu && $0.metrics[.falsePositiveRate]?.hiddenRegression == true }
        #expect(others.isEmpty, "unexpected FPR regressions in \(others.compactMap(\.segment))")

        // the guardrail gate fails because of that segment's false-positive rate, and the stop rule fires there
        let gate = try #require(a.gates.first { $0.gate == .segmentGuardrails })
        #expect(gate.outcome == .failed)
        #expect(gate.reason.hasPrefix("\(Self.eu) false_positive_rate"), "\(gate.reason)")
        let rule = try #require(a.rules.first { $0.rule.name == "segment-fpr-vs-champion" && $0.segment == Self.eu })
        #expect(rule.status == .firing)
        #expect(a.rules.filter { $0.rule.name == "segment-fpr-vs-champion" && $0.segment != Self.eu }.allSatisfy { $0.status == .ok })
        #expect(!a.promotable)
        #expect(try run.store.state(run.scenario.release.slug)?.status == .running)
    }

    @Test func latencyRegressionIsRolledBackByTheController() throws {
        let run = try Run("latency-regression")
        let a = try run.analysis(after: 2 * 3600)
        let slug = run.scenario.release.slug
        #expect(a.state.status == .rolledBack)

        let rollbacks = try run.store.auditEvents(release: slug).filter { $0.kind == .rollback }
        let rollback = try #require(rollbacks.first)
        #expect(rollbacks.count == 1)
        #expect(rollback.actor == DemoDriver.controllerName && rollback.actor == "rollout-controller")
        #expect(rollback.role == .controller)
        #expect(rollback.reason.contains("challenger-p99-latency"), "\(rollback.reason)")
        #expect(rollback.toState == "rolled back")
        // the pool copes with the small canaries; it is the 25% stage that overloads it
        #expect(rollback.fromState == "canary-25")
        let p99 = try #require(a.rules.first { $0.rule.name == "challenger-p99-latency" })
        #expect(p99.rule.severity == .rollback)
        #expect(p99.history.contains { $0.to == .firing && ($0.value ?? 0) > 0.3 })
        #expect(!a.rules.contains { $0.rule.name == "challenger-error-rate" && $0.status != .ok })
        // after the rollback the challenger serves nothing
        let afterwards = a.stageDecisions[.challenger] ?? 0
        try run.driver.advance(to: run.scenario.simulation.start + 2 * 3600 + 600)
        let later = try run.analyze()
        #expect((later.stageDecisions[.challenger] ?? 0) == afterwards)
    }

    @Test func reviewQueueOverflowsAsTheChallengerGrows() throws {
        let run = try Run("review-queue-overflow")
        let early = try run.analysis(after: 160 * 60)
        // The growth is fitted over the last hour, so it trails an accelerating queue: pending by 3h05m.
        let a = try run.analysis(after: 185 * 60)
        let rule = try #require(a.rules.first { $0.rule.name == "review-queue-overflow" })
        #expect(rule.status == .pending || rule.status == .firing)
        let queue = try #require(a.queue)
        let hours = try #require(queue.hoursToOverflow)
        #expect(hours < 2, "hours to overflow \(hours)")
        #expect((queue.growthPerHour ?? 0) > 0)
        let earlier = try #require(early.queue?.hoursToOverflow)
        #expect(hours < earlier, "hours to overflow should shrink: \(earlier) → \(hours)")
        // the challenger sends a far larger share of its decisions to review
        let review = try #require(a.overall?.metrics[.reviewRate])
        #expect(review.estimate.delta > 0.02)
        #expect(a.gates.contains { $0.gate == .noBlockingRules && !$0.passed && $0.reason.contains("review-queue-overflow") })
    }

    @Test func thresholdOnlyUpdateChangesOnlyTheThreshold() throws {
        let run = try Run("threshold-only-update")
        let release = run.scenario.release
        #expect(release.championVersion == release.challengerVersion)
        #expect(release.changedObjects.map(\.kind) == [.threshold])
        #expect(!release.changesSeveralObjects)
        let change = try #require(release.changedObjects.first)
        #expect(change.from.contains("block=0.85") && change.to.contains("block=0.80"))
        // the release's thresholds are the challenger's; the champion keeps the old ones
        #expect(release.thresholds.block == 0.80)
        #expect(run.scenario.simulation.thresholds(.champion, release: release).block == 0.85)
        #expect(run.scenario.simulation.thresholds(.challenger, release: release) == release.thresholds)

        let a = try run.analysis(after: 2 * 3600)
        let block = try #require(a.overall?.metrics[.blockRate])
        #expect(block.estimate.delta > 0 && block.estimate.pValue < 0.01, "block rate \(block.estimate)")
        let recall = try #require(a.overall?.metrics[.recall])
        #expect(recall.estimate.delta > 0.03)
        // same model: the score distributions do not drift
        let drift = try #require(a.overall?.drift)
        #expect(drift.psi < 0.01)
        #expect(a.state.stageIndex >= 2 && a.state.status != .rolledBack)
    }

    @Test func srmBrokenAssignmentFailsTheSampleRatioGate() throws {
        let run = try Run("srm-broken-assignment")
        let a = try run.analysis(after: 90 * 60)
        #expect(a.stage.name == "canary-5")
        let srm = try #require(a.sampleRatio)
        #expect(srm.pValue < 0.001)
        let gate = try #require(a.gates.first { $0.gate == .sampleRatio })
        #expect(gate.outcome == .failed)
        let share = try #require(a.observedChallengerShare)
        #expect(abs(share - 0.07) < 0.01, "observed challenger share \(share)")
        #expect(!a.promotable)
        // before the mis-configured stage the split matched the plan
        let events = try run.store.auditEvents(release: run.scenario.release.slug)
        #expect(events.filter { $0.kind == .promote }.map(\.toState) == ["canary-1", "canary-5"])
    }

    @Test func everyNewScenarioIsListedWithADescription() throws {
        let list = ScenarioLoader.list(root: TestSupport.sampleDataRoot)
        let names = ["eu-segment-regression", "latency-regression", "review-queue-overflow", "threshold-only-update",
                     "srm-broken-assignment", "ads-brand-safety", "fleet", "fraud-canary-healthy", "post-release-review",
                     "post-release-review-v6", "post-release-review-v6-1", "hostile-names"]
        for name in names {
            let item = try #require(list.first { $0.name == name }, "\(name) is not listed")
            #expect(!item.description.isEmpty && !item.description.hasPrefix("("), "\(name): \(item.description)")
            #expect(!item.description.contains("\n"))
        }
        // every ordinary scenario loads, and its stage plan rises
        for item in list where !ScenarioLoader.isFleet(item.name, root: TestSupport.sampleDataRoot) {
            let s = try ScenarioLoader.load(item.name, root: TestSupport.sampleDataRoot)
            #expect(s.release.problems().isEmpty)
            #expect(s.clockKey == s.name && s.fleet == nil)
        }
    }
}
