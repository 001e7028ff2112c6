import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// The review screen driven by keys: stepping visits every event in order, each frame is the dashboard as of the
/// event, then-and-now shows the delayed labels' change, and reviewer work is permissioned and audited.
@Suite struct ReviewScreenTests {
    /// A model with the review of `name` after `hours` of simulation open, with its store.
    static func model(_ name: String, hours: Int64, role: Role = .reviewer) throws -> (AppModel, SQLiteStore, DemoSource) {
        let scenario = try SnapshotSupport.scenario(name)
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let end = scenario.simulation.start + hours * 3600
        let live = try source.poll(simulatedTime: end)
        var model = AppModel()
        model.actor = Operator(name: "rita", role: role)
        model.snapshot = ReleaseSnapshot(analysis: live, health: SourceHealth(sourceName: "test", lastSuccess: 0, simulatedTime: end))
        let slug = scenario.release.slug
        model.reviewLoader = { _ in
            guard let release = try? store.release(slug), let events = try? store.auditEvents(release: slug),
                  let samples = try? store.samples(release: slug, after: nil, through: end) else { return nil }
            return ReleaseHistory(release: release, events: events, metrics: MetricSeriesSet(samples), end: end)
        }
        _ = model.handle(.character(":"))
        for c in "review" { _ = model.handle(.character(c)) }
        _ = model.handle(.enter)
        return (model, store, source)
    }

    static let context = RenderContext(width: 160, height: 48, theme: .default, glyphs: .unicode, now: 0)

