/// Where the contract series live (embedded SQLite or a Prometheus-compatible server).
public protocol MetricsStore: Sendable {
    /// Samples of one release with `after < time ≤ through` (all of them when `after` is nil).
    func samples(release: String, after: Timestamp?, through: Timestamp) throws -> [SeriesKey: [Sample]]
    /// Samples of `release` dated after `time` (the clock plus the allowed skew): never read, but reported, so a
    /// future-dated sample is seen and refused instead of moving the evaluation time. Nil when there are none, or
    /// when the store cannot hold any (a Prometheus query never reaches past now).
    func futureSamples(release: String, after time: Timestamp) throws -> FutureSamples?
}

extension MetricsStore {
    public func futureSamples(release: String, after time: Timestamp) throws -> FutureSamples? { nil }
}

/// A metrics store that can also be written (the embedded store, fed by the simulator or an import).
public protocol WritableMetricsStore: MetricsStore {
    func append(release: String, samples: [SeriesKey: [Sample]]) throws
}
