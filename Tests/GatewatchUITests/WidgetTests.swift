import Testing
@testable import GatewatchUI

private let stages = [
    StageStripItem(name: "shadow", detail: "0%", state: .done),
    StageStripItem(name: "canary", detail: "5%", progress: 0.5, state: .active),
    StageStripItem(name: "ab", detail: "50%", state: .pending),
    StageStripItem(name: "full", detail: "100%", state: .pending),
]

private let ruleColumns = [
    TableColumn(title: "Rule", width: .fill(1)),
    TableColumn(title: "State", width: .fixed(8)),
    TableColumn(title: "Value", width: .fixed(6), alignRight: true),
]

private let ruleRows: [[TableCell]] = [
    ["error-rate", TableCell("ok", role: "rule.ok"), "0.2%"],
    ["latency p99 regression", TableCell("firing", role: "rule.firing"), "412ms"],
    ["approval-rate", TableCell("pending", role: "rule.pending"), "-1.3%"],
    ["漢字の規則", TableCell("ok", role: "rule.ok"), "1"],
]

private func stageStrip(_ width: Int, _ height: Int, _ glyphs: GlyphSet = .unicode) -> Canvas {
    var c = Canvas(width: width, height: height)
    StageStrip.draw(into: &c, rect: c.bounds, items: stages, theme: .default, glyphs: glyphs)
    return c
}

