import Foundation
import GatewatchTestSupport
import GatewatchCore
import GatewatchAlertmanager
import Testing

/// The dashboard driven by keys in a real terminal: move, filter, sort, drill in and out, switch theme, resize.
@Suite("Dashboard keys (end to end)", .serialized, .enabled(if: TmuxSession.shouldRun))
struct DashboardEndToEndTests {
    func start(_ scenario: String, width: Int = 160, height: Int = 48) throws -> TmuxSession {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-dash-\(UUID().uuidString)").path
        return try TmuxSession(arguments: [binary.path, "--ephemeral", "--scenario", scenario, "--speed", "3600"],
                               environment: ["XDG_DATA_HOME": data], width: width, height: height, reportTerminalState: true)
    }

    @Test func filterSortDrillThemeAndResize() throws {
        let s = try start("eu-segment-regression")
        defer { s.kill() }
        #expect(s.waitFor(text: "(sort: worst FPR", timeout: 20), "\(s.capture())")
        // Focus the segment table, filter to EU, drill into the first EU row and come back.
        s.sendKeys("Tab")
        s.sendKeys("/")
        s.sendKeys("-l", "EU")
        #expect(s.waitFor(text: "/EU", timeout: 5), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "filter: EU", timeout: 5), "\(s.capture())")
        let segmentRows = s.capture().split(separator: "\n").filter { $0.hasPrefix("│  ") || $0.hasPrefix("│▸ ") }
            .map { String($0.dropFirst(3)) }.filter { $0.hasPrefix("BR/") || $0.hasPrefix("MX/") || $0.hasPrefix("EU/") }
        #expect(!segmentRows.isEmpty && segmentRows.allSatisfy { $0.hasPrefix("EU/") }, "filtered segment rows: \(segmentRows)")
        s.sendKeys("s")
        #expect(s.waitFor(text: "sort: worst precision", timeout: 5), "\(s.capture())")
        s.sendKeys("j")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "segment market=EU", timeout: 5), "\(s.capture())")
        #expect(s.capture().contains("Scores in this segment"))
        s.sendKeys("Escape")
        #expect(s.waitFor(text: "Gates for", timeout: 5), "\(s.capture())")
        // Switch theme live; an unknown theme is reported, not fatal.
        s.sendKeys(":")
        s.sendKeys("-l", "theme mono")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "theme mono", timeout: 5), "\(s.capture())")
        s.sendKeys(":")
        s.sendKeys("-l", "theme nosuch")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "nosuch", timeout: 5), "\(s.capture())")
        // Small and back.
        s.resize(width: 80, height: 24)
        #expect(s.waitFor(text: "tab: ", timeout: 5), "\(s.capture())")
        s.resize(width: 160, height: 48)
        #expect(s.waitFor(text: "Gates for", timeout: 5), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
        let state = s.terminalStateAfterExit()
        #expect(state?.canonical == true && state?.echo == true)
    }

    @Test func fleetStartsOnTheOverviewAndOpensARelease() throws {
        let s = try start("fleet", width: 120, height: 40)
        defer { s.kill() }
        #expect(s.waitFor(text: "gatewatch — 4 releases", timeout: 30), "\(s.capture())")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "Stages", timeout: 5), "\(s.capture())")
        s.sendKeys("Escape")
        #expect(s.waitFor(text: "4 releases", timeout: 5), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }

    /// A registry that never answers does not hold the dashboard back: the first frame says what it is waiting for,
    /// and `q` quits at once, long before the request would time out.
    @Test func aSourceThatHangsAtStartDoesNotHoldTheScreen() throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-hang-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("config.yaml").path
        try """
            registry:
              kind: mlflow
              url: http://127.0.0.1:\(listener.port)
              timeout: 60s
            metrics:
              kind: prometheus
              url: http://127.0.0.1:\(listener.port)
              timeout: 60s
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let binary = try TmuxSession.gatewatchBinary()
        let started = Date()
        let s = try TmuxSession(arguments: [binary.path, "--config", config], environment: ["XDG_DATA_HOME": folder.path],
                                width: 100, height: 30, reportTerminalState: true)
        defer { s.kill() }
        #expect(s.waitFor(text: "reading the releases of MLflow", timeout: 10), "\(s.capture())")
        let shown = Date().timeIntervalSince(started)
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 5) == 0)
        let quit = Date().timeIntervalSince(started)
        print("hanging registry: first frame after \(String(format: "%.2f", shown)) s, quit after \(String(format: "%.2f", quit)) s (request timeout 60 s)")
        #expect(shown < 5 && quit < 8, "the screen or quitting waited for the hanging request: \(shown) s, \(quit) s")
    }

    /// Promote is disabled with its reason; rollback's confirm dialog opens on Cancel, then rolls back with a reason.
    @Test func blockedPromoteAndRollbackThroughTheDialog() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-act-\(UUID().uuidString)").path
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--as", "oncall"], environment: ["XDG_DATA_HOME": data],
                                width: 160, height: 48, reportTerminalState: true)
        defer { s.kill() }
        #expect(s.waitFor(text: "p promote — blocked: oncall may not promote", timeout: 20), "\(s.capture())")
        s.sendKeys("p")
        #expect(s.waitFor(text: "promote — blocked", timeout: 5))
        s.sendKeys("r")
        #expect(s.waitFor(text: "Roll back fraud-scoring-v8?", timeout: 5), "\(s.capture())")
        #expect(s.capture().contains("[ Cancel ]"), "the dialog must open on Cancel")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "roll back cancelled", timeout: 5), "\(s.capture())")
        s.sendKeys("r")
        #expect(s.waitFor(text: "[ Cancel ]", timeout: 5))
        s.sendKeys("-l", "errors in BR")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "by \(Self.user): errors in BR", timeout: 10), "\(s.capture())")
        #expect(s.capture().contains("rolled back"))
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }

    /// The actor: the kernel's user (never $USER).
    static var user: String { SystemUser.current }

    /// The owner approves the last promotion with the key once every gate passes: the header shows the challenger as
    /// the new champion and the audit screen shows the promotion with its note.
    @Test func ownerPromotesWithGatesPassingAndSeesItOnTheAuditScreen() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-promote-\(UUID().uuidString)").path
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--as", "owner", "--speed", "600", "--start-at", "5h"],
                                environment: ["XDG_DATA_HOME": data], width: 160, height: 48, reportTerminalState: true)
        defer { s.kill() }
        // ab-50 needs a human approval: the controller stops there with every other gate passing (the header says so).
        #expect(s.waitFor(text: "● awaiting approval", timeout: 30), "\(s.capture())")
        s.sendKeys("p")
        #expect(s.waitFor(text: "Promote fraud-scoring-v8?", timeout: 5), "\(s.capture())")
        let dialog = s.capture()
        #expect(dialog.contains("stage ab-50 → full"), "\(dialog)")
        #expect(dialog.contains("challenger traffic 50% → 100%"), "\(dialog)")
        #expect(dialog.contains("v8 becomes the champion; v7 stays the rollback target"), "\(dialog)")
        s.sendKeys("-l", "A/B clean for 2h")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "promoted fraud-scoring-v8: ab-50 → full", timeout: 10), "\(s.capture())")
        #expect(s.waitFor(text: "champion now v8", timeout: 5), "\(s.capture())")
        // A second press cannot promote again: the release is at its last stage.
        s.sendKeys("p")
        #expect(s.waitFor(text: "promote — blocked: already at the last stage", timeout: 5), "\(s.capture())")
        s.sendKeys("L")
        #expect(s.waitFor(text: "A/B clean for 2h", timeout: 5), "\(s.capture())")
        let audit = s.capture()
        let promoteRows = audit.split(separator: "\n").filter { $0.contains("promote") && $0.contains(Self.user) && $0.contains("A/B clean") }
        #expect(promoteRows.count == 1, "\(audit)")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }

    /// Moves the rule cursor up to a firing row (firing rows are listed first; the cursor stays on its row when they
    /// move above it); whether it got there.
    static func moveCursorToFiringRule(_ s: TmuxSession) -> Bool {
        for _ in 0..<12 {
            if s.capture().split(separator: "\n").contains(where: { $0.contains("▸") && $0.contains("FIRING") }) { return true }
            s.sendKeys("k")
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    /// The on-call acknowledges a firing rule with the key: the rule shows who acknowledged it and the audit screen
    /// lists the acknowledgement.
    @Test func oncallAcknowledgesAFiringRuleAndSeesItOnTheAuditScreen() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-ack-\(UUID().uuidString)").path
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--scenario", "eu-segment-regression", "--as", "oncall",
                                            "--speed", "1200"],
                                environment: ["XDG_DATA_HOME": data], width: 160, height: 48, reportTerminalState: true)
        defer { s.kill() }
        #expect(s.waitFor(text: "FIRING", timeout: 30), "\(s.capture())")
        #expect(Self.moveCursorToFiringRule(s), "no firing rule under the cursor: \(s.capture())")
        s.sendKeys("a")
        #expect(s.waitFor(text: "Acknowledge segment-", timeout: 5), "\(s.capture())")
        s.sendKeys("-l", "looking at EU web")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "acknowledged segment-", timeout: 10), "\(s.capture())")
        #expect(s.waitFor(text: "ack \(Self.user)", timeout: 10), "\(s.capture())")
        s.sendKeys("L")
        #expect(s.waitFor(text: "looking at EU web", timeout: 5), "\(s.capture())")
        let audit = s.capture()
        #expect(audit.split(separator: "\n").contains { $0.contains("acknowledge") && $0.contains(Self.user) }, "\(audit)")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }

    /// With `alertmanager:` in the config, `a` on a firing rule also silences that rule's alert of that segment in a
    /// real Alertmanager 0.25, and the rules panel's title says what Alertmanager holds (here: the alerts Prometheus
    /// would send for the scenario's per-segment rules, one of them silenced once acknowledged).
    @Test func acknowledgingOnTheDashboardSilencesTheAlertInAlertmanager() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let alertmanager = try AlertmanagerServer.start()
        defer { alertmanager.stop() }
        let dir = try TestProcesses.temporaryDirectory(prefix: "gw-e2e-am")
        defer { TestProcesses.removeDirectory(dir) }
        let segments = ["BR,surface=app", "BR,surface=web", "MX,surface=app", "MX,surface=web", "EU,surface=app", "EU,surface=web"].map { "market=" + $0 }
        let rules = ["segment-fpr-vs-champion", "segment-precision-guardrail"]
        try alertmanager.push(rules.flatMap { rule in segments.map { segment in
            ["alertname": rule, "gatewatch_rule": rule, "release": "checkout-risk-v5", "segment": segment, "severity": "block"]
        } }, startsAt: Int64(Date().timeIntervalSince1970) - 60)
        let config = dir.appendingPathComponent("config.yaml")
        try "alertmanager: { url: \"\(alertmanager.url.absoluteString)\", timeout: 2s }\n".write(to: config, atomically: true, encoding: .utf8)
        // At 2h the EU web rules are firing; a slow clock keeps the episode going while the test looks.
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--scenario", "eu-segment-regression", "--as", "oncall",
                                            "--start-at", "2h", "--speed", "5", "--config", config.path],
                                environment: ["XDG_DATA_HOME": dir.appendingPathComponent("data").path], width: 160, height: 48)
        defer { s.kill() }
        #expect(s.waitFor(text: "Alertmanager: 12 active", timeout: 30), "\(s.capture())")
        #expect(s.waitFor(text: "FIRING", timeout: 30), "\(s.capture())")
        #expect(Self.moveCursorToFiringRule(s), "no firing rule under the cursor: \(s.capture())")
        s.sendKeys("a")
        #expect(s.waitFor(text: "Acknowledge segment-", timeout: 5), "\(s.capture())")
        s.sendKeys("-l", "looking at it")
        s.sendKeys("Tab")
        s.sendKeys("Enter")
        #expect(s.waitFor(text: "Alertmanager silence ", timeout: 10), "\(s.capture())")
        let client = try AlertmanagerClient(options: AlertmanagerOptions(url: alertmanager.url))
        let silences = try client.silences(release: "checkout-risk-v5")
        #expect(silences.count == 1, "\(silences)")
        let matchers = silences.first?.matchers ?? []
        #expect(matchers.count == 3 && rules.contains(matchers[1].value) && segments.contains(matchers[2].value), "\(matchers)")
        #expect(s.waitFor(text: "Alertmanager: 11 active, 1 silenced", timeout: 30), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }

    /// The post-release-review scenario tells a finished story: it opens on the review of v6, and `]` steps from the
    /// start to the promotions.
    @Test func postReleaseReviewScenarioOpensOnTheReview() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gw-e2e-prr-\(UUID().uuidString)").path
        let s = try TmuxSession(arguments: [binary.path, "--ephemeral", "--scenario", "post-release-review", "--as", "reviewer"],
                                environment: ["XDG_DATA_HOME": data], width: 160, height: 48, reportTerminalState: true)
        defer { s.kill() }
        #expect(s.waitFor(text: "REVIEW checkout-risk-v6", timeout: 90), "\(s.capture())")
        #expect(s.capture().contains("event 1/"), "\(s.capture())")
        s.sendKeys("]")
        #expect(s.waitFor(text: "event 2/", timeout: 10), "\(s.capture())")
        s.sendKeys("G")
        #expect(s.waitFor(text: "rolled back at full", timeout: 10), "\(s.capture())")
        s.sendKeys("q")
        #expect(s.exitStatus(timeout: 10) == 0)
    }
}
