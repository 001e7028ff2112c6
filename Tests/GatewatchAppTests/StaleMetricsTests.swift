import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchPrometheus
import GatewatchUI

/// A metrics source that stops answering: the rules are held where the data ends (none turns `ok` for lack of
/// data, even with `no_data: ok`), promotion waits for fresh metrics, rollback does not, and the screen says how
/// old the data is.
@Suite struct StaleMetricsTests {
    static let start: Timestamp = 1_762_074_000

    /// A rule whose `no_data: ok` would clear it as soon as the samples stop.
    static func release() -> Release {
        Release(slug: "r", title: "r", model: "m", championVersion: "1", challengerVersion: "2", owner: "ana", changes: [],
                stages: [Stage(name: "canary", kind: .canary, trafficPercent: 10, bakeSeconds: 60),
                         Stage(name: "full", kind: .full, trafficPercent: 100, bakeSeconds: 0)],
                rules: [StopRule(name: "err", metric: .errorRate, comparator: .greaterThan, threshold: 0.05, windowSeconds: 300,
                                 forSeconds: 120, severity: .rollback, noData: .ok)],
                segments: [Segment("market=BR")])
    }

    /// Ten percent errors on both arms, one sample a minute.
    static func minute(_ k: Int) -> [SeriesKey: [Sample]] {
        var batch: [SeriesKey: [Sample]] = [:]
        for arm in Arm.allCases {
            batch[SeriesKey(.decisions, arm: arm, segment: "market=BR", extra: "allow")] = [Sample(time: start + Int64(k * 60), value: Double(k * 100))]
            batch[SeriesKey(.errors, arm: arm, segment: "market=BR")] = [Sample(time: start + Int64(k * 60), value: Double(k * 10))]
        }
        return batch
    }

    /// The embedded store's samples until `failing` is set, then the error a dead Prometheus gives.
    final class FailingMetrics: MetricsStore, @unchecked Sendable {
        let store: SQLiteStore
        let lock = NSLock()
        var failing = false
        init(_ store: SQLiteStore) { self.store = store }
        func samples(release: String, after: Timestamp?, through: Timestamp) throws -> [SeriesKey: [Sample]] {
            if lock.withLock({ failing }) { throw PrometheusError.transport("http://127.0.0.1:9: connection refused") }
            return try store.samples(release: release, after: after, through: through)
        }
    }

    func source() throws -> (LiveSource, FailingMetrics) {
        let store = try SQLiteStore()
        let state = RolloutState(stageIndex: 0, stageEnteredAt: Self.start, startedAt: Self.start, status: .running, version: 1)
        try store.create(Self.release(), state: state, event: AuditEvent(release: "r", time: Self.start, actor: "ana", role: .owner,
                                                                        kind: .start, reason: "go", fromState: "", toState: "canary"))
        for k in 0...20 { try store.append(release: "r", samples: Self.minute(k)) }
        let metrics = FailingMetrics(store)
        return (LiveSource(slug: "r", registry: store, metricsStore: metrics, description: "t"), metrics)
    }

    @Test func aSourceThatStopsAnsweringHoldsTheRulesInsteadOfClearingThem() throws {
        let (live, metrics) = try source()
        let t = Self.start + 20 * 60
        let before = try live.refresh(at: t)
        #expect(before.problem == nil && before.analysis.metricsThrough == nil)
        #expect(before.analysis.rules.first?.status == .firing)
        #expect(before.analysis.gates.first?.gate != .metricsFresh)

        metrics.lock.withLock { metrics.failing = true }
        let later = t + 30 * 60
        let after = try live.refresh(at: later)
        let rule = try #require(after.analysis.rules.first)
        print("stale metrics: source down for 30 min; rule 'err' (no_data: ok) \(before.analysis.rules[0].status.rawValue) → \(rule.status.rawValue), held at \(rule.evaluatedAt.map(String.init) ?? "-")")
        #expect(after.problem?.contains("connection refused") == true, "\(after.problem ?? "")")
        #expect(rule.status == .firing, "a rule must not turn ok because the source is down")
        #expect(rule.evaluatedAt == t)
        #expect(after.analysis.asOf == later && after.analysis.metricsThrough == t && after.analysis.metricsLag == 1800)
        #expect(after.analysis.timeInStage == later - Self.start, "the state part stays current")
        let gate = try #require(after.analysis.gates.first)
        #expect(gate.gate == .metricsFresh && !gate.passed && gate.reason.contains("30m"), "\(gate)")

        let owner = Operator(name: "ana", role: .owner)
        #expect(ActionLayer.blocker(.promote, analysis: after.analysis, by: owner)?.contains("metrics fresh") == true)
        #expect(ActionLayer.blocker(.rollback, analysis: after.analysis, by: owner) == nil, "rollback is never held by stale metrics")
        #expect(ActionLayer.blocker(.acknowledge(rule: "err", segment: nil), analysis: after.analysis, by: Operator(name: "on", role: .oncall)) == nil)

        // The same data evaluated as of the later time without the hold is what a naive view would show: ok.
        let naive = RuleEvaluator().evaluate(Self.release().rules[0], segment: nil,
                                             metrics: DerivedMetrics(MetricSeriesSet(try metrics.store.samples(release: "r", after: nil, through: later))),
                                             origin: Self.start, asOf: later, queueLimit: nil)
        #expect(naive.status == .ok, "the test's premise: no_data ok clears the rule once samples stop")

        // The source answers again, but its newest samples are still 30 minutes old: still held, now by their age.
        metrics.lock.withLock { metrics.failing = false }
        let back = try live.refresh(at: later + 5)
        #expect(back.problem == nil && back.analysis.freshness?.pollFailure == nil)
        #expect(back.analysis.metricsThrough == t && back.analysis.rules.first?.status == .firing)
        #expect(back.analysis.gates.first?.gate == .metricsFresh)
        // New samples arrive (after what the source has read): the hold is lifted at once.
        for k in 51...60 { try metrics.store.append(release: "r", samples: Self.minute(k)) }
        let current = try live.refresh(at: Self.start + 60 * 60 + 10)
        #expect(current.problem == nil && current.analysis.metricsThrough == nil)
        #expect(current.analysis.gates.first?.gate != .metricsFresh)
    }

