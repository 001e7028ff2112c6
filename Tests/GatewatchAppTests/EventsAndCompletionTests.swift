import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// Notices of what others did (automatic promotions, the guard's rollbacks, other operators), the events pane,
/// `:` completion and the audit event opened whole.
@Suite struct EventsAndCompletionTests {
    static let context = RenderContext(width: 120, height: 40, now: 0)

    static func adding(_ event: AuditEvent, to snapshot: ReleaseSnapshot) -> ReleaseSnapshot {
        var s = snapshot
        s.analysis.events.append(event)
        return s
    }

    static func promotion(_ a: ReleaseAnalysis, actor: String = "rollout-controller", role: Role = .controller) -> AuditEvent {
        AuditEvent(id: 999, release: a.release.slug, time: a.asOf, actor: actor, role: role, kind: .promote,
                   reason: "bake and gates passed", fromState: "canary-1", toState: "canary-5")
    }

    @Test func anAutomaticPromotionGivesANoticeAndShowsInTheEventsPane() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "ana", role: .owner)
        let first = try #require(m.snapshot)
        m.update([first])
        #expect(m.message == nil, "the history of a release read for the first time is not news")
        m.update([Self.adding(Self.promotion(first.analysis), to: first)])
        let notice = try #require(m.message)
        #expect(notice.contains("fraud-scoring-v8 promoted canary-1 → canary-5 by rollout-controller (automatic)"), "\(notice)")
        #expect(m.render(Self.context).plainText().contains("promoted canary-1 → canary-5"), "the notice is on the footer")
        #expect(m.notices.unseen == 1)
        _ = m.handle(.character("E"))
        #expect(m.showingEvents)
        #expect(m.notices.unseen == 0)
        let text = m.render(Self.context).plainText()
        #expect(text.contains("Events ["), "no events pane:\n\(text)")
        #expect(text.contains("1 while watching"))
        #expect(try #require(text.split(separator: "\n").first { $0.contains("promoted canary-1") }).contains("new "))
        _ = m.handle(.escape)
        #expect(!m.showingEvents)
    }

    @Test func anotherOperatorsActionIsNewsButOurOwnIsNot() throws {
        var m = try NavigationTests.model()
        m.actor = Operator(name: "ana", role: .owner)
        let first = try #require(m.snapshot)
        m.update([first])
        m.update([Self.adding(Self.promotion(first.analysis, actor: "ana", role: .owner), to: first)])
        #expect(m.message == nil, "our own promotion is said by its outcome, not by a notice")
        var other = Self.promotion(first.analysis, actor: "bo", role: .oncall)
        other.id = 1000
        other.kind = .rollback
        m.update([Self.adding(other, to: m.snapshot!)])
        #expect(m.message?.contains("rolled back canary-1 → canary-5 by bo (oncall)") == true, "\(m.message ?? "no notice")")
    }

    @Test func tabCompletesCommandsReleasesAndThemes() throws {
        var m = try NavigationTests.model()
        m.themeNames = { ["default", "mono", "solarized-dark", "solarized-light"] }
        _ = m.handle(.character(":"))
        for c in "rev" { _ = m.handle(.character(c)) }
        _ = m.handle(.tab)
        #expect(m.input == "review ")
        _ = m.handle(.tab)
        #expect(m.input == "review fraud-scoring-v8")
        _ = m.handle(.control("u"))
        for c in "theme so" { _ = m.handle(.character(c)) }
        _ = m.handle(.tab)
        #expect(m.input == "theme solarized-")
        #expect(m.message == "solarized-dark  solarized-light")
        #expect(m.render(Self.context).plainText().contains(":theme solarized-█  solarized-dark  solarized-light"))
        _ = m.handle(.control("u"))
        for c in "xyz" { _ = m.handle(.character(c)) }
        _ = m.handle(.tab)
        #expect(m.input == "xyz")
        #expect(m.message == "nothing to complete")
        #expect(m.inputMode == .command, "tab never runs the command")
    }

    @Test func enterOnAnAuditRowOpensTheWholeEvent() throws {
        var m = try NavigationTests.model()
        let a = try #require(m.snapshot?.analysis)
        let reason = "rolled back because the EU web segment lost precision for three windows in a row; checked with the fraud team before acting"
        m.update([Self.adding(AuditEvent(id: 77, release: a.release.slug, time: a.asOf, actor: "bo", actorDisplay: "Bo Chen", role: .oncall,
                                         kind: .rollback, reason: reason, fromState: "canary-5", toState: "rolled back"), to: m.snapshot!)])
        _ = m.handle(.character("L"))
        #expect(m.screen == .audit)
        let small = RenderContext(width: 80, height: 24, now: 0)
        #expect(!m.render(small).plainText().contains("checked with the fraud team"), "the row cuts the reason")
        _ = m.handle(.enter)
        #expect(m.auditDetail)
        let text = m.render(small).plainText()
        // The reason wraps inside the pane: every word of it is on screen.
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init)
        for word in reason.split(separator: " ") { #expect(words.contains(String(word)), "the pane lacks '\(word)':\n\(text)") }
        #expect(text.contains("“Bo Chen”"))
        #expect(text.contains("#77 of the release's log"))
        #expect(text.contains(TimeText.iso(a.asOf)))
        _ = m.handle(.escape)
        #expect(!m.auditDetail)
        #expect(m.screen == .audit, "esc closes the event first, then leaves the log")
    }

    @Test func aGatesReasonWrapsInItsPane() throws {
        var m = try NavigationTests.model()
        // A reason longer than the pane is wide at 80 columns (the old pane cut it at the border).
        m.snapshot?.analysis.gates[0].reason = "every segment within its guardrail except market=EU,surface=web whose precision fell 4.1pt with q 0.003 over 1,240 labelled decisions"
        m.releaseScreen.focus = .gates
        _ = m.handle(.enter)
        let gate = try #require(m.snapshot?.analysis.gates[0])
        let screen = m.render(RenderContext(width: 80, height: 24, now: 0)).plainText()
        // Only the pane: the lines from its title down (the panel behind it wraps reasons too).
        let title = try #require(screen.range(of: "— esc closes"), "no gate pane:\n\(screen)")
        let text = String(screen[title.lowerBound...])
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init)
        for word in gate.reason.split(separator: " ") { #expect(words.contains(String(word)), "the gate pane lacks '\(word)':\n\(text)") }
    }
}
