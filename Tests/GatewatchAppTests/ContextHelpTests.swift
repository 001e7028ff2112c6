import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// Help by context (this panel, this screen, the release's actions, everywhere), keys that say why they do nothing,
/// and nothing moving behind the help.
@Suite struct ContextHelpTests {
    static let small = RenderContext(width: 80, height: 24, now: 0)
    static let large = RenderContext(width: 160, height: 60, now: 0)

    static func model() throws -> AppModel {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "ana", role: .owner)
        return m
    }

    @Test func theReleaseScreensHelpNamesItsScopesAndLeavesTheReviewKeysOut() throws {
        var m = try Self.model()
        _ = m.handle(.character("?"))
        let text = m.render(Self.large).plainText()
        for title in ["Stop rules panel", "Release screen", "Actions on fraud-scoring-v8", "Everywhere"] {
            #expect(text.contains(title), "help lacks the section \(title)")
        }
        #expect(text.contains("acknowledge the selected rule"))
        #expect(text.contains("explain the selected rule"))
        #expect(!text.contains("previous event"), "the review's keys are not keys of the release screen")
        #expect(!text.contains("sign the review off"))
        // The panel's keys come first.
        let panel = try #require(text.range(of: "Stop rules panel")), everywhere = try #require(text.range(of: "Everywhere"))
        #expect(panel.lowerBound < everywhere.lowerBound)
    }

    @Test func theHelpFollowsTheFocusedPanel() throws {
        var m = try Self.model()
        _ = m.handle(.tab)
        _ = m.handle(.character("?"))
        let text = m.render(Self.large).plainText()
        #expect(text.contains("Segments panel"))
        #expect(text.contains("open the selected segment"))
        #expect(!text.contains("explain the selected rule"))
    }

    @Test func keysBehindTheHelpMoveNothing() throws {
        var m = try Self.model()
        let a = try #require(m.snapshot?.analysis)
        let before = m.releaseScreen.selectedRule.index(in: ReleaseScreen.ruleIDs(a))
        _ = m.handle(.character("?"))
        _ = m.handle(.character("j"))
        _ = m.handle(.tab)
        _ = m.handle(.character("s"))
        #expect(m.showingHelp)
        #expect(m.releaseScreen.selectedRule.index(in: ReleaseScreen.ruleIDs(a)) == before, "j moved the list behind the help")
        #expect(m.releaseScreen.focus == .rules, "tab moved the focus behind the help")
        #expect(m.releaseScreen.segmentSort == .worstFalsePositives, "s sorted behind the help")
        _ = m.handle(.escape)
        #expect(!m.showingHelp)
        _ = m.handle(.character("j"))
        #expect(m.releaseScreen.selectedRule.index(in: ReleaseScreen.ruleIDs(a)) == (before ?? 0) + 1)
    }

    @Test func aLongHelpScrollsAndSaysWhereItIs() throws {
        var m = try Self.model()
        _ = m.handle(.character("?"))
        let first = m.render(Self.small).plainText()
        let place = try #require(first.firstMatch(of: #/Keys \[1–(\d+)/(\d+)\]/#), "no position in the title:\n\(first)")
        #expect(Int(place.output.1)! < Int(place.output.2)!)
        #expect(first.contains("j/k scroll"))
        _ = m.handle(.character("G"))
        let last = m.render(Self.small).plainText()
        #expect(last.contains("Everywhere") && last.contains("quit"), "the end of the help is reachable:\n\(last)")
        #expect(!last.contains("Keys [1–"))
    }

    @Test func theReviewsHelpListsItsKeys() throws {
        var m = try ReviewScreenTests.model("latency-regression", hours: 5).0
        _ = m.handle(.character("?"))
        let text = m.render(Self.large).plainText()
        #expect(text.contains("Review of "))
        #expect(text.contains("previous event"))
        #expect(text.contains("open the checklist first"), "space is dim with its reason outside the checklist:\n\(text)")
        #expect(!text.contains("Release screen"))
    }

    /// Every key of the table is offered on some screen: nothing the help never mentions.
    @Test func everyActionIsOfferedSomewhere() throws {
        var offered = Set<AppAction>()
        var m = try Self.model()
        for panel in PanelKind.allCases {
            m.releaseScreen.focus = panel
            offered.formUnion(m.helpSections(now: 0).flatMap(\.keys).map(\.action))
        }
        for screen in [ScreenKind.overview, .segment("overall"), .audit] {
            m.screen = screen
            offered.formUnion(m.helpSections(now: 0).flatMap(\.keys).map(\.action))
        }
        var r = try ReviewScreenTests.model("latency-regression", hours: 5).0
        for view in [ReviewSession.View.dashboard, .thenNow, .checklist] {
            if view != .dashboard { r.review?.show(view) }
            offered.formUnion(r.helpSections(now: 0).flatMap(\.keys).map(\.action))
            if view != .dashboard { r.review?.show(view) }
        }
        let missing = KeyTable.default.bindings.map(\.action).filter { !offered.contains($0) }
        #expect(missing.isEmpty, "never offered: \(missing)")
    }

    @Test func sortAndFilterOnTheOverviewNeverActOnHiddenSegments() throws {
        var m = try Self.model()
        m.screen = .overview
        _ = m.handle(.character("s"))
        #expect(m.releaseScreen.segmentSort == .worstFalsePositives, "s sorted the segments of a release not in view")
        #expect(m.overviewSort == .name, "s sorts the releases")
        // `/` filters the releases in view, not the segments of a release that is not.
        _ = m.handle(.character("/"))
        #expect(m.inputMode == .filter)
        for c in "zzz" { _ = m.handle(.character(c)) }
        _ = m.handle(.enter)
        #expect(m.releaseScreen.segmentFilter.isEmpty, "/ filtered segments not in view")
        #expect(m.overviewFilter == "zzz")
        #expect(m.render(RenderContext(width: 120, height: 40, now: 0)).plainText().contains("No release matches 'zzz'"))
    }

    @Test func listKeysInAPanelWithoutAListSayWhy() throws {
        var m = try Self.model()
        let a = try #require(m.snapshot?.analysis)
        m.releaseScreen.focus = .histogram
        _ = m.handle(.character("j"))
        #expect(m.releaseScreen.selectedRule.index(in: ReleaseScreen.ruleIDs(a)) == 0, "j in the Scores panel moved the stop rules")
        #expect(m.message?.contains("no rows to select") == true, "\(m.message ?? "no message")")
        m.releaseScreen.focus = .queue
        _ = m.handle(.enter)
        #expect(m.message?.contains("Review queue panel has no rows") == true, "\(m.message ?? "no message")")
    }

    @Test func blockedOperatorActionsAreStillTriedSoTheRefusalIsAudited() throws {
        var m = try Self.model()
        m.actor = Operator(name: "rita", role: .reviewer)
        _ = m.handle(.character("p"))
        #expect(m.refused?.action == .promote, "a blocked promote must reach the audit log as a refusal")
        m.effects.removeAll()
        _ = m.handle(.character("?"))
        let text = m.render(Self.large).plainText()
        #expect(text.contains("reviewer may not promote"), "the help says what blocks promote:\n\(text)")
    }
}
