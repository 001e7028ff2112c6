import GatewatchCore

/// When a live source thins the samples it holds: at most once per hour of data, everything older than what the
/// analysis still reads (`ReleaseAnalyzer.oldestTimeNeeded`) down to one sample per look interval of the sequential
/// test, keeping the release start and the stage entry exact. The analysis is unchanged; memory stops growing with
/// the age of the release.
struct ThinningSchedule {
    private var thinnedBefore: Timestamp = .min

    mutating func apply(to metrics: inout MetricSeriesSet, analyzer: ReleaseAnalyzer, release: Release, state: RolloutState,
                        at time: Timestamp) {
        let cutoff = analyzer.oldestTimeNeeded(release: release, asOf: time)
        guard cutoff > state.startedAt, thinnedBefore == .min || cutoff >= thinnedBefore + 3600 else { return }
        metrics.thin(before: cutoff, origin: state.startedAt, every: analyzer.comparator.lookInterval,
                     keeping: [state.startedAt, state.stageEnteredAt])
        thinnedBefore = cutoff
    }
}
