import GatewatchCore

/// Where the contract series live (embedded SQLite or a Prometheus-compatible server).
public protocol MetricsStore: Sendable {
    /// Samples of one release with `after < time ≤ through` (all of them when `after` is nil).
    func samples(release: String, after: Timestamp?, through: Timestamp) throws -> [SeriesKey: [Sample]]
}

/// A metrics store that can also be written (the embedded store, fed by the simulator or an import).
public protocol WritableMetricsStore: MetricsStore {
    func append(release: String, samples: [SeriesKey: [Sample]]) throws
}
