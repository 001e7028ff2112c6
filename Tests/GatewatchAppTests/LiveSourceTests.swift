import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite

/// A live source analyses again only when something it reads has changed: new samples, a new state or audit event,
/// or a new evaluation step. An idle poll costs the registry reads and one empty range scan.
@Suite struct LiveSourceTests {
    static let start: Timestamp = 1_762_074_000

    static func release() -> Release {
        Release(slug: "r", title: "r", model: "m", championVersion: "1", challengerVersion: "2", owner: "ana", changes: [],
                stages: [Stage(name: "canary", kind: .canary, trafficPercent: 10, bakeSeconds: 600),
                         Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                rules: [StopRule(name: "err", metric: .errorRate, comparator: .greaterThan, threshold: 0.5, forSeconds: 0, severity: .rollback)],
                segments: [Segment("market=BR")])
    }

    static func minute(_ k: Int) -> [SeriesKey: [Sample]] {
        var batch: [SeriesKey: [Sample]] = [:]
        for arm in Arm.allCases {
            batch[SeriesKey(.decisions, arm: arm, segment: "market=BR", extra: "allow")] = [Sample(time: start + Int64(k * 60), value: Double(k * 100))]
            batch[SeriesKey(.errors, arm: arm, segment: "market=BR")] = [Sample(time: start + Int64(k * 60), value: Double(k))]
        }
        return batch
    }

    @Test func anIdlePollReturnsTheLastAnalysisAndAnythingNewAnalysesAgain() throws {
        let store = try SQLiteStore()
        let state = RolloutState(stageIndex: 0, stageEnteredAt: Self.start, startedAt: Self.start, status: .running, version: 1)
        try store.create(Self.release(), state: state, event: AuditEvent(release: "r", time: Self.start, actor: "ana", role: .owner,
                                                                        kind: .start, reason: "go", fromState: "", toState: "canary"))
        for k in 0...10 { try store.append(release: "r", samples: Self.minute(k)) }
        let source = LiveSource(slug: "r", registry: store, metricsStore: store, description: "t")
        let t = Self.start + 10 * 60 + 5
        let first = try source.refresh(at: t).analysis
        #expect(first.asOf == t)
        // Nothing new, same evaluation step: the same analysis.
        #expect(try source.refresh(at: t + 20).analysis.asOf == t)
        // A new sample (here between the minutes): analysed again, within the same step.
        try store.append(release: "r", samples: [SeriesKey(.errors, arm: .challenger, segment: "market=BR"): [Sample(time: t + 25, value: 10.5)]])
        #expect(try source.refresh(at: t + 30).analysis.asOf == t + 30)
        // A new evaluation step: analysed again.
        #expect(try source.refresh(at: t + 60).analysis.asOf == t + 60)
        // A new audit event: analysed again.
        try store.append(AuditEvent(release: "r", time: t + 71, actor: "ana", role: .owner, kind: .note, reason: "n", fromState: "canary", toState: "canary"))
        #expect(try source.refresh(at: t + 75).analysis.asOf == t + 75)
        #expect(try source.refresh(at: t + 80).analysis.asOf == t + 75)
        // A new state: analysed again.
        var paused = state
        paused.status = .paused
        try store.transition("r", expectedVersion: 1, to: paused, event: AuditEvent(release: "r", time: t + 81, actor: "ana", role: .owner,
                                                                                   kind: .pause, reason: "p", fromState: "canary", toState: "canary"))
        let after = try source.refresh(at: t + 85).analysis
        #expect(after.asOf == t + 85 && after.state.status == .paused)
    }
}
