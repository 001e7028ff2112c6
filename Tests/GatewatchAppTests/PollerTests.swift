import Foundation
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// A fleet's first poll shows each release as soon as it is read, so one slow release does not hold the others.
@Suite struct PollerTests {
    /// A live source on an in-memory store whose `refresh` can be held until a gate opens.
    final class HeldSource: ReleaseSource, @unchecked Sendable {
        let inner: LiveSource
        let gate: DispatchSemaphore?
        var description: String { inner.description }
        var slug: String { inner.slug }
        var speed: Double { 1 }
        var clock: Timestamp { LiveSourceTests.start + 600 }
        var registry: any Registry { inner.registry }

        init(slug: String, store: SQLiteStore, gate: DispatchSemaphore?) {
            inner = LiveSource(slug: slug, registry: store, metricsStore: store, description: "t")
            self.gate = gate
        }

        func refresh(at time: Timestamp) throws -> (analysis: ReleaseAnalysis, problem: String?) {
            gate?.wait()
            return try inner.refresh(at: time)
        }
    }

    /// A store with one running release per slug, all started at `LiveSourceTests.start`.
    static func store(releases slugs: [String]) throws -> SQLiteStore {
        let store = try SQLiteStore()
        for slug in slugs {
            var release = LiveSourceTests.release()
            release.slug = slug
            try store.create(release, state: RolloutState(stageIndex: 0, stageEnteredAt: LiveSourceTests.start, startedAt: LiveSourceTests.start,
                                                          status: .running, version: 1),
                             event: AuditEvent(release: slug, time: LiveSourceTests.start, actor: "ana", role: .owner, kind: .start,
                                               reason: "go", fromState: "", toState: "canary"))
        }
        return store
    }

    @Test func theFirstRoundPostsEachReleaseAsItIsRead() throws {
        let store = try Self.store(releases: ["a", "b"])
        let gate = DispatchSemaphore(value: 0)
        let poller = Poller(sources: [HeldSource(slug: "a", store: store, gate: nil), HeldSource(slug: "b", store: store, gate: gate)])
        #expect(poller.releaseCount == 2)
        let done = DispatchSemaphore(value: 0)
        Thread { poller.pollOnce(); done.signal() }.start()
        var first: [ReleaseSnapshot]?
        for _ in 0..<200 where first == nil {
            first = poller.take()
            if first == nil { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(first?.map(\.analysis.release.slug) == ["a"], "release a is shown while b is still being read")
        let overview = OverviewScreen.render(first ?? [], selected: ListSelection(), keys: .default, context: RenderContext(width: 100, height: 30, now: 0),
                                             expected: poller.releaseCount)
        #expect(overview.rowText(0).contains("gatewatch — 1 of 2 releases (reading the others…)"), "\(overview.rowText(0))")
        gate.signal()
        done.wait()
        #expect(poller.take()?.map(\.analysis.release.slug) == ["a", "b"])
    }

    /// While a fleet is still being read, escape from a release still goes back to the overview.
    @Test func escapeReturnsToTheOverviewOfAFleetStillBeingRead() throws {
        let store = try SQLiteStore()
        try store.create(LiveSourceTests.release(), state: RolloutState(stageIndex: 0, stageEnteredAt: LiveSourceTests.start,
                                                                        startedAt: LiveSourceTests.start, status: .running, version: 1),
                         event: AuditEvent(release: "r", time: LiveSourceTests.start, actor: "ana", role: .owner, kind: .start,
                                           reason: "go", fromState: "", toState: "canary"))
        let analysis = try LiveSource(slug: "r", registry: store, metricsStore: store, description: "t").refresh(at: LiveSourceTests.start + 60).analysis
        var model = AppModel()
        model.expectedReleases = 3
        model.update([ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "t"))])
        model.screen = .release
        _ = model.handle(.escape)
        #expect(model.screen == .overview)
        model.expectedReleases = nil
        model.screen = .release
        _ = model.handle(.escape)
        #expect(model.screen == .release, "a single release has no overview to go back to")
    }

    /// A fleet read in parallel, poll after poll, while samples keep arriving in the store they share: every round
    /// has every release, each analysed exactly as a source of its own polled alone would (run under ThreadSanitizer
    /// and AddressSanitizer in CI: this is the read that once corrupted the heap).
    @Test func aFleetReadInParallelIsTheSameAsEachReleaseReadAlone() throws {
        let slugs = (0..<8).map { "r\($0)" }
        let store = try Self.store(releases: slugs)
        // Both fleets on the release's own clock, twelve minutes in: every poll analyses as of the same time.
        let clock: @Sendable () -> Timestamp = { LiveSourceTests.start + 720 }
        let poller = Poller(sources: slugs.map { LiveSource(slug: $0, registry: store, metricsStore: store, description: "t", now: clock) })
        let alone = slugs.map { LiveSource(slug: $0, registry: store, metricsStore: store, description: "alone", now: clock) }
        for minute in 1...12 {
            for slug in slugs { try store.append(release: slug, samples: LiveSourceTests.minute(minute)) }
            poller.pollOnce()
            let round = try #require(poller.take())
            #expect(round.map(\.analysis.release.slug) == slugs)
            #expect(round.allSatisfy { $0.health.lastError == nil })
            for (i, source) in alone.enumerated() {
                let a = try source.refresh(at: round[i].analysis.asOf).analysis
                #expect(round[i].analysis.segments == a.segments && round[i].analysis.rules == a.rules && round[i].analysis.gates == a.gates,
                        "\(slugs[i]) at minute \(minute)")
            }
        }
    }
}
