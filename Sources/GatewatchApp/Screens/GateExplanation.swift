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
        DetailPane.draw(into: &canvas, rect: rect, title: "gate \(g.gate.rawValue) — esc closes", fields: lines(g), context: context)
    }
}
