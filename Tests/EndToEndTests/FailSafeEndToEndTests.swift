import Foundation
import GatewatchCore
import GatewatchSQLite
import GatewatchTestSupport
import Testing

/// The fail-safe cases as an operator meets them: a store whose data stopped weeks ago (dashboard and `check` agree
/// it is stale and the firing rollback rule stays firing), a future-dated sample refused at import, a rollback while
/// the metrics store is down, and a refusal on the dashboard written to the audit log.
@Suite("Fail safe (end to end)")
struct FailSafeEndToEndTests {
    let binary: URL
    init() throws { binary = try TmuxSession.gatewatchBinary() }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func temporaryDirectory(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The latency regression recorded 112 minutes in (its p99 rollback rule firing) and imported into a store of
    /// its own: data from 2026-11-02, weeks older than the clock.
    func recordedStore(in dir: URL) throws -> String {
        let om = dir.appendingPathComponent("lat.om").path, store = dir.appendingPathComponent("s.sqlite").path
        let spec = Self.root.appendingPathComponent("sample-data/latency-regression/release.yaml").path
        let export = try ProcessResult.run(binary, ["export-openmetrics", "--scenario", "latency-regression", "--at", "112m", "--out", om], timeout: 120)
        #expect(export.status == 0, "\(export.stderr)")
        let imported = try ProcessResult.run(binary, ["import", "--openmetrics", om, "--release-spec", spec, "--stage", "canary-25",
                                                      "--stage-entered", "2026-11-02T10:41:00Z", "--started", "2026-11-02T09:00:00Z",
                                                      "--store", store], timeout: 120)
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    @Test func dataThatStoppedIsStaleOnTheDashboardAndInCheckAlike() throws {
        let dir = try temporaryDirectory("stale")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try recordedStore(in: dir)
        let rule = "challenger-p99-latency"

        let check = try ProcessResult.run(binary, ["check", "--store", store, "--format", "json"], timeout: 60)
        #expect(check.status == 20, "a rule held firing on stale data still says roll back: \(check.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect(json["verdict"] as? String == "rollback")
        let freshness = try #require(json["freshness"] as? [String: Any])
        #expect(freshness["stale"] as? Bool == true && freshness["current"] as? Bool == false)
        #expect(freshness["held_at"] as? String == "2026-11-02T10:52:00Z")
        #expect((freshness["age_seconds"] as? Int ?? 0) > 86_400 * 20)
        let rules = try #require(json["rules"] as? [[String: Any]])
        let p99 = try #require(rules.first { $0["name"] as? String == rule })
        #expect(p99["state"] as? String == "firing" && p99["held_at"] as? String == "2026-11-02T10:52:00Z")
        #expect((json["gates"] as? [[String: Any]])?.first?["name"] as? String == "metrics_fresh")
        let text = try ProcessResult.run(binary, ["check", "--store", store], timeout: 60)
        #expect(text.stdout.contains("STALE: data 29d") || text.stdout.contains("STALE: data "), "\(text.stdout)")

        // The same store on the dashboard, at the same moment: stale, and the rule is not `✓ ok`.
        let session = try TmuxSession(arguments: [binary.path, "run", "--store", store], width: 120, height: 34)
        defer { session.kill() }
        #expect(session.waitFor(text: "STALE", timeout: 20), "\(session.capture())")
        let screen = session.capture(joinWrapped: true)
        #expect(screen.contains("ROLLBACK RULE FIRING: \(rule)"), "dashboard and check disagree:\n\(screen)")
        // The rules panel shows the name whole at 120 columns.
        let row = try #require(screen.split(separator: "\n").first { $0.contains("challenger-p99-latency ") && $0.contains("overall") },
                               "no p99 row on the screen")
        #expect(row.contains("FIRING") && !row.contains("✓ ok"), "\(row)")
        #expect(screen.contains("held at 11-02 10:52"), "\(screen)")
        #expect(screen.contains("STALE: data 29d") || screen.contains("STALE: data "), "the status line dates the data, not the poll:\n\(screen)")
        session.sendKeys("q")
        #expect(session.exitStatus(timeout: 10) == 0)

        // The user's store was only read: no demo release was added to it, nothing was simulated into it.
        let opened = try SQLiteStore(path: store)
        #expect(try opened.releaseSlugs() == ["login-risk-v3"])
        #expect(try opened.demoClockKey(release: "login-risk-v3") == nil)
    }

    @Test func aFutureDatedSampleIsRefusedAtImport() throws {
        let dir = try temporaryDirectory("future")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try recordedStore(in: dir)
        let before = try SQLiteStore(path: store).samples(release: "login-risk-v3", after: nil, through: .max).values.reduce(0) { $0 + $1.count }
        let file = dir.appendingPathComponent("future.om").path
        let now = Int(Date().timeIntervalSince1970)
        try """
        gatewatch_review_queue_depth{release="login-risk-v3"} 12 \(now - 60)
        gatewatch_review_queue_depth{release="login-risk-v3"} 15 1893456000
        # EOF

        """.write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try ProcessResult.run(binary, ["import", "--openmetrics", file, "--store", store])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("future.om:2:1: gatewatch_review_queue_depth is dated 2030-01-01T00:00:00Z"), "\(refused.stderr)")
        let after = try SQLiteStore(path: store).samples(release: "login-risk-v3", after: nil, through: .max).values.reduce(0) { $0 + $1.count }
        #expect(after == before, "a refused file changed the store")
        // Before 1970 is refused too.
        try "gatewatch_review_queue_depth{release=\"login-risk-v3\"} 1 -5\n# EOF\n".write(toFile: file, atomically: true, encoding: .utf8)
        let negative = try ProcessResult.run(binary, ["import", "--openmetrics", file, "--store", store])
        #expect(negative.status == 2 && negative.stderr.contains("before 1970"), "\(negative.stderr)")
        // check is still a rollback on the store's own data, dated by the clock.
        let check = try ProcessResult.run(binary, ["check", "--store", store, "--format", "json"], timeout: 60)
        #expect(check.status == 20)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let asOf = try #require(json["as_of"] as? String)
        #expect(asOf.hasPrefix("20") && !asOf.hasPrefix("2030"), "\(asOf)")
    }

