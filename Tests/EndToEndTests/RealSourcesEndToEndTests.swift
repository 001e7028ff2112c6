import Foundation
import GatewatchTestSupport
import GatewatchCore
import Testing

/// The built `gatewatch` against a real Prometheus 2.42 and a real MLflow 3.17.2 (see `RealSourcesFixture`): the same
/// verdicts as the embedded store, the dashboard's keys changing MLflow, and the failures of each source.
///
/// Serialized: the tests share the servers, and the dashboards' timings hold better on two cores one at a time.
@Suite("Real sources: MLflow + Prometheus (end to end)", .serialized,
       .enabled(if: RealSourcesFixture.shouldRun, RealSourcesFixture.skipReason), .realSources)
struct RealSourcesEndToEndTests {
    var fixture: RealSourcesFixture {
        get throws {
            guard let f = RealSourcesFixture.current else { throw TmuxSession.Failure(description: "the suite's real sources are not running") }
            return f
        }
    }

    // MARK: 1. Same verdicts

    /// `check --config` (MLflow + Prometheus) prints byte for byte the JSON of `check --scenario` (embedded store) and
    /// exits with the same status, for three scenarios. The report names no source, so nothing is removed.
    @Test func checkOnRealSourcesEqualsTheEmbeddedStore() throws {
        let f = try fixture
        // The default freshness bound on both sides (the scenario run reads no config).
        let config = try f.writeConfig("check.yaml", staleAfter: nil)
        let cases = RealSourcesFixture.compared
        // Both runs of every case, in parallel (each is a separate process).
        let runs = RealSourcesFixture.parallel(cases.count * 2) { i -> Result<ProcessResult, Error> in
            let c = cases[i / 2]
            let arguments = i % 2 == 0
                ? ["check", "--config", config.path, "--release", c.slug, "--at", c.at, "--format", "json"]
                : ["check", "--sample-data", f.repositorySampleData, "--scenario", c.scenario, "--at", c.at, "--format", "json"]
            return Result { try f.gatewatch(arguments) }
        }
        for (n, c) in cases.enumerated() {
            let real = try runs[2 * n].get(), embedded = try runs[2 * n + 1].get()
            #expect([0, 10, 20].contains(embedded.status), "\(c.scenario): check --scenario exited \(embedded.status): \(embedded.stderr)")
            #expect(real.status == embedded.status,
                    "\(c.scenario) at \(c.at): exit \(real.status) from MLflow + Prometheus, \(embedded.status) embedded; stderr: \(real.stderr)")
            #expect(real.stdout.contains("\"release\" : \"\(c.slug)\"") || real.stdout.contains("\"release\":\"\(c.slug)\""),
                    "\(c.scenario): the real-source report is not about \(c.slug): \(real.stdout.prefix(300))")
            #expect(real.stdout.utf8.count > 1000, "\(c.scenario): report too short: \(real.stdout)")
            if real.stdout != embedded.stdout {
                Issue.record("\(c.scenario) at \(c.at): the JSON differs; first difference: \(Self.firstDifference(real.stdout, embedded.stdout))")
            }
        }
    }

    /// The label mapping end to end: Prometheus holds the segment-regression release twice, in the contract's names
    /// and as another exporter writes it (`my_decisions_total{model_release="prod/…", variant="canary", country, surface,
    /// decision, pod}`, `ExporterRenaming`). `check` through a config with `mapping:` prints byte for byte the JSON of
    /// the embedded store, as the contract's names do.
    @Test func aLabelMappingReadsRenamedSeriesAsTheBuiltInNames() throws {
        let f = try fixture
        let c = try #require(RealSourcesFixture.compared.first { $0.slug == RealSourcesFixture.mappedSlug })
        let mapped = try f.writeConfig("mapped.yaml", metricsExtra: ExporterRenaming.mappingYAML.split(separator: "\n").map(String.init),
                                    staleAfter: nil)
        let real = try f.gatewatch(["check", "--config", mapped.path, "--release", c.slug, "--at", c.at, "--format", "json"])
        let embedded = try f.gatewatch(["check", "--sample-data", f.repositorySampleData, "--scenario", c.scenario, "--at", c.at, "--format", "json"])
        #expect(real.status == embedded.status, "exit \(real.status) through the mapping, \(embedded.status) embedded; stderr: \(real.stderr)")
        #expect(real.stdout.utf8.count > 1000, "report too short: \(real.stdout) \(real.stderr)")
        #expect(real.stdout.contains("market=EU,surface=web"), "the segments are read from country and surface")
        if real.stdout != embedded.stdout {
            Issue.record("the JSON through the mapping differs; first difference: \(Self.firstDifference(real.stdout, embedded.stdout))")
        }
    }

    /// A second metrics engine: the compared scenarios imported into a real VictoriaMetrics (through its import API)
    /// give `check` the same JSON, byte for byte, and the same exit status as the same data backfilled into Prometheus.
    @Test func checkOnVictoriaMetricsEqualsPrometheus() throws {
        let f = try fixture
        let victoria = try VictoriaMetricsServer.start(importing: f.comparedMetrics)
        defer { victoria.stop() }
        let onPrometheus = try f.writeConfig("engine-prometheus.yaml", staleAfter: nil)
        let onVictoria = try f.writeConfig("engine-victoria.yaml", metricsURL: victoria.url, staleAfter: nil)
        let cases = RealSourcesFixture.compared
        let runs = RealSourcesFixture.parallel(cases.count * 2) { i -> Result<ProcessResult, Error> in
            let c = cases[i / 2]
            let config = i % 2 == 0 ? onVictoria : onPrometheus
            return Result { try f.gatewatch(["check", "--config", config.path, "--release", c.slug, "--at", c.at, "--format", "json"]) }
        }
        for (n, c) in cases.enumerated() {
            let vm = try runs[2 * n].get(), prometheus = try runs[2 * n + 1].get()
            #expect([0, 10, 20].contains(prometheus.status), "\(c.scenario): check on Prometheus exited \(prometheus.status): \(prometheus.stderr)")
            #expect(vm.status == prometheus.status, "\(c.scenario): exit \(vm.status) on VictoriaMetrics, \(prometheus.status) on Prometheus: \(vm.stderr)")
            #expect(vm.stdout.utf8.count > 1000, "\(c.scenario): report too short: \(vm.stdout) \(vm.stderr)")
            if vm.stdout != prometheus.stdout {
                Issue.record("\(c.scenario): VictoriaMetrics and Prometheus differ; first difference: \(Self.firstDifference(vm.stdout, prometheus.stdout))")
            }
        }
    }

    /// Series that stopped long ago in Prometheus: `check` at now is never clear and names the data's own age, the
    /// overview calls the release STALE with that age — not the age of the last poll (once "data 2s old", CLEAR).
    @Test func seriesThatStoppedInPrometheusAreStaleNotClear() throws {
        let f = try fixture
        let config = try f.writeConfig("fresh-default.yaml", staleAfter: nil)
        let c = RealSourcesFixture.compared[0]
        let check = try f.gatewatch(["check", "--config", config.path, "--release", c.slug, "--format", "json"])
        #expect(check.status == 10 || check.status == 20, "stale data must never be clear: exit \(check.status) \(check.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let freshness = try #require(json["freshness"] as? [String: Any])
        #expect(freshness["stale"] as? Bool == true)
        let age = freshness["age_seconds"] as? Int ?? 0
        #expect(age > 20 * 86_400, "the age of the data, not of the poll: \(age) s")
        #expect((json["gates"] as? [[String: Any]])?.first?["name"] as? String == "metrics_fresh")
        // This MLflow has no authentication: check says the names in its log are unproven.
        #expect(check.stderr.contains("warning: identities are unverified: the MLflow server at") && check.stderr.contains("has no authentication"),
                "\(check.stderr)")

        let s = try f.dashboard(config: config)
        defer { s.kill() }
        #expect(s.waitFor(text: c.slug, timeout: 30), "\(s.capture())")
        let shown = s.waitUntil(timeout: 30) {
            s.capture().split(separator: "\n").contains { $0.contains(c.slug) && $0.contains("STALE") && $0.contains("data ") }
        }
        #expect(shown, "the overview does not call the release stale: \(s.capture())")
        s.sendKeys("q")
    }

    /// `review export --config` reads the release's history from MLflow and Prometheus: its decisions section is the
    /// one the embedded store gives for the same scenario (the record's end differs: now, not the scenario's end).
    @Test func reviewExportOnRealSourcesHasTheSameDecisions() throws {
        let f = try fixture
        let config = try f.writeConfig("review.yaml")
        let c = RealSourcesFixture.compared[0]
        let real = try f.gatewatch(["review", "export", "--config", config.path, "--release", c.slug])
        let embedded = try f.gatewatch(["review", "export", "--sample-data", f.repositorySampleData, "--scenario", c.scenario, "--at", c.at])
        #expect(real.status == 0 && embedded.status == 0, "\(real.stderr) \(embedded.stderr)")
        #expect(real.stdout.hasPrefix("# Review of \(c.slug)"), "\(real.stdout.prefix(200))")
        func decisions(_ text: String) -> String {
            guard let start = text.range(of: "## Decisions"), let end = text.range(of: "## Stop rules") else { return "" }
            return String(text[start.lowerBound..<end.lowerBound])
        }
        #expect(!decisions(embedded.stdout).isEmpty)
        #expect(decisions(real.stdout) == decisions(embedded.stdout), "real:\n\(decisions(real.stdout))\nembedded:\n\(decisions(embedded.stdout))")
    }

    // MARK: 2. Dashboard keys on real sources

    /// `p` (Tab, Enter) promotes one stage in MLflow; the CLI overrides up to `full` (champion alias moves to the
    /// challenger, the dashboard follows); `r` with a reason and the typed release name rolls back (alias back).
    @Test func promoteAndRollBackFromTheDashboardChangeMLflow() throws {
        let f = try fixture
        let r = f.tui
        let rest = try f.rest()
        let stages = RealSourcesFixture.fraudStages
        let config = try f.writeConfig("tui.yaml", history: "3d")
        let before = try #require(try rest.states(model: r.model, version: r.challenger, slug: r.slug).last, "no state tag")
        let startIndex = try #require(before.stageIndex)
        try #require(stages[startIndex] == r.seededStage && before.status == "running", "seeded as \(r.seededStage), state \(before.json)")
        try #require(startIndex + 1 < stages.count - 1, "the seeded release is already near the end: \(before.json)")
        #expect(try rest.aliases(r.model) == ["champion": r.champion, "challenger": r.challenger])

        let s = try f.dashboard(config: config)
        defer { s.kill() }
        #expect(waitForOverview(s), "\(s.capture())")
        open(r.slug, in: s)
        #expect(s.waitFor(text: "● \(stages[startIndex]) ", timeout: 10), "\(s.capture())")
        #expect(s.waitFor(text: "all gates pass", timeout: 10), "promote should be possible: \(s.capture())")

        // p → the dialog opens on Cancel; Tab → Promote; Enter.
        s.sendKeys("p")
        #expect(s.waitFor(text: "Promote \(r.slug)?", timeout: 5), "\(s.capture())")
        #expect(s.capture().contains("[ Cancel ]"), "the dialog must open on Cancel: \(s.capture())")
        s.sendKeys("Tab")
        #expect(s.waitFor(text: "[ Promote ]", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        let next = stages[startIndex + 1]
        #expect(s.waitFor(text: "promoted \(r.slug): \(stages[startIndex]) → \(next)", timeout: 10), "\(s.capture())")
        #expect(s.waitFor(text: "● \(next) ", timeout: 10), "the new stage is not on screen: \(s.capture())")

        // MLflow over plain REST: a new state version at the next stage, a promote event by this operator.
        let promoted = try #require(try rest.states(model: r.model, version: r.challenger, slug: r.slug).last)
        #expect(promoted.version == before.version + 1 && promoted.stageIndex == startIndex + 1 && promoted.status == "running",
                "state after p: \(promoted.json)")
        let promoteEvent = try #require(try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).last)
        #expect(promoteEvent.kind == "promote" && promoteEvent.actor == SystemUser.current && promoteEvent.role == "owner"
                && promoteEvent.fromState == stages[startIndex] && promoteEvent.toState == next, "\(promoteEvent.json)")
        #expect(try rest.aliases(r.model)["champion"] == r.champion, "champion must not move before full")
        #expect(try rest.modelTags(r.model)["gatewatch.release.\(r.slug)"] == r.challenger)

        // The CLI overrides the remaining gates up to the last stage; the dashboard follows.
        var index = startIndex + 1
        while index < stages.count - 1 {
            let result = try f.gatewatch(["promote", "--override", "--config", config.path, "--release", r.slug,
                                          "--reason", "e2e: override to \(stages[index + 1])", "--as", "owner", "--operator", "gw-e2e-cli"])
            try #require(result.status == 0, "promote --override exited \(result.status): \(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("promoted \(r.slug): \(stages[index]) → \(stages[index + 1])"), "\(result.stdout)")
            index += 1
        }
        let refused = try f.gatewatch(["promote", "--override", "--config", config.path, "--release", r.slug, "--reason", "e2e", "--as", "owner"])
        #expect(refused.status == 10 && refused.stdout.contains("already at the last stage"), "\(refused.status) \(refused.stdout) \(refused.stderr)")
        let aliasesAtFull = try rest.aliases(r.model)
        #expect(aliasesAtFull["champion"] == r.challenger, "at full the champion alias must point at v\(r.challenger): \(aliasesAtFull)")
        #expect(aliasesAtFull["challenger"] == r.challenger)
        #expect(try rest.states(model: r.model, version: r.challenger, slug: r.slug).last?.stageIndex == stages.count - 1)
        #expect(s.waitFor(text: "✓ \(stages.last!)", timeout: 10), "the dashboard does not show the full stage: \(s.capture())")
        #expect(s.waitFor(text: "champion now v\(r.challenger)", timeout: 10), "\(s.capture())")

        // r at full: a reason, Tab to the name field, the release name, Tab to Roll Back, Enter.
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back \(r.slug)?", timeout: 5), "\(s.capture())")
        #expect(s.capture().contains("[ Cancel ]") && s.capture().contains("(type \(r.slug))"), "\(s.capture())")
        s.sendText("e2e rollback at full")
        s.sendKeys("Tab")
        s.sendText(r.slug)
        #expect(s.waitFor(text: "name:   \(r.slug)", timeout: 5), "\(s.capture())")
        s.sendKeys("Tab")
        #expect(s.waitFor(text: "[ Roll Back ]", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "rolled back \(r.slug): challenger traffic 0%, champion v\(r.champion) restored", timeout: 10), "\(s.capture())")
        #expect(s.waitFor(text: "✗ rolled back", timeout: 10), "\(s.capture())")

        let aliasesAfter = try rest.aliases(r.model)
        #expect(aliasesAfter["champion"] == r.champion, "after the rollback the champion alias must point at v\(r.champion): \(aliasesAfter)")
        let rolledBack = try #require(try rest.states(model: r.model, version: r.challenger, slug: r.slug).last)
        #expect(rolledBack.status == "rolled_back", "\(rolledBack.json)")
        let rollbackEvent = try #require(try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).last)
        #expect(rollbackEvent.kind == "rollback" && rollbackEvent.reason == "e2e rollback at full" && rollbackEvent.actor == SystemUser.current,
                "\(rollbackEvent.json)")

        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0, "\(s.capture())")
    }

    // MARK: 3. Faults

    /// Prometheus stops mid-session: the status line turns STALE with "connection refused", the release stays on
    /// screen, and `r` still rolls back in MLflow (the registry does not depend on the metrics).
    ///
    /// The config sets `timeout: 1s`. With the default 10 s the STALE line came ~20 s after the stop here, and every
    /// poll then took as long (a refused connection is retried until the timeout, and the poller reads every release
    /// of the registry, five here, before it reports), so the rolled-back state showed ~20 s after `r`.
    @Test func prometheusStoppedMidSessionKeepsTheReleaseAndActions() throws {
        let f = try fixture
        // The credentials test's server boots while this test mostly waits.
        try f.launchBasicAuth()
        let r = f.stale
        let rest = try f.rest()
        let began = Date()
        let prometheus = try PrometheusServer.start(backfilling: [f.staleMetrics])
        defer { prometheus.stop() }
        let startSeconds = Date().timeIntervalSince(began)
        let config = try f.writeConfig("stale.yaml", metricsURL: prometheus.url, history: "30h", metricsExtra: ["timeout: 1s"])
        let s = try f.dashboard(config: config)
        defer { s.kill() }
        #expect(waitForOverview(s), "\(s.capture())")
        open(r.slug, in: s)
        #expect(s.waitFor(text: "● \(r.seededStage) ", timeout: 10), "\(s.capture())")
        #expect(s.waitFor(text: "all gates pass", timeout: 10), "metrics should be loaded before the stop: \(s.capture())")
        let healthy = s.waitUntil(timeout: 10) {
            let status = self.statusLine(s)
            return status.contains("· polled") && !status.contains("STALE")
        }
        #expect(healthy, "the metrics should be read without error before the stop: \(statusLine(s))")

        prometheus.stop()
        let stopped = Date()
        let stale = s.waitUntil(timeout: 15) {
            let status = self.statusLine(s)
            return status.contains("STALE") && status.contains("connection refused")
        }
        #expect(stale, "no STALE/connection refused on the status line: \(statusLine(s))\n\(s.capture())")
        if stale {
            print("STALE shown \(String(format: "%.1f", Date().timeIntervalSince(stopped))) s after Prometheus stopped (its start took \(String(format: "%.1f", startSeconds)) s)")
        }
        #expect(s.capture().contains("\(r.slug)  \(r.model) v\(r.champion) → v\(r.challenger)"), "the release screen went away: \(s.capture())")
        #expect(s.capture().contains("Stages"), "\(s.capture())")

        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back \(r.slug)?", timeout: 5), "\(s.capture())")
        s.sendText("metrics down, rolling back")
        s.sendKeys("Tab")
        #expect(s.waitFor(text: "[ Roll Back ]", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "rolled back \(r.slug)", timeout: 10), "\(s.capture())")
        #expect(s.waitFor(text: "✗ rolled back", timeout: 10), "\(s.capture())")
        #expect(statusLine(s).contains("STALE"), "\(statusLine(s))")

        let state = try #require(try rest.states(model: r.model, version: r.challenger, slug: r.slug).last)
        #expect(state.status == "rolled_back", "\(state.json)")
        let event = try #require(try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).last)
        #expect(event.kind == "rollback" && event.reason == "metrics down, rolling back", "\(event.json)")
        #expect(try rest.aliases(r.model)["champion"] == r.champion)
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0, "\(s.capture())")
    }

    /// Both sources behind fault-injecting proxies (`FaultProxy`), one fault after another on a live dashboard:
    /// Prometheus hangs (keys still answer within 100 ms; the STALE banner shows the data's age), answers 500,
    /// answers malformed JSON, then NaN/±Inf/negative values, dropped and duplicated series; MLflow fails the audit
    /// write of a rollback (the state change is withdrawn: nothing half-done), then is down (refused, nothing
    /// changed), then back (the rollback goes through with exactly one event). The rules never turn ok for lack of
    /// data, and the last good data stays on screen. Prints what it injected and what survived.
    @Test func faultySourcesKeepTheScreenTheRulesAndTheAuditTrail() throws {
        let f = try fixture
        let r = f.faults
        let rest = try f.rest()
        let metricsProxy = try FaultProxy(upstream: f.prometheus.url)
        let registryProxy = try FaultProxy(upstream: f.mlflow.url)
        defer { metricsProxy.stop(); registryProxy.stop() }
        // A 5 s step: the store asks Prometheus only once a step has passed, so every fault is met within seconds.
        let config = try f.writeConfig("faults.yaml", registryURL: registryProxy.url, metricsURL: metricsProxy.url, history: "2d",
                                       metricsExtra: ["timeout: 2s", "step: 5s"])
        let s = try f.dashboard(config: config)
        defer { s.kill() }
        #expect(waitForOverview(s), "\(s.capture())")
        open(r.slug, in: s)
        #expect(s.waitFor(text: "● \(r.seededStage) ", timeout: 10), "\(s.capture())")
        #expect(s.waitUntil(timeout: 10) { self.statusLine(s).contains("· polled") }, "\(self.statusLine(s))")
        let rulesBefore = ruleStates(s)
        #expect(!rulesBefore.isEmpty, "no stop rule rows: \(s.capture())")
        var report: [String] = []

        // 1. Prometheus hangs: keys answer, then the banner says how old the data is.
        metricsProxy.fault = .hang
        #expect(s.waitUntil(timeout: 15) { metricsProxy.count(.hang) > 0 }, "no request met the hang")
        var latencies: [Double] = []
        for _ in 0..<6 {
            latencies.append(keyLatency(s, key: "?", until: { $0.contains("close this help") }))
            latencies.append(keyLatency(s, key: "Escape", until: { !$0.contains("close this help") }))
        }
        let sorted = latencies.sorted()
        let median = sorted[sorted.count / 2]
        report.append("hang: \(latencies.count) keys answered in median \(Int(median)) ms, max \(Int(sorted.last!)) ms (each including a tmux round trip)")
        #expect(median < 100, "keys should answer within 100 ms while the metrics source hangs: \(latencies)")
        #expect(sorted.last! < 1000, "no key may wait for the hanging source: \(latencies)")
        let staleShown = s.waitUntil(timeout: 15) { s.capture().contains("STALE: data") }
        #expect(staleShown, "no STALE banner while the metrics source hangs: \(s.capture())")
        #expect(s.capture().contains("Stages") && s.capture().contains("Segments"), "the last good data went away: \(s.capture())")
        #expect(ruleStates(s) == rulesBefore, "rules changed while the source hung: \(ruleStates(s)) vs \(rulesBefore)")
        report.append("hang: banner '\(bannerLine(s).prefix(60))…'; \(metricsProxy.count(.hang)) requests held")

        // 2–3. 500 and malformed JSON: named on the status line; the screen and rules stay.
        for (fault, words) in [(FaultProxy.Fault.serverError, "HTTP 500"), (.malformedJSON, "cannot be read")] {
            metricsProxy.fault = fault
            #expect(s.waitUntil(timeout: 15) { metricsProxy.count(fault) > 0 }, "\(fault): no request met it")
            let named = s.waitUntil(timeout: 15) { self.statusLine(s).contains("STALE") && self.statusLine(s).contains(words) }
            #expect(named, "\(fault): status line does not say so: \(self.statusLine(s))")
            #expect(s.capture().contains("STALE: data"), "\(fault): no banner: \(s.capture())")
            #expect(ruleStates(s) == rulesBefore, "\(fault): rules changed: \(ruleStates(s))")
            report.append("\(fault): \(metricsProxy.count(fault)) answers; status '\(self.statusLine(s).suffix(70))'")
        }

        // Back to normal: the banner goes.
        metricsProxy.fault = .none
        #expect(s.waitUntil(timeout: 15) { !s.capture().contains("STALE") }, "did not recover: \(s.capture())")

        // 4–6. Bad values and series: read without crashing, nothing absurd on screen.
        for fault in [FaultProxy.Fault.specialValues, .dropSeries, .duplicateSeries] {
            metricsProxy.fault = fault
            let seen = metricsProxy.count(fault)
            #expect(s.waitUntil(timeout: 30) { metricsProxy.count(fault) >= seen + 8 }, "\(fault): not polled")
            let screen = s.capture()
            #expect(screen.contains(r.slug) && screen.contains("Stages"), "\(fault): \(screen)")
            let absurd = screen.split(separator: "\n").filter { $0.contains("nan") || $0.contains("NaN") || $0.contains("inf ") || $0.contains("Inf") }
            #expect(absurd.isEmpty, "\(fault): \(absurd)")
            #expect(!ruleStates(s).isEmpty && !ruleStates(s).contains { $0.hasSuffix("?") }, "\(fault): \(ruleStates(s))")
            report.append("\(fault): \(metricsProxy.count(fault)) answers; status '\(self.statusLine(s).suffix(50))'")
        }
        metricsProxy.fault = .none

        // 7. MLflow fails the rollback's audit write: the state change is withdrawn and the screen says so.
        let statesBefore = try rest.states(model: r.model, version: r.challenger, slug: r.slug)
        let eventsBefore = try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug)
        registryProxy.fault = .failRequests(containing: ".audit.")
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back \(r.slug)?", timeout: 5), "\(s.capture())")
        s.sendText("registry fault drill")
        s.sendKeys("Tab")
        #expect(s.waitFor(text: "[ Roll Back ]", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "the state change was withdrawn because", timeout: 15), "\(s.capture())")
        let statesAfterFailure = try rest.states(model: r.model, version: r.challenger, slug: r.slug)
        #expect(statesAfterFailure.map(\.json) == statesBefore.map(\.json), "a state was left behind: \(statesAfterFailure.map(\.json))")
        #expect(try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).count == eventsBefore.count)
        report.append("MLflow audit write failing: \(registryProxy.count(.failRequests(containing: ".audit."))) writes refused; state versions \(statesBefore.count) → \(statesAfterFailure.count), events \(eventsBefore.count) → \(eventsBefore.count)")

        // 7b. MLflow takes the event but fails the chain head after it: the event and the state are withdrawn.
        registryProxy.fault = .failRequests(containing: "audit.head")
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back \(r.slug)?", timeout: 5), "\(s.capture())")
        s.sendText("head fault drill")
        s.sendKeys("Tab")
        #expect(s.waitFor(text: "[ Roll Back ]", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "the state change was withdrawn because", timeout: 15), "\(s.capture())")
        #expect(try rest.states(model: r.model, version: r.challenger, slug: r.slug).map(\.json) == statesBefore.map(\.json))
        #expect(try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug).count == eventsBefore.count)
        report.append("MLflow chain-head write failing: \(registryProxy.count(.failRequests(containing: "audit.head"))) writes refused; event and state withdrawn")

        // 8. MLflow down: the rollback is refused with nothing changed.
        registryProxy.fault = .serverError
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back \(r.slug)?", timeout: 5), "\(s.capture())")
        s.sendText("registry down drill")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "nothing was changed", timeout: 15), "\(s.capture())")
        #expect(try rest.states(model: r.model, version: r.challenger, slug: r.slug).count == statesBefore.count)

        // 9. MLflow back: the rollback goes through, once.
        registryProxy.fault = .none
        _ = s.waitUntil(timeout: 15) { !self.statusLine(s).contains("STALE") }
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back \(r.slug)?", timeout: 5), "\(s.capture())")
        s.sendText("registry back")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "rolled back \(r.slug)", timeout: 15), "\(s.capture())")
        let final = try #require(try rest.states(model: r.model, version: r.challenger, slug: r.slug).last)
        #expect(final.status == "rolled_back", "\(final.json)")
        let events = try rest.auditEvents(model: r.model, version: r.challenger, slug: r.slug)
        let rollbacks = events.filter { $0.kind == "rollback" }
        #expect(rollbacks.count == 1 && rollbacks.first?.reason == "registry back", "\(events.map(\.json))")
        report.append("MLflow down: rollback refused, nothing changed; back: 1 rollback event, \(events.count - eventsBefore.count) new events in all")
        print("faulty sources:\n  " + report.joined(separator: "\n  "))
        print("faulty sources injected: metrics \(metricsProxy.injected), registry \(registryProxy.injected)")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0, "\(s.capture())")
    }

    /// Milliseconds from sending `key` until the screen satisfies `done` (polled as fast as tmux answers).
    func keyLatency(_ s: TmuxSession, key: String, until done: (String) -> Bool) -> Double {
        let start = Date()
        s.sendKeys(key)
        while Date().timeIntervalSince(start) < 3 {
            if done(s.capture()) { return Date().timeIntervalSince(start) * 1000 }
        }
        return 3000
    }

    /// The stop-rule rows of the release screen as "rule: state word" (the healthy canary's rules).
    func ruleStates(_ s: TmuxSession) -> [String] {
        let rules = ["challenger-error-rate", "challenger-p99-latency", "segment-precision-guardrail", "review-queue-overflow"]
        let words = ["firing", "pending", "ok", "no data", "ack"]
        return s.capture().split(separator: "\n").compactMap { line -> String? in
            let text = String(line)
            guard let rule = rules.first(where: { text.contains($0) }) else { return nil }
            return "\(rule): " + (words.first { text.contains(" \($0)") } ?? "?")
        }
    }

    /// The STALE banner line, if shown.
    func bannerLine(_ s: TmuxSession) -> String {
        s.capture().split(separator: "\n").first { $0.contains("STALE: data") }.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// MLflow with basic auth and a wrong password: `check --config` exits 2 with the 401 explained (and without
    /// the password); with the right password the same command gets past authentication.
    /// `audit verify --config` checks the hash chain of every release the fixture seeded (and acted on) in MLflow.
    @Test func auditVerifyOnMLflowFindsEveryChainWhole() throws {
        let f = try fixture
        let config = try f.writeConfig("audit.yaml")
        let verify = try f.gatewatch(["audit", "verify", "--config", config.path])
        #expect(verify.status == 0, "exit \(verify.status): \(verify.stdout)\(verify.stderr)")
        let lines = verify.stdout.split(separator: "\n")
        #expect(lines.count >= 2 && lines.dropLast().allSatisfy { $0.contains(" checked, head ") && $0.hasSuffix(", ok") }, "\(verify.stdout)")
        #expect(lines.last?.contains(": ok, ") == true, "\(verify.stdout)")
    }

    @Test func wrongMLflowPasswordIsAClearError() throws {
        let f = try fixture
        let server = try f.basicAuthServer()
        let config = try f.writeConfig("auth.yaml", registryURL: server.url)
        let arguments = ["check", "--config", config.path, "--release", "fraud-scoring-v8", "--at", "2h", "--format", "json"]
        let wrongPassword = "not-the-password-\(UUID().uuidString.prefix(6))"
        let wrong = try f.gatewatch(arguments, extra: ["MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": wrongPassword])
        #expect(wrong.status == 2, "exit \(wrong.status): \(wrong.stderr)")
        #expect(wrong.stderr.contains("401") && wrong.stderr.contains("credentials"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains(wrongPassword), "the password must not be printed: \(wrong.stderr)")
        #expect(wrong.stdout.isEmpty, "\(wrong.stdout)")
        #expect(!wrong.stderr.contains("Fatal error") && !wrong.stderr.contains("Stack dump"), "\(wrong.stderr)")

        let right = try f.gatewatch(arguments, extra: ["MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": f.basicAuthPassword])
        #expect(right.status == 2 && right.stderr.contains("no release 'fraud-scoring-v8'") && !right.stderr.contains("credentials"),
                "with the right password only the release is missing: \(right.status) \(right.stderr)")
    }

    /// A `metrics.queries` template that Prometheus cannot parse: `check --config` fails with `bad_data`, and the
    /// dashboard keeps the release with the error on its status line.
    @Test func invalidPromQLTemplateIsReported() throws {
        let f = try fixture
        let config = try f.writeConfig("bad-query.yaml", metricsExtra: [
            "queries:",
            "  gatewatch_errors_total: 'sum by (arm, segment (gatewatch_errors_total{release=\"{{release}}\"})'",
        ])
        let check = try f.gatewatch(["check", "--config", config.path, "--release", "fraud-scoring-v8", "--at", "2h", "--format", "json"])
        #expect(check.status == 2, "exit \(check.status): \(check.stderr)")
        #expect(check.stderr.contains("bad_data"), "\(check.stderr)")
        #expect(check.stderr.contains("gatewatch_errors_total"), "the message should show the query: \(check.stderr)")
        #expect(check.stdout.isEmpty, "\(check.stdout)")

        let s = try f.dashboard(config: config)
        defer { s.kill() }
        #expect(waitForOverview(s), "\(s.capture())")
        open("fraud-scoring-v8", in: s)
        #expect(s.waitFor(text: "fraud-scoring-v8  card-fraud-scorer v7 → v8", timeout: 10), "\(s.capture())")
        let shown = s.waitUntil(timeout: 8) {
            let status = self.statusLine(s)
            return status.contains("STALE") && status.contains("bad_data")
        }
        #expect(shown, "no STALE … bad_data on the status line: \(statusLine(s))")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0, "\(s.capture())")
    }

    // MARK: Helpers

    /// `:release SLUG` Enter.
    /// Waits for the whole fleet overview (not the "reading the releases of …" frame shown while the registry is read,
    /// nor the overview of the releases read so far, "reading the others…").
    func waitForOverview(_ s: TmuxSession) -> Bool {
        s.waitUntil(timeout: 20) {
            let screen = s.capture()
            return screen.contains(" releases") && !screen.contains("reading the") && !screen.contains("waiting for the first poll")
        }
    }

    func open(_ slug: String, in s: TmuxSession) {
        s.sendKeys(":")
        s.sendText("release \(slug)")
        s.sendKeys("Enter")
    }

    /// The last non-empty row of the screen (the status line).
    func statusLine(_ s: TmuxSession) -> String {
        s.capture().split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
    }

    /// Where two texts first differ, with some context, for the failure message.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false), lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) where i >= la.count || i >= lb.count || la[i] != lb[i] {
            return "line \(i + 1): real \(i < la.count ? String(la[i]) : "(end)") | embedded \(i < lb.count ? String(lb[i]) : "(end)")"
        }
        return "(same lines, different bytes)"
    }
}
