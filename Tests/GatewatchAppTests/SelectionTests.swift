import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import GatewatchUI

/// Every list keeps its selected item, not its row number, when the rows re-sort or change under the cursor: a poll
/// re-sorts the overview by health, a segment starts firing and moves to the top of its rule, a new audit event
/// arrives on top, a filter changes, a note is added to the timeline.
@Suite struct SelectionTests {
    static let large = RenderContext(width: 160, height: 48, now: 0)

    /// The rows drawn as selected (`▸`).
    static func selectedLines(_ model: AppModel, _ context: RenderContext = large) -> [String] {
        model.render(context).plainText().split(separator: "\n").map(String.init).filter { $0.contains("▸") }
    }

    static func snapshot(_ a: ReleaseAnalysis) -> ReleaseSnapshot {
        ReleaseSnapshot(analysis: a, health: SourceHealth(sourceName: "test", lastSuccess: 0))
    }

    /// The fleet polled at `after` past its latest member's start (as `gatewatch snapshot --scenario fleet --at`), then
    /// at each later time on the same sources.
    static func fleetPolls(_ times: [Int64]) throws -> [[ReleaseSnapshot]] {
        let members = try ScenarioLoader.loadAll("fleet", root: SnapshotSupport.sampleData)
        let store = try SQLiteStore()
        let sources = try members.map { try DemoSource(scenario: $0, store: store, description: "test", speed: 0) }
        let reference = members.map(\.simulation.start).max()!
        return try times.map { t in try sources.map { snapshot(try $0.poll(simulatedTime: reference + t)) } }
    }

    /// One scenario polled at each time (minutes after its start) on one source.
    static func polls(_ name: String, minutes: [Int64]) throws -> [ReleaseAnalysis] {
        let scenario = try SnapshotSupport.scenario(name)
        let source = try DemoSource(scenario: scenario, store: try SQLiteStore(), description: "test", speed: 0)
        return try minutes.map { try source.poll(simulatedTime: scenario.simulation.start + $0 * 60) }
    }

    /// The defect as reported: checkout-risk-v5 is selected at the top of the overview; login-risk-v3 is rolled back
    /// and sorts above it; `enter` must still open checkout-risk-v5.
    @Test func theOverviewKeepsTheSelectedReleaseWhenAPollReSortsIt() throws {
        let polls = try Self.fleetPolls([79 * 60, 83 * 60])
        var m = AppModel()
        m.update(polls[0])
        m.screen = .overview
        #expect(OverviewScreen.ordered(polls[0]).map(\.analysis.release.slug).first == "checkout-risk-v5")
        #expect(Self.selectedLines(m).first?.contains("checkout-risk-v5") == true)
        m.update(polls[1])
        let order = OverviewScreen.ordered(polls[1]).map(\.analysis.release.slug)
        #expect(order.first == "login-risk-v3" && order[1] == "checkout-risk-v5", "the premise: the rollback re-sorts the rows: \(order)")
        #expect(Self.selectedLines(m).first?.contains("checkout-risk-v5") == true, "\(Self.selectedLines(m))")
        _ = m.handle(.enter)
        #expect(m.screen == .release && m.currentSlug == "checkout-risk-v5")

        // A release selected below the top: login-risk-v3 is second, then first.
        var n = AppModel()
        n.update(polls[0])
        n.screen = .overview
        _ = n.handle(.character("j"))
        #expect(Self.selectedLines(n).first?.contains("login-risk-v3") == true, "\(Self.selectedLines(n))")
        n.update(polls[1])
        #expect(OverviewScreen.ordered(polls[1]).map(\.analysis.release.slug).firstIndex(of: "login-risk-v3") == 0)
        #expect(Self.selectedLines(n).first?.contains("login-risk-v3") == true, "\(Self.selectedLines(n))")
        // Moving goes on from where the release is now.
        _ = n.handle(.character("j"))
        _ = n.handle(.enter)
        #expect(n.currentSlug == order[1])
    }

