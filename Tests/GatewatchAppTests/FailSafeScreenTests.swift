import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// What the screen says when it must not say "all is well": a registry that is down (rollback would fail), a gate
/// named in words, stale data on the overview; releases created after the dashboard started; the freshness bound
/// from the config.
@Suite struct FailSafeScreenTests {
    static func store(slugs: [String]) throws -> SQLiteStore {
        let store = try SQLiteStore()
        for slug in slugs { try add(slug, to: store) }
        return store
    }

    static func add(_ slug: String, to store: SQLiteStore) throws {
        var release = LiveSourceTests.release()
        release.slug = slug
        try store.create(release, state: RolloutState(stageIndex: 0, stageEnteredAt: LiveSourceTests.start, startedAt: LiveSourceTests.start,
                                                      status: .running, version: 1),
                         event: AuditEvent(release: slug, time: LiveSourceTests.start, actor: "ana", role: .owner, kind: .start,
                                           reason: "go", fromState: "", toState: "canary"))
    }

    @Test func aDashboardFindsReleasesCreatedAfterItStarted() throws {
        let store = try Self.store(slugs: ["a"])
        let poller = Poller(sources: [LiveSource(slug: "a", registry: store, metricsStore: store, description: "t")])
        poller.discoverEvery = 0
        poller.discover = { known in
            try store.releaseSlugs().filter { !known.contains($0) }.map { LiveSource(slug: $0, registry: store, metricsStore: store, description: "t") }
        }
        poller.pollOnce()
        #expect(poller.take()?.map(\.analysis.release.slug) == ["a"])
        try Self.add("b", to: store)
        poller.pollOnce()
        #expect(poller.take()?.map(\.analysis.release.slug) == ["a", "b"])
        #expect(poller.releaseCount == 2)
        var model = AppModel()
        model.update([])
        poller.pollOnce()
        model.update(poller.take() ?? [])
        _ = model.handle(.character(":"))
        for c in "release b" { _ = model.handle(.character(c)) }
        _ = model.handle(.enter)
        #expect(model.currentSlug == "b" && model.message == nil)
    }

    @Test func theBannerDoesNotPromiseARollbackTheRegistryCannotTake() throws {
        let store = try Self.store(slugs: ["r"])
        let live = LiveSource(slug: "r", registry: store, metricsStore: store, description: "t")
        let analysis = try live.refresh(at: LiveSourceTests.start + 60).analysis
        var health = SourceHealth(sourceName: "mlflow http://127.0.0.1:5000", lastSuccess: 1_000, pollInterval: 1)
        health.lastError = "registry unavailable: connection refused"
        health.registryError = "registry unavailable: connection refused"
        let text = ReleaseScreen().render(ReleaseSnapshot(analysis: analysis, health: health), keys: .default,
                                          context: RenderContext(width: 200, height: 40, now: 1_100)).plainText()
        let banner = try #require(text.split(separator: "\n").first { $0.contains("STALE") }, "\(text)")
        #expect(!banner.contains("rollback works"), "\(banner)")
        #expect(banner.contains("registry unreachable: no action can be written until it answers"), "\(banner)")
        // With the registry answering (only the metrics down), rollback is said to work.
        health.registryError = nil
        health.lastError = "metrics: connection refused"
        let metricsDown = ReleaseScreen().render(ReleaseSnapshot(analysis: analysis, health: health), keys: .default,
                                                 context: RenderContext(width: 200, height: 40, now: 1_100)).plainText()
        #expect(metricsDown.contains("promotion waits, rollback works"))
    }

    @Test func aHeldGateReadsAsWords() throws {
        let verdict = GateVerdict(gate: .noBlockingRules, outcome: .failed, reason: "segment-precision [BR/app] firing")
        #expect(verdict.gate.label == "blocking rules")
        #expect(GateKind.allCases.allSatisfy { !$0.label.contains("_") && !$0.label.hasPrefix("no ") })
    }

