import Foundation
import GatewatchCore
import NIOConcurrencyHelpers

/// A release on real sources (an MLflow registry, a Prometheus-compatible metrics store, or an embedded store
/// file): the registry is read first, so state and actions keep working when the metrics store is down or slow —
/// the analysis then uses the metrics fetched before and the failure is reported.
public final class LiveSource: ReleaseSource, Sendable {
    public let slug: String
    public let registry: any Registry
    public let metricsStore: any MetricsStore
    public let description: String
    public let speed: Double = 1
    /// What one poll carries to the next; a poll holds the lock for its whole length.
    private struct Polled {
        var cursor: Timestamp?
        var metrics = MetricSeriesSet()
        var lastRules: [RuleEvaluation]?
        var thinning = ThinningSchedule()
        /// The last analysis and what it was computed from, so an idle poll (no new sample, same state, no new
        /// audit event, same evaluation step) returns it instead of analysing again.
        var last: (analysis: ReleaseAnalysis, state: RolloutState, events: Int, step: Int64)?
        /// The release spec does not change during a release; read once (MLflow reads cost a round trip each).
        var spec: Release?
    }
    private let polled = NIOLockedValueBox(Polled())
    private let analyzer: ReleaseAnalyzer
    /// The clock the release runs on: the wall clock, or the demo's own for a release the demo drives in its store.
    private let now: @Sendable () -> Timestamp

    /// `freshness` (default: three evaluation steps plus `pollInterval`) says when the data counts as stale; `now` is
    /// the clock (default: the wall clock).
    public init(slug: String, registry: any Registry, metricsStore: any MetricsStore, description: String,
                pollInterval: Double = 1, freshness: FreshnessPolicy? = nil,
                now: @escaping @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970) }) {
        self.slug = slug
        self.registry = registry
        self.metricsStore = metricsStore
        self.description = description
        self.now = now
        analyzer = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: 60, maximumLookback: 6 * 3600),
                                   comparator: SegmentComparator(looks: LookCountCache()),
                                   freshness: freshness ?? .standard(evaluationInterval: 60, pollInterval: pollInterval))
    }

    public var clock: Timestamp { now() }

    public func refresh(at time: Timestamp) throws -> (analysis: ReleaseAnalysis, problem: String?) {
        try polled.withLockedValue { p in try refresh(&p, at: time) }
    }

    private func refresh(_ p: inout Polled, at time: Timestamp) throws -> (analysis: ReleaseAnalysis, problem: String?) {
        if p.spec == nil { p.spec = try registry.release(slug) }
        guard let release = p.spec, let state = try registry.state(slug) else {
            throw RegistryError.unknownRelease(slug)
        }
        let events = try registry.auditEvents(release: slug)
        var problem: String?
        var newSamples = 0
        var future: FutureSamples?
        // The poller's time never runs ahead of this release's clock: a sample dated later is refused, not read.
        let time = min(time, now())
        do {
            let fresh = try metricsStore.samples(release: slug, after: p.cursor, through: time)
            for (key, list) in fresh { p.metrics.append(list, to: key); newSamples += list.count }
            p.cursor = time
            p.thinning.apply(to: &p.metrics, analyzer: analyzer, release: release, state: state, at: time)
            future = try metricsStore.futureSamples(release: slug, after: time + analyzer.freshness.futureSkew)
        } catch {
            problem = "metrics: \(error)"
        }
        let step = (time - state.startedAt).dividedRoundingDown(by: analyzer.evaluator.interval)
        if problem == nil, newSamples == 0, let last = p.last, last.analysis.freshness?.pollFailure == nil, last.state == state,
           last.events == events.count, last.step == step, last.analysis.freshness?.refusedFuture == future {
            return (last.analysis, nil)
        }
        // With metrics down or stopped the analysis is still as of now: the state (stage, bake time) and the audit
        // trail are current. The rules are held where the data ends (a source that does not answer, or whose
        // samples stopped, is not "no data": no rule may turn ok for it), promotion waits for fresh metrics, and the
        // screen says how old they are.
        let asOf = max(time, state.startedAt)
        let analysis = analyzer.analyze(release: release, state: state, metrics: p.metrics, asOf: asOf,
                                        approvals: events, previousRules: p.lastRules,
                                        metricsThrough: problem == nil ? nil : (p.cursor ?? state.startedAt),
                                        pollError: problem, refusedFuture: future)
        p.lastRules = analysis.rules
        p.last = (analysis, state, events.count, step)
        return (analysis, problem)
    }
}

private extension Int64 {
    /// Floor division (the evaluation step a time falls in, also before the origin).
    func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
