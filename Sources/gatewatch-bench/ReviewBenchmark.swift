import ArgumentParser
import Foundation
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import GatewatchUI

/// `gatewatch-bench review`: the review screen at interactive speed. A recorded scenario is simulated to the moment
/// it opens its review, the review is opened, and each key a reviewer presses is timed from the key to the composed
/// frame: `G` (to the last event, from a freshly opened review), `[` near the end, `]`, `}` (one evaluation step),
/// a checklist tick (the audit log reloaded with one more event) and `t` (then and now).
struct ReviewBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review",
        abstract: "Time the review screen's keys (event and step moves, a checklist tick, then & now) on a recorded release.")

    @Option(help: "Scenario (a fleet that opens a review, or one release).") var scenario = "post-release-review"
    @Option(help: "Terminal size, as COLSxROWS.") var size = "120x40"
    @Option(help: "Runs (the median, min and max are printed).") var runs = 5

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard parseSize(size) != nil else { throw ValidationError("--size must look like 120x40") }
    }

    func run() throws {
        let r = try Self.measureReview(scenario: scenario, size: parseSize(size)!, runs: runs)
        print("gatewatch-bench review: \(r.slug), \(r.events) events over \(DurationText.format(r.span)), \(size), \(runs) runs")
        print(header())
        print(row("open the review (ms)", r.open))
        print(row("G: to the last event (ms)", r.last))
        print(row("[ near the end (ms)", r.previous))
        print(row("] (ms)", r.next))
        print(row("} one evaluation step (ms)", r.step))
        print(row("checklist tick: reload + frame (ms)", r.tick))
        print(row("t: then and now (ms)", r.thenNow))
        print("{\"benchmark\":\"review\",\"scenario\":\"\(scenario)\",\"events\":\(r.events),\"runs\":\(runs),\"open_ms\":\(json(r.open)),"
              + "\"last_ms\":\(json(r.last)),\"previous_ms\":\(json(r.previous)),\"next_ms\":\(json(r.next)),\"step_ms\":\(json(r.step)),"
              + "\"tick_ms\":\(json(r.tick)),\"then_now_ms\":\(json(r.thenNow))}")
    }

    struct Result {
        var slug: String
        var events: Int
        var span: Int64
        var open, last, previous, next, step, tick, thenNow: (median: Double, min: Double, max: Double)
        /// The slowest key (not counting the opening).
        var slowestKey: (median: Double, min: Double, max: Double) {
            [last, previous, next, step, tick, thenNow].max { $0.median < $1.median }!
        }
    }

    /// The recorded history of `scenario`'s reviewed release.
    static func history(scenario name: String) throws -> ReleaseHistory {
        guard let root = ScenarioLoader.findRoot() else { throw ValidationError("no sample-data folder found; run from the repository") }
        let members = try ScenarioLoader.loadAll(name, root: root)
        guard let member = members.first(where: { $0.release.slug == $0.opensReview }) ?? members.first else {
            throw BenchError("scenario \(name) has no release")
        }
        let end = member.opensAt ?? member.simulation.start + 6 * 3600
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: member, store: store, description: "bench", speed: 0)
        _ = try source.poll(simulatedTime: end)
        let slug = member.release.slug
        return ReleaseHistory(release: try store.release(slug)!, events: try store.auditEvents(release: slug),
                              metrics: MetricSeriesSet(try store.samples(release: slug, after: nil, through: end)), end: end)
    }

    static func measureReview(scenario: String, size: (width: Int, height: Int), runs: Int) throws -> Result {
        let history = try history(scenario: scenario)
        let context = RenderContext(width: size.width, height: size.height, glyphs: .unicode, now: 0)
        let keys = KeyTable.default
        func frame(_ s: ReviewSession) { _ = ReviewScreen.render(s, live: nil, keys: keys, context: context) }
        var opened: [ReviewSession] = []
        let open = measure(runs) {
            let s = ReviewSession(history: history)
            frame(s)
            opened.append(s)
        }
        guard let sample = opened.first, sample.timeline.events.count >= 3 else { throw BenchError("the review of \(history.release.slug) has too few events") }
        // Each key on its own freshly opened session, as a reviewer meets it.
        var sessions = opened
        func key(_ press: (inout ReviewSession) -> Void) -> (median: Double, min: Double, max: Double) {
            measure(runs) {
                var s = sessions.removeLast()
                press(&s)
                frame(s)
                sessions.insert(s, at: 0)
            }
        }
        let last = key { $0.moveToEnd(true) }
        let previous = key { $0.moveEvent(by: -1) }
        let next = key { $0.moveEvent(by: 1) }
        let step = key { $0.step(by: -1) }
        var tickCount = 0
        let tick = measure(runs) {
            let s = sessions.removeLast()
            tickCount += 1
            let item = ReviewChecklist.items[tickCount % ReviewChecklist.items.count]
            let event = AuditEvent(release: history.release.slug, time: history.end, actor: "bench", role: .reviewer, kind: .review,
                                   reason: "", fromState: "", toState: ReviewChecklist.state(item: item, checked: true))
            let next = s.reloaded(with: history.replacingEvents(history.events + [event]))
            frame(next)
            sessions.insert(s, at: 0)
        }
        let thenNow = measure(runs) {
            var s = sessions.removeLast()
            s.show(.thenNow)
            frame(s)
            s.show(.thenNow)
            sessions.insert(s, at: 0)
        }
        return Result(slug: history.release.slug, events: sample.timeline.events.count, span: history.end - history.start,
                      open: open, last: last, previous: previous, next: next, step: step, tick: tick, thenNow: thenNow)
    }
}