    @Test func aPollThatHasNotComeBackHoldsPromotionButNotRollback() throws {
        let (live, _) = try source()
        let analysis = try live.refresh(at: Self.start + 20 * 60).analysis
        let polled = 1_000.0
        let health = SourceHealth(sourceName: "prometheus", lastSuccess: polled, pollInterval: 1)
        let snapshot = ReleaseSnapshot(analysis: analysis, health: health)
        #expect(health.staleAfter == 15)
        #expect(health.staleAge(now: polled + 10) == nil)
        #expect(snapshot.analysisForActions(now: polled + 10).gates.first?.gate != .metricsFresh)
        let held = snapshot.analysisForActions(now: polled + 40)
        #expect(held.gates.first?.gate == .metricsFresh && held.gates.first?.reason == "no answer from the sources for 40s", "\(held.gates)")
        let owner = Operator(name: "ana", role: .owner)
        #expect(ActionLayer.blocker(.promote, analysis: held, by: owner) != nil)
        #expect(ActionLayer.blocker(.rollback, analysis: held, by: owner) == nil)
    }

    @Test func theReleaseScreenShowsTheAgeAndKeepsTheLastGoodData() throws {
        let (live, metrics) = try source()
        let t = Self.start + 20 * 60
        _ = try live.refresh(at: t)
        metrics.lock.withLock { metrics.failing = true }
        let result = try live.refresh(at: t + 150)
        let polled = 5_000.0
        let health = SourceHealth(sourceName: "prometheus http://127.0.0.1:9", lastSuccess: polled, lastError: result.problem, pollInterval: 1)
        var screen = ReleaseScreen()
        screen.focus = .rules
        let canvas = screen.render(ReleaseSnapshot(analysis: result.analysis, health: health), keys: .default,
                                   context: RenderContext(width: 160, height: 40, now: polled + 150),
                                   actor: Operator(name: "ana", role: .owner))
        let text = canvas.plainText()
        let lines = text.split(separator: "\n").map(String.init)
        let banner = try #require(lines.first { $0.contains("STALE") && $0.contains("rules held") }, "\(text)")
        #expect(banner.contains("ROLLBACK RULE FIRING: err") && banner.contains("data 2m old"), "\(banner)")
        #expect(lines.last?.contains("STALE (data 2m old): metrics: http://127.0.0.1:9: connection refused") == true, "\(lines.last ?? "")")
        #expect(banner.contains("rollback works"))
        #expect(text.contains("Stop rules [") && text.contains("] (held at"), "\(text)")
        #expect(text.contains("firing"), "the last good rule states stay on screen: \(text)")

        // A metrics source that never answered: the age is the metrics' lag, not the time since a success there was none of.
        let never = SourceHealth(sourceName: "prometheus", lastError: result.problem, pollInterval: 1)
        let neverText = screen.render(ReleaseSnapshot(analysis: result.analysis, health: never), keys: .default,
                                      context: RenderContext(width: 160, height: 40, now: polled + 150)).plainText()
        #expect(neverText.contains("STALE: data 2m old · rules held at"), "\(neverText)")
        let footer = try #require(lines.first { $0.contains("promote") && $0.contains("roll back") }, "\(text)")
        #expect(footer.contains("promote — blocked: metrics fresh"), "\(footer)")
        #expect(!footer.contains("roll back — blocked"), "\(footer)")
    }
}
