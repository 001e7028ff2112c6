import Foundation
import NIOConcurrencyHelpers
import GatewatchCore
import GatewatchUI

/// The state of the review screen: the recorded history of one release, its timeline and a cursor in time, with
/// the dashboard recomputed as of the cursor by the same analysis as live.
public struct ReviewSession: Sendable {
    /// What the lower part of the review screen shows.
    public enum View: Sendable, Equatable {
        /// The release screen as of the cursor.
        case dashboard
        /// Segment deltas as they looked then beside the same deltas with the labels known today.
        case thenNow
        /// The review checklist and sign-off.
        case checklist
    }

    public let history: ReleaseHistory
    public let timeline: ReviewTimeline
    /// Selected timeline event, kept by the event itself (a reload after a note can add events before it), so the
    /// cursor sits at its time unless moved by evaluation steps.
    public private(set) var selection = ListSelection<TimelineEvent>()
    /// The row of the selected event in the timeline.
    public var selectedEvent: Int { selection.index(in: timeline.events) ?? 0 }
    public private(set) var cursor: Timestamp
    public private(set) var analysis: ReleaseAnalysis?
    public var view: View = .dashboard
    public var checklistSelection = 0
    /// The first row of then-and-now on screen (the renderer clamps it to the rows there are).
    public var thenNowScroll = 0
    /// Then and now at the cursor (computed when that view is open).
    public private(set) var thenNow: ThenNow?
    private let cache: AnalysisCache

    /// Opens the review of `history` at its first event.
    public init(history: ReleaseHistory) { self.init(history: history, cache: AnalysisCache()) }

    private init(history: ReleaseHistory, cache: AnalysisCache) {
        self.history = history
        self.cache = cache
        let final = cache.analysis(history, at: history.end)
        timeline = final.map { ReviewTimeline(history: history, final: $0) } ?? ReviewTimeline(events: [])
        selection.select(row: 0, in: timeline.events)
        cursor = timeline.events.first?.time ?? history.start
        recompute()
    }

    /// A fresh session on a reloaded history (after a note or a tick), keeping the cursor, the selected event (the
    /// nearest row if it is gone) and the view.
    /// When only the audit log changed (`ReleaseHistory.replacingEvents`), the analyses of moments before the
    /// first changed event are kept: an analysis reads the events up to its moment only.
    public func reloaded(with history: ReleaseHistory) -> ReviewSession {
        var kept = AnalysisCache()
        if history.hasSameMetrics(as: self.history) {
            let old = self.history.events, new = history.events
            let same = zip(old, new).prefix { $0 == $1 }.count
            let changedAt = [old.count > same ? old[same].time : nil, new.count > same ? new[same].time : nil].compactMap { $0 }.min()
            kept = cache.keeping(before: changedAt ?? .max)
        }
        var next = ReviewSession(history: history, cache: kept)
        next.view = view
        next.checklistSelection = checklistSelection
        next.thenNowScroll = thenNowScroll
        next.selection = selection
        next.selection.follow(next.timeline.events)
        next.move(to: cursor, event: next.selectedEvent)
        return next
    }

    /// The checklist as the log says now.
    public var checklist: ReviewChecklist { ReviewChecklist(events: history.events) }

    public var selected: TimelineEvent? { timeline.events.indices.contains(selectedEvent) ? timeline.events[selectedEvent] : nil }

    /// Moves to the event `offset` positions away (clamped).
    public mutating func moveEvent(by offset: Int) {
        guard !timeline.events.isEmpty else { return }
        let i = min(max(0, selectedEvent + offset), timeline.events.count - 1)
        move(to: timeline.events[i].time, event: i)
    }

    /// Moves to the first or last event.
    public mutating func moveToEnd(_ last: Bool) {
        guard !timeline.events.isEmpty else { return }
        let i = last ? timeline.events.count - 1 : 0
        move(to: timeline.events[i].time, event: i)
    }

    /// Scrolls then-and-now by `rows` (never past its last row).
    public mutating func scrollThenNow(by rows: Int) {
        thenNowScroll = min(max(0, thenNowScroll + rows), max(0, (thenNow?.rows.count ?? 1) - 1))
    }

    /// Moves the cursor by whole evaluation steps; the selected event follows (the last one at or before it).
    public mutating func step(by steps: Int) {
        let target = min(max(history.start, cursor + Int64(steps) * history.step), history.end)
        let i = timeline.events.lastIndex { $0.time <= target } ?? 0
        move(to: target, event: i)
    }

