import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// The release screen's gates panel and the overview say when an A/B stage will be decided.
@Suite struct PlannedDecisionScreenTests {
    static let context = RenderContext(width: 160, height: 48, now: 7200)
    static let health = SourceHealth(sourceName: "test", lastSuccess: 7200)

    @Test func theGatesPanelAndTheOverviewShowTheDecisionETA() throws {
        let a = PlannedABFixture.analysis(at: 7200)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: a, health: Self.health)
        let screen = model.render(Self.context).plainText()
        #expect(screen.contains("planned samples"), "\(screen)")
        #expect(screen.contains("decision in ~3h35m"), "\(screen)")
        let overview = OverviewScreen.render([ReleaseSnapshot(analysis: a, health: Self.health)], selected: ListSelection(), keys: .default,
                                             context: Self.context).plainText()
        #expect(overview.contains("NOTE") && overview.contains("decision in ~3h35m"), "\(overview)")
    }

    /// Past the planned samples the gates panel shows the test at the horizon and the overview what it decided
    /// (it said "decision: no estimate yet" when a decided gate failed).
    @Test func aDecidedABSaysWhatWasDecided() throws {
        let a = PlannedABFixture.analysis(at: 6 * 3600, minutes: 360)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: a, health: Self.health)
        let screen = model.render(Self.context).plainText()
        #expect(screen.contains("✓ planned samples    error_rate no difference: +0.00pt, p=1"), "\(screen)")
        let overview = OverviewScreen.render([ReleaseSnapshot(analysis: a, health: Self.health)], selected: ListSelection(), keys: .default,
                                             context: Self.context).plainText()
        #expect(overview.contains("decided: no primary metric worse"), "\(overview)")
        #expect(!overview.contains("decision: no estimate yet") && !overview.contains("decision in"), "\(overview)")
    }
}
