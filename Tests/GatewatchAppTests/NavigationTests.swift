import Testing
import GatewatchApp
import GatewatchCore
import GatewatchSQLite
import GatewatchUI

/// Keys on the release screen: panels, sorting, filtering, drilling into a segment and back, commands.
@Suite struct NavigationTests {
    static func model(after seconds: Int64 = 3 * 3600) throws -> AppModel {
        let scenario = try SnapshotSupport.scenario()
        let source = try DemoSource(scenario: scenario, store: try SQLiteStore(), description: "test", speed: 0)
        let analysis = try source.poll(simulatedTime: scenario.simulation.start + seconds)
        var model = AppModel()
        model.snapshot = ReleaseSnapshot(analysis: analysis, health: SourceHealth(sourceName: "test", lastSuccess: 0))
        return model
    }

    static let small = RenderContext(width: 80, height: 24, now: 0)
    static let large = RenderContext(width: 160, height: 48, now: 0)

    @Test func tabCyclesPanelsAndSmallScreensShowTheFocusedOne() throws {
        var m = try Self.model()
        #expect(m.releaseScreen.focus == .rules)
        _ = m.handle(.tab)
        #expect(m.releaseScreen.focus == .segments)
        #expect(m.render(Self.small).plainText().contains("[Segments]"))
        for _ in 0..<4 { _ = m.handle(.tab) }
        #expect(m.releaseScreen.focus == .rules)
        _ = m.handle(.backTab)
        #expect(m.releaseScreen.focus == .queue)
        #expect(m.render(Self.small).plainText().contains("depth "))
    }

    @Test func filterNarrowsTheSegmentsAndEscapeCancelsTyping() throws {
        var m = try Self.model()
        _ = m.handle(.character("/"))
        #expect(m.inputMode == .filter)
        for c in "EU" { _ = m.handle(.character(c)) }
        #expect(m.render(Self.small).plainText().contains("/EU"))
        _ = m.handle(.enter)
        #expect(m.inputMode == .none)
        #expect(m.releaseScreen.segmentFilter == "EU")
        #expect(m.render(Self.large).plainText().contains("filter: EU"))
        let a = try #require(m.snapshot?.analysis)
        let shown = SegmentsPanel.rows(a, filter: m.releaseScreen.segmentFilter, sort: m.releaseScreen.segmentSort).map { $0.segment ?? "overall" }
        #expect(shown == ["overall", "market=EU,surface=app", "market=EU,surface=web"] || shown == ["overall", "market=EU,surface=web", "market=EU,surface=app"], "\(shown)")
        _ = m.handle(.character("/"))
        _ = m.handle(.backspace); _ = m.handle(.backspace)
        _ = m.handle(.enter)
        #expect(m.releaseScreen.segmentFilter.isEmpty)
        #expect(m.render(Self.large).plainText().contains("BR/app"))
    }

    @Test func sortCyclesAndOrdersTheRows() throws {
        var m = try Self.model()
        let a = try #require(m.snapshot?.analysis)
        m.releaseScreen.focus = .segments
        _ = m.handle(.character("s"))
        #expect(m.releaseScreen.segmentSort == .worstPrecision)
        let rows = SegmentsPanel.rows(a, filter: "", sort: m.releaseScreen.segmentSort).dropFirst()
        let deltas = rows.map { $0.metrics[.precision]?.estimate.delta ?? 0 }
        #expect(deltas == deltas.sorted(), "worst precision first: \(deltas)")
        #expect(m.render(Self.large).plainText().contains("sort: worst precision Δ"))
    }

    @Test func enterDrillsIntoASegmentAndEscapeComesBack() throws {
        var m = try Self.model()
        _ = m.handle(.tab)          // segments
        _ = m.handle(.character("j")) // first segment below overall
        _ = m.handle(.enter)
        guard case .segment(let name) = m.screen else { Issue.record("not on a segment screen: \(m.screen)"); return }
        let text = m.render(Self.large).plainText()
        #expect(text.contains("segment \(name)"))
        #expect(text.contains("false_positive_rate"))
        #expect(text.contains("Scores in this segment"))
        _ = m.handle(.escape)
        #expect(m.screen == .release)
    }

    @Test func commandLine() throws {
        var m = try Self.model()
        _ = m.handle(.character(":"))
        for c in "release nope" { _ = m.handle(.character(c)) }
        _ = m.handle(.enter)
        #expect(m.message?.contains("no release 'nope'") == true)
        #expect(m.render(Self.small).plainText().contains("no release 'nope'"))
        _ = m.handle(.character(":"))
        for c in "theme mono" { _ = m.handle(.character(c)) }
        _ = m.handle(.enter)
        #expect(m.theme.name == "mono")
        _ = m.handle(.character(":"))
        for c in "releases" { _ = m.handle(.character(c)) }
        _ = m.handle(.enter)
        #expect(m.screen == .overview)
        #expect(m.render(Self.small).plainText().contains("fraud-scoring-v8"))
        _ = m.handle(.enter)
        #expect(m.screen == .release)
        _ = m.handle(.character(":"))
        _ = m.handle(.character("q"))
        _ = m.handle(.enter)
        #expect(m.shouldQuit)
    }

    /// A gate row expands with enter to what it checks and its value against its threshold.
    @Test func enterExplainsTheSelectedGate() throws {
        var m = try Self.model(after: 2 * 3600)
        _ = m.handle(.tab); _ = m.handle(.tab)
        #expect(m.releaseScreen.focus == .gates)
        let a = try #require(m.snapshot?.analysis)
        let bake = try #require(a.gates.firstIndex { $0.gate == .bakeTime })
        for _ in 0..<bake { _ = m.handle(.character("j")) }
        _ = m.handle(.enter)
        let text = m.render(Self.large).plainText()
        #expect(text.contains("gate bake_time"), "\(text)")
        #expect(text.contains("time in stage"))
        let g = a.gates[bake]
        // The bake in durations, not seconds.
        #expect(text.contains("\(DurationText.format(Int64(g.observed!))) against \(DurationText.format(Int64(g.threshold!)))"), "\(text)")
        #expect(!text.contains("\(Int(g.threshold!)) against") && !text.contains("against \(Int(g.threshold!))"))
        _ = m.handle(.escape)
        #expect(!m.releaseScreen.explaining)
    }

    /// Key hints on every screen follow the key table, so a remapped key is shown as remapped.
    @Test func hintsFollowRemappedKeys() throws {
        var m = try Self.model()
        m.keys = try KeyTable.default.applying([.back: [.character("b")], .quit: [.character("x")]])
        _ = m.handle(.tab)
        _ = m.handle(.enter)
        guard case .segment = m.screen else { Issue.record("not on a segment screen"); return }
        let segment = m.render(Self.large).plainText()
        #expect(segment.contains("b back") && segment.contains("x quit"), "\(segment)")
        #expect(!segment.contains("esc back"))
        _ = m.handle(.character("b"))
        _ = m.handle(.character("L"))
        #expect(m.render(Self.large).plainText().contains("b back"))
    }
}
