import Foundation
import Synchronization
import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite

/// `AlertWatch` keeps Alertmanager in step with the rules: the silence of an ended episode is expired (never one
/// someone made by hand), what Alertmanager holds reaches the analysis the rules panel draws, a failure is kept and
/// said with the last alerts known, and Alertmanager is asked at most once per interval. (The client itself is
/// tested against a real Alertmanager in `AlertmanagerClientTests`.)
@Suite struct AlertWatchTests {
    /// An alert source in memory that records what it was asked.
    final class MemorySource: AlertSource {
        struct Held {
            var silences: [Silence] = []
            var alerts: [HeldAlert] = []
            var expired: [String] = []
            var calls = 0
            var failure: String?
        }
        let held = Mutex(Held())

        struct Failure: Error, CustomStringConvertible { var description: String }

        func createSilence(_ request: SilenceRequest) throws -> String {
            held.withLock { h in
                let id = "s\(h.silences.count + 1)"
                h.silences.append(Silence(id: id, matchers: request.matchers, state: .active, startsAt: request.startsAt, endsAt: request.endsAt,
                                          createdBy: request.createdBy, comment: request.comment))
                return id
            }
        }
        func expireSilence(id: String) throws {
            held.withLock { h in
                h.expired.append(id)
                h.silences.removeAll { $0.id == id }
            }
        }
        func silences(release: String) throws -> [Silence] {
            try held.withLock { h in
                h.calls += 1
                if let failure = h.failure { throw Failure(description: failure) }
                return h.silences.filter { $0.matchers.contains(Matcher("release", release)) }
            }
        }
        func alerts(release: String) throws -> [HeldAlert] {
            held.withLock { h in h.alerts.filter { $0.labels["release"] == release } }
        }
    }

    static func analysis(status: RuleStatus, activeAt: Timestamp?) throws -> ReleaseAnalysis {
        let store = try PollerTests.store(releases: ["am-1"])
        let source = LiveSource(slug: "am-1", registry: store, metricsStore: store, description: "t")
        var a = try source.refresh(at: LiveSourceTests.start + 600).analysis
        let rule = StopRule(name: "fpr", metric: .falsePositiveRate, comparator: .greaterThan, threshold: 0.1, severity: .block)
        a.rules = [RuleEvaluation(rule: rule, segment: nil, status: status, since: activeAt, value: 0.2, evaluatedAt: a.asOf,
                                  activeAt: activeAt, history: [])]
        return a
    }

    @Test func theSilenceOfAnEndedEpisodeIsExpiredAndHeldAlertsReachTheAnalysis() throws {
        let source = MemorySource()
        let firing = try Self.analysis(status: .firing, activeAt: LiveSourceTests.start + 60)
        let ours = try source.createSilence(EpisodeSilence.request(release: "am-1", evaluation: firing.rules[0], actor: "ada", at: firing.asOf))
        let manual = try source.createSilence(SilenceRequest(matchers: [Matcher("release", "am-1")], startsAt: 0, endsAt: 1, createdBy: "oncall",
                                                             comment: "maintenance"))
        source.held.withLock {
            $0.alerts = [HeldAlert(labels: ["alertname": "fpr", "release": "am-1"], state: .suppressed, silencedBy: [ours], startsAt: 0),
                         HeldAlert(labels: ["alertname": "latency", "release": "am-1"], state: .active, silencedBy: [], startsAt: 0)]
        }
        let watch = AlertWatch(source: source, interval: 15)
        let held = watch.sync(["am-1": firing], wall: 100)
        #expect(held["am-1"]?.alerts.count == 2)
        #expect(held["am-1"]?.summary == "Alertmanager: 1 active, 1 silenced")
        #expect(source.held.withLock { $0.expired }.isEmpty, "the episode goes on")

        // Within the interval Alertmanager is not asked again.
        let calls = source.held.withLock { $0.calls }
        _ = watch.sync(["am-1": try Self.analysis(status: .ok, activeAt: nil)], wall: 110)
        #expect(source.held.withLock { $0.calls } == calls)

        // The episode has ended: its silence is expired, the hand-made one is not.
        _ = watch.sync(["am-1": try Self.analysis(status: .ok, activeAt: nil)], wall: 116)
        #expect(source.held.withLock { $0.expired } == [ours])
        #expect(source.held.withLock { $0.silences.map(\.id) } == [manual])
        #expect(watch.expiredCount == 1)

        // Alertmanager fails: the problem is said, with the alerts last known.
        source.held.withLock { $0.failure = "connection refused (127.0.0.1:9093)" }
        let failed = watch.sync(["am-1": firing], wall: 200)
        #expect(failed["am-1"]?.problem == "connection refused (127.0.0.1:9093)")
        #expect(failed["am-1"]?.alerts.count == 2)
        #expect(failed["am-1"]?.summary == "Alertmanager: connection refused (127.0.0.1:9093)")
    }

    @Test func thePollerPutsWhatAlertmanagerHoldsIntoTheSnapshots() throws {
        let store = try PollerTests.store(releases: ["am-1", "am-2"])
        let sources = ["am-1", "am-2"].map { LiveSource(slug: $0, registry: store, metricsStore: store, description: "t",
                                                          now: { LiveSourceTests.start + 600 }) }
        let source = MemorySource()
        source.held.withLock { $0.alerts = [HeldAlert(labels: ["alertname": "x", "release": "am-2"], state: .active, silencedBy: [], startsAt: 0)] }
        let poller = Poller(sources: sources, interval: 1)
        poller.alerts = AlertWatch(source: source)
        poller.pollOnce()
        let snapshots = try #require(poller.take())
        #expect(snapshots.map { $0.analysis.heldAlerts?.summary } == ["Alertmanager: no alerts", "Alertmanager: 1 active"])
        // Without a watch, nothing is said about Alertmanager.
        let plain = Poller(sources: sources, interval: 1)
        plain.pollOnce()
        #expect(try #require(plain.take()).allSatisfy { $0.analysis.heldAlerts == nil })
    }
}
