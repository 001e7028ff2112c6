import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// `s` sorts the list in view (k9s' column sort, one key walking the columns): the stop rules, the segments, the
/// audit log, the overview; the selection stays on its item; a list with one fixed order says why.
@Suite struct ListSortTests {
    static let large = RenderContext(width: 160, height: 48, now: 0)

    @Test func theStopRulesSortByRuleScopeAndSeverityAndTheSelectionFollows() throws {
        var (m, _) = try Self.euModel()
        let a = try #require(m.snapshot?.analysis)
        let firingFirst = ReleaseScreen.ruleIDs(a)
        #expect(ReleaseScreen.ruleRows(a).first?.status == .firing, "the default puts firing rules first")
        _ = m.handle(.character("j"))
        let selected = try #require(m.releaseScreen.selectedRule.selected(in: m.releaseScreen.shownRuleIDs(a)))
        _ = m.handle(.character("s"))
        #expect(m.releaseScreen.ruleSort == .rule)
        let byRule = m.releaseScreen.shownRuleIDs(a)
        #expect(byRule.map(\.rule) == byRule.map(\.rule).sorted(), "\(byRule.map(\.rule))")
        #expect(byRule != firingFirst)
        #expect(m.releaseScreen.selectedRule.selected(in: byRule) == selected, "the cursor stays on its rule")
        #expect(m.render(Self.large).plainText().contains("sort: rule"))
        _ = m.handle(.character("s"))
        #expect(m.releaseScreen.ruleSort == .scope)
        let byScope = m.releaseScreen.shownRuleIDs(a)
        #expect(byScope.first?.segment == nil, "overall rows first")
        _ = m.handle(.character("s"))
        let bySeverity = ReleaseScreen.ruleRows(a, sort: .severity).map(\.rule.severity)
        #expect(bySeverity == bySeverity.sorted(by: >), "\(bySeverity)")
        _ = m.handle(.character("s"))
        #expect(m.releaseScreen.ruleSort == .state, "back to firing first")
        #expect(m.releaseScreen.segmentSort == .worstFalsePositives, "s on the rules panel leaves the segments alone")
    }

    @Test func theAuditLogSortsAndTheOverviewSorts() throws {
        var (m, _) = try Self.euModel()
        var snapshot = try #require(m.snapshot)
        let slug = snapshot.analysis.release.slug
        for (i, actor) in ["zoe", "al"].enumerated() {
            snapshot.analysis.events.append(AuditEvent(id: Int64(100 + i), release: slug, time: snapshot.analysis.asOf + Int64(i), actor: actor,
                                                       role: .oncall, kind: .acknowledge, reason: "seen", fromState: "x", toState: "x"))
        }
        m.update([snapshot])
        _ = m.handle(.character("L"))
        let newest = AuditScreen.filtered(m.allEvents, filter: "").map(\.actor)
        _ = m.handle(.character("s"))
        #expect(m.auditSort == .oldest)
        #expect(AuditScreen.filtered(m.allEvents, filter: "", sort: m.auditSort).map(\.actor) == newest.reversed())
        #expect(m.render(Self.large).plainText().contains("oldest first ["))
        _ = m.handle(.character("s")); _ = m.handle(.character("s"))
        #expect(m.auditSort == .actor)
        let actors = AuditScreen.filtered(m.allEvents, filter: "", sort: .actor).map(\.actor)
        #expect(actors == actors.sorted())

        m.screen = .overview
        _ = m.handle(.character("s"))
        #expect(m.overviewSort == .name)
        #expect(m.render(Self.large).plainText().contains("sort: name"))
    }

    @Test func listsWithOneOrderSayWhy() throws {
        var (m, _) = try Self.euModel()
        m.releaseScreen.focus = .gates
        _ = m.handle(.character("s"))
        #expect(m.message?.contains("order they are checked") == true, "\(m.message ?? "no message")")
        #expect(m.releaseScreen.segmentSort == .worstFalsePositives)
    }

    static func euModel() throws -> (AppModel, ReleaseAnalysis) {
        let scenario = try SnapshotSupport.scenario("eu-segment-regression")
        let source = try DemoSource(scenario: scenario, store: try SQLiteStore(), description: "test", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + 2 * 3600)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "test", lastSuccess: 0))
        return (model, analysis)
    }
}
