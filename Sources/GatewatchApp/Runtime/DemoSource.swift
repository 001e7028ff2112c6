import Foundation
import GatewatchCore
import GatewatchStores

/// The embedded source: a scenario run by the simulator into a SQLite store, read back through the `Registry` and
/// `MetricsStore` protocols with an incremental cursor like any other source.
public final class DemoSource: @unchecked Sendable {
    public let driver: DemoDriver
    public let registry: any Registry
    public let metricsStore: any MetricsStore
    public let description: String
    public let speed: Double
    private var cursor: Timestamp?
    private var metrics = MetricSeriesSet()
    private var lastRules: [RuleEvaluation]?
    private var thinning = ThinningSchedule()
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
        try driver.advance(to: simulatedTime)
        let slug = driver.scenario.release.slug
        guard let release = try registry.release(slug), let state = try registry.state(slug) else {
            throw RegistryError.unknownRelease(slug)
        }
        let asOf = driver.clock
        let fresh = try metricsStore.samples(release: slug, after: cursor, through: asOf)
        for (key, list) in fresh { metrics.append(list, to: key) }
        cursor = asOf
        thinning.apply(to: &metrics, analyzer: analyzer, release: release, state: state, at: asOf)
        let events = try registry.auditEvents(release: slug)
        let analysis = analyzer.analyze(release: release, state: state, metrics: metrics, asOf: asOf, approvals: events,
                                        previousRules: lastRules)
        lastRules = analysis.rules
        return analysis
    }
}
