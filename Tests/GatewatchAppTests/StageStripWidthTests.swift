import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// At 60×16 the stage strip names every stage whole (it tightens its separators before cutting a name).
@Suite struct StageStripWidthTests {
    @Test(arguments: ["fraud-canary-healthy", "latency-regression"])
    func everyStageNameIsWholeAt60Columns(name: String) throws {
        let scenario = try SnapshotSupport.scenario(name)
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "test", speed: 0)
        let end = scenario.simulation.start + 100 * 60
        let analysis = try source.poll(simulatedTime: end)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "test", lastSuccess: 0, simulatedTime: end))
        let frame = model.render(RenderContext(width: 60, height: 16, theme: .default, glyphs: .unicode, now: 0)).plainText()
        let strip = try #require(frame.split(separator: "\n").dropFirst(3).first)
        for stage in analysis.release.stages {
            #expect(strip.contains(stage.name), "\(stage.name) cut in: \(strip)")
        }
    }
}
