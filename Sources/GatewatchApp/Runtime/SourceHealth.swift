import GatewatchCore

/// How the data sources are doing, for the status line: when the last poll succeeded and what failed since.
public struct SourceHealth: Sendable, Equatable {
    /// Words naming the source, e.g. `embedded demo (~/.local/share/gatewatch/demo.sqlite)`.
    public var sourceName: String
    /// Wall-clock seconds of the last successful poll.
    public var lastSuccess: Double?
    /// The last error, if the most recent poll failed.
    public var lastError: String?
    /// The simulated clock, when a simulator drives the data.
    public var simulatedTime: Timestamp?
    public var speed: Double?

    public init(sourceName: String, lastSuccess: Double? = nil, lastError: String? = nil, simulatedTime: Timestamp? = nil, speed: Double? = nil) {
        self.sourceName = sourceName
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.simulatedTime = simulatedTime
        self.speed = speed
    }
}