@Suite struct WidgetTests {
    @Test func boxWithTitle() {
        var c = Canvas(width: 20, height: 4)
        let inner = Box.draw(into: &c, rect: c.bounds, title: "Stop rules", theme: .default, glyphs: .unicode,
                             focused: true)
        #expect(inner == Rect(x: 1, y: 1, width: 18, height: 2))
        #expect(c.plainText() == """
            ┌ Stop rules ──────┐
            │                  │
            │                  │
            └──────────────────┘
            """)
        #expect(c.styleRuns() == """
            row 0: 0-0 fg=cyan bold; 1-12 bold; 13-19 fg=cyan bold
            row 1: 0-0 fg=cyan bold; 19-19 fg=cyan bold
            row 2: 0-0 fg=cyan bold; 19-19 fg=cyan bold
            row 3: 0-19 fg=cyan bold
            """)
    }

    @Test func boxTruncatesTitleAndDegrades() {
        var c = Canvas(width: 10, height: 3)
        Box.draw(into: &c, rect: c.bounds, title: "Stop rules", theme: .mono, glyphs: .ascii)
        #expect(c.plainText() == """
            + Stop ~ +
            |        |
            +--------+
            """)
        var d = Canvas(width: 8, height: 1)
        let inner = Box.draw(into: &d, rect: d.bounds, title: "Stop rules", theme: .mono, glyphs: .unicode)
        #expect(inner.isEmpty)
        #expect(d.plainText() == "Stop rul")
    }

    @Test func stageStripFullWidth() {
        let c = stageStrip(60, 2)
        #expect(c.plainText() == """
            ✓ shadow → ● canary    → ○ ab → ○ full
            0%         5% [███   ]   50%    100%
            """)
        #expect(c.styleRuns() == """
            row 0: 0-7 fg=green; 8-10 fg=bright-black; 11-18 fg=bright-cyan bold; 22-37 fg=bright-black
            row 1: 0-1 fg=bright-black; 11-12 fg=bright-cyan bold; 14-21 fg=bright-cyan bold; 25-27 fg=bright-black; 32-35 fg=bright-black
            """)
    }

    @Test func stageStripDegrades() {
        #expect(stageStrip(40, 2, .ascii).plainText() == """
            + shadow -> * canary -> o ab -> o full
            0%          5%          50%     100%
            """)
        // Tight separators before any name is cut; then the active stage keeps its name and cut names say so.
        #expect(stageStrip(30, 2).plainText() == """
            ✓ shadow→● canary→○ ab→○ full
            0%       5%       50%  100%
            """)
        #expect(stageStrip(24, 2).plainText() == """
            ✓ sh…→● canary→○ ab→○ fu
            0%    5%       50%  100%
            """)
        #expect(stageStrip(24, 1).plainText() == "✓ sh…→● canary→○ ab→○ fu")
        #expect(stageStrip(12, 2).plainText() == "✓→● can…→○→○\n")
        #expect(stageStrip(3, 2).plainText() == "✓→●\n")
    }

    /// A table of ten thousand rows asks for the cells of the rows it shows only, and draws the same as the table
    /// given every row.
    @Test func aTableBuildsOnlyTheRowsItShows() {
        var asked: [Int] = []
        var lazy = Canvas(width: 30, height: 6)
        Table.draw(into: &lazy, rect: lazy.bounds, columns: ruleColumns, rowCount: 10_000,
                   row: { i in asked.append(i); return [TableCell("r\(i)"), TableCell("ok"), TableCell("\(i)")] },
                   selectedRow: 5_002, scrollOffset: 5_000, theme: .default, glyphs: .unicode)
        #expect(asked == [5_000, 5_001, 5_002, 5_003, 5_004])
        var full = Canvas(width: 30, height: 6)
        Table.draw(into: &full, rect: full.bounds, columns: ruleColumns,
                   rows: (0..<10_000).map { [TableCell("r\($0)"), TableCell("ok"), TableCell("\($0)")] },
                   selectedRow: 5_002, scrollOffset: 5_000, theme: .default, glyphs: .unicode)
        #expect(lazy == full)
    }

    @Test func tableSnapshot() {
        var c = Canvas(width: 30, height: 4)
        Table.draw(into: &c, rect: c.bounds, columns: ruleColumns, rows: ruleRows, selectedRow: 1, scrollOffset: 0,
                   theme: .default, glyphs: .unicode)
        #expect(c.plainText() == """
              Rule         State     Value
              error-rate   ok         0.2%
            ▸ latency p99… firing    412ms
              approval-ra… pending   -1.3%
            """)
        #expect(c.styleRuns() == """
            row 0: 0-29 bold underline
            row 1: 15-22 fg=green
            row 2: 0-29 reverse
            row 3: 15-22 fg=yellow
            """)
    }

    @Test func tableScrolledAsciiWithWideText() {
        var c = Canvas(width: 24, height: 3)
        Table.draw(into: &c, rect: c.bounds, columns: ruleColumns, rows: ruleRows, selectedRow: 3, scrollOffset: 2,
                   theme: .mono, glyphs: .ascii)
        #expect(c.plainText() == """
              Rule   State     Value
              appro~ pending   -1.3%
            > 漢字~  ok            1
            """)
    }

    @Test func scrollOffsetKeepsSelectionVisible() {
        #expect(Table.scrollOffset(selected: 0, current: 0, visibleRows: 3, rowCount: 10) == 0)
        #expect(Table.scrollOffset(selected: 5, current: 0, visibleRows: 3, rowCount: 10) == 3)
        #expect(Table.scrollOffset(selected: 4, current: 3, visibleRows: 3, rowCount: 10) == 3)
        #expect(Table.scrollOffset(selected: 1, current: 3, visibleRows: 3, rowCount: 10) == 1)
        #expect(Table.scrollOffset(selected: 9, current: 0, visibleRows: 3, rowCount: 10) == 7)
        #expect(Table.scrollOffset(selected: nil, current: 9, visibleRows: 3, rowCount: 10) == 7)
        #expect(Table.scrollOffset(selected: 2, current: 5, visibleRows: 10, rowCount: 4) == 0)
        #expect(Table.scrollOffset(selected: 0, current: 0, visibleRows: 0, rowCount: 4) == 0)
        #expect(Table.visibleRowCount(in: Rect(x: 0, y: 0, width: 5, height: 4)) == 3)
    }

    @Test func sparkline() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8], width: 10, glyphs: .unicode) == "  ▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([0, 100, 50, 0, 100, 50], width: 3, glyphs: .unicode) == "▁█▅")
        #expect(Sparkline.render([1, .nan, 3, 3, 3], width: 5, glyphs: .ascii) == ". @@@")
        #expect(Sparkline.render([7, 7, 7], width: 3, glyphs: .unicode) == "▄▄▄")
        #expect(Sparkline.render([.nan, .infinity], width: 2, glyphs: .unicode) == "  ")
        #expect(Sparkline.render([], width: 2, glyphs: .unicode) == "  ")
        #expect(Sparkline.render([1, 2], width: 0, glyphs: .unicode) == "")
        var c = Canvas(width: 6, height: 1)
        Sparkline.draw(into: &c, rect: Rect(x: 1, y: 0, width: 4, height: 1), values: [1, 2, 3, 4, 5],
                       role: "histogram.challenger", theme: .default, glyphs: .unicode)
        #expect(c.plainText() == " ▁▃▆█")
        #expect(c.styleRuns() == "row 0: 1-4 fg=yellow")
    }

    @Test func horizontalBar() {
        #expect(HorizontalBar.render(fraction: 0.55, width: 10, glyphs: .unicode) == "█████▌    ")
        #expect(HorizontalBar.render(fraction: 0.55, width: 10, glyphs: .ascii) == "######    ")
        #expect(HorizontalBar.render(fraction: 0.01, width: 10, glyphs: .unicode) == "▏         ")
        #expect(HorizontalBar.render(fraction: 2, width: 4, glyphs: .unicode) == "████")
        #expect(HorizontalBar.render(fraction: -1, width: 4, glyphs: .unicode) == "    ")
        #expect(HorizontalBar.render(fraction: .nan, width: 3, glyphs: .ascii) == "   ")
        var c = Canvas(width: 24, height: 1)
        HorizontalBar.draw(into: &c, rect: c.bounds, label: "bake", fraction: 0.62, valueText: "62%",
                           role: "stage.active", theme: .default, glyphs: .unicode)
        #expect(c.plainText() == "bake [████████     ] 62%")
    }

    @Test func widgetsNeverWriteOutsideTheirRect() {
        let rect = Rect(x: 3, y: 2, width: 13, height: 4)
        var background = Canvas(width: 20, height: 8)
        background.fill(background.bounds, style: .plain, character: "#")
        let draws: [(inout Canvas) -> Void] = [
            { Box.draw(into: &$0, rect: rect, title: "A very long title 漢字", theme: .default, glyphs: .unicode) },
            { StageStrip.draw(into: &$0, rect: rect, items: stages, theme: .default, glyphs: .unicode) },
            { Table.draw(into: &$0, rect: rect, columns: ruleColumns, rows: ruleRows, selectedRow: 2, scrollOffset: 1,
                         theme: .default, glyphs: .unicode) },
            { Sparkline.draw(into: &$0, rect: rect, values: [1, 5, 2, 8], role: "text", theme: .default, glyphs: .unicode) },
            { HorizontalBar.draw(into: &$0, rect: rect, label: "漢字漢字漢字", fraction: 0.3, valueText: "30%",
                                 role: "text", theme: .default, glyphs: .unicode) },
        ]
        for (i, draw) in draws.enumerated() {
            var c = background
            draw(&c)
            for y in 0..<c.height {
                for x in 0..<c.width where !(rect.x..<rect.maxX ~= x && rect.y..<rect.maxY ~= y) {
                    #expect(c[x, y].text == "#", "widget \(i) wrote at \(x),\(y)")
                }
            }
            checkCells(c)
        }
    }
}
