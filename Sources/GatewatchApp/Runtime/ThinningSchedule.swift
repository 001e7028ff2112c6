import GatewatchCore

/// When a live source thins the samples it holds: at most once per hour of data, everything older than what the
/// analysis still reads (`ReleaseAnalyzer.oldestTimeNeeded`, counted from where the data ends when it is stale) down to one sample per look interval of the sequential
/// test, keeping the release start and the stage entry exact. The analysis is unchanged; memory stops growing with
/// the age of the release.
struct ThinningSchedule {
    private var thinnedBefore: Timestamp = .min

    mutating func apply(to metrics: inout MetricSeriesSet, analyzer: ReleaseAnalyzer, release: Release, state: RolloutState,
                        at time: Timestamp) {
        // Rules on stale data are evaluated where that data ends, not at `time`: keep everything they read, so the
        // cutoff counts back from the oldest stream's newest sample when that is earlier.
        let ends = MetricFamily.allCases.flatMap { family in
            (family.isPerArm ? Arm.allCases.map { $0 } : [nil]).compactMap { metrics.newestTime(family, arm: $0) }
        }
        let cutoff = analyzer.oldestTimeNeeded(release: release, asOf: min(time, ends.min() ?? time))
        guard cutoff > state.startedAt, thinnedBefore == .min || cutoff >= thinnedBefore + 3600 else { return }
        metrics.thin(before: cutoff, origin: state.startedAt, every: analyzer.comparator.lookInterval,
                     keeping: [state.startedAt, state.stageEnteredAt])
        thinnedBefore = cutoff
    }
}
