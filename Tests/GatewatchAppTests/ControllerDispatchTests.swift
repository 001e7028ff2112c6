import Testing
@testable import GatewatchApp
import GatewatchCore
import GatewatchUI

/// Keys go to the controllers in scope, most specific first, and come back as model changes and effects (no I/O in
/// key handling); the events pane, the overview's filter and the review's timeline rows can be opened or filtered
/// like every other list.
@Suite struct ControllerDispatchTests {
    static let context = RenderContext(width: 120, height: 40, now: 0)
    static let small = RenderContext(width: 80, height: 24, now: 0)

    static func lines(_ m: AppModel, _ context: RenderContext = context) -> [String] {
        m.render(context).plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: effects

    @Test func aConfirmedDialogLeavesAnEffectAndDoesNoIO() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "bo", role: .oncall)
        _ = m.handle(.character("r"))
        #expect(m.dialog != nil)
        for c in "bad canary" { _ = m.handle(.character(c)) }
        _ = m.handle(.tab)
        _ = m.handle(.enter)
        let slug = try #require(m.snapshot?.analysis.release.slug)
        #expect(m.effects == [.perform(.rollback, reason: "bad canary", release: slug)])
        #expect(m.takeEffects().count == 1)
        #expect(m.effects.isEmpty, "taken once")
    }

    @Test func aBlockedActionLeavesARefusalToAudit() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "rita", role: .reviewer)
        _ = m.handle(.character("r"))
        #expect(m.dialog == nil)
        guard case .auditRefusal(.rollback, let why, _)? = m.effects.first else { Issue.record("no refusal: \(m.effects)"); return }
        #expect(why.contains("reviewer may not roll back"))
    }

    // MARK: keys act only on what is in view

    /// The defect: `a` with the Segments panel focused acknowledged the selected rule of the Stop rules panel, a row
    /// not on screen as selected.
    @Test func acknowledgeOutsideTheRulesPanelSaysWhereItWorks() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "bo", role: .oncall)
        m.releaseScreen.focus = .segments
        _ = m.handle(.character("a"))
        #expect(m.dialog == nil, "no acknowledgement of a rule that is not in view")
        #expect(m.effects.isEmpty)
        #expect(m.message?.contains("tab to the Stop rules panel") == true, "\(m.message ?? "no message")")
        m.releaseScreen.focus = .rules
        _ = m.handle(.character("a"))
        #expect(m.dialog != nil || m.message?.contains("acknowledge") == true, "on the rules panel a acts (or says why not)")
    }

    @Test func rollbackStillWorksWithTheEventsPaneOpen() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "bo", role: .oncall)
        _ = m.handle(.character("E"))
        #expect(m.showingEvents)
        _ = m.handle(.character("r"))
        #expect(m.dialog?.action == .rollback, "an open pane never holds a rollback up")
    }

    // MARK: the events pane

    @Test func theEventsPaneHasACursorAndEnterOpensTheEventWhole() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "ana", role: .owner)
        let first = try #require(m.snapshot)
        m.update([first])
        let reason = "rolled back by hand: the EU web segment lost precision three windows running, confirmed with the fraud team at 10:40"
        var older = EventsAndCompletionTests.promotion(first.analysis)
        older.time -= 60
        var newer = EventsAndCompletionTests.promotion(first.analysis, actor: "bo", role: .oncall)
        newer.id = 1001
        newer.kind = .rollback
        newer.reason = reason
        m.update([EventsAndCompletionTests.adding(newer, to: EventsAndCompletionTests.adding(older, to: first))])
        _ = m.handle(.character("E"))
        var text = Self.lines(m, Self.small)
        #expect(text.contains { $0.contains("Events [1/") }, "the pane's title gives the position:\n\(text.joined(separator: "\n"))")
        #expect(text.last { $0.contains("▸") }?.contains("rolled back") == true, "the newest event is selected first")
        _ = m.handle(.character("j"))
        text = Self.lines(m, Self.small)
        #expect(text.last { $0.contains("▸") }?.contains("promoted canary-1") == true, "j moves the pane's cursor")
        #expect(m.releaseScreen.selectedRule.row == 0, "j moved the list under the pane")
        _ = m.handle(.character("k"))
        _ = m.handle(.enter)
        #expect(m.eventsDetail)
        let pane = Self.lines(m, Self.small).joined(separator: "\n")
        let words = pane.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init)
        for word in reason.split(separator: " ") { #expect(words.contains(String(word)), "the event pane lacks '\(word)':\n\(pane)") }
        _ = m.handle(.escape)
        #expect(!m.eventsDetail && m.showingEvents, "esc closes the event first")
        _ = m.handle(.escape)
        #expect(!m.showingEvents)
    }

    // MARK: the overview's filter

    @Test func slashFiltersTheOverviewAndTheTitleCountsWhatItHides() throws {
        let snapshots = try SelectionTests.fleetPolls([83 * 60])[0]
        var m = AppModel()
        m.update(snapshots)
        m.screen = .overview
        let all = m.overviewIDs
        #expect(all.count == snapshots.count)
        let troubled = try #require(snapshots.first { OverviewScreen.health($0.analysis).rank >= 2 }?.analysis.release.slug)
        let calm = try #require(all.first { $0 != troubled && !$0.contains(String(troubled.prefix(5))) })
        _ = m.handle(.character("/"))
        for c in calm { _ = m.handle(.character(c)) }
        #expect(m.overviewIDs == [calm], "the list filters as it is typed")
        _ = m.handle(.enter)
        let title = try #require(Self.lines(m).first { $0.contains("Releases [") })
        #expect(title.contains("filter: \(calm)"), "\(title)")
        let notOK = snapshots.filter { $0.analysis.release.slug != calm && OverviewScreen.health($0.analysis).rank >= 2 }
        #expect(title.contains("\(all.count - 1) hidden (\(notOK.count) "), "a filter never hides trouble silently: \(title)")
        #expect(!title.contains("…"), "\(title)")
        _ = m.handle(.enter)
        #expect(m.screen == .release && m.currentSlug == calm, "enter opens the filtered row")
        _ = m.handle(.escape)
        #expect(m.screen == .overview)
        _ = m.handle(.escape)
        #expect(m.overviewFilter.isEmpty && m.overviewIDs.count == all.count, "esc clears the filter")
        _ = m.handle(.character("/"))
        for c in "no-such-release" { _ = m.handle(.character(c)) }
        _ = m.handle(.escape)
        #expect(m.overviewFilter.isEmpty, "esc on the filter line clears it (k9s)")
    }

    // MARK: the review's timeline rows

    @Test func enterOnTheReviewOpensTheSelectedEventWhole() throws {
        var (m, _, _) = try ReviewScreenTests.model("post-release-review-v6", hours: 72)
        _ = m.handle(.character("G"))
        let event = try #require(m.review?.selected)
        #expect(!event.detail.isEmpty)
        let before = Self.lines(m, Self.small).joined(separator: "\n")
        #expect(before.contains("…"), "at 80 columns the row is cut (the pane is where it is whole)")
        _ = m.handle(.enter)
        #expect(m.reviewDetail)
        let pane = Self.lines(m, Self.small).joined(separator: "\n")
        let words = pane.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init)
        for word in event.detail.split(separator: " ") { #expect(words.contains(String(word)), "the event pane lacks '\(word)':\n\(pane)") }
        #expect(pane.contains(TimeText.iso(event.time)))
        _ = m.handle(.escape)
        #expect(!m.reviewDetail && m.screen == .review, "esc closes the event first")
    }

    // MARK: whole text or an ellipsis

    @Test func aMessageLongerThanTheFooterEndsInAnEllipsis() throws {
        var m = try NavigationTests.model()
        m.message = "p promote — blocked: blocking rules: segment-fpr-vs-champion [EU/web] firing (+1 more), segment-precision-guardrail [EU/web] firing"
        let footer = Self.lines(m, Self.small)[22]
        #expect(footer.hasSuffix("…"), "a cut message says so: \(footer)")
    }

    /// The defect: at 80 columns a long promote refusal pushed `r roll back` (and help) off the footer.
    @Test func aLongPromoteRefusalLeavesRollbackHelpAndQuitOnTheFooter() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "ana", role: .owner)
        m.snapshot?.analysis.gates[0] = GateVerdict(gate: .segmentGuardrails, outcome: .failed,
                                                     reason: "market=EU,surface=web precision -31.99pt vs limit -8.00pt, and four other segments past their guardrails")
        for width in [80, 100] {
            let footer = Self.lines(m, RenderContext(width: width, height: 24, now: 0))[22]
            #expect(footer.contains("p promote — blocked"), "\(footer)")
            #expect(footer.contains("r roll back") && footer.contains("? help") && footer.contains("q quit"), "at \(width): \(footer)")
            #expect(footer.contains("…"), "the cut reason says so at \(width): \(footer)")
        }
    }

    @Test func keyHintsAreNeverCutMidWord() throws {
        var m = try NavigationTests.model()
        m.screen = .overview
        for width in [60, 64, 70, 80] {
            let row = Self.lines(m, RenderContext(width: width, height: 24, now: 0))[22]
            let hints = ["enter open", "j/k move", "/ filter", "s sort", ": command", "? help", "q quit"]
            var rest = Substring(row.trimmingCharacters(in: .whitespaces))
            for hint in hints where !rest.isEmpty {
                #expect(rest.hasPrefix(hint), "at \(width) columns a hint is cut: '\(row)'")
                rest = rest.dropFirst(hint.count).drop { $0 == " " }
            }
        }
    }
}
