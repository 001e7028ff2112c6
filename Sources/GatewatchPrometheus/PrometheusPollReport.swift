import GatewatchCore

/// What one `PrometheusMetricsStore.samples` call did, for diagnostics (source health, `--verbose`, tests).
public struct PrometheusPollReport: Sendable, Equatable {
    public var release: String
    /// First and last evaluation time of the range fetched (multiples of the step).
    public var first: Timestamp
    public var last: Timestamp
    /// `query_range` requests sent: metric families × range chunks, whatever the number of segments.
    public var requests = 0
    /// Prometheus series read and points in them.
    public var series = 0
    public var points = 0
    /// Series left out, with the reason (another release, an unknown arm, action, outcome or bucket bound).
    public var skipped: [String] = []
    /// Warnings the server attached to its answers.
    public var warnings: [String] = []
    /// Wall time of the call.
    public var seconds: Double = 0

    public init(release: String, first: Timestamp, last: Timestamp) {
        self.release = release
        self.first = first
        self.last = last
    }
}
