import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario

/// The review recomputes the past from the full history; it must show exactly what the live screen showed then.
@Suite struct ReviewHistoryTests {
    /// Runs a scenario live, polling every `every` seconds for `hours`, and returns the live analyses and the store.
    static func live(_ name: String, hours: Int64, every: Int64) throws -> ([ReleaseAnalysis], SQLiteStore, Scenario) {
        let scenario = try SnapshotSupport.scenario(name)
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        var analyses: [ReleaseAnalysis] = []
        for t in stride(from: scenario.simulation.start + every, through: scenario.simulation.start + hours * 3600, by: Int(every)) {
            analyses.append(try source.poll(simulatedTime: t))
        }
        return (analyses, store, scenario)
    }

    static func history(_ store: SQLiteStore, _ scenario: Scenario) throws -> ReleaseHistory {
        let slug = scenario.release.slug
        let release = try #require(try store.release(slug))
        return ReleaseHistory(release: release, events: try store.auditEvents(release: slug),
                              metrics: MetricSeriesSet(try store.samples(release: slug, after: nil, through: .max)))
    }

    /// The parts of an analysis the screen shows, in a comparable form.
    static func visible(_ a: ReleaseAnalysis) -> [String] {
        var out = ["state \(a.state.stageIndex) \(a.state.status) \(a.state.stageEnteredAt) \(a.state.startedAt)"]
        out += a.rules.map { "rule \($0.rule.name) \($0.segment ?? "-") \($0.status) since \($0.since.map(String.init) ?? "-") active \($0.activeAt.map(String.init) ?? "-") value \($0.value.map { "\($0)" } ?? "-")" }
        out += a.gates.map { "gate \($0)" }
        out.append("maturity \(a.labelMaturity.map { "\($0)" } ?? "-") share \(a.observedChallengerShare.map { "\($0)" } ?? "-")")
        out.append("decisions \(a.stageDecisions[.champion] ?? -1) \(a.stageDecisions[.challenger] ?? -1)")
        out.append("queue \(a.queue.map { "\($0)" } ?? "-")")
        out.append("events \(a.events.map { "\($0.kind) \($0.time)" })")
        return out
    }

    @Test(arguments: [("fraud-canary-healthy", Int64(7)), ("eu-segment-regression", Int64(3)), ("latency-regression", Int64(5))])
    func analysisAsOfEqualsTheLiveAnalysisAtThatTime(name: String, hours: Int64) throws {
        let (live, store, scenario) = try Self.live(name, hours: hours, every: 23 * 60)
        let history = try Self.history(store, scenario)
        #expect(live.count >= 7)
        var previous: [RuleEvaluation]? = nil
        for a in live {
            let replayed = try #require(history.analysis(asOf: a.asOf, previousRules: previous))
            previous = replayed.rules
            let (l, r) = (Self.visible(a), Self.visible(replayed))
            let liveSegments = [a.overall].compactMap { $0 } + a.segments
            let reviewSegments = [replayed.overall].compactMap { $0 } + replayed.segments
            #expect(liveSegments == reviewSegments, "segment deltas differ as of \(TimeText.minute(a.asOf)): \(zip(liveSegments, reviewSegments).filter { $0 != $1 }.map { $0.0.segment ?? "overall" })")
            #expect(l == r, "as of \(TimeText.minute(a.asOf)): \(zip(l, r).first { $0 != $1 }.map { "live \($0)\nreview \($1)" } ?? "lengths \(l.count) \(r.count)")")
        }
        // The replayed state at the end is the stored one (up to the version counter's start).
        let stored = try #require(try store.state(scenario.release.slug))
        let replayedEnd = try #require(StateReplay.state(of: history.release, events: history.events, asOf: .max))
        #expect(replayedEnd.stageIndex == stored.stageIndex && replayedEnd.status == stored.status)
        #expect(replayedEnd.stageEnteredAt == stored.stageEnteredAt)
    }