    @Test(arguments: [("latency-regression", Int64(5)), ("post-release-review-v6", Int64(72))])
    func nextEventVisitsEveryEventInOrderAndRendersTheDashboardAsOfIt(name: String, hours: Int64) throws {
        var (model, _, _) = try Self.model(name, hours: hours)
        #expect(model.screen == .review)
        let session = try #require(model.review)
        let events = session.timeline.events
        #expect(events.count >= 6)
        var visited: [TimelineEvent] = []
        for i in 0..<events.count {
            let review = try #require(model.review)
            visited.append(try #require(review.selected))
            #expect(review.cursor == events[i].time)
            let frame = model.render(Self.context).plainText()
            #expect(frame.contains("event \(i + 1)/\(events.count)"), "\(frame)")
            // The dashboard below is the one of that moment: its stage is the replayed one.
            let a = try #require(review.analysis)
            #expect(a.asOf == events[i].time)
            let marker = a.state.status == .complete ? "✓" : (a.state.status == .rolledBack ? "✗" : "●")
            #expect(frame.contains("\(marker) \(a.stage.name)"), "stage \(a.stage.name) (\(a.state.status)) not shown at \(events[i])")
            _ = model.handle(.character("]"))
        }
        #expect(visited == events)
        // Past the end nothing moves; g and G jump to the ends; { } move by one evaluation step.
        #expect(model.review?.selectedEvent == events.count - 1)
        _ = model.handle(.character("g"))
        #expect(model.review?.selectedEvent == 0)
        _ = model.handle(.character("}"))
        #expect(model.review?.cursor == events[0].time + 60)
        _ = model.handle(.character("{"))
        _ = model.handle(.character("{"))
        #expect(model.review?.cursor == events[0].time, "the cursor must not go before the start")
        _ = model.handle(.character("G"))
        #expect(model.review?.selectedEvent == events.count - 1)
        // The rollback of this scenario is on the timeline, and the dashboard at it says rolled back.
        let rollback = try #require(events.firstIndex { $0.kind == .rollback })
        _ = model.handle(.character("g"))
        for _ in 0..<rollback { _ = model.handle(.character("]")) }
        #expect(model.render(Self.context).plainText().contains("Rolled back"))
    }

    @Test func reviewScreenSnapshot() throws {
        var (model, _, _) = try Self.model("latency-regression", hours: 5)
        let events = try #require(model.review?.timeline.events)
        let rollback = try #require(events.firstIndex { $0.kind == .rollback })
        for _ in 0..<rollback { _ = model.handle(.character("]")) }
        SnapshotSupport.assertSnapshot(model.render(Self.context).plainText(), named: "review-latency-regression-at-rollback-160x48.txt")
        SnapshotSupport.assertSnapshot(model.render(RenderContext(width: 80, height: 24, theme: .default, glyphs: .unicode, now: 0)).plainText(),
                                       named: "review-latency-regression-at-rollback-80x24.txt")
    }

    @Test func thenAndNowShowsTheLabelsThatArrivedLater() throws {
        var (model, _, _) = try Self.model("eu-segment-regression", hours: 4)
        // Early on, few labels had arrived: the now column has more labelled decisions for the same moment.
        _ = model.handle(.character("g"))
        for _ in 0..<3 { _ = model.handle(.character("]")) }
        _ = model.handle(.character("t"))
        let thenNow = try #require(model.review?.thenNow)
        let rows = thenNow.rows.filter { $0.then != nil && $0.now != nil }
        #expect(!rows.isEmpty)
        #expect(rows.contains { $0.now!.challengerCount > $0.then!.challengerCount }, "no labels arrived after the moment")
        let frame = model.render(Self.context).plainText()
        #expect(frame.contains("Then and now") && frame.contains("Δ NOW"), "\(frame)")
        _ = model.handle(.escape)
        #expect(model.review?.view == .dashboard)
    }

    @Test func notesTicksAndSignOffAreAuditedAndOnlyReviewersSignOff() throws {
        var (model, store, _) = try Self.model("fraud-canary-healthy", hours: 2)
        let slug = try #require(model.review?.history.release.slug)
        let live = try #require(model.snapshot?.analysis)
        let layer = ActionLayer(registry: store)
        let rita = Operator(name: "rita", role: .reviewer)
        // A note through the key: n, text, enter → a confirmed action carrying the event reference.
        _ = model.handle(.character("]"))
        let event = try #require(model.review?.selected)
        _ = model.handle(.character("n"))
        for c in "canary looked fine" { _ = model.handle(.character(c)) }
        _ = model.handle(.enter)
        let note = try #require(model.confirmed)
        #expect(note.action == .note(reference: event.reference) && note.reason == "canary looked fine")
        #expect(layer.perform(note.action, analysis: live, by: rita, reason: note.reason, at: live.asOf).succeeded)
        model.effects.removeAll()
        model.refreshReview()
        #expect(model.review?.timeline.events.contains { $0.kind == .note && $0.detail == "canary looked fine" } == true)
        // Sign-off is refused until every item is ticked, and ticks are reviewer-only.
        var a = live
        a.events = try store.auditEvents(release: slug)
        #expect(ActionLayer.blocker(.signOff, analysis: a, by: rita)?.contains("not ticked yet") == true)
        let oncall = Operator(name: "omar", role: .oncall)
        #expect(!layer.perform(.reviewCheck(item: ReviewChecklist.items[0], checked: true), analysis: live, by: oncall, reason: "", at: live.asOf).succeeded)
        #expect(layer.perform(.note(reference: event.reference), analysis: live, by: oncall, reason: "on-call view", at: live.asOf).succeeded)
        let early = layer.perform(.signOff, analysis: live, by: rita, reason: "", at: live.asOf)
        #expect(!early.succeeded && early.message.contains("not ticked yet"), "\(early)")
        _ = model.handle(.character("c"))
        for i in ReviewChecklist.items.indices {
            _ = model.handle(.character(" "))
            let tick = try #require(model.confirmed)
            #expect(tick.action == .reviewCheck(item: ReviewChecklist.items[i], checked: true))
            #expect(layer.perform(tick.action, analysis: live, by: rita, reason: "", at: live.asOf).succeeded)
            model.effects.removeAll()
            model.refreshReview()
            _ = model.handle(.character("j"))
        }
        #expect(model.review?.checklist.complete == true)
        _ = model.handle(.character("S"))
        #expect(model.dialog?.action == .signOff, "\(model.message ?? "")")
        #expect(layer.perform(.signOff, analysis: live, by: rita, reason: "all good", at: live.asOf).succeeded)
        #expect(!layer.perform(.signOff, analysis: live, by: rita, reason: "again", at: live.asOf).succeeded, "signed off twice")
        let log = try store.auditEvents(release: slug)
        #expect(log.filter { $0.kind == .review }.count == ReviewChecklist.items.count)
        #expect(log.filter { $0.kind == .signOff }.count == 1)
        #expect(log.filter { $0.kind == .refusal }.count >= 2, "refusals are audited")
        #expect(ReviewChecklist(events: log).signOff?.actor == "rita")
    }
}

/// The exported Markdown review: a snapshot for a sample scenario with reviewer work, and hostile text kept inert.
@Suite struct ReviewReportTests {
    @Test func markdownSnapshotOfARolledBackReleaseWithNotesAndChecklist() throws {
        let scenario = try SnapshotSupport.scenario("latency-regression")
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let end = scenario.simulation.start + 5 * 3600
        let live = try source.poll(simulatedTime: end)
        let layer = ActionLayer(registry: store)
        let rita = Operator(name: "rita", role: .reviewer)
        let slug = scenario.release.slug
        let first = try #require(ReviewSession(history: try Self.history(store, slug, end)).timeline.events.first { $0.kind == .rollback })
        #expect(layer.perform(.note(reference: first.reference), analysis: live, by: rita, reason: "p99 crossed 300 ms at 25% | as load grew", at: end).succeeded)
        for item in ReviewChecklist.items.prefix(3) {
            #expect(layer.perform(.reviewCheck(item: item, checked: true), analysis: live, by: rita, reason: "", at: end).succeeded)
        }
        let markdown = ReviewReport.markdown(try Self.history(store, slug, end))
        #expect(markdown.contains("**Outcome: rolled back** at canary-25"))
        #expect(markdown.contains("p99 crossed 300 ms at 25% \\| as load grew") || markdown.contains("p99 crossed 300 ms at 25% | as load grew"))
        #expect(markdown.contains("- [x] \(ReviewChecklist.items[0])") && markdown.contains("- [ ] \(ReviewChecklist.items[4])"))
        #expect(markdown.contains("Not signed off (2 item(s) not ticked)."))
        SnapshotSupport.assertSnapshot(markdown, named: "review-latency-regression-5h.md")
    }

