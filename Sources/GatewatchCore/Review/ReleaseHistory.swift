/// Everything recorded about one release — spec, audit log and every metric sample — from which the dashboard can
/// be recomputed as it was at any past moment. The review screen and the exported report both read from it.
public struct ReleaseHistory: Sendable {
    public let release: Release
    /// The audit log of the release, in order.
    public let events: [AuditEvent]
    /// Every sample known today.
    public let metrics: MetricSeriesSet
    /// The latest time with data or events (the end of the review).
    public let end: Timestamp
    /// When the release started.
    public let start: Timestamp
    /// The evaluation step used for `{` / `}` and for rule histories.
    public let step: Int64
    /// How long after a decision its label has (nearly always) arrived, estimated from the data: "now" for a
    /// moment t means the labels that had arrived by t + this horizon (see `estimateLabelHorizon`).
    public let labelHorizon: Int64
    private let analyzer: ReleaseAnalyzer
    /// Shared by the copies made with `replacingEvents`: the same metrics and label horizon.
    private let record: Record
    private final class Record: Sendable {}

    /// Whether `other` holds the same metric record (only its audit log may differ).
    public func hasSameMetrics(as other: ReleaseHistory) -> Bool { record === other.record && release == other.release }

    public init(release: Release, events: [AuditEvent], metrics: MetricSeriesSet, end: Timestamp? = nil, step: Int64 = 60) {
        self.release = release
        self.events = events.filter { $0.release == release.slug }
        self.metrics = metrics
        self.step = max(1, step)
        let started = self.events.first { $0.kind == .start }?.time ?? metrics.oldestTime ?? 0
        start = started
        self.end = end ?? max(metrics.newestTime ?? started, self.events.last?.time ?? started)
        // No lookback cap: a past moment is evaluated from the release's start, exactly as the live screen did.
        // Looks settle as the cursor moves on: a past look counts the same data at every later moment.
        analyzer = ReleaseAnalyzer(evaluator: RuleEvaluator(interval: self.step, maximumLookback: .max / 4),
                                   comparator: SegmentComparator(looks: LookCountCache()))
        labelHorizon = Self.estimateLabelHorizon(metrics, start: started, end: self.end, step: self.step)
        record = Record()
    }

    /// The same record with the audit log read again (after a note, a tick or a sign-off): the metrics, the label
    /// horizon and the start are kept; the end moves to a later event.
    public func replacingEvents(_ newEvents: [AuditEvent]) -> ReleaseHistory {
        ReleaseHistory(self, events: newEvents.filter { $0.release == release.slug })
    }

    private init(_ other: ReleaseHistory, events: [AuditEvent]) {
        release = other.release
        self.events = events
        metrics = other.metrics
        step = other.step
        start = events.first { $0.kind == .start }?.time ?? other.start
        end = max(other.end, events.last?.time ?? other.end)
        analyzer = other.analyzer
        labelHorizon = other.labelHorizon
        record = other.record
    }

    /// The label delay, measured: at the middle of the record, how long the running count of labels takes to
    /// catch up with the number of decisions made by then (99%). With a fixed delay this is that delay, so the
    /// labels counted up to t + horizon are exactly those of the decisions made up to t. When the labels never
    /// catch up within the record, the whole record is used.
    public static func estimateLabelHorizon(_ metrics: MetricSeriesSet, start: Timestamp, end: Timestamp, step: Int64) -> Int64 {
        let derived = DerivedMetrics(metrics)
        let middle = start + (end - start) / 2
        var decided = 0.0
        for arm in Arm.allCases { decided += derived.decisions(arm, segment: nil, from: start, to: middle) ?? 0 }
        guard decided > 0 else { return max(0, end - start) }
        var h: Int64 = 0
        while middle + h <= end {
            var labelled = 0.0
            for arm in Arm.allCases { labelled += derived.outcomes(arm, segment: nil, from: start, to: middle + h).total }
            if labelled >= decided * 0.99 { return h }
            h += step
        }
        return max(0, end - start)
    }

    /// When "now" ends for a moment: its labels known by `t + labelHorizon`, within the record.
    public func labelsKnownBy(_ time: Timestamp) -> Timestamp { min(end, time + labelHorizon) }

    /// The analysis as the live screen computed it at `time`: data up to `time`, the state replayed from the log,
    /// the events logged by then. `previousRules` (from an earlier moment) makes stepping forward cheap.
    public func analysis(asOf time: Timestamp, previousRules: [RuleEvaluation]? = nil) -> ReleaseAnalysis? {
        guard let state = StateReplay.state(of: release, events: events, asOf: time) else { return nil }
        let known = events.filter { $0.time <= time }
        return analyzer.analyze(release: release, state: state, metrics: metrics.truncated(to: time), asOf: time,
                                approvals: known, previousRules: previousRules)
    }

    /// The segment comparisons at `time` recomputed with every label that had arrived by `horizon` ("now": what
    /// the delayed labels later showed). Decisions are those up to `time`; label counts run from the release start
    /// to `horizon`, so labels of decisions made shortly after `time` are included too — with a label delay much
    /// shorter than the release, a small widening of the window.
    public func comparisonsWithLabels(asOf time: Timestamp, knownBy horizon: Timestamp) -> (overall: SegmentComparison, segments: [SegmentComparison])? {
        guard let state = StateReplay.state(of: release, events: events, asOf: time) else { return nil }
        var data = metrics.truncated(to: time, leavingOut: .labels)
        // Every label series known today, including those whose first label arrived after the moment: its increase
        // over [start, horizon] becomes two samples, 0 at the start and the count at `time`, which the comparisons'
        // window [start, time] reads back exactly.
        if time > state.startedAt {
            for key in metrics.keys(.labels) {
                guard let count = metrics.increase(key, from: state.startedAt, to: max(time, horizon)) else { continue }
                data.append([Sample(time: state.startedAt, value: 0), Sample(time: time, value: count)], to: key)
            }
        }
        let segments = release.segments.isEmpty ? data.segments : release.segments.map(\.key)
        return SegmentComparator().compare(metrics: DerivedMetrics(data), segments: segments, from: state.startedAt, to: time,
                                         designEffect: release.effectiveDesignEffect, tau: release.tau(for:))
    }
}
