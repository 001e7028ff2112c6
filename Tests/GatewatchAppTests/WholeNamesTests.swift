import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// At 120 columns the release screen shows every stop rule's name whole and every segment in its short form
/// (`EU/web`), in every sample scenario, scrolling the rules panel through all its rows.
@Suite struct WholeNamesTests {
    static let scenarios: [(String, Int64)] = [
        ("fraud-canary-healthy", 3 * 3600), ("eu-segment-regression", 2 * 3600), ("latency-regression", 105 * 60),
        ("review-queue-overflow", 185 * 60), ("threshold-only-update", 90 * 60), ("srm-broken-assignment", 90 * 60),
        ("ads-brand-safety", 3 * 3600), ("post-release-review-v6", 30 * 3600),
    ]

    @Test(arguments: scenarios.map(\.0))
    func everyRuleAndSegmentNameIsWholeAt120Columns(name: String) throws {
        let after = Self.scenarios.first { $0.0 == name }!.1
        let scenario = try SnapshotSupport.scenario(name)
        let release = scenario.release
        let source = try DemoSource(scenario: scenario, store: try SQLiteStore(), description: "test", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + after)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "test", lastSuccess: 0))
        model.releaseScreen.focus = .rules
        var seen = ""
        // One frame per rule row: the selection walks down, so every row is drawn once.
        for _ in 0...analysis.rules.count {
            seen += model.render(RenderContext(width: 120, height: 40, now: 0)).plainText()
            _ = model.handle(.character("j"))
        }
        for rule in release.rules {
            #expect(seen.contains(rule.name), "\(name): rule \(rule.name) is not whole at 120 columns")
        }
        for segment in release.segments {
            let short = segment.labels.map(\.value).joined(separator: "/")
            #expect(seen.contains(" \(short) ") || seen.contains(segment.key), "\(name): segment \(segment.key) not shown as \(short)")
        }
        #expect(!seen.contains("segment-precision-…") && !seen.contains("challenger-p99-lat…"), "\(name): a cut rule name")
    }
}

/// Every list says where the cursor is and how long it is, and the stop rules show what is firing first.
@Suite struct ListPositionTests {
    @Test func theRulesPanelPutsFiringRulesFirstAndSaysWhereTheCursorIs() throws {
        let scenario = try SnapshotSupport.scenario("eu-segment-regression")
        let source = try DemoSource(scenario: scenario, store: try SQLiteStore(), description: "test", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + 2 * 3600)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "test", lastSuccess: 0))
        model.releaseScreen.focus = .rules
        let context = RenderContext(width: 120, height: 36, now: 0)
        let lines = model.render(context).plainText().split(separator: "\n").map(String.init)
        let count = analysis.rules.count
        #expect(lines.contains { $0.contains("Stop rules [1/\(count)] ✗ 2 firing") }, "\(lines.joined(separator: "\n"))")
        // The two firing rows are the first two, in the spec's rule order.
        let rows = lines.filter { $0.contains("FIRING") || $0.contains("✓ ok") }.map { $0.split(separator: "│").first { $0.contains("FIRING") || $0.contains("✓ ok") } ?? "" }
        #expect(rows.prefix(2).allSatisfy { $0.contains("FIRING") }, "\(rows)")
        #expect(rows.first?.contains("segment-fpr-vs-champion") == true && rows.dropFirst().first?.contains("segment-precision-guardrail") == true, "\(rows)")
        _ = model.handle(.character("j"))
        _ = model.handle(.character("j"))
        #expect(model.render(context).plainText().contains("Stop rules [3/\(count)]"))
        // The segments panel, not focused, gives its count; focused, the position.
        #expect(model.render(context).plainText().contains("Segments [7] (sort:"))
    }
}
