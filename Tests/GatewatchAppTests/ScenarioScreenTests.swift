import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import GatewatchUI

/// Every scenario's story on screen at a fixed simulated time, at 80×24 and 160×48, as text snapshots; the states
/// that matter are checked in the style runs too.
@Suite struct ScenarioScreenTests {
    static let cases: [(String, Int64)] = [
        ("fraud-canary-healthy", 3 * 3600),
        ("eu-segment-regression", 2 * 3600),
        ("latency-regression", 116 * 60),
        ("review-queue-overflow", 185 * 60),
        ("threshold-only-update", 90 * 60),
        ("srm-broken-assignment", 90 * 60),
        ("fleet", 90 * 60),
        ("post-release-review-v6", 30 * 3600),
    ]

    static func render(_ name: String, _ after: Int64, _ width: Int, _ height: Int, model: AppModel = AppModel()) throws -> Canvas {
        let members = try ScenarioLoader.loadAll(name, root: SnapshotSupport.sampleData)
        return try SnapshotRenderer.render(scenarios: members, after: after, width: width, height: height, model: model)
    }

    @Test(arguments: cases.map(\.0))
    func snapshots(name: String) throws {
        let after = Self.cases.first { $0.0 == name }!.1
        for (w, h) in [(80, 24), (160, 48)] {
            let canvas = try Self.render(name, after, w, h)
            SnapshotSupport.assertSnapshot(canvas.plainText(), named: "scenario-\(name)-\(w)x\(h).txt")
        }
    }

    /// The EU story: the breached guardrail and the hidden regression are marked by symbol and in the bad style.
    @Test func euRegressionIsMarkedOnScreen() throws {
        var model = AppModel()
        model.releaseScreen.focus = .segments
        let canvas = try Self.render("eu-segment-regression", 2 * 3600, 160, 48, model: model)
        let lines = canvas.plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.firstIndex { $0.contains("EU/web") && $0.contains("⚠") }, "EU/web row with ⚠:\n\(canvas.plainText())")
        let line = lines[row]
        #expect(line.contains("✗"), "breached guardrail symbol missing: \(line)")
        let column = try #require(line.firstRange(of: "✗")).lowerBound.utf16Offset(in: line)
        let bad = Theme.default.style("delta.bad")
        // A cell of the breached delta carries the bad style (or the selection's reverse when the row is selected).
        let styles = (0..<canvas.width).map { canvas[$0, row].style }
        #expect(styles.contains(bad) || styles.contains { $0.reverse }, "no bad-delta style on the EU row")
        #expect(column > 0)
        #expect(canvas.plainText().contains("segment guardrails"))
    }

    /// The segment screen of each single-release scenario, drilled into its worst segment, at both sizes.
    @Test(arguments: cases.map(\.0).filter { $0 != "fleet" })
    func segmentScreenSnapshots(name: String) throws {
        let after = Self.cases.first { $0.0 == name }!.1
        var model = AppModel()
        model.releaseScreen.focus = .segments
        let members = try ScenarioLoader.loadAll(name, root: SnapshotSupport.sampleData)
        let source = try DemoSource(scenario: members[0], store: try SQLiteStore(), description: "snapshot", speed: 0)
        let analysis = try source.poll(simulatedTime: members[0].simulation.start + after)
        let worst = try #require(SegmentsPanel.rows(analysis, filter: "", sort: .worstFalsePositives).dropFirst().first?.segment)
        model.screen = .segment(worst)
        for (w, h) in [(80, 24), (160, 48)] {
            let canvas = try Self.render(name, after, w, h, model: model)
            let text = canvas.plainText()
            #expect(text.contains("segment \(worst)") || text.contains("segment "), "not the segment screen:\n\(text)")
            SnapshotSupport.assertSnapshot(text, named: "segment-\(name)-\(w)x\(h).txt")
            // The metric table is whole at both sizes: every delta with its interval and marks, no cut cell.
            let lines = text.split(separator: "\n").map(String.init)
            let header = try #require(lines.firstIndex { $0.contains("METRIC") && $0.contains("Δpt [95% CS]") }, "\(text)")
            let table = lines[header..<min(lines.count, header + 1 + QualityMetric.allCases.count)]
            #expect(!table.contains { $0.contains("…") }, "a cut cell at \(w)×\(h):\n\(table.joined(separator: "\n"))")
            #expect(table.contains { $0.contains("false_positive_rate") && $0.contains(" [") }, "the interval is shown at \(w)×\(h)")
        }
    }

    /// The latency story: the rollback is explained with who and why.
    @Test func latencyRollbackSaysWhoAndWhy() throws {
        let text = try Self.render("latency-regression", 116 * 60, 160, 48).plainText()
        #expect(text.contains("Rolled back"))
        #expect(text.contains("by rollout-controller: stop rule challenger-p99-latency firing"))
    }

    /// The fleet opens on the overview, worst release first.
    @Test func fleetOpensOnTheOverview() throws {
        let text = try Self.render("fleet", 90 * 60, 100, 24).plainText()
        #expect(text.contains("4 releases"))
        let lines = text.split(separator: "\n").map(String.init)
        let first = try #require(lines.firstIndex { $0.contains("RELEASE") }) + 1
        #expect(lines[first].contains("rolled back") || lines[first].contains("ROLLBACK"), "worst first: \(lines[first])")
    }
}