    mutating func move(to time: Timestamp, event: Int) {
        cursor = time
        selection.select(row: event, in: timeline.events)
        recompute()
    }

    /// Switches the view; then-and-now is computed on demand.
    public mutating func show(_ next: View) {
        view = view == next ? .dashboard : next
        thenNowScroll = 0
        recompute()
    }

    mutating func recompute() {
        analysis = cache.analysis(history, at: cursor)
        thenNow = view == .thenNow ? analysis.flatMap { ThenNow(history: history, then: $0) } : nil
    }

    /// Analyses by time, shared by copies of the session; forward steps resume rule states from the nearest
    /// earlier analysis instead of starting over.
    final class AnalysisCache: Sendable {
        private let byTime = NIOLockedValueBox<[Timestamp: ReleaseAnalysis]>([:])

        /// The analysis at `time`; computed (outside the lock) from the nearest earlier one when not kept yet.
        func analysis(_ history: ReleaseHistory, at time: Timestamp) -> ReleaseAnalysis? {
            let (hit, earlier) = byTime.withLockedValue { kept -> (ReleaseAnalysis?, ReleaseAnalysis?) in
                if let hit = kept[time] { return (hit, nil) }
                return (nil, kept.keys.filter { $0 < time }.max().flatMap { kept[$0] })
            }
            if let hit { return hit }
            guard let a = history.analysis(asOf: time, previousRules: earlier?.rules) else { return nil }
            byTime.withLockedValue { kept in
                if kept.count > 256 { kept.removeAll() }
                kept[time] = a
            }
            return a
        }

        /// A new cache holding the analyses of moments before `time`.
        func keeping(before time: Timestamp) -> AnalysisCache {
            let copy = AnalysisCache()
            let kept = byTime.withLockedValue { $0.filter { $0.key < time } }
            copy.byTime.withLockedValue { $0 = kept }
            return copy
        }
    }
}

/// Segment deltas of the label-based metrics at a moment, as they looked then and as they look with the labels
/// known at the end of the history, with the rows whose verdict changed marked.
public struct ThenNow: Sendable {
    public struct Row: Sendable {
        public var segment: String?
        public var metric: QualityMetric
        public var then: MetricComparison?
        public var now: MetricComparison?

        /// What changed between then and now, in words (nil: the verdict is the same).
        public var change: String? {
            guard let n = now else { return nil }
            let significantNow = n.isSignificant
            guard let t = then else { return significantNow ? (n.isWorse ? "now worse" : "now better") : nil }
            let significantThen = t.isSignificant
            if significantNow && n.isWorse && !(significantThen && t.isWorse) { return "now worse" }
            if significantThen && t.isWorse && !(significantNow && n.isWorse) { return "no longer worse" }
            if significantNow && !n.isWorse && !significantThen { return "now better" }
            if (t.estimate.delta < 0) != (n.estimate.delta < 0) && (significantNow || significantThen) { return "sign flipped" }
            return nil
        }
    }

    public var asOf: Timestamp
    /// Labels known by this time count as "now" (the moment plus the measured label delay, within the record).
    public var labelsKnownBy: Timestamp
    /// Share of the challenger's decisions since the start that had their label at the moment.
    public var maturityThen: Double?
    public var rows: [Row]

    public static let metrics: [QualityMetric] = [.precision, .recall, .falsePositiveRate]

    public init?(history: ReleaseHistory, then a: ReleaseAnalysis) {
        let horizon = history.labelsKnownBy(a.asOf)
        guard let now = history.comparisonsWithLabels(asOf: a.asOf, knownBy: horizon) else { return nil }
        asOf = a.asOf
        labelsKnownBy = horizon
        // The release-wide share labelled by then (the stage's own share is empty right after a rollback).
        maturityThen = DerivedMetrics(history.metrics.truncated(to: a.asOf)).labelMaturity(.challenger, segment: nil, from: history.start, to: a.asOf)
        var rows: [Row] = []
        let thenRows = [a.overall].compactMap { $0 } + a.segments
        let nowRows = [now.overall] + now.segments
        for (t, n) in zip(thenRows, nowRows) {
            for metric in Self.metrics {
                rows.append(Row(segment: t.segment, metric: metric, then: t.metrics[metric], now: n.metrics[metric]))
            }
        }
        self.rows = rows
    }
}
