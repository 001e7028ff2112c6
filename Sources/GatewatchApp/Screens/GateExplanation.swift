import GatewatchCore
import GatewatchUI

/// The `enter` panel of a gate: what it checks, the observed value against the threshold, the verdict and why.
enum GateExplanation {
    static func lines(_ g: GateVerdict) -> [(String, String)] {
        var out: [(String, String)] = [("gate", g.gate.rawValue), ("verdict", g.outcome.rawValue), ("reason", g.reason)]
        if let check = g.check { out.append(("checks", check)) }
        if g.observed != nil || g.threshold != nil {
            let number = { (v: Double?) in v.map { NumberText.compact($0, digits: 4) } ?? "–" }
            out.append(("value", "\(number(g.observed)) against \(number(g.threshold))"))
        }
        if let eta = g.etaSeconds, !g.passed { out.append(("expected", "passes in ~\(DurationText.format(eta)) at current traffic")) }
        if g.outcome == .inconclusive { out.append(("decide", "cannot decide yet: promote (P, with a reason), wait, or roll back (r)")) }
        return out
    }

    static func draw(into canvas: inout Canvas, rect: Rect, _ g: GateVerdict, context: RenderContext) {
        let content = lines(g)
        let height = min(rect.height - 2, content.count + 2)
        let box = Rect(x: rect.x + 2, y: rect.maxY - 1 - height, width: rect.width - 4, height: height)
        guard box.width > 20, box.height > 2 else { return }
        canvas.fill(box, style: .plain)
        let inner = Box.draw(into: &canvas, rect: box, title: "gate \(g.gate.rawValue) — esc closes", theme: context.theme,
                             glyphs: context.glyphs, focused: true)
        for (i, line) in content.enumerated() where i < inner.height {
            canvas.write(DisplayWidth.pad(line.0, toWidth: 9), x: inner.x + 1, y: inner.y + i, style: context.theme.style("help.key"))
            canvas.write(line.1, x: inner.x + 11, y: inner.y + i, style: context.theme.style("text"), maxWidth: inner.maxX - inner.x - 11)
        }
    }
}
