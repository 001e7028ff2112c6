import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// Pause never switches automatic rollback off; only an explicit, time-limited hold does. Refusals on the dashboard
/// are audited like the command line's. A lost race names the real winner. A future-dated sample never moves the
/// clock.
@Suite struct FailSafeActionTests {
    static let owner = Operator(name: "ana", role: .owner)
    static let oncall = Operator(name: "omar", role: .oncall)
    static let reviewer = Operator(name: "rita", role: .reviewer)

    /// The healthy scenario with a challenger whose latency fires the p99 rollback rule after a while.
    static func slowChallenger(autoRollback: Bool = true) throws -> (Scenario, SQLiteStore, DemoSource) {
        var scenario = try SnapshotSupport.scenario()
        scenario.simulation.autoPromote = false
        scenario.simulation.autoRollback = autoRollback
        scenario.simulation.challenger.latencyMedianMs = 250
        scenario.simulation.challenger.latencyP99Ms = 1500
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "t", speed: 0)
        return (scenario, store, source)
    }

    @Test func theControllerRollsBackAPausedRelease() throws {
        let (scenario, store, source) = try Self.slowChallenger()
        let a = try source.poll(simulatedTime: scenario.simulation.start + 5 * 60)
        #expect(a.firingRollbackRules.isEmpty)
        #expect(ActionLayer(registry: store).perform(.pause, analysis: a, by: Self.oncall, reason: "looking", at: a.asOf).succeeded)
        let later = try source.poll(simulatedTime: scenario.simulation.start + 90 * 60)
        #expect(later.state.status == .rolledBack, "a paused release with a firing rollback rule was not rolled back")
        let rollback = try #require(try store.auditEvents(release: a.release.slug).last { $0.kind == .rollback })
        #expect(rollback.actor == DemoDriver.controllerName)
    }

    @Test func onlyAnExplicitHoldStopsAutomaticRollbackAndItExpires() throws {
        let (scenario, store, source) = try Self.slowChallenger()
        let a = try source.poll(simulatedTime: scenario.simulation.start + 5 * 60)
        let layer = ActionLayer(registry: store)
        // A reason is required, and a hold is limited in time.
        #expect(layer.perform(.holdRollback(seconds: 1800), analysis: a, by: Self.oncall, reason: " ", at: a.asOf).message
            == "hold automatic rollback refused: a reason is required")
        #expect(!layer.perform(.holdRollback(seconds: 5 * 3600), analysis: a, by: Self.oncall, reason: "x", at: a.asOf).succeeded)
        #expect(!layer.perform(.holdRollback(seconds: 1800), analysis: a, by: Self.reviewer, reason: "x", at: a.asOf).succeeded)
        let held = layer.perform(.holdRollback(seconds: 3600), analysis: a, by: Self.oncall, reason: "INC-7 investigating", at: a.asOf)
        #expect(held.succeeded, "\(held.message)")
        let during = try source.poll(simulatedTime: scenario.simulation.start + 60 * 60)
        #expect(!during.firingRollbackRules.isEmpty, "the premise: the rule fires while the hold is on")
        #expect(during.state.status == .running)
        #expect(during.state.activeRollbackHold(at: during.asOf)?.by == "omar")
        // The hold ends by itself: at the next step after it the controller rolls back.
        let after = try source.poll(simulatedTime: scenario.simulation.start + 5 * 60 + 3600 + 120)
        #expect(after.state.status == .rolledBack)
        let events = try store.auditEvents(release: a.release.slug)
        let hold = try #require(events.first { $0.kind == .holdRollback })
        #expect(hold.reason == "INC-7 investigating")
        #expect(RolloutState.holdEnd(fromEventState: hold.toState) == a.asOf + 3600)
        // The replayed state carries the hold as the audit log says.
        let replayed = try #require(StateReplay.state(of: a.release, events: events, asOf: a.asOf + 60))
        #expect(replayed.rollbackHold?.until == a.asOf + 3600)
    }

    @Test func thePauseDialogSaysAutomaticRollbackStaysOn() throws {
        let (scenario, _, source) = try Self.slowChallenger()
        let a = try source.poll(simulatedTime: scenario.simulation.start + 5 * 60)
        let pause = ConfirmDialog(action: .pause, analysis: a)
        #expect(pause.effects.contains("stays on: automatic rollback when a rollback rule fires (H holds it)"))
        let hold = ConfirmDialog(action: .holdRollback(seconds: 1800), analysis: a)
        #expect(hold.title == "Hold automatic rollback of fraud-scoring-v8?")
        #expect(hold.effects.contains { $0.hasPrefix("for 30m, until") })
        #expect(hold.problem == "a reason is required")
    }

    @Test func aRefusalOnTheDashboardIsAudited() throws {
        let (scenario, store, source) = try Self.slowChallenger(autoRollback: false)
        let a = try source.poll(simulatedTime: scenario.simulation.start + 10 * 60)
        var model = AppModel()
        model.update([ReleaseSnapshot(analysis: a, health: SourceHealth(sourceName: "t", lastSuccess: Date().timeIntervalSince1970))])
        model.screen = .release
        model.actor = Self.reviewer
        _ = model.handle(.character("r"))
        let refused = try #require(model.refused)
        #expect(refused.action == .rollback && refused.why.contains("reviewer may not roll back"))
        #expect(model.dialog == nil)
        // The loop writes it through the action layer.
        let outcome = ActionLayer(registry: store).refuse(refused.action, why: refused.why, analysis: a, by: Self.reviewer, at: a.asOf)
        #expect(!outcome.succeeded)
        let last = try #require(try store.auditEvents(release: a.release.slug).last)
        #expect(last.kind == .refusal && last.actor == "rita" && last.reason.hasPrefix("roll back refused: reviewer may not roll back"))

        model.actor = Self.owner
        model.effects.removeAll()
        _ = model.handle(.character("p"))
        #expect(model.refused?.action == .promote, "a blocked promote is a refusal to audit")
    }

    /// A registry whose appends fail: the refusal says it could not be written.
    final class ReadOnlyRegistry: Registry, @unchecked Sendable {
        let inner: SQLiteStore
        init(_ inner: SQLiteStore) { self.inner = inner }
        func releaseSlugs() throws -> [String] { try inner.releaseSlugs() }
        func release(_ slug: String) throws -> Release? { try inner.release(slug) }
        func state(_ slug: String) throws -> RolloutState? { try inner.state(slug) }
        func create(_ release: Release, state: RolloutState, event: AuditEvent) throws { throw RegistryError.unavailable("read-only") }
        func transition(_ slug: String, expectedVersion: Int64, to newState: RolloutState, event: AuditEvent) throws {
            throw RegistryError.unavailable("read-only")
        }
        func append(_ event: AuditEvent) throws { throw RegistryError.unavailable("disk full") }
        func auditEvents(release: String?) throws -> [AuditEvent] { try inner.auditEvents(release: release) }
    }

    @Test func aRefusalThatCannotBeWrittenSaysSo() throws {
        let (scenario, store, source) = try Self.slowChallenger(autoRollback: false)
        let a = try source.poll(simulatedTime: scenario.simulation.start + 10 * 60)
        let outcome = ActionLayer(registry: ReadOnlyRegistry(store)).perform(.rollback, analysis: a, by: Self.reviewer, reason: "x", at: a.asOf)
        #expect(outcome.message.contains("the refusal could not be written to the audit log: registry unavailable: disk full"), "\(outcome.message)")
    }

    @Test func theLoserOfARaceIsToldTheRealWinner() throws {
        let (scenario, store, source) = try Self.slowChallenger(autoRollback: false)
        let a = try source.poll(simulatedTime: scenario.simulation.start + 10 * 60)
        // Another operator pauses first, 0 s before; the older controller events must not be named.
        #expect(ActionLayer(registry: store).perform(.pause, analysis: a, by: Self.oncall, reason: "first", at: a.asOf).succeeded)
        let lost = ActionLayer(registry: store).perform(.rollback, analysis: a, by: Self.owner, reason: "second", at: a.asOf)
        #expect(lost.message.contains("paused by omar 0s ago"), "\(lost.message)")
        let refusal = try #require(try store.auditEvents(release: a.release.slug).last)
        #expect(refusal.kind == .refusal && refusal.reason.contains("paused by omar 0s ago"))
    }

    @Test func aFutureDatedSampleIsRefusedAndNeverMovesTheClock() throws {
        let (scenario, store, source) = try Self.slowChallenger(autoRollback: false)
        let slug = scenario.release.slug
        let firing = try source.poll(simulatedTime: scenario.simulation.start + 90 * 60)
        #expect(!firing.firingRollbackRules.isEmpty)
        // One queue-depth sample dated 2030, written by something else.
        try store.append(release: slug, samples: [SeriesKey(.reviewQueueDepth): [Sample(time: 1_893_456_000, value: 5)]])
        let now = firing.asOf
        let live = LiveSource(slug: slug, registry: store, metricsStore: store, description: "t", now: { now })
        let (a, _) = try live.refresh(at: now)
        #expect(a.asOf == now)
        #expect(!a.firingRollbackRules.isEmpty, "the future-dated sample hid the firing rule")
        #expect(a.freshness?.refusedFuture?.count == 1)
        #expect(a.freshness?.refusedFuture?.first == 1_893_456_000)
        #expect(CheckVerdict(a) == .rollback)
        #expect(a.gates.first { $0.gate == .metricsFresh }?.reason.contains("dated 2030-01-01 00:00 refused") == true)
        // An action's event is dated by the clock, not by the sample.
        let done = ActionLayer(registry: store).perform(.rollback, analysis: a, by: Self.oncall, reason: "p99", at: live.clock)
        #expect(done.succeeded)
        #expect(try store.auditEvents(release: slug).last?.time == now)
    }

    @Test func theDemoNeverStoresASampleFromTheFutureOfItsClock() throws {
        let (scenario, store, source) = try Self.slowChallenger(autoRollback: false)
        _ = try source.poll(simulatedTime: scenario.simulation.start + 45 * 60)
        let slug = scenario.release.slug
        #expect(try store.futureSamples(release: slug, after: source.clock) == nil)
        #expect(try store.demoClock(release: slug) == source.clock)
        // Labels arrive after their delay, stamped when they arrive.
        let labels = try store.samples(release: slug, after: nil, through: source.clock).filter { $0.key.family == .labels }
        #expect(!labels.isEmpty)
        #expect(labels.values.allSatisfy { $0.first!.time >= scenario.simulation.start + scenario.simulation.labelDelay })
    }
}
