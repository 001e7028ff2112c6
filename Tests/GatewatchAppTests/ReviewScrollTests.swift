import Testing
import GatewatchApp
import GatewatchCore
import GatewatchUI

/// Then-and-now scrolls with the list keys while `[` `]` keep moving in time; a release that spans days shows
/// dates in its timeline rows at every width.
@Suite struct ReviewScrollTests {
    static let small = RenderContext(width: 80, height: 24, theme: .default, glyphs: .unicode, now: 0)

    @Test func thenAndNowScrollsWithPageDownAndTheEventCursorStays() throws {
        var (model, _, _) = try ReviewScreenTests.model("post-release-review-v6", hours: 72)
        _ = model.handle(.character("G"))
        _ = model.handle(.character("t"))
        let event = try #require(model.review?.selectedEvent)
        let rows = try #require(model.review?.thenNow?.rows.count)
        let before = model.render(Self.small).plainText()
        #expect(before.contains("[1–"), "the title says which rows are shown: \(before)")
        #expect(before.contains("/\(rows)]"))
        _ = model.handle(.pageDown)
        let after = model.render(Self.small).plainText()
        #expect(model.review?.selectedEvent == event, "PgDn scrolls then-and-now, not the timeline")
        let shown = try #require(after.firstMatch(of: /\[(\d+)–(\d+)\/(\d+)\]/))
        let top = try #require(Int(shown.1))
        #expect(top > 1, "\(after)")
        #expect(before != after)
        _ = model.handle(.character("k"))
        #expect(model.render(Self.small).plainText().contains("[\(top - 1)–"))
        // Time still moves with [ and the view stays then-and-now.
        _ = model.handle(.character("["))
        #expect(model.review?.selectedEvent == event - 1)
        #expect(model.review?.view == .thenNow)
    }

    @Test func thenAndNowNamesSegmentsByTheirShortForm() throws {
        var (model, _, _) = try ReviewScreenTests.model("post-release-review-v6", hours: 72)
        _ = model.handle(.character("G"))
        _ = model.handle(.character("t"))
        let frame = model.render(Self.small).plainText()
        #expect(frame.contains("EU/app"), "\(frame)")
        #expect(!frame.contains("market="), "no segment in its long form")
    }

    /// At 80 columns then-and-now, its moments, its key hints and the review's status line are whole: the unit goes
    /// to the headers, the intervals lose a decimal, and the moments take the panel's first line.
    @Test func thenAndNowIsWholeAt80Columns() throws {
        var (model, _, _) = try ReviewScreenTests.model("post-release-review-v6", hours: 72)
        _ = model.handle(.character("G"))
        _ = model.handle(.character("t"))
        let lines = model.render(Self.small).plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let top = try #require(lines.firstIndex { $0.contains("Then and now") })
        let panel = lines[top..<(lines.count - 2)]
        #expect(!panel.contains { $0.contains("…") }, "\(panel.joined(separator: "\n"))")
        #expect(panel.contains { $0.contains("then 11-07 15:31") && $0.contains("now: labels by 11-08 09:00") })
        #expect(panel.contains { $0.contains("Δpt THEN") && $0.contains("CHANGE") })
        #expect(lines[lines.count - 2].contains("j/k scroll"), "then-and-now's hints say what j/k do there")
        #expect(!lines[lines.count - 1].contains("…") && lines[lines.count - 1].contains("record 2026-11-05 09:00 – 11-08 09:00"), "\(lines[lines.count - 1])")
    }

    @Test func timelineRowsOfAReleaseSpanningDaysCarryTheDateAt80Columns() throws {
        var (model, _, _) = try ReviewScreenTests.model("post-release-review-v6", hours: 72)
        _ = model.handle(.character("G"))
        let frame = model.render(Self.small).plainText()
        let last = try #require(model.review?.timeline.events.last)
        let stamp = String(TimeText.minute(last.time).dropFirst(5))
        #expect(frame.contains(stamp), "\(stamp) not in \(frame)")
        // Within one day the clock time alone.
        var (short, _, _) = try ReviewScreenTests.model("latency-regression", hours: 5)
        _ = short.handle(.character("G"))
        let day = short.render(Self.small).plainText().split(separator: "\n")
        // The timeline's rows are lines 2 on (inside its box): `│▸10:52 ✗ rollback …`.
        let row = try #require(day.dropFirst(2).first)
        #expect(row.firstMatch(of: #/^│.\d\d:\d\d /#) != nil, "\(row)")
    }
}
