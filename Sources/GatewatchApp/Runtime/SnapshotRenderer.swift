import Foundation
import GatewatchCore
import GatewatchSQLite
import GatewatchScenario
import GatewatchUI

/// Renders the release screen of a scenario at a simulated time with no terminal, through the same render path.
public enum SnapshotRenderer {
    /// Runs `scenario` in memory for `after` seconds of simulated time and returns the frame.
    public static func render(scenario: Scenario, after: Int64, width: Int, height: Int, theme: Theme = .default,
                              glyphs: GlyphSet = .unicode, model base: AppModel = AppModel()) throws -> Canvas {
        try model(scenario: scenario, after: after, model: base)
            .render(RenderContext(width: width, height: height, theme: theme, glyphs: glyphs, now: 0))
    }

    /// `base` with the snapshot of `scenario` after `after` seconds of simulated time (keys can then act on it).
    public static func model(scenario: Scenario, after: Int64, model base: AppModel = AppModel()) throws -> AppModel {
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "snapshot of \(scenario.name)", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + after)
        let health = SourceHealth(sourceName: "snapshot of \(scenario.name)", lastSuccess: 0, simulatedTime: analysis.asOf)
        var model = base
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: health)
        return model
    }

    /// Runs every scenario of a fleet (or one ordinary scenario) in one in-memory store for `after` seconds past the
    /// latest member's start; with several releases the frame is the overview.
    public static func render(scenarios: [Scenario], after: Int64, width: Int, height: Int, theme: Theme = .default,
                              glyphs: GlyphSet = .unicode, model base: AppModel = AppModel()) throws -> Canvas {
        guard scenarios.count > 1 else {
            return try render(scenario: scenarios[0], after: after, width: width, height: height, theme: theme, glyphs: glyphs, model: base)
        }
        let store = try SQLiteStore()
        let reference = scenarios.map(\.simulation.start).max()! + after
        var model = base
        var snapshots: [ReleaseSnapshot] = []
        for scenario in scenarios {
            let source = try DemoSource(scenario: scenario, store: store, description: "snapshot", speed: 0)
            let analysis = try source.poll(simulatedTime: reference)
            snapshots.append(ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "snapshot of \(scenarios[0].fleet ?? scenario.name)",
                                                                                       lastSuccess: 0, simulatedTime: analysis.asOf)))
        }
        model.update(snapshots)
        if base.screen == .release { model.screen = .overview }
        return model.render(RenderContext(width: width, height: height, theme: theme, glyphs: glyphs, now: 0))
    }
}
