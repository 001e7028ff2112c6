import GatewatchCore
import GatewatchUI

/// The `enter` panel of a gate: what it checks, the observed value against the threshold, the verdict and why.
enum GateExplanation {
    static func lines(_ g: GateVerdict) -> [(String, String)] {
        var out: [(String, String)] = [("gate", g.gate.rawValue), ("verdict", g.outcome.rawValue), ("reason", g.reason)]
        if let check = g.check { out.append(("checks", check)) }
        if g.observed != nil || g.threshold != nil {
            out.append(("value", "\(value(g.observed, g.gate)) against \(value(g.threshold, g.gate))"))
        }
        if let eta = g.etaSeconds, !g.passed { out.append(("expected", "passes in ~\(DurationText.format(eta)) at current traffic")) }
        if g.outcome == .inconclusive { out.append(("decide", "cannot decide yet: promote (P, with a reason), wait, or roll back (r)")) }
        return out
    }

    /// A gate's number in its own unit: durations for time gates, shares as percentages, counts whole.
    static func value(_ v: Double?, _ gate: GateKind) -> String {
        guard let v else { return "–" }
        switch gate {
        case .bakeTime, .metricsFresh: return DurationText.format(Int64(v.rounded()))
        case .labelMaturity, .plannedSamples: return NumberText.percent(v, decimals: 0)
        case .minimumSamples, .noBlockingRules: return NumberText.compact(v.rounded(), digits: 6)
        default: return NumberText.compact(v, digits: 4)
        }
    }

    static func draw(into canvas: inout Canvas, rect: Rect, _ g: GateVerdict, context: RenderContext) {
        DetailPane.draw(into: &canvas, rect: rect, title: "gate \(g.gate.rawValue) — esc closes", fields: lines(g), context: context)
    }
}
