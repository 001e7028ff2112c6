import Foundation
import Testing

/// `gatewatch guard` rolls back a release whose rollback rule fires, unless a human put it on hold.
@Suite("Guard (end to end)")
struct GuardEndToEndTests {
    func prepare(_ dir: URL, binary: URL) throws -> String {
        let om = dir.appendingPathComponent("lat.om").path, store = dir.appendingPathComponent("s.sqlite").path
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let spec = root.appendingPathComponent("sample-data/latency-regression/release.yaml").path
        let export = try ProcessResult.run(binary, ["export-openmetrics", "--scenario", "latency-regression", "--at", "80m", "--out", om], timeout: 120)
        #expect(export.status == 0, "\(export.stderr)")
        let imported = try ProcessResult.run(binary, ["import", "--openmetrics", om, "--release-spec", spec, "--stage", "canary-25",
                                                      "--stage-entered", "2026-11-02T10:07:00Z", "--started", "2026-11-02T09:00:00Z", "--store", store], timeout: 120)
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    @Test func rollsBackAFiringReleaseAndRespectsAHold() throws {
        let binary = try TmuxSession.gatewatchBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-guard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try prepare(dir, binary: binary)

        // On hold: the guard reports and does nothing.
        #expect(try ProcessResult.run(binary, ["pause", "--store", store, "--as", "oncall", "--reason", "investigating"]).status == 0)
        let held = try ProcessResult.run(binary, ["guard", "--store", store, "--once"], timeout: 60)
        #expect(held.stdout.contains("release on hold (paused): no rollback"), "\(held.stdout)\(held.stderr)")
        // Released: the guard rolls back, audited as the guard, and says so in one line.
        #expect(try ProcessResult.run(binary, ["resume", "--store", store, "--as", "oncall"]).status == 0)
        let acted = try ProcessResult.run(binary, ["guard", "--store", store, "--once"], timeout: 60)
        #expect(acted.stdout.contains("rolled back login-risk-v3"), "\(acted.stdout)\(acted.stderr)")
        #expect(acted.stdout.split(separator: "\n").count == 1)
        let check = try ProcessResult.run(binary, ["check", "--store", store])
        #expect(check.stdout.contains("rolled back by guard"), "\(check.stdout)")
    }
}
