import GatewatchCore
import GatewatchUI

/// The `enter` panel of a stop rule: the rule as written, its state and since when, value against threshold,
/// window, `for`, scope, no-data policy and the transitions that led here.
enum RuleExplanation {
    static func lines(_ e: RuleEvaluation, asOf: Timestamp) -> [(String, String)] {
        let r = e.rule
        var out: [(String, String)] = []
        out.append(("rule", r.expressionText))
        var state = RuleRowText.state(e, asOf: asOf)
        if let since = e.since { state += " (since \(TimeText.minute(since))Z)" }
        if r.dryRun, e.status != .ok { state += " — dry run: would \(r.severity == .rollback ? "roll back" : r.severity == .block ? "block promotion" : "warn")" }
        out.append(("state", state))
        out.append(("value", "\(RuleRowText.value(e.value, rule: r)) vs threshold \(RuleRowText.threshold(r))"))
        out.append(("window", "\(DurationText.format(r.windowSeconds)) · for \(DurationText.format(r.forSeconds)) · scope \(e.segment ?? "overall") · severity \(r.severity.rawValue)"))
        out.append(("no data", "\(r.noData.rawValue)" + (r.minimumEvents > 0 ? " · fewer than \(r.minimumEvents) events count as no data" : "")))
        if let summary = r.summary { out.append(("summary", summary)) }
        let recent = e.history.suffix(4).map { t in
            "\(TimeText.minute(t.time).dropFirst(11)) \(t.from.rawValue)→\(t.to.rawValue) (\(RuleRowText.value(t.value, rule: r)))"
        }
        out.append(("history", recent.isEmpty ? "no transitions" : recent.joined(separator: " · ")))
        return out
    }

    static func draw(into canvas: inout Canvas, rect: Rect, _ e: RuleEvaluation, asOf: Timestamp, context: RenderContext) {
        DetailPane.draw(into: &canvas, rect: rect, title: "\(e.rule.name) · \(e.segment ?? "overall") — esc closes", fields: lines(e, asOf: asOf),
                        context: context)
    }
}
