import GatewatchCore

/// How the data sources are doing, for the status line: when the last poll succeeded and what failed since.
public struct SourceHealth: Sendable, Equatable {
    /// Words naming the source, e.g. `embedded demo (~/.local/share/gatewatch/demo.sqlite)`.
    public var sourceName: String
    /// Wall-clock seconds of the last successful poll.
    public var lastSuccess: Double?
    /// The last error, if the most recent poll failed.
    public var lastError: String?
    /// Set when the most recent poll could not read the registry (state and audit log): actions, rollback included,
    /// cannot be written until it answers, so the screen must not say that rollback works.
    public var registryError: String?
    /// The simulated clock, when a simulator drives the data.
    public var simulatedTime: Timestamp?
    /// How far the system clock has stepped from the steady clock the dashboard runs on (`SteadyClock.step`), if it did.
    public var clockStep: Double?
    public var speed: Double?
    /// Seconds between polls, for a live poller; a poll that has not come back after `staleAfter` makes the data stale.
    public var pollInterval: Double?

    public init(sourceName: String, lastSuccess: Double? = nil, lastError: String? = nil, simulatedTime: Timestamp? = nil, speed: Double? = nil,
                pollInterval: Double? = nil) {
        self.pollInterval = pollInterval
        self.sourceName = sourceName
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.simulatedTime = simulatedTime
        self.speed = speed
    }

    /// Seconds without a successful poll after which a live view calls its data stale: three polls, at least 15 s.
    public var staleAfter: Double? { pollInterval.map { max(15, 3 * $0) } }

    /// How old the data is at `now` when it counts as stale (a failed poll, or none back for `staleAfter`), else nil.
    public func staleAge(now: Double) -> Double? {
        guard let last = lastSuccess else { return lastError == nil ? nil : 0 }
        let age = max(0, now - last)
        if lastError != nil { return age }
        if let limit = staleAfter, age > limit { return age }
        return nil
    }
}
