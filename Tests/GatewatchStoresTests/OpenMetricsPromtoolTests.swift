import Foundation
import Testing
import GatewatchTestSupport
import GatewatchCore
@testable import GatewatchOpenMetrics
@testable import GatewatchScenario

/// The export is checked by the real `promtool` (Debian's Prometheus 2.42, fetched by `.ci/fetch-prometheus`, found
/// through `PROMTOOL` or fetched at first use); a promtool that cannot be had fails the test.
@Suite struct OpenMetricsPromtoolTests {
    static let environment = ProcessInfo.processInfo.environment
    /// `$PROMTOOL`, else the one `.ci/fetch-prometheus` installs (fetched at first use).
    static var promtool: String? { PrometheusServer.promtool }
    /// Always: the README's one test command runs every test; a promtool that cannot be had fails the test.
    static var runs: Bool { true }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestProcesses.run(executable, arguments)
    }

    @Test(.enabled(if: runs, "PROMTOOL is not set (run .ci/fetch-prometheus and export PROMTOOL=<path>)"))
    func promtoolBackfillsTheExportOfTheSampleScenario() throws {
        let promtool = try #require(Self.promtool, "PROMTOOL must point at promtool when CI=true (see .ci/fetch-prometheus)")
        #expect(FileManager.default.isExecutableFile(atPath: promtool), "PROMTOOL=\(promtool) is not executable")
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let scenario = try TestSupport.healthyScenario()
        let history = try OpenMetricsExport.scenarioHistory(scenario, after: 2 * 3600)
        let text = OpenMetricsWriter.write(release: history.release, samples: history.samples)
        let file = dir.appendingPathComponent("export.om").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)

        let result = try Self.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", file, dir.appendingPathComponent("blocks").path])
        #expect(result.status == 0, "promtool said:\n\(result.output)")

        // Every sample became a TSDB sample: promtool drops out-of-order samples silently, so count them.
        // Table: BLOCK ULID, MIN TIME, MAX TIME, DURATION, NUM SAMPLES, NUM CHUNKS, NUM SERIES, SIZE.
        let rows = result.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            .filter { $0.count == 8 && Int($0[4]) != nil }
        let written = history.samples.values.reduce(0) { $0 + $1.count }
        #expect(rows.reduce(0) { $0 + Int($1[4])! } == written, "promtool said:\n\(result.output)")
        #expect(!rows.isEmpty)
    }
}
