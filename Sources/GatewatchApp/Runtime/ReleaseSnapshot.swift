import GatewatchCore

/// What one poll hands to the screen: the analysis at the as-of time plus the health of the sources.
public struct ReleaseSnapshot: Sendable {
    public var analysis: ReleaseAnalysis
    public var health: SourceHealth

    public init(analysis: ReleaseAnalysis, health: SourceHealth) {
        self.analysis = analysis
        self.health = health
    }

    /// The analysis actions are checked against at `now`: while no poll has come back for longer than the health
    /// allows (a source hangs), promotion is held by a failing `metrics_fresh` gate, as it is once the poll fails.
    /// Rollback, acknowledge and pause are never held by it.
    public func analysisForActions(now: Double) -> ReleaseAnalysis {
        guard analysis.metricsThrough == nil, health.lastError == nil, let age = health.staleAge(now: now),
              analysis.nextStage != nil, analysis.state.status != .rolledBack else { return analysis }
        var a = analysis
        a.gates.insert(GateVerdict(gate: .metricsFresh, outcome: .failed,
                                   reason: "no answer from the sources for \(DurationText.format(Int64(age)))",
                                   check: "the sources answered within \(DurationText.format(Int64(health.staleAfter ?? 0)))",
                                   observed: age, threshold: health.staleAfter), at: 0)
        return a
    }
}