    @Test func theOverviewNeverCallsStaleDataOk() throws {
        let store = try Self.store(slugs: ["r"])
        for k in 0...10 { try store.append(release: "r", samples: LiveSourceTests.minute(k)) }
        let live = LiveSource(slug: "r", registry: store, metricsStore: store, description: "t")
        let fresh = try live.refresh(at: LiveSourceTests.start + 10 * 60).analysis
        let stale = try live.refresh(at: LiveSourceTests.start + 60 * 60).analysis
        let health = SourceHealth(sourceName: "t", lastSuccess: 1_000)
        let context = RenderContext(width: 120, height: 20, now: 1_000)
        let freshText = OverviewScreen.render([ReleaseSnapshot(analysis: fresh, health: health)], selected: ListSelection(), keys: .default, context: context).plainText()
        #expect(!freshText.contains("STALE") && !freshText.contains("NOTE"))
        let staleText = OverviewScreen.render([ReleaseSnapshot(analysis: stale, health: health)], selected: ListSelection(), keys: .default, context: context).plainText()
        let row = try #require(staleText.split(separator: "\n").first { $0.contains(" r ") || $0.contains("▸ r") }, "\(staleText)")
        #expect(row.contains("STALE") && !row.contains("✓ ok"), "\(row)")
        #expect(row.contains("data 50m old"), "\(row)")
    }

    @Test func aHoldOfAutomaticRollbackIsShownWithItsExpiry() throws {
        let store = try Self.store(slugs: ["r"])
        for k in 0...10 { try store.append(release: "r", samples: LiveSourceTests.minute(k)) }
        var state = try #require(try store.state("r"))
        let now = LiveSourceTests.start + 10 * 60
        state.rollbackHold = RollbackHold(until: now + 1800, since: now, by: "omar", reason: "INC-7")
        try store.transition("r", expectedVersion: state.version, to: state,
                             event: AuditEvent(release: "r", time: now, actor: "omar", role: .oncall, kind: .holdRollback, reason: "INC-7",
                                               fromState: "canary", toState: RolloutState.holdEventState(until: now + 1800)))
        let a = try LiveSource(slug: "r", registry: store, metricsStore: store, description: "t").refresh(at: now).analysis
        let health = SourceHealth(sourceName: "t", lastSuccess: 1_000)
        let header = ReleaseScreen().render(ReleaseSnapshot(analysis: a, health: health), keys: .default,
                                            context: RenderContext(width: 120, height: 34, now: 1_000)).rowText(0)
        #expect(header.contains("auto-rollback held until 09:40 by omar"), "\(header)")
        let overview = OverviewScreen.render([ReleaseSnapshot(analysis: a, health: health)], selected: ListSelection(), keys: .default,
                                             context: RenderContext(width: 140, height: 20, now: 1_000)).plainText()
        #expect(overview.contains("NOTE") && overview.contains("auto-rollback held to 09:40"), "\(overview)")
        // Expired: shown nowhere.
        let later = try LiveSource(slug: "r", registry: store, metricsStore: store, description: "t").refresh(at: now + 1800).analysis
        #expect(!ReleaseScreen().render(ReleaseSnapshot(analysis: later, health: health), keys: .default,
                                        context: RenderContext(width: 120, height: 34, now: 1_000)).rowText(0).contains("held"))
    }

    @Test func theConfigSetsTheFreshnessBound() throws {
        let config = try GatewatchConfig.parse(yaml: "refresh: 5\nstale_after: 10m\nfuture_skew: 30s\n", file: "gw.yaml")
        #expect(config.staleAfter == 600 && config.futureSkew == 30)
        var loaded = try LoadedConfig.load(path: nil, environment: ["XDG_CONFIG_HOME": "/nonexistent"])
        #expect(loaded.freshnessPolicy() == FreshnessPolicy(staleAfter: 181, futureSkew: 300))
        loaded.refresh = 5
        #expect(loaded.freshnessPolicy().staleAfter == 185)
        loaded.staleAfter = 600
        #expect(loaded.freshnessPolicy().staleAfter == 600)
        #expect(throws: InputError.self) { try GatewatchConfig.parse(yaml: "stale_after: soon\n", file: "gw.yaml") }
        do {
            _ = try GatewatchConfig.parse(yaml: "future_skew: 3d\n", file: "gw.yaml")
            Issue.record("a 3-day skew was accepted")
        } catch {
            #expect(error.description.contains("gw.yaml:1:14: `future_skew` must be a duration from 0s to 1d"), "\(error.description)")
        }
    }
}
