import Foundation
import Testing
import GatewatchCore
@testable import GatewatchAlertmanager
import GatewatchScenario
import GatewatchTestSupport

/// `AlertmanagerClient` and `EpisodeSilence` against a real Alertmanager 0.25 (`AlertmanagerServer`): the silence an
/// acknowledgement creates is visible through the API and silences exactly the rule's alerts of the release (and
/// segment); it is expired when the episode ends; a stopped server and bad options are clear errors.
@Suite struct AlertmanagerClientTests {
    static let now = Int64(Date().timeIntervalSince1970) / 60 * 60

    static func evaluation(_ name: String, segment: String? = nil, status: RuleStatus, activeAt: Timestamp?) -> RuleEvaluation {
        let rule = StopRule(name: name, metric: .errorRate, comparator: .greaterThan, threshold: 0.02,
                            scope: segment == nil ? .overall : .eachSegment, severity: .rollback)
        return RuleEvaluation(rule: rule, segment: segment, status: status, since: activeAt, value: 0.05, evaluatedAt: now,
                              activeAt: activeAt, history: [])
    }

    @Test func anAcknowledgementsSilenceIsScopedToItsRuleAndEndsWithItsEpisode() throws {
        let server = try AlertmanagerServer.start()
        defer { server.stop() }
        let client = try AlertmanagerClient(options: AlertmanagerOptions(url: server.url))
        let release = "fraud-scoring-v8"
        // Prometheus fires three alerts: the acknowledged rule in EU web, the same rule in BR app, another release's.
        try server.push([
            ["alertname": "segment-fpr", "gatewatch_rule": "segment-fpr", "release": release, "segment": "market=EU,surface=web", "severity": "block"],
            ["alertname": "segment-fpr", "gatewatch_rule": "segment-fpr", "release": release, "segment": "market=BR,surface=app", "severity": "block"],
            ["alertname": "segment-fpr", "gatewatch_rule": "segment-fpr", "release": "other", "segment": "market=EU,surface=web", "severity": "block"],
        ], startsAt: Self.now - 300)

        let episodeStart = Self.now - 600
        let firing = Self.evaluation("segment-fpr", segment: "market=EU,surface=web", status: .firing, activeAt: episodeStart)
        let request = EpisodeSilence.request(release: release, evaluation: firing, actor: "ada", at: Self.now)
        #expect(request.matchers == [Matcher("release", release), Matcher("gatewatch_rule", "segment-fpr"), Matcher("segment", "market=EU,surface=web")])
        let id = try client.createSilence(request)

        // Visible through the API, with the episode in its comment.
        let silences = try client.silences(release: release)
        #expect(silences.map(\.id) == [id])
        let silence = try #require(silences.first)
        #expect(silence.createdBy == "gatewatch" && silence.comment.contains("by ada") && silence.state == .active)
        #expect(EpisodeSilence.episode(of: silence) == episodeStart)
        #expect(silence.endsAt == Self.now + EpisodeSilence.maximumSeconds)
        // Only the acknowledged scope is silenced; the other release's alert is not even listed.
        let held = try waitFor { try client.alerts(release: release).contains { $0.state == .suppressed } } then: { try client.alerts(release: release) }
        #expect(held.count == 2)
        #expect(held.first { $0.labels["segment"] == "market=EU,surface=web" }?.silencedBy == [id])
        #expect(held.first { $0.labels["segment"] == "market=BR,surface=app" }?.state == .active)

        // The episode goes on: nothing to expire. It ends (the rule is ok again, or a new episode began): expire it.
        #expect(EpisodeSilence.expired(silences, rules: [firing]).isEmpty)
        #expect(EpisodeSilence.expired(silences, rules: [Self.evaluation("segment-fpr", segment: "market=EU,surface=web", status: .ok, activeAt: nil)]) == [id])
        #expect(EpisodeSilence.expired(silences, rules: [Self.evaluation("segment-fpr", segment: "market=EU,surface=web", status: .pending,
                                                                          activeAt: Self.now)]) == [id])
        // A silence someone made by hand is never touched.
        let manual = try client.createSilence(SilenceRequest(matchers: [Matcher("release", release)], startsAt: Self.now, endsAt: Self.now + 3600,
                                                              createdBy: "oncall", comment: "maintenance"))
        let both = try client.silences(release: release)
        #expect(Set(both.map(\.id)) == [id, manual])
        #expect(EpisodeSilence.expired(both, rules: []) == [id])

        try client.expireSilence(id: id)
        #expect(try client.silences(release: release).map(\.id) == [manual])
        try client.expireSilence(id: manual)
        let after = try waitFor { try client.alerts(release: release).allSatisfy { $0.state == .active } } then: { try client.alerts(release: release) }
        #expect(after.count == 2 && after.allSatisfy { $0.silencedBy.isEmpty })
    }

    @Test func aStoppedServerAndBadOptionsAreClearErrors() throws {
        let server = try AlertmanagerServer.start()
        let client = try AlertmanagerClient(options: AlertmanagerOptions(url: server.url, timeout: 2))
        #expect(try client.silences(release: "x").isEmpty)
        server.stop()
        let error = try #require(throws: AlertmanagerError.self) { try client.alerts(release: "x") }
        #expect(error.description.hasPrefix("Alertmanager: ") && error.description.contains("connection refused"), "\(error)")
        // A silence id Alertmanager does not know.
        let live = try AlertmanagerServer.start()
        defer { live.stop() }
        let other = try AlertmanagerClient(options: AlertmanagerOptions(url: live.url))
        let unknown = try #require(throws: AlertmanagerError.self) { try other.expireSilence(id: "00000000-0000-0000-0000-000000000000") }
        #expect(unknown.description == "Alertmanager answered HTTP 500: silence not found", "\(unknown)")

        func message(_ yaml: String) -> String {
            do { _ = try YAMLFile.decode(AlertmanagerOptions.self, yaml: yaml, file: "config.yaml"); return "no error" } catch { return "\(error)" }
        }
        #expect(message("timeout: 5s").contains("url is required"))
        #expect(message("url: http://x\nsilence_for: 1h").contains("silence_for: unknown key (known: url, bearer_token_env, headers, tls, timeout)"))
        #expect(message("url: ftp://x").contains("must be an http:// or https:// URL"))
        #expect(message("url: http://x\nbearer_token_env: 'eyJhbGciOi.abc'").contains("must name an environment variable"))
        #expect(message("url: http://x\ntimeout: soon").contains("timeout: must be a duration"))
        let token = try YAMLFile.decode(AlertmanagerOptions.self, yaml: "url: http://x\nbearer_token_env: GW_AM_TOKEN", file: "c.yaml")
        #expect(throws: AlertmanagerError.configuration(key: "bearer_token_env", message: "environment variable GW_AM_TOKEN is not set")) {
            try AlertmanagerClient(options: token, environment: [:])
        }
    }

    /// Polls `condition` for up to 10 s (Alertmanager applies a new silence to its alerts within a moment), then returns `result`.
    func waitFor<T>(_ condition: () throws -> Bool, then result: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !(try condition()) { Thread.sleep(forTimeInterval: 0.1) }
        return try result()
    }
}
