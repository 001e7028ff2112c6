import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// What the terminal is sent is the difference between frames, so an unchanged dashboard must compose an
/// identical frame, and the passing of a second must change only the ages it shows.
@Suite struct FrameDiffTests {
    static func model() throws -> AppModel {
        let scenario = try SnapshotSupport.scenario()
        let store = try SQLiteStore()
        let source = try DemoSource(scenario: scenario, store: store, description: "t", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + 2 * 3600)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "t", lastSuccess: 1_000, simulatedTime: analysis.asOf))
        return model
    }

    @Test func nothingChangedMeansAnEmptyDiff() throws {
        let model = try Self.model()
        let context = RenderContext(width: 160, height: 48, now: 1_003)
        let first = model.render(context), second = model.render(context)
        #expect(second.changedSpans(from: first).isEmpty)
    }

    @Test func aSecondLaterOnlyTheAgeOfTheDataChanges() throws {
        let model = try Self.model()
        let first = model.render(RenderContext(width: 160, height: 48, now: 1_003))
        let later = model.render(RenderContext(width: 160, height: 48, now: 1_004))
        let rows = later.changedRows(from: first)
        #expect(rows.count == 1, "changed rows: \(rows.map { later.rowText($0) })")
        #expect(rows.allSatisfy { later.rowText($0).contains("4s") })
    }
}
