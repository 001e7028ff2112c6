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
        out.append(("value", "\(RuleRowText.value(e.value, metric: r.metric, relative: r.relativeToChampion)) vs threshold \(RuleRowText.threshold(r))"))
        out.append(("window", "\(DurationText.format(r.windowSeconds)) · for \(DurationText.format(r.forSeconds)) · scope \(e.segment ?? "overall") · severity \(r.severity.rawValue)"))
        out.append(("no data", "\(r.noData.rawValue)" + (r.minimumEvents > 0 ? " · fewer than \(r.minimumEvents) events count as no data" : "")))
        if let summary = r.summary { out.append(("summary", summary)) }
        let recent = e.history.suffix(4).map { t in
            "\(TimeText.minute(t.time).dropFirst(11)) \(t.from.rawValue)→\(t.to.rawValue) (\(RuleRowText.value(t.value, metric: r.metric, relative: r.relativeToChampion)))"
        }
        out.append(("history", recent.isEmpty ? "no transitions" : recent.joined(separator: " · ")))
        return out
    }

    static func draw(into canvas: inout Canvas, rect: Rect, _ e: RuleEvaluation, asOf: Timestamp, context: RenderContext) {
        let content = lines(e, asOf: asOf)
        let height = min(rect.height - 2, content.count + 2)
        let box = Rect(x: rect.x + 2, y: rect.maxY - 1 - height, width: rect.width - 4, height: height)
        guard box.width > 20, box.height > 2 else { return }
        canvas.fill(box, style: .plain)
        let title = "\(e.rule.name) · \(e.segment ?? "overall") — esc closes"
        let inner = Box.draw(into: &canvas, rect: box, title: title, theme: context.theme, glyphs: context.glyphs, focused: true)
        for (i, line) in content.enumerated() where i < inner.height {
            canvas.write(DisplayWidth.pad(line.0, toWidth: 9), x: inner.x + 1, y: inner.y + i, style: context.theme.style("help.key"))
            canvas.write(line.1, x: inner.x + 11, y: inner.y + i, style: context.theme.style("text"), maxWidth: inner.maxX - inner.x - 11)
        }
    }
}
