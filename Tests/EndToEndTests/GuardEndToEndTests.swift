import Foundation
import GatewatchCore
import Testing

/// `gatewatch guard` rolls back a release whose rollback rule fires, unless a human put it on hold.
@Suite("Guard (end to end)")
struct GuardEndToEndTests {
    func prepare(_ dir: URL, binary: URL) throws -> String {
        let om = dir.appendingPathComponent("lat.om").path, store = dir.appendingPathComponent("s.sqlite").path
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let spec = root.appendingPathComponent("sample-data/latency-regression/release.yaml").path
        let export = try ProcessResult.run(binary, ["export-openmetrics", "--scenario", "latency-regression", "--at", "112m", "--out", om], timeout: 120)
        #expect(export.status == 0, "\(export.stderr)")
        let imported = try ProcessResult.run(binary, ["import", "--openmetrics", om, "--release-spec", spec, "--stage", "canary-25",
                                                      "--stage-entered", "2026-11-02T10:41:00Z", "--started", "2026-11-02T09:00:00Z", "--store", store], timeout: 120)
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    @Test func rollsBackAPausedReleaseAndRespectsOnlyAnExplicitHold() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-guard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try prepare(dir, binary: binary)

        // A hold of automatic rollback: the guard reports the firing rule and does nothing. It needs a reason.
        let noReason = try ProcessResult.run(binary, ["hold", "--store", store, "--as", "oncall", "--for", "30m"])
        #expect(noReason.status == 10 && noReason.stdout.contains("a reason is required"), "\(noReason.stdout)\(noReason.stderr)")
        let hold = try ProcessResult.run(binary, ["hold", "--store", store, "--as", "oncall", "--for", "30m", "--reason", "INC-7 investigating"])
        #expect(hold.status == 0 && hold.stdout.contains("held for 30m"), "\(hold.stdout)\(hold.stderr)")
        let held = try ProcessResult.run(binary, ["guard", "--store", store, "--once"], timeout: 60)
        #expect(held.stdout.contains("automatic rollback held by"), "\(held.stdout)\(held.stderr)")
        #expect(held.stdout.contains("no rollback"), "\(held.stdout)")
        // The recorded data ended long ago: the guard says so, and the rule is held firing where the data ends.
        #expect(held.stdout.contains("metrics not current:"), "\(held.stdout)")
        #expect(held.stdout.contains("held at 2026-11-02T10:52:00Z"), "\(held.stdout)")
        #expect(try ProcessResult.run(binary, ["hold", "--end", "--store", store, "--as", "oncall"]).status == 0)

        // Paused: pause stops progression only, so the guard still rolls back, audited as the guard.
        #expect(try ProcessResult.run(binary, ["pause", "--store", store, "--as", "oncall", "--reason", "investigating"]).status == 0)
        let acted = try ProcessResult.run(binary, ["guard", "--store", store, "--once"], timeout: 60)
        #expect(acted.stdout.contains("rolled back login-risk-v3"), "\(acted.stdout)\(acted.stderr)")
        let check = try ProcessResult.run(binary, ["check", "--store", store])
        #expect(check.stdout.contains("rolled back by \(SystemUser.current) (as “guard”)"), "\(check.stdout)")
        #expect(check.stdout.contains("release paused: pause stops progression only"), "\(check.stdout)")
        let log = try ProcessResult.run(binary, ["audit", "verify", "--store", store])
        #expect(log.status == 0, "\(log.stdout)\(log.stderr)")
    }
}