    /// While a fleet is still being read (the first round shows each release as it comes in), the cursor stays on
    /// the top row and takes the release there once all are in.
    @Test func anUntouchedOverviewCursorTakesTheTopReleaseOnceTheFleetIsIn() throws {
        let all = try Self.fleetPolls([44 * 60])[0]
        var m = AppModel()
        m.expectedReleases = all.count
        m.screen = .overview
        let fraud = try #require(all.first { $0.analysis.release.slug == "fraud-scoring-v8" })
        m.update([fraud])
        m.update(all)
        #expect(Self.selectedLines(m).first?.contains("checkout-risk-v5") == true, "\(Self.selectedLines(m))")
        _ = m.handle(.enter)
        #expect(m.currentSlug == "checkout-risk-v5")
    }

    /// A segment of a rule starts pending and moves to the top of that rule's rows; the selection stays on the row
    /// it was on, and `a` acknowledges the selected rule, not whatever took its row.
    @Test func aRuleRowThatMovesUpWhenItsSegmentTurnsPendingStaysSelected() throws {
        let polls = try Self.polls("eu-segment-regression", minutes: [10, 20])
        var m = AppModel()
        m.actor = Operator(name: "omar", role: .oncall)
        m.update([Self.snapshot(polls[0])])
        // At 10 minutes every rule is ok, the segments in their spec order: MX/app is the fourth row, EU/web the
        // seventh (the last of segment-fpr-vs-champion).
        for _ in 0..<3 { _ = m.handle(.character("j")) }
        #expect(Self.selectedLines(m).first?.contains(" MX/app ") == true, "\(Self.selectedLines(m))")
        m.update([Self.snapshot(polls[1])])
        #expect(Self.selectedLines(m).first?.contains(" MX/app ") == true, "\(Self.selectedLines(m))")

        var n = AppModel()
        n.actor = Operator(name: "omar", role: .oncall)
        n.update([Self.snapshot(polls[0])])
        for _ in 0..<6 { _ = n.handle(.character("j")) }
        #expect(Self.selectedLines(n).first.map { $0.contains("segment-fpr-vs-champion") && $0.contains(" EU/web ") } == true,
                "\(Self.selectedLines(n))")
        n.update([Self.snapshot(polls[1])])
        #expect(Self.selectedLines(n).first.map { $0.contains("pending") && $0.contains(" EU/web ") } == true,
                "the pending EU/web row moved to the top of its rule and stays selected: \(Self.selectedLines(n))")
        _ = n.handle(.character("a"))
        #expect(n.dialog?.title == "Acknowledge segment-fpr-vs-champion [market=EU,surface=web]?", "\(n.message ?? "no dialog")")
    }

    /// The segments re-sort by their false-positive delta between two polls: MX/app goes from the fifth row to the
    /// seventh; `enter` opens MX/app.
    @Test func theSelectedSegmentStaysSelectedWhenAPollReSortsTheSegments() throws {
        let polls = try Self.polls("eu-segment-regression", minutes: [30, 45])
        var m = AppModel()
        m.update([Self.snapshot(polls[0])])
        _ = m.handle(.tab) // segments
        for _ in 0..<4 { _ = m.handle(.character("j")) }
        let before = SegmentsPanel.rows(polls[0], filter: "", sort: .worstFalsePositives).map { $0.segment ?? "overall" }
        let after = SegmentsPanel.rows(polls[1], filter: "", sort: .worstFalsePositives).map { $0.segment ?? "overall" }
        #expect(before[4] == "market=MX,surface=app" && after[4] != before[4], "the premise: \(before) then \(after)")
        m.update([Self.snapshot(polls[1])])
        _ = m.handle(.enter)
        #expect(m.screen == .segment("market=MX,surface=app"))
    }

    /// A filter that keeps the selected segment keeps it selected (it was reset to the overall row before).
    @Test func aFilterThatKeepsTheSelectedSegmentKeepsItSelected() throws {
        let polls = try Self.polls("eu-segment-regression", minutes: [120])
        var m = AppModel()
        m.update([Self.snapshot(polls[0])])
        _ = m.handle(.tab)
        let rows = SegmentsPanel.rows(polls[0], filter: "", sort: .worstFalsePositives).map { $0.segment ?? "overall" }
        let mxWeb = try #require(rows.firstIndex(of: "market=MX,surface=web"))
        for _ in 0..<mxWeb { _ = m.handle(.character("j")) }
        _ = m.handle(.character("/"))
        for c in "web" { _ = m.handle(.character(c)) }
        _ = m.handle(.enter)
        #expect(m.releaseScreen.segmentFilter == "web")
        _ = m.handle(.enter)
        #expect(m.screen == .segment("market=MX,surface=web"))
        // Sorting keeps it too.
        _ = m.handle(.escape)
        _ = m.handle(.character("s"))
        _ = m.handle(.enter)
        #expect(m.screen == .segment("market=MX,surface=web"))
    }

    /// A gate that no longer applies disappears from the list above the selected one: the selection stays on its gate.
    @Test func theSelectedGateStaysSelectedWhenTheGatesChange() throws {
        let polls = try Self.polls("eu-segment-regression", minutes: [30])
        var a = polls[0]
        var m = AppModel()
        m.update([Self.snapshot(a)])
        for _ in 0..<2 { _ = m.handle(.tab) } // gates
        #expect(m.releaseScreen.focus == .gates)
        let gates = a.gates.map(\.gate)
        let maturity = try #require(gates.firstIndex(of: .labelMaturity))
        for _ in 0..<maturity { _ = m.handle(.character("j")) }
        #expect(Self.selectedLines(m).first?.contains("label maturity") == true, "\(Self.selectedLines(m))")
        a.gates.removeFirst()
        m.update([Self.snapshot(a)])
        #expect(Self.selectedLines(m).first?.contains("label maturity") == true, "\(Self.selectedLines(m))")
    }

    static func event(_ id: Int64, _ reason: String, actor: String = "ana", kind: AuditKind = .note) -> AuditEvent {
        AuditEvent(id: id, release: "fraud-scoring-v8", time: 1_700_000_000 + id * 60, actor: actor, role: .owner, kind: kind,
                   reason: reason, fromState: "canary-5", toState: "canary-5")
    }

    /// The audit log is newest first: a new event shifts every row down, and a filter changes the rows; the
    /// selected event stays selected.
    @Test func theSelectedAuditEventStaysSelectedWhenANewEventArrivesOrTheFilterChanges() throws {
        var a = try Self.polls("fraud-canary-healthy", minutes: [10])[0]
        a.events = [Self.event(1, "first reason"), Self.event(2, "second reason", actor: "omar"), Self.event(3, "third reason")]
        var m = AppModel()
        m.update([Self.snapshot(a)])
        _ = m.handle(.character("L"))
        _ = m.handle(.character("j"))
        #expect(Self.selectedLines(m).first?.contains("second reason") == true, "\(Self.selectedLines(m))")
        a.events.append(Self.event(4, "fourth reason"))
        m.update([Self.snapshot(a)])
        #expect(Self.selectedLines(m).first?.contains("second reason") == true, "\(Self.selectedLines(m))")

        _ = m.handle(.character("j"))
        _ = m.handle(.character("j"))
        #expect(Self.selectedLines(m).first?.contains("first reason") == true, "\(Self.selectedLines(m))")
        _ = m.handle(.character("/"))
        for c in "operator:ana" { _ = m.handle(.character(c)) }
        _ = m.handle(.enter)
        #expect(Self.selectedLines(m).first?.contains("first reason") == true, "\(Self.selectedLines(m))")
    }

    /// A note written for an early event lands on the timeline before the selected event; after the reload the same
    /// event is selected.
    @Test func theSelectedTimelineEventStaysSelectedWhenANoteIsAddedBeforeIt() throws {
        let opened = try ReviewScreenTests.model("latency-regression", hours: 5)
        var m = opened.0
        let store = opened.1
        let events = try #require(m.review?.timeline.events)
        #expect(events.count >= 6)
        for _ in 0..<4 { _ = m.handle(.character("]")) }
        let selected = try #require(m.review?.selected)
        #expect(selected == events[4])
        let slug = try #require(m.review?.history.release.slug)
        try store.append(AuditEvent(release: slug, time: events[1].time, actor: "rita",
                                    role: .reviewer, kind: .note, reason: "early note", fromState: events[1].reference, toState: ""))
        m.refreshReview()
        let reloaded = try #require(m.review)
        #expect(reloaded.timeline.events.count == events.count + 1, "the premise: the note is on the timeline")
        #expect(reloaded.timeline.events.firstIndex(of: selected).map { $0 > 4 } == true, "the premise: the note is before it")
        #expect(reloaded.selected == selected, "selected \(String(describing: reloaded.selected?.title)), was \(selected.title)")
        #expect(reloaded.cursor == selected.time)
    }
}
