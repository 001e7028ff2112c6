import Testing
@testable import GatewatchUI

@Test func dumpWidgets() {
    var c = Canvas(width: 20, height: 4)
    let inner = Box.draw(into: &c, rect: c.bounds, title: "Stop rules", theme: .default, glyphs: .unicode, focused: true)
    print(c.plainText()); print(c.styleRuns()); print(inner)
    var c2 = Canvas(width: 10, height: 3)
    Box.draw(into: &c2, rect: c2.bounds, title: "Stop rules", theme: .default, glyphs: .ascii)
    print(c2.plainText())
    let items = [
        StageStripItem(name: "shadow", detail: "0%", state: .done),
        StageStripItem(name: "canary", detail: "5%", progress: 0.5, state: .active),
        StageStripItem(name: "ab", detail: "50%", state: .pending),
        StageStripItem(name: "full", detail: "100%", state: .pending),
    ]
    for (w, h, g) in [(60, 2, GlyphSet.unicode), (40, 2, .ascii), (30, 2, .unicode), (24, 2, .unicode), (24, 1, .unicode), (12, 2, .unicode)] {
        var s = Canvas(width: w, height: h)
        StageStrip.draw(into: &s, rect: s.bounds, items: items, theme: .default, glyphs: g)
        print("--- \(w)x\(h)"); print(s.plainText()); print(s.styleRuns())
    }
    var t = Canvas(width: 30, height: 4)
    Table.draw(into: &t, rect: t.bounds, columns: [
        TableColumn(title: "Rule", width: .fill(1)), TableColumn(title: "State", width: .fixed(8)),
        TableColumn(title: "Value", width: .fixed(6), alignRight: true)],
        rows: [["error-rate", TableCell("ok", role: "rule.ok"), "0.2%"],
               ["latency p99 regression", TableCell("firing", role: "rule.firing"), "412ms"],
               ["approval-rate", TableCell("pending", role: "rule.pending"), "-1.3%"],
               ["x", "ok", "1"]],
        selectedRow: 1, scrollOffset: 0, theme: .default, glyphs: .unicode)
    print(t.plainText()); print(t.styleRuns())
    print(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8], width: 10, glyphs: .unicode) + "|")
    print(Sparkline.render([1, .nan, 3, 3, 3], width: 5, glyphs: .ascii) + "|")
    print(HorizontalBar.render(fraction: 0.55, width: 10, glyphs: .unicode) + "|")
    var hb = Canvas(width: 24, height: 1)
    HorizontalBar.draw(into: &hb, rect: hb.bounds, label: "bake", fraction: 0.62, valueText: "62%", role: "stage.active", theme: .default, glyphs: .unicode)
    print(hb.plainText() + "|")
}