    @Test func markdownSnapshotOfThePostReleaseReviewScenario() throws {
        let scenario = try SnapshotSupport.scenario("post-release-review-v6")
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let end = scenario.simulation.start + 72 * 3600
        _ = try source.poll(simulatedTime: end)
        let markdown = ReviewReport.markdown(try Self.history(store, scenario.release.slug, end))
        #expect(markdown.contains("**Outcome: rolled back** at full"))
        #expect(markdown.contains("| market=EU,surface=web | recall | – | "), "the promotion to full had no labels then")
        // One unit per quantity: a rule on a difference of recalls reads in points, as the segment deltas do.
        let ruleRows = markdown.split(separator: "\n").filter { $0.contains("segment-recall-vs-champion") && $0.contains("— value") }
        #expect(!ruleRows.isEmpty)
        for row in ruleRows {
            #expect(row.contains("pt, threshold &lt; -8.0pt"), "\(row)")
            #expect(row.firstMatch(of: /value -0\.\d{3}/) == nil, "a fraction where points are meant: \(row)")
        }
        SnapshotSupport.assertSnapshot(markdown, named: "review-post-release-review-v6-3d.md")
    }

    @Test func controlCharactersAndPipesInReasonsStayInsideTheirCell() {
        #expect(ReviewReport.cell("a|b\nc\u{1b}[2J") == "a\\|b c\\u{1b}\\[2J")
    }

    static func history(_ store: SQLiteStore, _ slug: String, _ end: Timestamp) throws -> ReleaseHistory {
        ReleaseHistory(release: try #require(try store.release(slug)), events: try store.auditEvents(release: slug),
                       metrics: MetricSeriesSet(try store.samples(release: slug, after: nil, through: end)), end: end)
    }
}