    @Test func rollbackAndPauseNeedOnlyTheRegistry() throws {
        let dir = try temporaryDirectory("nometrics")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try recordedStore(in: dir)
        let port = try TestProcesses.freePort()  // nothing listens there
        let config = dir.appendingPathComponent("gatewatch.yaml").path
        try """
        registry: { kind: sqlite, path: \(store) }
        metrics: { kind: prometheus, url: "http://127.0.0.1:\(port)", timeout: 2s }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let env: [String: String?] = ["XDG_CONFIG_HOME": dir.path]

        let promote = try ProcessResult.run(binary, ["promote", "--config", config, "--release", "login-risk-v3", "--as", "owner"], environment: env, timeout: 60)
        #expect(promote.status == 10, "promotion needs the metrics: \(promote.stdout)\(promote.stderr)")
        #expect(promote.stdout.contains("promote refused: metrics freshness"), "\(promote.stdout)")
        let pause = try ProcessResult.run(binary, ["pause", "--config", config, "--release", "login-risk-v3", "--as", "oncall", "--reason", "x"],
                                          environment: env, timeout: 60)
        #expect(pause.status == 0, "\(pause.stdout)\(pause.stderr)")
        #expect(pause.stderr.contains("needs the registry only and goes ahead"), "\(pause.stderr)")
        let rollback = try ProcessResult.run(binary, ["rollback", "--config", config, "--release", "login-risk-v3", "--as", "oncall",
                                                      "--reason", "p99 regression, INC-1234"], environment: env, timeout: 60)
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("rolled back login-risk-v3"), "\(rollback.stdout)")
        let events = try SQLiteStore(path: store).auditEvents(release: "login-risk-v3")
        #expect(events.map(\.kind) == [.start, .refusal, .pause, .rollback])
        // Dated by the wall clock, not by the data (which ended weeks ago).
        let now = Timestamp(Date().timeIntervalSince1970)
        #expect(events.last.map { abs($0.time - now) < 300 } == true)
    }

    @Test func aRefusalOnTheDashboardIsWrittenToTheAuditLog() throws {
        let dir = try temporaryDirectory("refusal")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try recordedStore(in: dir)
        let session = try TmuxSession(arguments: [binary.path, "run", "--store", store, "--as", "reviewer"],
                                      environment: ["XDG_CONFIG_HOME": dir.path, "USER": "rita"], width: 120, height: 34)
        defer { session.kill() }
        #expect(session.waitFor(text: "login-risk-v3", timeout: 20), "\(session.capture())")
        session.sendKeys("r")
        #expect(session.waitFor(text: "refusal audited", timeout: 10), "\(session.capture())")
        session.sendKeys("p")
        #expect(session.waitFor(text: "promote — blocked", timeout: 10), "\(session.capture())")
        _ = session.waitFor(text: "refusal audited", timeout: 5)
        session.sendKeys("q")
        _ = session.exitStatus(timeout: 10)
        let events = try SQLiteStore(path: store).auditEvents(release: "login-risk-v3")
        let refusals = events.filter { $0.kind == .refusal }
        // $USER says rita; the actor is the kernel's user all the same.
        #expect(refusals.map(\.actor) == [SystemUser.current, SystemUser.current], "\(events)")
        #expect(refusals.first?.reason.hasPrefix("roll back refused: reviewer may not roll back") == true)
        #expect(refusals.last?.reason.hasPrefix("promote refused:") == true)
    }
}
