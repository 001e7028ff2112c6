import GatewatchCore
import GatewatchUI

/// One segment drilled into: every quality metric with interval, p, q and always-valid p, the deltas over time, the
/// segment's stop rules and its score histogram.
public enum SegmentScreen {
    public static func render(_ snapshot: ReleaseSnapshot?, segment: String, keys: KeyTable, context: RenderContext) -> Canvas {
        var canvas = Canvas(width: context.width, height: context.height)
        guard context.width >= ReleaseScreen.minimumWidth, context.height >= ReleaseScreen.minimumHeight else {
            ReleaseScreen.drawTooSmall(into: &canvas, context: context)
            return canvas
        }
        let theme = context.theme, glyphs = context.glyphs
        guard let a = snapshot?.analysis else { return canvas }
        let row = segment == "overall" ? a.overall : a.segments.first { $0.segment == segment }
        let full = Rect(x: 0, y: 0, width: context.width, height: context.height)
        let parts = full.split(.vertical, [.fixed(1), .fill(1), .fixed(1), .fixed(1)])
        var x = canvas.write("\(a.release.slug) ", x: 0, y: 0, style: theme.style("title"))
        x += canvas.write("\(glyphs.arrowRight) segment ", x: x, y: 0, style: theme.style("text.dim"))
        canvas.write(segment, x: x, y: 0, style: theme.style("title"), maxWidth: context.width - x - 12)
        let back = "\(KeyHints.key(.back, in: keys) ?? "esc") back"
        canvas.write(back, x: context.width - DisplayWidth.of(back) - 1, y: 0, style: theme.style("help.key"))
        guard let row else {
            canvas.write("No data for segment \(segment).", x: 1, y: 2, style: theme.style("text.dim"))
            return canvas
        }
        let wide = context.width >= 120
        let areas = wide ? parts[1].split(.horizontal, [.percent(60), .fill(1)]) : parts[1].split(.vertical, [.fill(1), .fixed(0)])
        let left = areas[0].split(.vertical, [.fixed(QualityMetric.allCases.count + 3), .fill(1)])
        let inner = Box.draw(into: &canvas, rect: left[0], title: "Challenger − champion", theme: theme, glyphs: glyphs, focused: true)
        // The always-valid interval, which the marks use, is never cut: when the table is narrow the fixed-horizon p
        // and q (valid only at one planned look) give their room first, then the metrics take their short names.
        let withFixed = inner.width >= 93, longNames = inner.width >= 77 || withFixed
        var columns = [
            TableColumn(title: "METRIC", width: .fixed(longNames ? 19 : 9)),
            TableColumn(title: "CHAMP", width: .fixed(7), alignRight: true),
            TableColumn(title: "CHALL", width: .fixed(7), alignRight: true),
            TableColumn(title: "Δpt [95% CS]", width: .fill(1)),
            // The always-valid p-value, corrected for the release's tests (what the marks use); then the
            // fixed-horizon z test's p and q, valid only at one planned look.
            TableColumn(title: "AV p", width: .fixed(7), alignRight: true),
        ]
        if withFixed {
            columns += [TableColumn(title: "fixed p", width: .fixed(7), alignRight: true), TableColumn(title: "fixed q", width: .fixed(7), alignRight: true)]
        }
        let guardrail = { (m: QualityMetric) in a.release.guardrails.first { $0.metric == m } }
        let cells: [[TableCell]] = QualityMetric.allCases.compactMap { metric in
            guard let c = row.metrics[metric] else { return nil }
            let proportion = metric.isProportion
            let value = { (v: Double) in proportion ? NumberText.percent(v, decimals: 2) : NumberText.fixed(v, decimals: 3) }
            let delta = SegmentsPanel.deltaCell(c, guardrail: guardrail(metric), minimumSamples: a.release.gates.minimumSamplesPerSegment,
                                                 compact: false, glyphs: glyphs)
            // Deltas of rates are in points (the header's unit); the mean score's delta is in score units.
            let d = c.estimate.delta
            var cells = [TableCell(longNames ? metric.rawValue : metric.screenName), TableCell(value(c.estimate.champion)), TableCell(value(c.estimate.challenger)),
                         TableCell(proportion ? delta.text : "\(d >= 0 ? "+" : "")\(NumberText.fixed(d, decimals: 4)) (score)", role: delta.role),
                         TableCell(c.sequential.map { p($0.adjustedP) } ?? "–")]
            if withFixed { cells += [TableCell(p(c.estimate.pValue), role: "text.dim"), TableCell(c.qValue.map(p) ?? "–", role: "text.dim")] }
            return cells
        }
        Table.draw(into: &canvas, rect: inner, columns: columns, rows: cells, selectedRow: nil, scrollOffset: 0, theme: theme, glyphs: glyphs)

        let trendInner = Box.draw(into: &canvas, rect: left[1], title: "Δ over time (challenger − champion, since start)", theme: theme, glyphs: glyphs)
        var y = trendInner.y
        for metric in [QualityMetric.falsePositiveRate, .precision, .recall, .blockRate, .reviewRate, .errorRate] where y < trendInner.maxY {
            let series = row.trend[metric] ?? []
            canvas.write(DisplayWidth.pad(metric.rawValue, toWidth: 20), x: trendInner.x + 1, y: y, style: theme.style("text.dim"))
            let last = series.last.map { "\($0 >= 0 ? "+" : "")\(NumberText.fixed($0 * 100, decimals: 2))pt" } ?? "–"
            canvas.write(Sparkline.render(series, width: max(1, trendInner.width - 33), glyphs: glyphs), x: trendInner.x + 22, y: y,
                         style: theme.style("histogram.challenger"))
            canvas.write(last, x: trendInner.maxX - 10, y: y, style: theme.style("text"), maxWidth: 10)
            y += 1
        }
        let rules = a.rules.filter { $0.segment == segment }
        if y + 1 < trendInner.maxY, !rules.isEmpty {
            y += 1
            for e in rules where y < trendInner.maxY {
                let state = e.value == nil && e.status == .ok ? "" : RuleRowText.state(e, asOf: a.asOf) + " · "
                canvas.write("\(e.rule.name): \(state)\(RuleRowText.value(e.value, rule: e.rule)) vs \(RuleRowText.threshold(e.rule))",
                             x: trendInner.x + 1, y: y, style: theme.style(RuleRowText.role(e)), maxWidth: trendInner.width - 1)
                y += 1
            }
        }
        // How long the guarded deltas' always-valid intervals still need to decide their guardrails.
        let waits = a.guardrailWaits.filter { ($0.segment ?? "overall") == segment && !$0.decided }
        if y + 1 < trendInner.maxY, !waits.isEmpty {
            y += 1
            for w in waits where y < trendInner.maxY {
                let when = w.secondsLeft.map { $0 == 0 ? "decidable at the next look" : "decidable in ~\(DurationText.format($0)) at this traffic" }
                    ?? "no estimate (\(w.unknownReason ?? "unknown"))"
                canvas.write("\(w.metric.rawValue) guardrail (always-valid): \(when)", x: trendInner.x + 1, y: y,
                             style: theme.style("rule.inconclusive"), maxWidth: trendInner.width - 1)
                y += 1
            }
        }
        if wide {
            HistogramPanel.draw(into: &canvas, rect: areas[1], comparison: row, thresholds: a.release.thresholds,
                                title: "Scores in this segment", focused: false, context: context)
        }
        KeyHints.draw(into: &canvas, x: 1, y: parts[2].y, hints: [([.back], "back"), ([.help], "help"), ([.quit], "quit")],
                      keys: keys, context: context)
        ReleaseScreen().drawStatus(into: &canvas, rect: parts[3], snapshot!.health, context)
        return canvas
    }

    static func p(_ value: Double) -> String { value < 0.0001 ? "<.0001" : NumberText.fixed(value, decimals: 4) }
}
