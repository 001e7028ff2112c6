import Foundation
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import NIOConcurrencyHelpers

/// The embedded source: a scenario run by the simulator into a SQLite store, read back through the `Registry` and
/// `MetricsStore` protocols with an incremental cursor like any other source. A poll holds the source's lock for
/// its whole length (the poller's thread polls; the UI thread may poll once before it starts).
public final class DemoSource: Sendable {
    public let driver: DemoDriver
    public let registry: any Registry
    public let metricsStore: any MetricsStore
    public let description: String
    public let speed: Double
    /// What one poll carries to the next.
    private struct Polled {
        var cursor: Timestamp?
        var metrics = MetricSeriesSet()
        var lastRules: [RuleEvaluation]?
        var thinning = ThinningSchedule()
    }
    private let polled = NIOLockedValueBox(Polled())
    private let analyzer: ReleaseAnalyzer

    /// `freshness`: the bound the screen judges the data by (default: three evaluation steps plus a 1 s poll, as a
    /// config without `stale_after` gives every command).
    public init(scenario: Scenario, store: SQLiteStore, description: String, speed: Double, freshness: FreshnessPolicy? = nil) throws {
        driver = try DemoDriver(scenario: scenario, store: store)
        registry = store
        metricsStore = store
        self.description = description
        self.speed = speed
        analyzer = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: 60, maximumLookback: 6 * 3600),
                                   comparator: SegmentComparator(looks: LookCountCache()),
                                   freshness: freshness ?? .standard(evaluationInterval: 60, pollInterval: 1))
    }

    /// Advances the simulation to `simulatedTime`, polls what is new and analyses the release.
    public func poll(simulatedTime: Timestamp) throws -> ReleaseAnalysis {
        try polled.withLockedValue { p in
            try driver.advance(to: simulatedTime)
            let slug = driver.scenario.release.slug
            guard let release = try registry.release(slug), let state = try registry.state(slug) else {
                throw RegistryError.unknownRelease(slug)
            }
            let asOf = driver.clock
            let fresh = try metricsStore.samples(release: slug, after: p.cursor, through: asOf)
            for (key, list) in fresh { p.metrics.append(list, to: key) }
            p.cursor = asOf
            p.thinning.apply(to: &p.metrics, analyzer: analyzer, release: release, state: state, at: asOf)
            let events = try registry.auditEvents(release: slug)
            let analysis = analyzer.analyze(release: release, state: state, metrics: p.metrics, asOf: asOf, approvals: events,
                                            previousRules: p.lastRules)
            p.lastRules = analysis.rules
            return analysis
        }
    }
}
