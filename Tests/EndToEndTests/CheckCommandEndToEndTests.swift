import Foundation
import Testing

/// `gatewatch check` as a pipeline runs it: exit statuses, JSON on stdout, usage errors, and recorded data
/// (export → import → check) giving the same verdict as the scenario itself.
@Suite("check command (end to end)")
struct CheckCommandEndToEndTests {
    let binary: URL
    init() throws { binary = try TmuxSession.gatewatchBinary() }

    @Test func scenarioJsonAndExitStatus() throws {
        let result = try ProcessResult.run(binary, ["check", "--scenario", "fraud-canary-healthy", "--at", "2h", "--format", "json"])
        #expect(result.status == 10, "stderr: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["release"] as? String == "fraud-scoring-v8")
        #expect(json["as_of"] as? String == "2026-11-02T11:00:00Z")
        #expect(json["verdict"] as? String == "blocked")
        #expect((json["gates"] as? [[String: Any]])?.contains { $0["name"] as? String == "bake_time" && $0["passed"] as? Bool == false } == true)
    }

    @Test(arguments: [["check", "--at", "soon"], ["check", "--scenario", "no-such-scenario"], ["check", "--format", "yaml"], ["check", "--bogus"]])
    func usageErrorsExit2(arguments: [String]) throws {
        let result = try ProcessResult.run(binary, arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
    }

    /// The text output is the same from run to run (it once followed a dictionary's order, which changes per process).
    @Test func textOutputIsTheSameFromRunToRun() throws {
        let runs = try (0..<4).map { _ in try ProcessResult.run(binary, ["check", "--scenario", "eu-segment-regression", "--at", "3h"], timeout: 60) }
        #expect(runs.allSatisfy { $0.status == runs[0].status })
        #expect(runs[0].stdout.contains("segments that regress while the overall number does not:"), "\(runs[0].stdout)")
        #expect(Set(runs.map(\.stdout)).count == 1, "check's text output changed between runs")
    }

    @Test func recordedDataGivesTheSameVerdict() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let om = dir.appendingPathComponent("history.om").path, store = dir.appendingPathComponent("store.sqlite").path
        let export = try ProcessResult.run(binary, ["export-openmetrics", "--at", "3h", "--out", om])
        #expect(export.status == 0, "\(export.stderr)")
        let live = try ProcessResult.run(binary, ["check", "--at", "3h", "--format", "json"])
        let liveJSON = try #require(try JSONSerialization.jsonObject(with: Data(live.stdout.utf8)) as? [String: Any])
        // The recorded release is created in the stage the live run was in, entered when the live run entered it.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let spec = root.appendingPathComponent("sample-data/fraud-canary-healthy/release.yaml").path
        let stage = try #require(liveJSON["stage"] as? String)
        let entered = try #require(liveJSON["stage_entered_at"] as? String)
        let imported = try ProcessResult.run(binary, ["import", "--openmetrics", om, "--store", store, "--release-spec", spec,
                                                      "--stage", stage, "--stage-entered", entered, "--started", "2026-11-02T09:00:00Z"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let recorded = try ProcessResult.run(binary, ["check", "--store", store, "--at", "3h", "--format", "json"])
        #expect(recorded.status == live.status, "\(recorded.stderr)")
        let recordedJSON = try #require(try JSONSerialization.jsonObject(with: Data(recorded.stdout.utf8)) as? [String: Any])
        #expect(recordedJSON["verdict"] as? String == liveJSON["verdict"] as? String)
        let states = { (j: [String: Any]) in (j["rules"] as? [[String: Any]] ?? []).map { "\($0["name"]!)/\($0["segment"] ?? "-")=\($0["state"]!)" } }
        #expect(states(recordedJSON) == states(liveJSON))
        let gates = { (j: [String: Any]) in (j["gates"] as? [[String: Any]] ?? []).map { "\($0["name"]!)=\($0["outcome"]!)" } }
        #expect(gates(recordedJSON) == gates(liveJSON))

        // A malformed file is refused with file:line:column and exit 2, and changes nothing.
        let bad = dir.appendingPathComponent("bad.om").path
        try "gatewatch_errors_total{release=\"x\",arm=\"champion\",segment=\"s\"} 1 1762074000\ngatewatch_errors_total{release=\"x\" 2 1762074060\n# EOF\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try ProcessResult.run(binary, ["import", "--openmetrics", bad, "--store", store])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("bad.om:2:"), "\(refused.stderr)")
    }

}
