import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// After a note or a tick only the audit log is read again: the review keeps its metric record and the analyses
/// of earlier moments, and shows exactly what a review reloaded from scratch shows.
@Suite struct ReviewReloadTests {
    @Test func aTickReloadedFromTheLogAloneShowsWhatAFullReloadShows() throws {
        let scenario = try SnapshotSupport.scenario("latency-regression")
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let end = scenario.simulation.start + 5 * 3600
        _ = try source.poll(simulatedTime: end)
        let slug = scenario.release.slug
        let full = { try ReviewReportTests.history(store, slug, end) }
        var session = ReviewSession(history: try full())
        session.moveToEnd(true)
        session.moveEvent(by: -2)
        // A note on an early event and a tick, written to the log as the action layer writes them.
        let first = try #require(session.timeline.events.first { $0.auditID != nil })
        try store.append(AuditEvent(release: slug, time: end, actor: "rita", role: .reviewer, kind: .note, reason: "looked fine then",
                                    fromState: first.reference, toState: ""))
        try store.append(AuditEvent(release: slug, time: end, actor: "rita", role: .reviewer, kind: .review, reason: "",
                                    fromState: "", toState: ReviewChecklist.state(item: ReviewChecklist.items[0], checked: true)))
        let events = try store.auditEvents(release: slug)
        let cheap = session.reloaded(with: session.history.replacingEvents(events))
        let fresh = session.reloaded(with: try full())
        #expect(cheap.history.hasSameMetrics(as: session.history))
        #expect(!fresh.history.hasSameMetrics(as: session.history))
        #expect(cheap.timeline.events == fresh.timeline.events)
        #expect(cheap.timeline.events.count == session.timeline.events.count + 2)
        #expect(cheap.cursor == fresh.cursor && cheap.selectedEvent == fresh.selectedEvent)
        #expect(cheap.checklist.ticked.keys.sorted() == fresh.checklist.ticked.keys.sorted() && !cheap.checklist.ticked.isEmpty)
        let context = RenderContext(width: 160, height: 48, theme: .default, glyphs: .unicode, now: 0)
        for (a, b) in [(cheap, fresh)] {
            #expect(ReviewScreen.render(a, live: nil, keys: .default, context: context).plainText()
                    == ReviewScreen.render(b, live: nil, keys: .default, context: context).plainText())
        }
        // Every event's moment reads the same in both, before and after the changed events.
        var (x, y) = (cheap, fresh)
        x.moveToEnd(false); y.moveToEnd(false)
        for _ in x.timeline.events {
            #expect(x.analysis?.rules.map { $0.status.rawValue } == y.analysis?.rules.map { $0.status.rawValue })
            #expect(x.analysis?.gates.map { "\($0.outcome) \($0.reason)" } == y.analysis?.gates.map { "\($0.outcome) \($0.reason)" })
            #expect(x.analysis?.events == y.analysis?.events)
            x.moveEvent(by: 1); y.moveEvent(by: 1)
        }
    }
}
