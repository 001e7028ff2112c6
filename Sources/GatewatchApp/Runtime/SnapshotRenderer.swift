import Foundation
import GatewatchCore
import GatewatchStores
import GatewatchUI

/// Renders the release screen of a scenario at a simulated time with no terminal, through the same render path.
public enum SnapshotRenderer {
    /// Runs `scenario` in memory for `after` seconds of simulated time and returns the frame.
    public static func render(scenario: Scenario, after: Int64, width: Int, height: Int, theme: Theme = .default,
                              glyphs: GlyphSet = .unicode, model base: AppModel = AppModel()) throws -> Canvas {
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "snapshot of \(scenario.name)", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + after)
        let health = SourceHealth(sourceName: "snapshot of \(scenario.name)", lastSuccess: 0, simulatedTime: analysis.asOf)
        var model = base
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: health)
        return model.render(RenderContext(width: width, height: height, theme: theme, glyphs: glyphs, now: 0))
    }
}