    @Test func timelineListsEveryLoggedEventAndRuleTransitionInOrder() throws {
        let (live, store, scenario) = try Self.live("latency-regression", hours: 6, every: 30 * 60)
        let history = try Self.history(store, scenario)
        let final = try #require(history.analysis(asOf: live.last!.asOf))
        let timeline = ReviewTimeline(history: history, final: final)
        let times = timeline.events.map(\.time)
        #expect(times == times.sorted())
        // Every audit event appears, in log order.
        let logged = timeline.events.compactMap(\.auditID)
        #expect(logged == history.events.compactMap(\.id))
        // The rollback of this scenario is there, after the p99 rule fired.
        let rollback = try #require(timeline.events.first { $0.kind == .rollback })
        let fired = try #require(timeline.events.first { $0.kind == .rule && $0.title.contains("p99") && $0.title.hasSuffix("→ firing") })
        #expect(fired.time <= rollback.time, "\(fired) \(rollback)")
        #expect(timeline.events.contains { $0.kind == .labels && $0.title == "labels 50% mature" })
    }

    /// A dry-run rule that would fire: on the review timeline with what it would have done, while the release's
    /// own history (here: healthy, no rollback) is unchanged by it.
    @Test func reviewShowsWhatADryRunRuleWouldHaveDone() throws {
        var scenario = try SnapshotSupport.scenario("fraud-canary-healthy")
        scenario.release.rules.append(StopRule(name: "trial-p99-tight", metric: .latencyP99, comparator: .greaterThan, threshold: 0.15,
                                               forSeconds: 300, severity: .rollback, dryRun: true))
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let end = scenario.simulation.start + 3 * 3600
        let live = try source.poll(simulatedTime: end)
        #expect(live.state.status != .rolledBack, "a dry-run rule rolled the release back")
        #expect(live.rules.contains { $0.rule.dryRun && $0.status == .firing }, "the trial rule should fire in this scenario")
        let history = try Self.history(store, scenario)
        let final = try #require(history.analysis(asOf: end))
        let timeline = ReviewTimeline(history: history, final: final)
        let wouldHave = try #require(timeline.events.first { $0.kind == .dryRun && $0.title.hasSuffix("→ firing (would have rolled back)") })
        #expect(wouldHave.title.hasPrefix("dry-run trial-p99-tight"))
        #expect(!timeline.events.contains { $0.kind == .rollback })
    }

    /// The post-release-review story: v6 went to full before any fraud label existed; with the labels known a day
    /// later, the same moment shows EU web missing fraud — the change then-and-now must make visible.
    @Test func thenAndNowShowsWhatTheDelayedLabelsRevealedAtThePromotionToFull() throws {
        let members = try ScenarioLoader.loadAll("post-release-review", root: SnapshotSupport.sampleData)
        let first = try #require(members.first { $0.release.slug == "checkout-risk-v6" })
        #expect(members.allSatisfy { $0.opensReview == "checkout-risk-v6" && $0.opensAt != nil })
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: first, store: store, description: "test", speed: 0)
        let end = try #require(first.opensAt)
        let final = try source.poll(simulatedTime: end)
        #expect(final.state.status == .rolledBack)
        let history = try Self.history(store, first)
        #expect(history.labelHorizon >= 23 * 3600 && history.labelHorizon <= 25 * 3600, "measured label delay \(history.labelHorizon) s, simulated 1d")
        let toFull = try #require(history.events.first { $0.kind == .promote && $0.toState == "full" })
        let rollback = try #require(history.events.first { $0.kind == .rollback })
        #expect(toFull.time < rollback.time)
        let then = try #require(history.analysis(asOf: toFull.time))
        let thenNow = try #require(ThenNow(history: history, then: then))
        let euRecall = try #require(thenNow.rows.first { $0.segment == "market=EU,surface=web" && $0.metric == .recall })
        #expect(euRecall.then == nil, "no fraud label existed when v6 went to full")
        let now = try #require(euRecall.now)
        #expect(now.isWorse && now.estimate.delta < -0.2, "\(now.estimate)")
        #expect(euRecall.change == "now worse")
        // The other segments did not regress.
        for row in thenNow.rows where row.metric == .recall && row.segment != nil && row.segment != "market=EU,surface=web" {
            #expect(row.change != "now worse", "\(row.segment ?? "") \(row.now.map { "\($0.estimate)" } ?? "")")
        }
    }
}
